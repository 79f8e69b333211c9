//! Attachments: files on messages through the API and the client API, their JSON, the files
//! served (signed links that expire, members only, safe headers), limits, and the same on an
//! S3-compatible server (`attachments/s3.rs`).

mod s3;

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use oxidesk::config::Config;
use oxidesk::files::Variant;
use oxidesk_domain::{AccountId, AttachmentId, Role, Timestamp};
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
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
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

app_test!(links_expire_and_open_only_their_file, |app| async move {
    let d = desk(&app).await;
    let message = post_three_files(&app, &d.admin_token, d.account.id).await;
    let image = &message["attachments"][0];
    let pdf = &message["attachments"][1];
    let link = path_of(image["data_url"].as_str().unwrap());
    let (ok, _) = fetch(&app, &link, &[]).await;
    assert_eq!(ok.status, StatusCode::OK);

    // A changed signature, another file's path with this signature, the thumbnail's variant:
    // refused.
    let tampered = format!("{}0", &link[..link.len() - 1]);
    let (refused, _) = fetch(&app, &tampered, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let pdf_id = pdf["id"].as_i64().unwrap();
    let image_id = image["id"].as_i64().unwrap();
    let account = d.account.id;
    let other = link.replacen(
        &format!("/attachments/{account}/{image_id}/"),
        &format!("/attachments/{account}/{pdf_id}/"),
        1,
    );
    assert_ne!(other, link);
    let (refused, _) = fetch(&app, &other, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let thumb = link.replacen("/original/", "/thumb/", 1);
    let (refused, _) = fetch(&app, &thumb, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // An expired link (made two days ago with the one-day lifetime) is refused and says so.
    let attachment = app
        .services()
        .attachment(d.account.id, AttachmentId(image_id))
        .await
        .unwrap();
    let old = app.services().files.link_at(
        &attachment,
        Variant::Original,
        Timestamp(Timestamp::now().secs() - 2 * 86_400),
    );
    let (expired, _) = fetch(&app, &path_of(&old), &[]).await;
    assert_eq!(expired.status, StatusCode::FORBIDDEN);
    assert!(expired.body.contains("expired"), "{}", expired.body);

    // Without a link: a member's token or session, nobody else.
    let bare = link.split('?').next().unwrap().to_owned();
    let (anonymous, _) = fetch(&app, &bare, &[]).await;
    assert_eq!(
        anonymous.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.body
    );
    let (member, bytes) = fetch(&app, &bare, &[("api_access_token", &d.agent_token)]).await;
    assert_eq!(member.status, StatusCode::OK, "{}", member.body);
    assert_eq!(bytes, png(800, 400));
    let mut browser = app.browser();
    browser.login("agent@acme.test", "password123").await;
    let page = browser.get(&bare).await;
    assert_eq!(page.status, StatusCode::OK);

    // Another account's agent gets nothing, with its own account id or with this one's.
    let (other_account, _) = app.account_with_admin("Other", "boss@other.test").await;
    app.member(&other_account, "spy@other.test", Role::Agent)
        .await;
    let spy = app.token("spy@other.test").await;
    let (refused, _) = fetch(&app, &bare, &[("api_access_token", &spy)]).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    let theirs = bare.replacen(
        &format!("/attachments/{}/", d.account.id),
        &format!("/attachments/{}/", other_account.id),
        1,
    );
    let (missing, _) = fetch(&app, &theirs, &[("api_access_token", &spy)]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
    // Nor does a signed link moved to another account's path.
    let moved = link.replacen(
        &format!("/attachments/{}/", d.account.id),
        &format!("/attachments/{}/", other_account.id),
        1,
    );
    let (missing, _) = fetch(&app, &moved, &[]).await;
    assert_ne!(missing.status, StatusCode::OK);
    // And their own API does not list it.
    let (listed, _) = fetch(
        &app,
        &format!(
            "/api/v1/accounts/{}/conversations/1/messages",
            other_account.id
        ),
        &[("api_access_token", &spy)],
    )
    .await;
    assert_ne!(listed.status, StatusCode::OK);
});

app_test!(files_over_the_limit_get_413_naming_it, |app| async move {
    let mut config = Config::default();
    config.attachments.max_file_mb = 1;
    let small = TestApp::with_config(backend_of(&app), config)
        .await
        .unwrap();
    let d = desk(&small).await;
    let path = format!("/api/v1/accounts/{}/conversations/1/messages", d.account.id);
    let big = vec![7u8; 1024 * 1024 + 10];
    let (content_type, body) = multipart(
        &[("content", "too big")],
        &[("attachments[]", "big.bin", "application/octet-stream", &big)],
    );
    let token = [("api_access_token", d.admin_token.as_str())];
    let refused = send(
        &small,
        Method::POST,
        &path,
        &token,
        Some(&content_type),
        body,
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        refused.body
    );
    let error = refused.json();
    assert!(
        error["message"].as_str().unwrap().contains("1 MB"),
        "{error}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("big.bin"),
        "{error}"
    );
    // Many files under the limit each, over the body's limit together.
    let piece = vec![7u8; 900 * 1024];
    let files: Vec<(&str, &str, &str, &[u8])> = (0..4)
        .map(|_| {
            (
                "attachments[]",
                "piece.bin",
                "application/octet-stream",
                piece.as_slice(),
            )
        })
        .collect();
    let (content_type, body) = multipart(&[("content", "many")], &files);
    let refused = send(
        &small,
        Method::POST,
        &path,
        &token,
        Some(&content_type),
        body,
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        refused.body
    );
    assert!(
        refused.json()["message"].as_str().unwrap().contains("3 MB"),
        "{}",
        refused.body
    );
    // Nothing was stored or posted.
    assert!(walk(small.files_dir.path()).is_empty());
    let (list, _) = fetch(&small, &path, &token).await;
    assert_eq!(list.json()["payload"].as_array().unwrap().len(), 1);
    // Just under the limit is fine; JSON bodies keep their 1 MiB limit on this route.
    let fits = vec![7u8; 1024 * 1024 - 100];
    let (content_type, body) = multipart(
        &[],
        &[(
            "attachments[]",
            "fits.bin",
            "application/octet-stream",
            &fits,
        )],
    );
    let posted = send(
        &small,
        Method::POST,
        &path,
        &token,
        Some(&content_type),
        body,
    )
    .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let long = json!({"content": "x".repeat(2 * 1024 * 1024)}).to_string();
    let refused = send(
        &small,
        Method::POST,
        &path,
        &token,
        Some("application/json"),
        long.into_bytes(),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        refused.body
    );
});

/// The backend `app` runs on.
pub fn backend_of(app: &TestApp) -> oxidesk_store::Backend {
    match app.db.schema {
        Some(_) => oxidesk_store::Backend::Postgres,
        None => oxidesk_store::Backend::Sqlite,
    }
}

app_test!(bad_uploads_get_a_4xx_naming_the_field, |app| async move {
    let d = desk(&app).await;
    let path = format!("/api/v1/accounts/{}/conversations/1/messages", d.account.id);
    let token = [("api_access_token", d.admin_token.as_str())];
    // A file under another name.
    let (content_type, body) = multipart(
        &[("content", "x")],
        &[("avatar", "a.png", "image/png", &png(2, 2))],
    );
    let refused = send(&app, Method::POST, &path, &token, Some(&content_type), body).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.json()["errors"][0]["field"], "attachments");
    // Too many files.
    let tiny = png(1, 1);
    let files: Vec<(&str, &str, &str, &[u8])> = (0..11)
        .map(|_| ("attachments[]", "a.png", "image/png", tiny.as_slice()))
        .collect();
    let (content_type, body) = multipart(&[], &files);
    let refused = send(&app, Method::POST, &path, &token, Some(&content_type), body).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.json()["errors"][0]["field"], "attachments");
    // No text and no file.
    let (content_type, body) = multipart(&[("content", "  ")], &[]);
    let refused = send(&app, Method::POST, &path, &token, Some(&content_type), body).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.json()["errors"][0]["field"], "content");
    // Odd paths to files.
    for bad in [
        format!("/attachments/{}/999999/original/x.png", d.account.id),
        format!("/attachments/{}/abc/original/x.png", d.account.id),
        format!("/attachments/{}/1/other/x.png", d.account.id),
    ] {
        let (missing, _) = fetch(&app, &bad, &token).await;
        assert_eq!(
            missing.status,
            StatusCode::NOT_FOUND,
            "{bad}: {}",
            missing.body
        );
    }
    // A hostile file name is cleaned.
    let (content_type, body) = multipart(
        &[],
        &[(
            "attachments[]",
            "../../etc/pass\\\"wd.txt",
            "text/plain",
            b"hello",
        )],
    );
    let posted = send(&app, Method::POST, &path, &token, Some(&content_type), body).await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let link = posted.json()["attachments"][0]["data_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(link.contains("/original/pass_wd.txt?"), "{link}");
});

app_test!(the_client_api_takes_files, |app| async move {
    let d = desk(&app).await;
    let inbox = app
        .db
        .store
        .inbox(d.account.id, oxidesk_domain::InboxId(d.inbox_id))
        .await
        .unwrap();
    let base = format!("/public/api/v1/inboxes/{}", inbox.inbox_identifier);
    let contact = send(
        &app,
        Method::POST,
        &format!("{base}/contacts"),
        &[],
        Some("application/json"),
        json!({"name": "Visitor"}).to_string().into_bytes(),
    )
    .await;
    let source = contact.json()["source_id"].as_str().unwrap().to_owned();
    let opened = send(
        &app,
        Method::POST,
        &format!("{base}/contacts/{source}/conversations"),
        &[],
        Some("application/json"),
        b"{}".to_vec(),
    )
    .await;
    let id = opened.json()["id"].as_i64().unwrap();
    let (content_type, body) = multipart(
        &[("echo_id", "e7")],
        &[("attachments[]", "screenshot.png", "image/png", &png(40, 30))],
    );
    let path = format!("{base}/contacts/{source}/conversations/{id}/messages");
    let posted = send(&app, Method::POST, &path, &[], Some(&content_type), body).await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let message = posted.json();
    assert_eq!(message["echo_id"], "e7");
    assert_eq!(message["attachments"][0]["width"], 40);
    let (served, bytes) = fetch(
        &app,
        &path_of(message["attachments"][0]["data_url"].as_str().unwrap()),
        &[],
    )
    .await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(bytes, png(40, 30));
    let (list, _) = fetch(&app, &path, &[]).await;
    assert_eq!(
        list.json().as_array().unwrap().last().unwrap()["attachments"][0]["height"],
        30
    );
    // The agents see it as the contact's.
    let (agent_view, _) = fetch(
        &app,
        &format!(
            "/api/v1/accounts/{}/conversations/{id}/messages",
            d.account.id
        ),
        &[("api_access_token", &d.agent_token)],
    )
    .await;
    let last = agent_view.json()["payload"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["message_type"], 0);
    assert_eq!(last["attachments"][0]["file_type"], "image");
});

app_test!(
    the_thread_shows_thumbnails_and_downloads,
    |app| async move {
        let d = desk(&app).await;
        post_three_files(&app, &d.admin_token, d.account.id).await;
        let mut browser = app.browser();
        browser.login("agent@acme.test", "password123").await;
        let page = browser
            .get(&format!("/app/accounts/{}/conversations/1", d.account.id))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = &page.body;
        assert!(html.contains("<ul class=\"message-files\">"), "{html}");
        assert!(
            html.contains("class=\"file-image\"><a href=\"/attachments/"),
            "{html}"
        );
        assert!(html.contains("/thumb/photo.PNG?expires="), "{html}");
        assert!(html.contains("<span class=\"file-name\">invoice.pdf</span>"));
        assert!(html.contains("<span class=\"file-size muted\">17 bytes</span>"));
        assert!(html.contains("download=\"cute.png\""));
    }
);

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
