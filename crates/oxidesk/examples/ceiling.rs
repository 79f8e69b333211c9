//! The ceiling for the HTTP benchmarks: a minimal hyper server that answers every request, any
//! method and path, with the same small JSON body. The load generator measures it in the same
//! run as Oxidesk, so each Oxidesk figure is also a ratio to what this machine, this load
//! generator and this async runtime can do at best (see `bench/README.md`).
//!
//! ```text
//! cargo run --release -p oxidesk --example ceiling -- --bind 127.0.0.1:3999
//! ```
//!
//! The runtime is built as `oxidesk`'s own (`tokio` multi-thread, one worker per core, all
//! drivers); connections are HTTP/1.1 with keep-alive, as `wrk` speaks.

mod support;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::ExitCode;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The same allocator as `oxidesk`'s binary, so the ratio compares servers, not allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The body of every answer: shaped like a small API object, with an `id` (the ingest client
/// reads one from each answer).
const BODY: &[u8] = br#"{"id":1,"content":"ceiling","status":"open","account_id":1}"#;

async fn answer(_request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let mut response = Response::new(Full::new(Bytes::from_static(BODY)));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}

async fn serve(bind: SocketAddr) -> std::io::Result<()> {
    let listener = TcpListener::bind(bind).await?;
    eprintln!("ceiling is listening on http://{}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(async move {
            // A client that goes away mid-request is not this server's concern.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(answer))
                .await;
        });
    }
}

fn parse_bind() -> Result<SocketAddr, String> {
    let mut args = std::env::args().skip(1);
    let mut bind = SocketAddr::from(([127, 0, 0, 1], 3999));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bind" => {
                let value = args
                    .next()
                    .ok_or("--bind needs an address, e.g. 127.0.0.1:3999")?;
                bind = value.parse().map_err(|e| {
                    format!("--bind {value}: {e}; give an address like 127.0.0.1:3999")
                })?;
            }
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: ceiling [--bind ADDR]"
                ));
            }
        }
    }
    Ok(bind)
}

fn main() -> ExitCode {
    support::main("ceiling", parse_bind, |bind| async move {
        serve(bind)
            .await
            .map_err(|error| format!("cannot serve on {bind}: {error}"))
    })
}
