//! Attachments: files on messages through the API and the client API, their JSON, the files
//! served (signed links that expire, members only, safe headers), limits, and the same on an
//! S3-compatible server (`attachments/s3.rs`).

mod direct;
mod limits;
mod links;
mod s3;
mod surfaces;

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use oxidesk_domain::AccountId;
use serde_json::{Value, json};

use crate::api_conversations::desk;
use crate::app_test;
use crate::support::{TestApp, TestResponse};

/// A PNG of `width` × `height`.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(width, height, image::Rgba([20, 120, 200, 255]));
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

/// An SVG that would run a script if it were ever shown in Oxidesk's origin.
pub const HOSTILE_SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>document.title='pwned'</script></svg>"#;

/// A multipart body of text fields and binary files `(field, file name, declared type, bytes)`.
pub fn multipart(
    fields: &[(&str, &str)],
    files: &[(&str, &str, &str, &[u8])],
) -> (String, Vec<u8>) {
    let boundary = "----oxidesk-attachments-0c9f2b1e";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file, content_type, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                 Content-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Sends `body` with `headers`.
pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    content_type: Option<&str>,
    body: Vec<u8>,
) -> TestResponse {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    app.send_from(builder.body(Body::from(body)).unwrap(), "127.0.0.1:40000")
        .await
}

/// A GET of `path` with `headers`, the body as bytes.
pub async fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (TestResponse, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut builder = Request::builder().method(Method::GET).uri(path);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let mut request = builder.body(Body::empty()).unwrap();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [127, 0, 0, 1],
            40000,
        ))));
    let response = oxidesk::http::router(app.state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        },
        bytes,
    )
}

/// The path and query of an absolute link.
pub fn path_of(link: &str) -> String {
    let url = url::Url::parse(link).unwrap_or_else(|e| panic!("{link}: {e}"));
    url[url::Position::BeforePath..].to_owned()
}

/// Posts a PNG, a PDF and a hostile SVG with no text to conversation 1; the message JSON.
pub async fn post_three_files(app: &TestApp, token: &str, account: AccountId) -> Value {
    let image = png(800, 400);
    let (content_type, body) = multipart(
        &[("private", "false")],
        &[
            ("attachments[]", "photo.PNG", "image/png", &image),
            (
                "attachments[]",
                "invoice.pdf",
                "application/pdf",
                b"%PDF-1.7\n1 0 obj\n",
            ),
            // Declared as a harmless PNG: the bytes decide.
            (
                "attachments[]",
                "cute.png",
                "image/png",
                HOSTILE_SVG.as_bytes(),
            ),
        ],
    );
    let posted = send(
        app,
        Method::POST,
        &format!("/api/v1/accounts/{account}/conversations/1/messages"),
        &[("api_access_token", token)],
        Some(&content_type),
        body,
    )
    .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    posted.json()
}

/// Checks the three files of [`post_three_files`] in a message's JSON and that each link
/// serves what it should, with the safe headers.
pub async fn check_three_files(app: &TestApp, message: &Value, account: AccountId) {
    let files = message["attachments"].as_array().expect("attachments");
    assert_eq!(files.len(), 3, "{message}");
    let keys: Vec<&String> = files[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "account_id",
            "content_type",
            "data_url",
            "extension",
            "file_size",
            "file_type",
            "height",
            "id",
            "message_id",
            "thumb_url",
            "width"
        ],
        "Chatwoot's keys, no more"
    );
    let image = &files[0];
    assert_eq!(image["file_type"], "image");
    assert_eq!(image["content_type"], "image/png");
    assert_eq!(image["extension"], "png");
    assert_eq!(image["account_id"], account.get());
    assert_eq!(image["message_id"], message["id"]);
    assert_eq!(
        (image["width"].as_i64(), image["height"].as_i64()),
        (Some(800), Some(400))
    );
    assert_eq!(
        image["file_size"].as_u64(),
        Some(png(800, 400).len() as u64)
    );
    let pdf = &files[1];
    assert_eq!(pdf["file_type"], "file");
    assert_eq!(pdf["content_type"], "application/pdf");
    assert_eq!(pdf["thumb_url"], "");
    assert_eq!(pdf["width"], Value::Null);
    let svg = &files[2];
    assert_eq!(svg["file_type"], "file", "SVG is a file, as in Chatwoot");
    assert_eq!(
        svg["content_type"], "image/svg+xml",
        "from the bytes, not the name"
    );

    // The image: inline, its own type, no credentials needed with the signed link.
    let (served, bytes) = fetch(app, &path_of(image["data_url"].as_str().unwrap()), &[]).await;
    assert_eq!(served.status, StatusCode::OK, "{}", served.body);
    assert_eq!(bytes, png(800, 400));
    assert_eq!(served.header("content-type"), Some("image/png"));
    assert!(
        served
            .header("content-disposition")
            .unwrap()
            .starts_with("inline;")
    );
    assert_eq!(served.header("x-content-type-options"), Some("nosniff"));
    assert!(
        served
            .header("content-security-policy")
            .unwrap()
            .starts_with("sandbox")
    );
    // Its thumbnail fits in 320 pixels.
    let (thumb, bytes) = fetch(app, &path_of(image["thumb_url"].as_str().unwrap()), &[]).await;
    assert_eq!(thumb.status, StatusCode::OK, "{}", thumb.body);
    let small = image::load_from_memory(&bytes).expect("the thumbnail is an image");
    assert_eq!((small.width(), small.height()), (320, 160));

    // Anything else is a download, never shown, never sniffed.
    for file in [pdf, svg] {
        let (served, bytes) = fetch(app, &path_of(file["data_url"].as_str().unwrap()), &[]).await;
        assert_eq!(served.status, StatusCode::OK, "{}", served.body);
        assert_eq!(bytes.len() as u64, file["file_size"].as_u64().unwrap());
        assert!(
            served
                .header("content-disposition")
                .unwrap()
                .starts_with("attachment;"),
            "{:?}",
            served.headers
        );
        assert_eq!(
            served.header("content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(served.header("x-content-type-options"), Some("nosniff"));
        assert!(
            served
                .header("content-security-policy")
                .unwrap()
                .starts_with("sandbox")
        );
    }
}

app_test!(
    files_are_detected_stored_listed_and_served,
    |app| async move {
        let d = desk(&app).await;
        let message = post_three_files(&app, &d.admin_token, d.account.id).await;
        assert_eq!(
            message["content"],
            Value::Null,
            "a message may be files only"
        );
        check_three_files(&app, &message, d.account.id).await;

        // The bytes are in the configured folder.
        let stored = walk(app.files_dir.path());
        assert_eq!(stored.len(), 4, "three files and one thumbnail: {stored:?}");

        // Lists, one message, the conversation's last message and the page carry them.
        let token = [("api_access_token", d.admin_token.as_str())];
        let base = format!("/api/v1/accounts/{}/conversations/1", d.account.id);
        let (list, _) = fetch(&app, &format!("{base}/messages"), &token).await;
        let list = list.json();
        let last = list["payload"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["attachments"].as_array().unwrap().len(), 3);
        let (one, _) = fetch(&app, &format!("{base}/messages/{}", message["id"]), &token).await;
        assert_eq!(
            one.json()["attachments"][1]["content_type"],
            "application/pdf"
        );
        let (conversation, _) = fetch(&app, &base, &token).await;
        assert_eq!(
            conversation.json()["last_non_activity_message"]["attachments"][0]["file_type"],
            "image"
        );
        // A message without files has no `attachments` key, as in Chatwoot.
        assert!(
            list["payload"][0].get("attachments").is_none(),
            "{}",
            list["payload"][0]
        );

        // Dashboard Apps' context and webhooks carry them too.
        let services = app.services();
        let conversation = services
            .conversation(d.account.id, oxidesk_domain::DisplayId(1))
            .await
            .unwrap();
        let agent = app.db.store.user(d.agent.id).await.unwrap();
        let context = services
            .app_context(d.account.id, &conversation, &agent)
            .await
            .unwrap();
        let context = serde_json::to_value(&context).unwrap();
        let messages = context["conversation"]["messages"].as_array().unwrap();
        assert_eq!(
            messages.last().unwrap()["attachments"][2]["content_type"],
            "image/svg+xml"
        );
        let hook = services
            .webhook_payload(
                d.account.id,
                "message.created",
                &json!({"id": message["id"], "conversation_id": 1}),
            )
            .await
            .unwrap()
            .expect("a message_created payload");
        assert_eq!(hook.body["attachments"][0]["width"], 800);
        assert_eq!(hook.body["message_type"], "outgoing");
    }
);

/// Every file under `dir`.
pub fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// The backend `app` runs on.
pub fn backend_of(app: &TestApp) -> oxidesk_store::Backend {
    match app.db.schema {
        Some(_) => oxidesk_store::Backend::Postgres,
        None => oxidesk_store::Backend::Sqlite,
    }
}

app_test!(deleting_removes_the_files, |app| async move {
    let d = desk(&app).await;
    let message = post_three_files(&app, &d.admin_token, d.account.id).await;
    let link = path_of(message["attachments"][0]["data_url"].as_str().unwrap());
    assert_eq!(walk(app.files_dir.path()).len(), 4);
    let token = [("api_access_token", d.admin_token.as_str())];
    let deleted = send(
        &app,
        Method::DELETE,
        &format!(
            "/api/v1/accounts/{}/conversations/1/messages/{}",
            d.account.id, message["id"]
        ),
        &token,
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert!(
        deleted.json().get("attachments").is_none(),
        "{}",
        deleted.body
    );
    assert!(walk(app.files_dir.path()).is_empty(), "the bytes are gone");
    let (gone, _) = fetch(&app, &link, &[]).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    // A deleted conversation takes its files with it.
    post_three_files(&app, &d.admin_token, d.account.id).await;
    assert_eq!(walk(app.files_dir.path()).len(), 4);
    let removed = send(
        &app,
        Method::DELETE,
        &format!("/api/v1/accounts/{}/conversations/1", d.account.id),
        &token,
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert!(walk(app.files_dir.path()).is_empty());
});
