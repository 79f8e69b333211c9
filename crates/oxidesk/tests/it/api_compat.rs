//! What published Chatwoot clients send and Rails forgives (issue 10's table): forms and
//! multipart bodies, trailing slashes, header spellings, `GET /api`, JSON 404s, GET bodies,
//! `source_id` alone, `null` ids, ISO times, rich messages.

mod bodies;
mod conversations;
mod merge;
mod routing;

use axum::http::Method;
use serde_json::Value;

use crate::support::{TestApp, TestResponse};

/// Sends JSON with the token.
pub async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> TestResponse {
    app.browser()
        .json(method, path, &[("api_access_token", token)], body)
        .await
}

/// Sends a body as is with the token.
pub async fn raw(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    content_type: &str,
    body: &str,
) -> TestResponse {
    app.browser()
        .send_raw(
            method,
            path,
            &[("api_access_token", token)],
            content_type,
            body,
        )
        .await
}

/// A multipart body of text fields and files (`(field, file name, content type, bytes)`),
/// with its content type.
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &str, &str)]) -> (String, String) {
    let boundary = "----oxidesk-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    for (name, file, content_type, bytes) in files {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
             Content-Type: {content_type}\r\n\r\n{bytes}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}
