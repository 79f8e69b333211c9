//! Attachments over HTTP: the upload limits of the routes that take files, and
//! `GET /attachments/{account_id}/{id}/{variant}/{name}`, which serves a file to a member of
//! its account (session or API token) or to anyone with a signed link that has not expired
//! (`files::links`).
//!
//! Served so that an uploaded file can never run in Oxidesk's origin: raster images inline,
//! everything else as a download (`Content-Disposition: attachment`; SVG, HTML and the rest
//! also as `application/octet-stream` unless audio or video), always with
//! `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox` (a document opened
//! anyway gets a unique origin and no scripts).

use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::TryStreamExt;
use oxidesk_domain::attachments::shown_inline;
use oxidesk_domain::{AccountId, AttachmentId, FileType};
use serde::Deserialize;
use tower::{Layer, ServiceExt};

use super::api::extract::{AccountCaller, UploadLimits};
use super::{ApiError, AppState};
use crate::files::Variant;

/// The policy of every served file: no scripts, no plugins, a unique origin.
pub const FILE_CSP: &str = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; \
    style-src 'unsafe-inline'";

/// Whether `path` is a route that takes files (`POST …/messages` of the API, the client API
/// and the website widget).
fn takes_files(path: &str) -> bool {
    path == "/widget/api/messages"
        || path.ends_with("/messages")
            && (path.starts_with("/api/v1/accounts/")
                || path.starts_with("/public/api/v1/inboxes/"))
}

/// Gives the routes that take files their limits: each file up to `attachments.max_file_mb`,
/// the body up to twice that and a megabyte (instead of the usual 1 MiB).
pub async fn upload_limits(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() != axum::http::Method::POST || !takes_files(request.uri().path()) {
        return next.run(request).await;
    }
    let per_file = state.config.attachments.max_file_bytes();
    let limits = UploadLimits {
        per_file,
        total: per_file.saturating_mul(2).saturating_add(1024 * 1024),
    };
    request.extensions_mut().insert(limits);
    let limit = usize::try_from(limits.total).unwrap_or(usize::MAX);
    let inner = tower::service_fn(move |request: Request| {
        let next = next.clone();
        async move { Ok::<_, Infallible>(next.run(request).await) }
    });
    match DefaultBodyLimit::max(limit)
        .layer(inner)
        .oneshot(request)
        .await
    {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/attachments/{account_id}/{id}/{variant}/{name}",
        get(serve_attachment),
    )
}

#[derive(Debug, Deserialize)]
struct FilePath {
    account_id: String,
    id: String,
    variant: String,
    #[allow(dead_code)]
    name: String,
}

#[derive(Debug, Deserialize)]
struct LinkQuery {
    expires: Option<String>,
    signature: Option<String>,
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "attachment not found")
}

/// Serves one file (or its thumbnail).
async fn serve_attachment(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (mut parts, _) = request.into_parts();
    let Path(path) = Path::<FilePath>::from_request_parts(&mut parts, &state)
        .await
        .map_err(|_| not_found())?;
    let (Ok(account), Ok(id), Some(variant)) = (
        path.account_id.parse::<i64>(),
        path.id.parse::<i64>(),
        Variant::parse(&path.variant),
    ) else {
        return Err(not_found());
    };
    let query: LinkQuery =
        serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).unwrap_or(LinkQuery {
            expires: None,
            signature: None,
        });
    let services = &state.services;
    let signed = query.signature.is_some() || query.expires.is_some();
    if !signed {
        // A member of the account (any member sees every conversation of it).
        AccountCaller::from_request_parts(&mut parts, &state).await?;
    }
    let attachment = services
        .attachment(AccountId(account), AttachmentId(id))
        .await?;
    if signed {
        let expires = query.expires.as_deref().and_then(|e| e.parse::<i64>().ok());
        let valid = match (expires, query.signature.as_deref()) {
            (Some(expires), Some(signature)) => {
                services
                    .files
                    .verify(&attachment, variant, expires, signature)
            }
            _ => false,
        };
        if !valid {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "link_expired",
                "This link has expired or is not valid: fetch the message again for a fresh one",
            ));
        }
    }
    let (key, content_type) = match (variant, &attachment.thumb_key) {
        (Variant::Original, _) => (
            attachment.storage_key.clone(),
            attachment.content_type.clone(),
        ),
        (Variant::Thumb, Some(thumb)) => (thumb.clone(), thumb_type(&attachment.content_type)),
        // An image without a thumbnail (too large to decode) links to itself.
        (Variant::Thumb, None) if attachment.file_type == FileType::Image => (
            attachment.storage_key.clone(),
            attachment.content_type.clone(),
        ),
        (Variant::Thumb, None) => return Err(not_found()),
    };
    let download = services.files.get(&key).await.map_err(|error| {
        tracing::warn!(%error, "a stored file could not be read");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "The file cannot be read right now",
        )
    })?;
    let inline = variant == Variant::Thumb || shown_inline(&attachment.content_type);
    let served_type = if inline || matches!(attachment.file_type, FileType::Audio | FileType::Video)
    {
        content_type
    } else {
        "application/octet-stream".to_owned()
    };
    let disposition = content_disposition(inline, &attachment.file_name);
    let body = Body::from_stream(download.stream.map_err(std::io::Error::other));
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    let set = |value: &str| HeaderValue::from_str(value).ok();
    if let Some(v) = set(&served_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CONTENT_LENGTH, download.size.into());
    if let Some(v) = set(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(FILE_CSP),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}

/// A thumbnail is a PNG when its image may have transparency, a JPEG otherwise (as
/// `files::inspect` made it).
fn thumb_type(original: &str) -> String {
    match original {
        "image/jpeg" | "image/bmp" => "image/jpeg".to_owned(),
        _ => "image/png".to_owned(),
    }
}

/// `inline` or `attachment`, with the name as plain ASCII and as RFC 8187 UTF-8.
fn content_disposition(inline: bool, name: &str) -> String {
    let kind = if inline { "inline" } else { "attachment" };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_quote_safely() {
        assert_eq!(
            content_disposition(false, "a \"b\".pdf"),
            "attachment; filename=\"a _b_.pdf\"; filename*=UTF-8''a%20%22b%22.pdf"
        );
        assert_eq!(
            content_disposition(true, "été.png"),
            "inline; filename=\"_t_.png\"; filename*=UTF-8''%C3%A9t%C3%A9.png"
        );
    }

    #[test]
    fn only_message_creation_takes_files() {
        assert!(takes_files("/api/v1/accounts/1/conversations/2/messages"));
        assert!(takes_files(
            "/public/api/v1/inboxes/x/contacts/y/conversations/2/messages"
        ));
        assert!(takes_files("/widget/api/messages"));
        assert!(!takes_files("/api/v1/accounts/1/contacts"));
        assert!(!takes_files("/app/accounts/1/messages"));
    }
}
