//! Direct uploads, as Chatwoot's dashboard and Active Storage clients make them, over real
//! HTTP: announce (`POST /rails/active_storage/direct_uploads`), `PUT` the bytes to the URL
//! given, then a message naming the signed id; checks of size, checksum, owner and expiry; the
//! dashboard session; the sweep of uploads never claimed.

use std::net::SocketAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};
use oxidesk::config::Config;
use oxidesk_domain::Timestamp;
use oxidesk_store::Backend;
use serde_json::{Value, json};

use super::png;
use crate::api_conversations::desk;
use crate::support::TestApp;

/// The app served on a real port, its `public_url` that address.
async fn served(backend: Backend) -> Option<(TestApp, String)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config {
        public_url: Some(base.clone()),
        ..Config::default()
    };
    config.attachments.max_file_mb = 1;
    let app = TestApp::with_config(backend, config).await?;
    let router = oxidesk::http::router(app.state.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    Some((app, base))
}

fn checksum(bytes: &[u8]) -> String {
    STANDARD.encode(Md5::digest(bytes))
}

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("api_access_token", token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(json!(text)))
    }

    /// Announces `bytes` as `name`.
    async fn announce(&self, token: &str, name: &str, bytes: &[u8]) -> (u16, Value) {
        let blob = json!({"blob": {"filename": name, "byte_size": bytes.len(),
            "checksum": checksum(bytes), "content_type": "image/png", "metadata": {}}});
        self.post(token, "/rails/active_storage/direct_uploads", blob)
            .await
    }

    /// Puts `bytes` to the upload URL of `blob`, with the headers it names.
    async fn put(&self, blob: &Value, bytes: &[u8]) -> u16 {
        let target = &blob["direct_upload"];
        let mut request = self
            .http
            .put(target["url"].as_str().unwrap())
            .body(bytes.to_vec());
        for (name, value) in target["headers"].as_object().unwrap() {
            request = request.header(name.as_str(), value.as_str().unwrap());
        }
        request.send().await.unwrap().status().as_u16()
    }
}

fn assert_refused(answer: &(u16, Value), status: u16, field: &str) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["errors"][0]["field"], field, "{}", answer.1);
}

async fn direct_uploads(backend: Backend) {
    let Some((app, base)) = served(backend).await else {
        return;
    };
    let d = desk(&app).await;
    let account = d.account.id;
    let (admin, agent) = (d.admin_token.clone(), d.agent_token.clone());
    let client = Client {
        http: reqwest::Client::new(),
        base: base.clone(),
    };
    let messages = format!("/api/v1/accounts/{account}/conversations/1/messages");
    let image = png(64, 32);

    // Announce, put, post: the message has the file as if it had been sent in the message.
    let (status, blob) = client.announce(&admin, "photo.png", &image).await;
    assert_eq!(status, 200, "{blob}");
    assert_eq!(blob["filename"], "photo.png");
    assert_eq!(blob["byte_size"], image.len());
    assert_eq!(blob["checksum"], checksum(&image).as_str());
    let url = blob["direct_upload"]["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{base}/rails/active_storage/disk/")),
        "{blob}"
    );
    assert_eq!(
        blob["direct_upload"]["headers"]["Content-Type"],
        "image/png"
    );
    let signed = blob["signed_id"].as_str().unwrap().to_owned();
    let early = client
        .post(
            &admin,
            &messages,
            json!({"content": "x", "attachments": [signed]}),
        )
        .await;
    assert_refused(&early, 422, "attachments[0]");
    assert_eq!(client.put(&blob, &image).await, 204);
    assert_eq!(client.put(&blob, &image).await, 409, "taken once");
    let (status, message) = client
        .post(
            &admin,
            &messages,
            json!({"content": "See the photo", "attachments": [signed]}),
        )
        .await;
    assert_eq!(status, 200, "{message}");
    let file = &message["attachments"][0];
    assert_eq!(file["file_type"], "image", "{message}");
    assert_eq!(file["content_type"], "image/png");
    assert_eq!(
        (file["width"].as_i64(), file["height"].as_i64()),
        (Some(64), Some(32))
    );
    assert_eq!(file["file_size"].as_u64(), Some(image.len() as u64));
    assert!(
        file["thumb_url"].as_str().is_some_and(|u| !u.is_empty()),
        "{file}"
    );
    let served = client
        .http
        .get(file["data_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(served.status().as_u16(), 200);
    assert_eq!(served.bytes().await.unwrap().to_vec(), image);
    let again = client
        .post(
            &admin,
            &messages,
            json!({"content": "x", "attachments": [signed]}),
        )
        .await;
    assert_refused(&again, 422, "attachments[0]");

    // What the bytes must match.
    let (_, wrong_sum) = client.announce(&admin, "a.png", b"0123456789").await;
    assert_eq!(client.put(&wrong_sum, b"9876543210").await, 422);
    assert_eq!(client.put(&wrong_sum, b"012345678").await, 422, "short");
    let (status, too_big) = client
        .post(
            &admin,
            "/rails/active_storage/direct_uploads",
            json!({"blob": {"filename": "big.bin", "byte_size": 2 * 1024 * 1024,
            "checksum": checksum(b"x"), "content_type": "application/octet-stream"}}),
        )
        .await;
    assert_eq!(status, 413, "{too_big}");
    assert!(
        too_big["message"].as_str().unwrap().contains("1 MB"),
        "{too_big}"
    );
    let bad = client
        .post(
            &admin,
            "/rails/active_storage/direct_uploads",
            json!({"blob": {"filename": "a", "byte_size": 1, "checksum": "nope"}}),
        )
        .await;
    assert_refused(&bad, 422, "blob.checksum");
    let missing = client
        .post(&admin, "/rails/active_storage/direct_uploads", json!({}))
        .await;
    assert_refused(&missing, 422, "blob");

    // Unforgeable, expiring tokens; uploads belong to their user.
    let forged = wrong_sum["signed_id"]
        .as_str()
        .unwrap()
        .replacen('0', "1", 1)
        + "0";
    let refused = client
        .post(
            &admin,
            &messages,
            json!({"content": "x", "attachments": [forged]}),
        )
        .await;
    assert_refused(&refused, 422, "attachments[0]");
    let mut moved = wrong_sum.clone();
    let tampered = format!("{url}x");
    moved["direct_upload"]["url"] = json!(tampered);
    assert_eq!(client.put(&moved, b"0123456789").await, 404);
    let (_, theirs) = client.announce(&agent, "agent.png", &image).await;
    assert_eq!(client.put(&theirs, &image).await, 204);
    let stolen = client
        .post(
            &admin,
            &messages,
            json!({"content": "x", "attachments": [theirs["signed_id"]]}),
        )
        .await;
    assert_refused(&stolen, 422, "attachments[0]");
    let unauthenticated = client
        .http
        .post(format!("{base}/rails/active_storage/direct_uploads"))
        .json(&json!({"blob": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status().as_u16(), 401);

    // Chatwoot's path for agents binds the upload to the account (and checks the conversation).
    let on_conversation = format!("/api/v1/accounts/{account}/conversations/1/direct_uploads");
    let blob_body = json!({"blob": {"filename": "b.png", "byte_size": image.len(),
        "checksum": checksum(&image), "content_type": "image/png"}});
    let (status, bound) = client
        .post(&agent, &on_conversation, blob_body.clone())
        .await;
    assert_eq!(status, 200, "{bound}");
    let elsewhere = format!("/api/v1/accounts/{account}/conversations/999/direct_uploads");
    assert_eq!(client.post(&agent, &elsewhere, blob_body).await.0, 404);
    assert_eq!(client.put(&bound, &image).await, 204);
    let (status, posted) = client
        .post(
            &agent,
            &messages,
            json!({"content": "", "attachments": [bound["signed_id"]]}),
        )
        .await;
    assert_eq!(status, 200, "{posted}");
    assert_eq!(posted["attachments"].as_array().map(Vec::len), Some(1));

    // The dashboard session: with its CSRF header, as Active Storage's JavaScript sends it.
    let mut browser = app.browser();
    browser.login("agent@acme.test", "password123").await;
    let csrf = browser
        .csrf_of(&format!("/app/accounts/{account}/contacts"))
        .await;
    let blob_body = json!({"blob": {"filename": "s.png", "byte_size": 3,
        "checksum": checksum(b"abc"), "content_type": "text/plain"}});
    let path = "/rails/active_storage/direct_uploads";
    let no_csrf = browser
        .json(axum::http::Method::POST, path, &[], blob_body.clone())
        .await;
    assert_eq!(no_csrf.status.as_u16(), 403, "{}", no_csrf.body);
    let with_csrf = browser
        .json(
            axum::http::Method::POST,
            path,
            &[("x-csrf-token", &csrf)],
            blob_body,
        )
        .await;
    assert_eq!(with_csrf.status.as_u16(), 200, "{}", with_csrf.body);

    // Never claimed: swept, with the object, once the signed id has expired.
    let uuid = wrong_sum["key"].as_str().unwrap();
    assert!(app.services().store.direct_upload(uuid).await.is_ok());
    let later = Timestamp::from(
        Timestamp::now().secs() + oxidesk::service::direct_uploads::SWEEP_AFTER_SECS + 1,
    );
    let swept = app.services().sweep_uploads(later).await.unwrap();
    assert!(swept >= 3, "{swept}");
    assert!(app.services().store.direct_upload(uuid).await.is_err());
    assert_eq!(client.put(&theirs, &image).await, 404, "gone");
}

#[tokio::test]
async fn direct_uploads_work_as_active_storage_sqlite() {
    direct_uploads(Backend::Sqlite).await;
}

#[tokio::test]
async fn direct_uploads_work_as_active_storage_postgres() {
    direct_uploads(Backend::Postgres).await;
}
