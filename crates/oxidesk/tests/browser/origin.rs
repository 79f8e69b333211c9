//! A second origin for app tests: serves fixed pages and scripts, and collects what they report
//! (`POST /report` with `{app, kind, detail}`), so a test can wait for what an app saw. Each
//! file served is reported too, as `{app: <path>, kind: "fetched"}`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::routing::{get, post};
use serde_json::Value;

/// `text/html`.
pub const HTML: &str = "text/html; charset=utf-8";
/// `text/javascript`.
pub const JS: &str = "text/javascript";

/// The server; stops when dropped.
pub struct Origin {
    port: u16,
    /// Every report, in arrival order.
    pub reports: Arc<Mutex<Vec<Value>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Origin {
    /// Serves `files` (path, content type, body) on a free loopback port.
    pub async fn start(files: &[(&'static str, &'static str, &'static str)]) -> Self {
        let reports = Arc::new(Mutex::new(Vec::new()));
        let mut router = Router::new();
        for (path, kind, body) in files.iter().copied() {
            let log = reports.clone();
            router = router.route(
                path,
                get(move || async move {
                    log.lock()
                        .unwrap()
                        .push(serde_json::json!({"app": path, "kind": "fetched"}));
                    ([(header::CONTENT_TYPE, kind)], body)
                }),
            );
        }
        let router = router
            .route(
                "/report",
                post(
                    |State(reports): State<Arc<Mutex<Vec<Value>>>>, body: String| async move {
                        if let Ok(value) = serde_json::from_str::<Value>(&body) {
                            reports.lock().unwrap().push(value);
                        }
                        "ok"
                    },
                ),
            )
            .with_state(reports.clone());
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Self {
            port,
            reports,
            task,
        }
    }

    /// `http://127.0.0.1:{port}{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The reports of `app` of `kind`, oldest first.
    pub fn all(&self, app: &str, kind: &str) -> Vec<Value> {
        self.reports
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r["app"] == app && r["kind"] == kind)
            .map(|r| r["detail"].clone())
            .collect()
    }

    /// Waits up to `limit` for a report of `app` of `kind` matching `test`; its detail.
    pub async fn wait_for(
        &self,
        app: &str,
        kind: &str,
        limit: Duration,
        test: impl Fn(&Value) -> bool,
    ) -> Value {
        let start = std::time::Instant::now();
        loop {
            if let Some(found) = self.all(app, kind).into_iter().find(|d| test(d)) {
                return found;
            }
            if start.elapsed() > limit {
                panic!(
                    "no {app}/{kind} report as expected within {limit:?}: {:#?}",
                    self.reports.lock().unwrap()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Origin {
    /// Waits up to `limit` for a report of `kind` from any app; its detail.
    pub async fn wait(&self, kind: &str, limit: Duration) -> Value {
        let start = std::time::Instant::now();
        loop {
            let found = self
                .reports
                .lock()
                .unwrap()
                .iter()
                .find(|r| r["kind"] == kind)
                .cloned();
            if let Some(report) = found {
                return report["detail"].clone();
            }
            if start.elapsed() > limit {
                panic!(
                    "no {kind} report within {limit:?}: {:#?}",
                    self.reports.lock().unwrap()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Whether any app reported `kind`.
    pub fn has(&self, kind: &str) -> bool {
        self.reports
            .lock()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == kind)
    }
}

impl Drop for Origin {
    fn drop(&mut self) {
        self.task.abort();
    }
}
