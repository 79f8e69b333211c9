//! Tokens and session ids never reach the logs, even at `trace` level.
//!
//! A test binary of its own: `tracing` caches per call site whether anyone listens, and other
//! tests running beside this one on other threads (with no subscriber) would make those caches
//! say "nobody", so this test's thread-local subscriber would miss events.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

#[path = "it/support.rs"]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::Method;
use oxidesk_store::Backend;
use serde_json::json;

use crate::support::TestApp;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn secrets_never_reach_the_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::new(Backend::Sqlite).await.expect("sqlite app");
    app.account_with_admin("Acme", "admin@acme.test").await;
    let token = app.token("admin@acme.test").await;
    let mut browser = app.browser();
    browser.login("admin@acme.test", "password123").await;
    let session = browser
        .cookies
        .get("oxidesk_session")
        .cloned()
        .expect("session cookie");
    let response = browser
        .json(
            Method::GET,
            &format!("/api/v1/profile?api_access_token={token}"),
            &[("api_access_token", &token)],
            json!(null),
        )
        .await;
    assert_eq!(response.status, 200);
    browser.get("/app").await;

    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(
        logs.contains("/api/v1/profile"),
        "requests are logged: {logs}"
    );
    assert!(!logs.contains(&token), "the API token leaked into the logs");
    assert!(
        !logs.contains(&token[4..20]),
        "part of the API token leaked into the logs"
    );
    assert!(
        !logs.contains(&session),
        "the session id leaked into the logs"
    );
    assert!(
        !logs.contains("password123"),
        "the password leaked into the logs"
    );
}
