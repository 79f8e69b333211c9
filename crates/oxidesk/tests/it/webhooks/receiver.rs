//! A webhook receiver written the way a Chatwoot integrator writes one: an axum server on
//! 127.0.0.1 that checks `X-Chatwoot-Signature` (HMAC-SHA256 of `"{timestamp}.{body}"`) and
//! records every delivery. It can answer `500` to the first attempts to exercise retries.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// One request received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The path's last segment (which receiver).
    pub hook: String,
    /// X-Chatwoot-Delivery.
    pub delivery: String,
    /// Whether the signature verified under the secret known for `hook`.
    pub verified: bool,
    /// The body.
    pub body: serde_json::Value,
}

#[derive(Default)]
struct Inner {
    secrets: HashMap<String, String>,
    received: Vec<Received>,
    /// How many more requests to answer 500.
    failures_left: usize,
    /// How long to take before answering.
    delay: Duration,
}

/// The receiver; cheap to clone.
#[derive(Clone, Default)]
pub struct Receiver {
    inner: Arc<Mutex<Inner>>,
    pub addr: Option<SocketAddr>,
}

fn verify(secret: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(signature), Some(timestamp)) = (
        header("x-chatwoot-signature"),
        header("x-chatwoot-timestamp"),
    ) else {
        return false;
    };
    let Some(hex_sig) = signature.strip_prefix("sha256=") else {
        return false;
    };
    let Ok(expected) = hex::decode(hex_sig) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

async fn receive(
    State(receiver): State<Receiver>,
    Path(hook): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let (status, delay) = {
        let mut inner = receiver.inner.lock().unwrap();
        let secret = inner.secrets.get(&hook).cloned().unwrap_or_default();
        let received = Received {
            verified: verify(&secret, &headers, &body),
            delivery: headers
                .get("x-chatwoot-delivery")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
            body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
            hook,
        };
        // Recorded on arrival: a sender killed before the answer has still delivered it once.
        inner.received.push(received);
        let status = if inner.failures_left > 0 {
            inner.failures_left -= 1;
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        };
        let delay = inner.delay;
        (status, delay)
    };
    tokio::time::sleep(delay).await;
    status
}

impl Receiver {
    /// Starts listening on 127.0.0.1 (a free port, or `port`).
    pub async fn start(port: u16) -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        let receiver = Receiver {
            addr: Some(listener.local_addr().unwrap()),
            ..Receiver::default()
        };
        let app = Router::new()
            .route("/hooks/{hook}", axum::routing::post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        receiver
    }

    /// The URL of receiver `hook`.
    pub fn url(&self, hook: &str) -> String {
        format!("http://{}/hooks/{hook}", self.addr.unwrap())
    }

    /// Verifies what `hook` receives under `secret` from now on.
    pub fn expect_secret(&self, hook: &str, secret: &str) {
        let mut inner = self.inner.lock().unwrap();
        inner.secrets.insert(hook.to_owned(), secret.to_owned());
    }

    /// Answers 500 to the next `n` requests.
    pub fn fail_next(&self, n: usize) {
        self.inner.lock().unwrap().failures_left = n;
    }

    /// Takes `delay` before answering each request (a slow receiver).
    pub fn slow_down(&self, delay: Duration) {
        self.inner.lock().unwrap().delay = delay;
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }

    /// Waits (up to `limit`) until `done` holds for what was received; returns it.
    pub async fn wait_for(
        &self,
        limit: Duration,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let start = Instant::now();
        loop {
            let got = self.received();
            if done(&got) || start.elapsed() > limit {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
