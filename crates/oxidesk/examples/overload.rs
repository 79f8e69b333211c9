//! An open-loop load generator: requests go out at a fixed rate whatever the answers (unlike
//! `wrk`, whose connections wait for each answer, so an overloaded server slows the load down
//! and hides its own latency). Latency is counted from when a request was due, not when it went
//! out, so a generator that falls behind does not hide it either.
//!
//! ```text
//! cargo run --release -p oxidesk --example overload -- \
//!     --url http://127.0.0.1:3000 --token oxd_... \
//!     --get /api/v1/accounts/1/conversations \
//!     --post /api/v1/accounts/1/conversations/1/messages --post-every 10 \
//!     --phases 300:10,1200:30,300:20 --acked acked.txt
//! ```
//!
//! `--phases rate:seconds,...` runs each phase in turn. Every `--post-every`-th request posts a
//! message (`{"content": "overload <n>"}`) instead; the ids the server acknowledged (2xx) are
//! written to `--acked`, one a line, so that a script can check they are all in the database.
//! For each phase it prints the requests sent, the share answered 2xx, 503 and otherwise, and
//! the latency percentiles (all answers, and 2xx only).

use std::io::Write;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::sync::mpsc;

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

struct Args {
    url: String,
    token: String,
    get: String,
    post: Option<String>,
    post_every: u64,
    phases: Vec<(u64, u64)>,
    acked: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        url: "http://127.0.0.1:3000".into(),
        token: String::new(),
        get: "/api/v1/accounts/1/conversations".into(),
        post: None,
        post_every: 10,
        phases: Vec::new(),
        acked: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.url = value()?,
            "--token" => args.token = value()?,
            "--get" => args.get = value()?,
            "--post" => args.post = Some(value()?),
            "--post-every" => {
                args.post_every = value()?.parse().map_err(|_| "--post-every: a number")?
            }
            "--acked" => args.acked = Some(value()?),
            "--phases" => {
                for phase in value()?.split(',') {
                    let (rate, secs) = phase
                        .split_once(':')
                        .and_then(|(r, s)| Some((r.parse().ok()?, s.parse().ok()?)))
                        .ok_or(format!("--phases: {phase:?} is not rate:seconds"))?;
                    args.phases.push((rate, secs));
                }
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.phases.is_empty() || args.phases.iter().any(|(rate, _)| *rate == 0) {
        return Err("--phases rate:seconds,... is required (rates above 0)".into());
    }
    Ok(args)
}

/// One answer (or failure) of phase `phase`.
struct Outcome {
    phase: usize,
    status: u16,
    latency: Duration,
    posted: bool,
    acked: Option<i64>,
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("overload: {message}");
            std::process::exit(2);
        }
    };
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build_http();
    let (tx, mut rx) = mpsc::unbounded_channel::<Outcome>();
    let mut n = 0u64;
    for (phase, &(rate, secs)) in args.phases.iter().enumerate() {
        let start = Instant::now();
        let total = rate * secs;
        for i in 0..total {
            // Due times are fixed in advance: a slow answer never delays the next request.
            let due = start + Duration::from_secs_f64(i as f64 / rate as f64);
            tokio::time::sleep_until(due.into()).await;
            n += 1;
            let post = args.post.as_ref().filter(|_| n % args.post_every == 0);
            let posted = post.is_some();
            let request = build(&args, post.map(String::as_str), n);
            let (client, tx) = (client.clone(), tx.clone());
            tokio::spawn(async move {
                let (status, acked) = send(&client, request).await;
                let _ = tx.send(Outcome {
                    phase,
                    status,
                    latency: due.elapsed(),
                    posted,
                    acked,
                });
            });
        }
    }
    drop(tx);
    let mut outcomes = Vec::new();
    while let Some(outcome) = rx.recv().await {
        outcomes.push(outcome);
    }
    report(&args, &outcomes);
}

fn build(args: &Args, post: Option<&str>, n: u64) -> hyper::Request<Full<Bytes>> {
    let builder = hyper::Request::builder().header("api_access_token", &args.token);
    let request = match post {
        Some(path) => builder
            .method("POST")
            .uri(format!("{}{path}", args.url))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(format!(
                "{{\"content\":\"overload {n}\"}}"
            )))),
        None => builder
            .method("GET")
            .uri(format!("{}{}", args.url, args.get))
            .body(Full::new(Bytes::new())),
    };
    request.unwrap_or_else(|e| {
        eprintln!("overload: bad URL: {e}");
        std::process::exit(2)
    })
}

/// Sends and reads the whole answer; the status (0: no answer within 60 s or an I/O error)
/// and, for an acknowledged post, the new message's id.
async fn send(client: &HttpClient, request: hyper::Request<Full<Bytes>>) -> (u16, Option<i64>) {
    let posted = request.method() == hyper::Method::POST;
    let exchange = async {
        let response = client.request(request).await.ok()?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.ok()?.to_bytes();
        let acked = (posted && (200..300).contains(&status))
            .then(|| serde_json::from_slice::<serde_json::Value>(&body).ok())
            .flatten()
            .and_then(|json| json["id"].as_i64());
        Some((status, acked))
    };
    tokio::time::timeout(Duration::from_secs(60), exchange)
        .await
        .ok()
        .flatten()
        .unwrap_or((0, None))
}

fn percentile(sorted: &[Duration], p: f64) -> String {
    if sorted.is_empty() {
        return "-".into();
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    format!("{:.1} ms", sorted[i].as_secs_f64() * 1000.0)
}

fn report(args: &Args, outcomes: &[Outcome]) {
    println!(
        "phase  rate/s  secs   sent     2xx    503  other  p50 all  p99 all  max all  p99 2xx"
    );
    for (phase, &(rate, secs)) in args.phases.iter().enumerate() {
        let mine: Vec<&Outcome> = outcomes.iter().filter(|o| o.phase == phase).collect();
        let ok = mine
            .iter()
            .filter(|o| (200..300).contains(&o.status))
            .count();
        let shed = mine.iter().filter(|o| o.status == 503).count();
        let mut all: Vec<Duration> = mine.iter().map(|o| o.latency).collect();
        all.sort();
        let mut good: Vec<Duration> = mine
            .iter()
            .filter(|o| (200..300).contains(&o.status))
            .map(|o| o.latency)
            .collect();
        good.sort();
        let share = |k: usize| 100.0 * k as f64 / mine.len().max(1) as f64;
        println!(
            "{:>5}  {:>6}  {:>4}  {:>5}  {:>5.1}%  {:>4.1}%  {:>4.1}%  {:>7}  {:>7}  {:>7}  {:>7}",
            phase + 1,
            rate,
            secs,
            mine.len(),
            share(ok),
            share(shed),
            share(mine.len() - ok - shed),
            percentile(&all, 0.50),
            percentile(&all, 0.99),
            percentile(&all, 1.0),
            percentile(&good, 0.99),
        );
    }
    let mut others: Vec<u16> = outcomes
        .iter()
        .map(|o| o.status)
        .filter(|s| !(200..300).contains(s) && *s != 503)
        .collect();
    others.sort();
    others.dedup();
    if !others.is_empty() {
        println!("other statuses (0 = no answer): {others:?}");
    }
    let acked: Vec<i64> = outcomes.iter().filter_map(|o| o.acked).collect();
    let posts = outcomes.iter().filter(|o| o.posted).count();
    println!("posts acknowledged: {} of {posts} sent", acked.len());
    if let Some(path) = &args.acked {
        let written = std::fs::File::create(path)
            .and_then(|mut file| acked.iter().try_for_each(|id| writeln!(file, "{id}")));
        if let Err(e) = written {
            eprintln!("overload: cannot write {path}: {e}");
            std::process::exit(1);
        }
    }
}
