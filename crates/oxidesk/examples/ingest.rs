//! Load client for benchmark 3: messages posted through the public client API.
//!
//! Each connection plays one customer: it creates a contact in the API inbox, opens a
//! conversation, then posts messages into it back to back on one keep-alive HTTP/1.1 connection
//! until the time is up. Every acknowledged (2xx) message's id is written to `--acked`, one a
//! line, so that a run during which the server is killed (`kill -9`) can be checked afterwards:
//! every id there must be in the database. A connection that fails reconnects after a short
//! pause until the time is up, so the client outlives a killed server and stops by itself.
//!
//! ```text
//! cargo run --release -p oxidesk --example ingest -- --url http://127.0.0.1:3000 \
//!     --inbox INBOX_IDENTIFIER --connections 16 --seconds 30 --acked /tmp/acked.txt
//! ```
//!
//! `--ceiling` posts the same requests to the ceiling server (`examples/ceiling.rs`), which
//! answers anything, without the set-up calls. The result is one line of `key=value` pairs on
//! stdout (`bench/ingest.sh` reads it).

mod support;

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

struct Options {
    addr: SocketAddr,
    inbox: String,
    connections: usize,
    seconds: u64,
    acked: Option<String>,
    ceiling: bool,
}

/// What one connection did.
#[derive(Default)]
struct Tally {
    acked: Vec<i64>,
    latencies_us: Vec<u32>,
    rejected: u64,
    failed: u64,
}

fn usage() -> String {
    "usage: ingest --url http://127.0.0.1:PORT (--inbox IDENTIFIER | --ceiling) \
     [--connections 16] [--seconds 30] [--acked FILE]"
        .into()
}

fn parse() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut url = None;
    let mut options = Options {
        addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
        inbox: String::new(),
        connections: 16,
        seconds: 30,
        acked: None,
        ceiling: false,
    };
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value; {}", usage()))
        };
        match arg.as_str() {
            "--url" => url = Some(value()?),
            "--inbox" => options.inbox = value()?,
            "--connections" => {
                options.connections = value()?
                    .parse()
                    .map_err(|_| "--connections must be a number".to_owned())?;
            }
            "--seconds" => {
                options.seconds = value()?
                    .parse()
                    .map_err(|_| "--seconds must be a number".to_owned())?;
            }
            "--acked" => options.acked = Some(value()?),
            "--ceiling" => options.ceiling = true,
            other => return Err(format!("unknown argument {other}; {}", usage())),
        }
    }
    let url = url.ok_or_else(usage)?;
    let host = url
        .strip_prefix("http://")
        .ok_or("--url must be http://HOST:PORT (loopback)")?
        .trim_end_matches('/');
    options.addr = host
        .parse()
        .map_err(|e| format!("--url {url}: {e}; give http://127.0.0.1:PORT"))?;
    if !options.addr.ip().is_loopback() {
        return Err("--url must be a loopback address: this is a load generator".into());
    }
    if options.inbox.is_empty() && !options.ceiling {
        return Err(format!(
            "--inbox is required without --ceiling; {}",
            usage()
        ));
    }
    if options.connections == 0 || options.seconds == 0 {
        return Err("--connections and --seconds must be at least 1".into());
    }
    Ok(options)
}

async fn connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        // Ends when the server goes away; the next request then fails and reconnects.
        let _ = connection.await;
    });
    Ok(sender)
}

/// POSTs `body` as JSON; the status and the parsed answer.
async fn post(
    sender: &mut SendRequest<Full<Bytes>>,
    addr: SocketAddr,
    path: &str,
    body: Value,
) -> Result<(u16, Value), String> {
    sender.ready().await.map_err(|e| format!("ready: {e}"))?;
    let request = Request::post(path)
        .header(HOST, addr.to_string())
        .header(CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .map_err(|e| format!("request: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("send: {e}"))?;
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("body: {e}"))?
        .to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok((status, value))
}

/// Creates the contact and its conversation: the path to post messages to.
async fn set_up(options: &Options, worker: usize) -> Result<String, String> {
    if options.ceiling {
        return Ok("/ceiling/messages".into());
    }
    let mut sender = connect(options.addr).await?;
    let base = format!("/public/api/v1/inboxes/{}", options.inbox);
    let (status, contact) = post(
        &mut sender,
        options.addr,
        &format!("{base}/contacts"),
        serde_json::json!({"name": format!("Ingest bench {worker}")}),
    )
    .await?;
    let source_id = contact["source_id"]
        .as_str()
        .filter(|_| status == 200)
        .ok_or_else(|| format!("creating a contact answered {status}: {contact}"))?
        .to_owned();
    let (status, conversation) = post(
        &mut sender,
        options.addr,
        &format!("{base}/contacts/{source_id}/conversations"),
        serde_json::json!({}),
    )
    .await?;
    let id = conversation["id"]
        .as_i64()
        .filter(|_| status == 200)
        .ok_or_else(|| format!("opening a conversation answered {status}: {conversation}"))?;
    Ok(format!(
        "{base}/contacts/{source_id}/conversations/{id}/messages"
    ))
}

async fn worker(options: &Options, path: String, worker: usize, deadline: Instant) -> Tally {
    let mut tally = Tally::default();
    let mut sender = None;
    let mut sequence = 0u64;
    while Instant::now() < deadline {
        if sender.is_none() {
            match connect(options.addr).await {
                Ok(s) => sender = Some(s),
                Err(_) => {
                    tally.failed += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            }
        }
        let Some(s) = sender.as_mut() else { continue };
        sequence += 1;
        let body = serde_json::json!({"content": format!("ingest {worker}-{sequence}")});
        let started = Instant::now();
        match post(s, options.addr, &path, body).await {
            Ok((status, value)) if (200..300).contains(&status) => {
                let micros = started.elapsed().as_micros();
                tally
                    .latencies_us
                    .push(u32::try_from(micros).unwrap_or(u32::MAX));
                match value["id"].as_i64() {
                    Some(id) => tally.acked.push(id),
                    None => tally.rejected += 1,
                }
            }
            Ok(_) => tally.rejected += 1,
            Err(_) => {
                tally.failed += 1;
                sender = None;
            }
        }
    }
    tally
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

async fn run(options: Options) -> Result<(), String> {
    let options = std::sync::Arc::new(options);
    let mut paths = Vec::new();
    for n in 0..options.connections {
        paths.push(set_up(&options, n).await?);
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let mut tasks = Vec::new();
    for (n, path) in paths.into_iter().enumerate() {
        let options = options.clone();
        tasks.push(tokio::spawn(async move {
            worker(&options, path, n, deadline).await
        }));
    }
    let mut total = Tally::default();
    for task in tasks {
        let tally = task.await.map_err(|e| format!("worker: {e}"))?;
        total.acked.extend(tally.acked);
        total.latencies_us.extend(tally.latencies_us);
        total.rejected += tally.rejected;
        total.failed += tally.failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(file) = &options.acked {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(file).map_err(|e| format!("--acked {file}: {e}"))?,
        );
        for id in &total.acked {
            writeln!(out, "{id}").map_err(|e| format!("--acked {file}: {e}"))?;
        }
        out.flush().map_err(|e| format!("--acked {file}: {e}"))?;
    }
    total.latencies_us.sort_unstable();
    let acked = total.latencies_us.len();
    println!(
        "acked={acked} rejected={} failed={} seconds={elapsed:.2} per_second={:.0} p50_ms={:.2} p99_ms={:.2} max_ms={:.2}",
        total.rejected,
        total.failed,
        acked as f64 / elapsed,
        percentile(&total.latencies_us, 50.0),
        percentile(&total.latencies_us, 99.0),
        percentile(&total.latencies_us, 100.0),
    );
    Ok(())
}

fn main() -> ExitCode {
    support::main("ingest", parse, run)
}
