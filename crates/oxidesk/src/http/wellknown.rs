//! `/.well-known/jwks.json`: the public keys that verify the tokens beside every Dashboard App
//! context (`docs/dashboard-apps.md`, "Verify the context"). Public, readable from any origin
//! (apps verify in the browser), cacheable for five minutes: a verifier that meets an unknown
//! `kid` fetches it again.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::{ApiError, AppState};

/// The path of the JWK set.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

pub(super) fn router() -> Router<AppState> {
    Router::new().route(JWKS_PATH, get(get_jwks))
}

/// `GET /.well-known/jwks.json`: `{"keys": [{kty, crv, x, kid, alg, use}, …]}`, the active key
/// first, then those retired within the hour.
async fn get_jwks(State(state): State<AppState>) -> Result<Response, ApiError> {
    let keys = state.services.jwks().await?;
    let mut response = Json(keys).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Ok(response)
}
