//! Chatwoot's direct uploads (Active Storage's protocol; `crate::service::direct_uploads`):
//! `POST /rails/active_storage/direct_uploads` (as Rails serves it, with a person's token or
//! the dashboard session) and Chatwoot's agent path
//! `POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/direct_uploads` announce
//! a file; `PUT /rails/active_storage/disk/{token}` takes its bytes (the signed URL is the
//! credential, as in Rails). A message then names the signed id in `attachments`.

use axum::Json;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::conversations::ConversationPath;
use super::extract::{AccountCaller, ApiJson, ApiPath, UploadLimits, invalid_param};
use crate::http::session::ApiCaller;
use crate::http::{ApiError, AppState};
use crate::service::{BlobRequest, BlobView};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_direct_upload))
        .routes(routes!(create_conversation_direct_upload))
        .routes(routes!(put_direct_upload))
}

/// Active Storage's `blob` parameters.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct BlobFields {
    /// The file's name.
    #[serde(default)]
    pub filename: String,
    /// Its size in bytes (at most `attachments.max_file_mb`).
    pub byte_size: Option<i64>,
    /// Its MD5, base64.
    #[serde(default)]
    pub checksum: String,
    /// Its declared type.
    #[serde(default)]
    pub content_type: String,
    /// Accepted and ignored.
    #[allow(dead_code)]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
}

/// Body of a direct-upload announcement.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DirectUploadRequest {
    /// The file.
    pub blob: Option<BlobFields>,
}

/// Checks the announcement's shape and size; what the service takes.
fn blob_of(state: &AppState, body: DirectUploadRequest) -> Result<BlobRequest, ApiError> {
    let blob = body
        .blob
        .ok_or_else(|| invalid_param("blob", "is required"))?;
    let byte_size = blob
        .byte_size
        .ok_or_else(|| invalid_param("blob.byte_size", "is required"))?;
    let per_file = state.config.attachments.max_file_bytes();
    if byte_size > 0 && byte_size as u64 > per_file {
        let limits = UploadLimits {
            per_file,
            total: per_file,
        };
        return Err(limits.file_too_large(&blob.filename));
    }
    Ok(BlobRequest {
        filename: blob.filename,
        byte_size,
        checksum: blob.checksum,
        content_type: blob.content_type,
    })
}

/// Announces a file (Active Storage's direct upload): its `signed_id` for a message's
/// `attachments`, and `direct_upload {url, headers}` to `PUT` the bytes to.
#[utoipa::path(post, path = "/rails/active_storage/direct_uploads", tag = "attachments",
    security(("userApiKey" = [])), request_body = DirectUploadRequest,
    responses((status = 200, body = BlobView), (status = 401, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Larger than attachments.max_file_mb"),
        (status = 422, body = ErrorBody)))]
async fn create_direct_upload(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<DirectUploadRequest>,
) -> Result<Json<BlobView>, ApiError> {
    let blob = blob_of(&state, body)?;
    let base = state.config.public_url();
    let view = state
        .services
        .announce_upload(caller.user.id, None, &blob, &base)
        .await?;
    Ok(Json(view))
}

/// Announces a file for a message of this conversation (Chatwoot's path for agents); as
/// `/rails/active_storage/direct_uploads`, bound to the account.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/direct_uploads",
    tag = "attachments", security(("userApiKey" = [])),
    params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = DirectUploadRequest,
    responses((status = 200, body = BlobView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Larger than attachments.max_file_mb"),
        (status = 422, body = ErrorBody)))]
async fn create_conversation_direct_upload(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<DirectUploadRequest>,
) -> Result<Json<BlobView>, ApiError> {
    state
        .services
        .conversation(caller.account, path.display_id())
        .await?;
    let blob = blob_of(&state, body)?;
    let base = state.config.public_url();
    let view = state
        .services
        .announce_upload(caller.user.id, Some(caller.account), &blob, &base)
        .await?;
    Ok(Json(view))
}

/// `{token}` of an upload URL.
#[derive(Debug, Deserialize)]
pub struct UploadPath {
    /// The signed token.
    pub token: String,
}

/// Takes the announced file's bytes (the body, as is): they must have the announced size and
/// MD5. 204 when taken; an unknown or expired URL is a 404.
#[utoipa::path(put, path = "/rails/active_storage/disk/{token}", tag = "attachments",
    params(("token" = String, Path)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 204, description = "Taken"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "Already uploaded"),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_direct_upload(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<UploadPath>,
    request: Request,
) -> Result<StatusCode, ApiError> {
    let per_file = state.config.attachments.max_file_bytes();
    let limits = UploadLimits {
        per_file,
        total: per_file,
    };
    let limit = usize::try_from(per_file).unwrap_or(usize::MAX);
    let bytes = to_bytes(request.into_body(), limit)
        .await
        .map_err(|_| limits.file_too_large("uploaded"))?;
    state.services.put_upload(&path.token, bytes).await?;
    Ok(StatusCode::NO_CONTENT)
}
