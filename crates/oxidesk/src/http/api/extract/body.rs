//! Request bodies, read the way Rails reads them: JSON, `application/x-www-form-urlencoded`
//! with nested keys (`contact[name]=…`, `labels[]=…`) and `multipart/form-data` (text fields
//! the same way, files collected as [`Upload`]s). Whatever the encoding, errors name the field
//! at fault (`content_attributes.items[0]`).
//!
//! Form and multipart values are text, as in Rails; they are cast where the request type asks
//! for a number or a boolean (`private=true`, `inbox_id=3`), by `serde_qs`, which also reads
//! the nested keys. Multipart text fields are re-encoded as one form and read the same way, so
//! both forms share every rule.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use super::parse::{parse_form, parse_json};
use crate::http::ApiError;

/// A body of any accepted encoding, as `T`. An empty body (or `null`) reads as `{}`; malformed
/// JSON is a 400, a wrong type or an unknown enum value a 422 naming the field; unknown fields
/// are ignored; too large is a 413; another content type is a 415. Files of a multipart body are
/// dropped: handlers that take files use [`ApiBody`].
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ApiBody { value, .. } = ApiBody::from_request(request, state).await?;
        Ok(ApiJson(value))
    }
}

/// A file part of a multipart body (`attachments[]`).
#[derive(Debug, Clone)]
pub struct Upload {
    /// The form field's name (`attachments[]`).
    pub field: String,
    /// The file's name as the client sent it.
    pub file_name: String,
    /// The content type the client declared (not trusted).
    pub content_type: Option<String>,
    /// The bytes.
    pub bytes: Bytes,
}

/// How large the files of a multipart body may be, set on the routes that take files
/// (`http::uploads`); without it a multipart body has the ordinary body limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// The largest file, in bytes.
    pub per_file: u64,
    /// The largest body, in bytes.
    pub total: u64,
}

impl UploadLimits {
    fn megabytes(bytes: u64) -> String {
        let mb = bytes as f64 / (1024.0 * 1024.0);
        if mb.fract() == 0.0 {
            format!("{mb:.0} MB")
        } else {
            format!("{mb:.1} MB")
        }
    }

    /// The 413 of a file larger than the limit.
    pub fn file_too_large(&self, name: &str) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "The file {name} is larger than the limit of {} ({} bytes) per file",
                Self::megabytes(self.per_file),
                self.per_file
            ),
        )
    }

    /// The 413 of a body larger than the limit.
    pub fn body_too_large(&self) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "The files of one message may be at most {} in all (each at most {})",
                Self::megabytes(self.total),
                Self::megabytes(self.per_file)
            ),
        )
    }
}

/// A body with the files of a multipart body beside it (none for JSON and plain forms).
#[derive(Debug, Clone)]
pub struct ApiBody<T> {
    /// The fields.
    pub value: T,
    /// The files, in the order sent.
    pub uploads: Vec<Upload>,
}

/// What a body was, once read.
enum Raw {
    Json(Bytes),
    /// Form-encoded text (a multipart body's text fields are re-encoded to this).
    Form(String),
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let (raw, uploads) = if content_type.starts_with("multipart/form-data") {
            read_multipart(request, state).await?
        } else {
            // At most MAX_BODY_BYTES whatever the route's limit (the routes that take files
            // have a larger one, for multipart bodies only).
            let bytes = axum::body::to_bytes(request.into_body(), crate::http::MAX_BODY_BYTES)
                .await
                .map_err(|error| {
                    let inner = error.into_inner();
                    if inner
                        .downcast_ref::<http_body_util::LengthLimitError>()
                        .is_some()
                    {
                        body_error(StatusCode::PAYLOAD_TOO_LARGE, String::new())
                    } else {
                        body_error(StatusCode::BAD_REQUEST, inner.to_string())
                    }
                })?;
            if content_type.starts_with("application/x-www-form-urlencoded") {
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "bad_request",
                        "The form is not valid UTF-8",
                    )
                })?;
                (Raw::Form(text), Vec::new())
            } else if bytes.is_empty() || content_type.is_empty() || content_type.contains("json") {
                (Raw::Json(bytes), Vec::new())
            } else {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "Send the body as JSON (application/json), as a form \
                     (application/x-www-form-urlencoded) or as multipart/form-data",
                ));
            }
        };
        let value = match raw {
            Raw::Json(bytes) => {
                let blank =
                    bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null";
                parse_json(if blank { b"{}" } else { &bytes })?
            }
            Raw::Form(text) => parse_form(&text)?,
        };
        Ok(ApiBody { value, uploads })
    }
}

/// The 413 or 400 of a body that could not be read.
fn body_error(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "The body is larger than {} bytes",
                crate::http::MAX_BODY_BYTES
            ),
        )
    } else {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", text)
    }
}

/// Reads a multipart body: text fields become one form, file parts uploads.
async fn read_multipart<S: Send + Sync>(
    request: Request,
    state: &S,
) -> Result<(Raw, Vec<Upload>), ApiError> {
    let limits = request.extensions().get::<UploadLimits>().copied();
    let too_large = |status: StatusCode, text: String| match limits {
        Some(limits) if status == StatusCode::PAYLOAD_TOO_LARGE => limits.body_too_large(),
        _ => body_error(status, text),
    };
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|rejection| too_large(rejection.status(), rejection.body_text()))?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut uploads = Vec::new();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(too_large(e.status(), e.body_text())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        // Read piece by piece, so a file over the limit is refused as soon as it is.
        let mut bytes = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| too_large(e.status(), e.body_text()))?
        {
            bytes.extend_from_slice(&chunk);
            if let (Some(limits), Some(file)) = (limits, &file_name)
                && bytes.len() as u64 > limits.per_file
            {
                return Err(limits.file_too_large(file));
            }
        }
        let bytes = Bytes::from(bytes);
        match file_name {
            Some(file_name) => uploads.push(Upload {
                field: name,
                file_name,
                content_type,
                bytes,
            }),
            None => {
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "bad_request",
                        format!("The multipart field {name} is not valid UTF-8 text"),
                    )
                })?;
                pairs.push((name, text));
            }
        }
    }
    let form = serde_urlencoded::to_string(&pairs).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("The multipart body could not be read: {e}"),
        )
    })?;
    Ok((Raw::Form(form), uploads))
}
