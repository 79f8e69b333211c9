//! Limits and bad uploads: 413 naming the limit, 4xx naming the field.

use axum::http::{Method, StatusCode};
use oxidesk::config::Config;
use serde_json::json;

use super::{backend_of, fetch, multipart, png, send, walk};
use crate::api_conversations::desk;
use crate::app_test;
use crate::support::TestApp;

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
