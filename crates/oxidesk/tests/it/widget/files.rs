//! Files in the widget: the visitor sends them as multipart (the APIs' limits and type
//! detection), sees the agent's, and no one else reaches them.

use axum::http::{Method, StatusCode};
use oxidesk::config::Config;
use serde_json::{Value, json};

use super::{Setup, agent, say, setup, widget};
use crate::app_test;
use crate::attachments::{backend_of, fetch, multipart, path_of, png, send};
use crate::support::{TestApp, TestResponse};

/// The visitor posts `fields` and `files` as multipart.
pub async fn upload(
    app: &TestApp,
    s: &Setup,
    visitor: Option<&str>,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &str, &[u8])],
) -> TestResponse {
    let (content_type, body) = multipart(fields, files);
    let mut headers = vec![("user-agent", "Mozilla/5.0 Firefox/120.0")];
    if let Some(token) = visitor {
        headers.push(("x-widget-token", token));
    }
    send(
        app,
        Method::POST,
        &format!("/widget/api/messages?website_token={}", s.website_token),
        &headers,
        Some(&content_type),
        body,
    )
    .await
}

app_test!(
    a_visitor_sends_an_image_and_gets_the_agents_file,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let image = png(300, 200);
        // A PNG named .txt, declared as text: the bytes decide, as for the APIs.
        let sent = upload(
            &app,
            &s,
            None,
            &[("content", "my screen")],
            &[("attachments[]", "screen.txt", "text/plain", &image)],
        )
        .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let sent = sent.json();
        let token = sent["token"].as_str().unwrap().to_owned();
        let file = &sent["message"]["attachments"][0];
        assert_eq!(file["file_type"], "image", "{sent}");
        assert_eq!(file["content_type"], "image/png", "{sent}");
        assert_eq!(file["file_size"], image.len() as i64, "{sent}");
        let (original, bytes) =
            fetch(&app, &path_of(file["data_url"].as_str().unwrap()), &[]).await;
        assert_eq!(original.status, StatusCode::OK);
        assert_eq!(bytes, image);
        let (thumb, _) = fetch(&app, &path_of(file["thumb_url"].as_str().unwrap()), &[]).await;
        assert_eq!(thumb.status, StatusCode::OK);

        // The agent sees it; only files, no text, is fine too.
        let id = sent["conversation"]["id"].as_i64().unwrap();
        let mut desk = app.browser();
        let listed = agent(
            &mut desk,
            &s,
            Method::GET,
            &format!("/conversations/{id}/messages"),
            json!(null),
        )
        .await;
        assert!(listed.body.contains("/screen.txt?"), "{}", listed.body);
        let only_file = upload(
            &app,
            &s,
            Some(&token),
            &[],
            &[("attachments[]", "b.png", "image/png", &image)],
        )
        .await;
        assert_eq!(only_file.status, StatusCode::OK, "{}", only_file.body);

        // The agent sends a PDF; the visitor sees it as a file with its name and size.
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let (content_type, body) = multipart(
            &[("content", "the invoice")],
            &[("attachments[]", "invoice.pdf", "application/pdf", &pdf)],
        );
        let reply = send(
            &app,
            Method::POST,
            &format!(
                "/api/v1/accounts/{}/conversations/{id}/messages",
                s.account.id
            ),
            &[("api_access_token", s.token.as_str())],
            Some(&content_type),
            body,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let mut client = app.browser();
        let seen = widget(
            &mut client,
            &s,
            Method::GET,
            "messages",
            Some(&token),
            json!(null),
        )
        .await;
        let messages = seen.json()["messages"].as_array().unwrap().clone();
        let last = messages.last().unwrap();
        assert_eq!(last["content"], "the invoice");
        let link = last["attachments"][0]["data_url"].as_str().unwrap();
        assert!(link.contains("/original/invoice.pdf?expires="), "{last}");
        assert_eq!(last["attachments"][0]["file_type"], "file", "{last}");
        assert_eq!(last["attachments"][0]["file_size"], pdf.len() as i64);
        let (download, bytes) = fetch(
            &app,
            &path_of(last["attachments"][0]["data_url"].as_str().unwrap()),
            &[],
        )
        .await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(bytes, pdf);
        assert!(
            download.headers[axum::http::header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment"),
        );
    }
);

app_test!(another_visitor_cannot_reach_the_files, |app| async move {
    let s = setup(&app, json!({})).await;
    let image = png(40, 40);
    let sent = upload(
        &app,
        &s,
        None,
        &[("content", "secret")],
        &[("attachments[]", "a.png", "image/png", &image)],
    )
    .await;
    let sent = sent.json();
    let alices = sent["conversation"]["id"].as_i64().unwrap();
    let link = path_of(
        sent["message"]["attachments"][0]["data_url"]
            .as_str()
            .unwrap(),
    );
    let mut bob = app.browser();
    let bob_token = say(&mut bob, &s, None, "hello").await;
    // Bob cannot list Alice's conversation, so never gets the signed link…
    let peek = widget(
        &mut bob,
        &s,
        Method::GET,
        &format!("messages?conversation_id={alices}"),
        Some(&bob_token),
        json!(null),
    )
    .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND, "{}", peek.body);
    assert!(!peek.body.contains("a.png"));
    // …and the file without the signature, or with a changed one, is refused.
    let unsigned = link.split('?').next().unwrap().to_owned();
    let (bare, _) = fetch(&app, &unsigned, &[("x-widget-token", bob_token.as_str())]).await;
    assert!(
        bare.status == StatusCode::UNAUTHORIZED || bare.status == StatusCode::FORBIDDEN,
        "{}",
        bare.status
    );
    let tampered = link.replace("signature=", "signature=0");
    let (bad, _) = fetch(&app, &tampered, &[]).await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
});

app_test!(widget_files_follow_the_upload_limit, |app| async move {
    let mut config = Config::default();
    config.attachments.max_file_mb = 1;
    let small = TestApp::with_config(backend_of(&app), config)
        .await
        .unwrap();
    let s = setup(&small, json!({})).await;
    let big = vec![7u8; 1024 * 1024 + 10];
    let refused = upload(
        &small,
        &s,
        None,
        &[("content", "big")],
        &[("attachments[]", "big.bin", "application/octet-stream", &big)],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("big.bin"), "{}", refused.body);
    // Another field name is refused, naming the field.
    let wrong = upload(
        &small,
        &s,
        None,
        &[("content", "x")],
        &[("file", "a.bin", "application/octet-stream", b"abc")],
    )
    .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("attachments"), "{}", wrong.body);
    // No text and no file: the content is required.
    let empty = upload(&small, &s, None, &[("content", " ")], &[]).await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        empty.body
    );
    let _: Value = empty.json();
});
