//! Load client for benchmark 4: live fan-out to many Server-Sent Events clients.
//!
//! Opens `--clients` streams of `/app/accounts/{account}/live` with one signed-in session's
//! cookie (each stream its own TCP connection, as each browser tab is), waits until all are
//! open, then `--rounds` times posts a message through the agent API (`api_access_token`) and
//! measures, per client, the time from just before the POST until the client has read the
//! event carrying that message. Reads the server's memory from `/proc/PID/status` (`VmRSS`
//! before and with the clients, `VmHWM` at the end) when `--pid` is given.
//!
//! ```text
//! ulimit -n 65536
//! cargo run --release -p oxidesk --example fanout -- --url http://127.0.0.1:3000 \
//!     --cookie 'oxidesk_session=...' --token API_TOKEN --conversation 1 --clients 5000 --pid PID
//! ```
//!
//! The result is one line of `key=value` pairs on stdout (`bench/fanout.sh` reads it). The
//! client stops by itself: a round waits at most `--timeout` seconds.

mod support;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, mpsc};

struct Options {
    addr: SocketAddr,
    cookie: String,
    token: String,
    account: i64,
    conversation: i64,
    clients: usize,
    rounds: usize,
    timeout: u64,
    pid: Option<u32>,
}

fn usage() -> String {
    "usage: fanout --url http://127.0.0.1:PORT --cookie 'oxidesk_session=...' --token TOKEN \
     --conversation DISPLAY_ID [--account 1] [--clients 5000] [--rounds 5] [--timeout 30] [--pid PID]"
        .into()
}

fn number<T: std::str::FromStr>(name: &str, value: String) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{name} must be a number, not {value:?}"))
}

fn parse() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut url = None;
    let mut options = Options {
        addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
        cookie: String::new(),
        token: String::new(),
        account: 1,
        conversation: 0,
        clients: 5000,
        rounds: 5,
        timeout: 30,
        pid: None,
    };
    while let Some(arg) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{arg} needs a value; {}", usage()))?;
        match arg.as_str() {
            "--url" => url = Some(value),
            "--cookie" => options.cookie = value,
            "--token" => options.token = value,
            "--account" => options.account = number(&arg, value)?,
            "--conversation" => options.conversation = number(&arg, value)?,
            "--clients" => options.clients = number(&arg, value)?,
            "--rounds" => options.rounds = number(&arg, value)?,
            "--timeout" => options.timeout = number(&arg, value)?,
            "--pid" => options.pid = Some(number(&arg, value)?),
            other => return Err(format!("unknown argument {other}; {}", usage())),
        }
    }
    let url = url.ok_or_else(usage)?;
    options.addr = url
        .strip_prefix("http://")
        .ok_or("--url must be http://HOST:PORT (loopback)")?
        .trim_end_matches('/')
        .parse()
        .map_err(|e| format!("--url {url}: {e}; give http://127.0.0.1:PORT"))?;
    if !options.addr.ip().is_loopback() {
        return Err("--url must be a loopback address: this is a load generator".into());
    }
    if options.cookie.is_empty() || options.token.is_empty() || options.conversation == 0 {
        return Err(format!(
            "--cookie, --token and --conversation are required; {}",
            usage()
        ));
    }
    if options.clients == 0 || options.rounds == 0 {
        return Err("--clients and --rounds must be at least 1".into());
    }
    Ok(options)
}

/// A field of `/proc/PID/status` in kB (`VmRSS`, `VmHWM`).
fn proc_kb(pid: Option<u32>, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or_else(|| "n/a".into(), |kb| format!("{:.1}", kb as f64 / 1024.0))
}

/// The posted message's content in round `round`.
fn marker(round: usize) -> String {
    format!("fanout round {round}")
}

/// Opens one stream; then reports `(message id, when)` for each `message.created` event it
/// reads.
async fn client(
    options: Arc<Options>,
    opened: mpsc::Sender<Result<(), String>>,
    seen: mpsc::UnboundedSender<(i64, Instant)>,
    permit: Arc<Semaphore>,
) {
    let connecting = permit.acquire_owned().await;
    let stream = async {
        let mut stream = TcpStream::connect(options.addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let request = format!(
            "GET /app/accounts/{}/live HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\nAccept: text/event-stream\r\n\r\n",
            options.account, options.addr, options.cookie
        );
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|e| format!("write: {e}"))?;
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if stream.read(&mut byte).await.map_err(|e| format!("read: {e}"))? == 0 {
                return Err("closed before the headers".to_owned());
            }
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head);
        if !head.starts_with("HTTP/1.1 200") {
            return Err(format!(
                "answered {} (is the cookie a signed-in session?)",
                head.lines().next().unwrap_or_default()
            ));
        }
        Ok(stream)
    }
    .await;
    drop(connecting);
    let mut stream = match stream {
        Ok(stream) => {
            let _ = opened.send(Ok(())).await;
            stream
        }
        Err(message) => {
            let _ = opened.send(Err(message)).await;
            return;
        }
    };
    drop(opened);
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let read = match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let now = Instant::now();
        buffer.extend_from_slice(&chunk[..read]);
        // Whole lines only; the rest waits for the next read.
        let Some(end) = buffer.iter().rposition(|&b| b == b'\n') else {
            continue;
        };
        for line in buffer[..end].split(|&b| b == b'\n') {
            if let Some(id) = created_message(line) {
                if seen.send((id, now)).is_err() {
                    return;
                }
            }
        }
        buffer.drain(..=end);
    }
}

/// The message id of a `message.created` event's `data:` line.
fn created_message(line: &[u8]) -> Option<i64> {
    let json = line.strip_prefix(b"data:")?;
    let event: serde_json::Value = serde_json::from_slice(json).ok()?;
    (event["name"] == "message.created").then(|| event["data"]["id"].as_i64())?
}

/// Posts round `round`'s message through the agent API; the new message's id.
async fn post_message(options: &Options, round: usize) -> Result<i64, String> {
    let body = serde_json::json!({
        "content": format!("Live fan-out benchmark {}", marker(round)),
        "message_type": "outgoing",
    })
    .to_string();
    let request = format!(
        "POST /api/v1/accounts/{}/conversations/{}/messages HTTP/1.1\r\nHost: {}\r\napi_access_token: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        options.account,
        options.conversation,
        options.addr,
        options.token,
        body.len(),
        body
    );
    let mut stream = TcpStream::connect(options.addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .await
        .map_err(|e| format!("read: {e}"))?;
    let answer = String::from_utf8_lossy(&answer);
    let status = answer.lines().next().unwrap_or_default();
    if !status.contains(" 200") {
        return Err(format!("posting the message answered {status:?}"));
    }
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body)
        .unwrap_or_default();
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|message| message["id"].as_i64())
        .ok_or_else(|| format!("the posted message's answer has no id: {body}"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

async fn run(options: Options) -> Result<(), String> {
    let options = Arc::new(options);
    let rss_before = proc_kb(options.pid, "VmRSS");
    let (opened_tx, mut opened_rx) = mpsc::channel(1024);
    let (seen_tx, mut seen_rx) = mpsc::unbounded_channel();
    // Open the streams a few hundred at a time, as a crowd of browsers would arrive.
    let permit = Arc::new(Semaphore::new(256));
    let opening = Instant::now();
    for _ in 0..options.clients {
        tokio::spawn(client(
            options.clone(),
            opened_tx.clone(),
            seen_tx.clone(),
            permit.clone(),
        ));
    }
    drop(opened_tx);
    drop(seen_tx);
    let (mut open, mut failed, mut first_error) = (0usize, 0usize, None);
    while let Some(result) = opened_rx.recv().await {
        match result {
            Ok(()) => open += 1,
            Err(message) => {
                failed += 1;
                first_error.get_or_insert(message);
            }
        }
    }
    let open_seconds = opening.elapsed().as_secs_f64();
    if open == 0 {
        return Err(format!(
            "no stream opened: {}",
            first_error.unwrap_or_default()
        ));
    }
    if let Some(message) = &first_error {
        eprintln!("fanout: {failed} streams failed to open, the first: {message}");
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_open = proc_kb(options.pid, "VmRSS");
    let mut delays_ms = Vec::new();
    let mut missed = 0usize;
    let mut last_delivery_ms = Vec::new();
    for round in 0..options.rounds {
        let posted = Instant::now();
        let message = post_message(&options, round).await?;
        let deadline = posted + Duration::from_secs(options.timeout);
        let mut got = 0usize;
        let mut last = 0.0f64;
        while got < open {
            match tokio::time::timeout_at(deadline.into(), seen_rx.recv()).await {
                Ok(Some((id, when))) if id == message => {
                    let ms = when.duration_since(posted).as_secs_f64() * 1000.0;
                    delays_ms.push(ms);
                    last = last.max(ms);
                    got += 1;
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        missed += open - got;
        last_delivery_ms.push(last);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let rss_after = proc_kb(options.pid, "VmRSS");
    let hwm = proc_kb(options.pid, "VmHWM");
    delays_ms.sort_by(f64::total_cmp);
    last_delivery_ms.sort_by(f64::total_cmp);
    println!(
        "clients={open} failed={failed} open_seconds={open_seconds:.1} rounds={} deliveries={} missed={missed} p50_ms={:.1} p99_ms={:.1} max_ms={:.1} all_median_ms={:.1} rss_before_mb={} rss_open_mb={} rss_after_mb={} hwm_mb={}",
        options.rounds,
        delays_ms.len(),
        percentile(&delays_ms, 50.0),
        percentile(&delays_ms, 99.0),
        percentile(&delays_ms, 100.0),
        percentile(&last_delivery_ms, 50.0),
        mb(rss_before),
        mb(rss_open),
        mb(rss_after),
        mb(hwm),
    );
    Ok(())
}

fn main() -> ExitCode {
    support::main("fanout", parse, run)
}
