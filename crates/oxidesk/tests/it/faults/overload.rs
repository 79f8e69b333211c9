//! Load shedding on a real server (in process, on a real TCP port, SQLite): requests beyond the
//! limits are answered `503` with `Retry-After` at once; assets and health are not counted.
//! Requests are held in flight by announcing a body and never sending it.

use std::time::Duration;

use oxidesk::config::{Config, LimitsConfig};
use tokio::net::TcpListener;

use super::client::{self, get, hang};

struct Running {
    port: u16,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn start(limits: LimitsConfig) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        secret_key: Some("overload-tests-secret-key-0123456789abcdef".into()),
        limits,
        ..Config::default()
    };
    let state = oxidesk::open(&config).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(oxidesk::serve(state, listener, async {
        let _ = stopped.await;
    }));
    Running {
        port,
        _dir: dir,
        stop: Some(stop),
    }
}

fn assert_shed_api(reply: &client::Reply) {
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.header("retry-after").as_deref(), Some("3"));
    let body = reply.json();
    assert_eq!(body["code"], "overloaded", "{body}");
    assert!(body["message"].as_str().unwrap().contains("busy"), "{body}");
    assert!(body["errors"].is_array(), "{body}");
}

#[tokio::test]
async fn beyond_the_limit_api_and_pages_get_503_with_retry_after() {
    let server = start(LimitsConfig {
        max_in_flight: Some(1),
        max_queued: Some(0),
        retry_after_secs: 3,
        ..LimitsConfig::default()
    })
    .await;
    let port = server.port;
    // Free before: the API answers (401: no token), the page renders.
    assert_eq!(get(port, "/api/v1/profile", &[]).await.status, 401);

    let held = hang(port, "/app/login").await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    assert_shed_api(&get(port, "/api/v1/profile", &[]).await);
    // A script's request for JSON gets JSON too.
    let script = get(
        port,
        "/app/accounts/1/conversations",
        &[("Accept", "application/json")],
    )
    .await;
    assert_eq!(script.json()["code"], "overloaded");

    let page = get(port, "/app/login", &[("Accept", "text/html")]).await;
    assert_eq!(page.status, 503);
    assert_eq!(page.header("retry-after").as_deref(), Some("3"));
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.body.contains("Busy, retrying"), "{}", page.body);
    assert!(
        page.body
            .contains(r#"<meta http-equiv="refresh" content="3">"#),
        "a GET page reloads itself: {}",
        page.body
    );
    assert!(
        page.header("content-security-policy").is_some(),
        "the busy page keeps the security headers"
    );
    assert!(!page.body.contains("<script"), "no script: {}", page.body);
    // A form post is not reloaded (that would repeat it): the page says so without refresh.
    let post = client::send(port, &client::raw("POST", "/app/login", &[], ""))
        .await
        .unwrap();
    assert_eq!(post.status, 503);
    assert!(!post.body.contains("http-equiv"), "{}", post.body);

    // Health and assets take no slot.
    assert_eq!(get(port, "/health", &[]).await.status, 200);
    assert_eq!(get(port, "/assets/css/app.css", &[]).await.status, 200);

    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        get(port, "/api/v1/profile", &[]).await.status,
        401,
        "the slot is given back"
    );
}

#[tokio::test]
async fn a_request_waits_in_the_queue_and_the_queue_is_bounded() {
    let server = start(LimitsConfig {
        max_in_flight: Some(1),
        max_queued: Some(1),
        queue_timeout_ms: 30_000,
        ..LimitsConfig::default()
    })
    .await;
    let port = server.port;
    let held = hang(port, "/app/login").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The second one waits for the slot...
    let queued = tokio::spawn(async move { get(port, "/api/v1/profile", &[]).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!queued.is_finished(), "a queued request waits");
    // ...the third finds the waiting room full and is refused at once.
    let refused = get(port, "/api/v1/profile", &[]).await;
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.header("retry-after").as_deref(), Some("2"));
    drop(held);
    let served = queued.await.unwrap();
    assert_eq!(
        served.status, 401,
        "the queued request was served once the slot came free"
    );
}

#[tokio::test]
async fn a_request_that_waits_too_long_is_shed() {
    let server = start(LimitsConfig {
        max_in_flight: Some(1),
        max_queued: Some(5),
        queue_timeout_ms: 200,
        ..LimitsConfig::default()
    })
    .await;
    let port = server.port;
    let _held = hang(port, "/app/login").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let reply = get(port, "/api/v1/profile", &[]).await;
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.json()["code"], "overloaded");
}
