//! What Rails forgives and Chatwoot clients rely on, applied before routing: a trailing slash
//! on an API path is ignored (`POST …/inboxes/`), and the parameters of a body sent with a
//! `GET` (`contacts/search` with `{"q": …}`) join the query string, which wins on a clash.
//! Also `GET /api`, Chatwoot's status answer, which connectors call to test their
//! credentials.

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{ALLOW, CONTENT_TYPE};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use tower::Layer;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;

/// Whether `path` is under one of the API prefixes (`/api`, `/public/api`, `/platform/api`).
pub fn is_api_path(path: &str) -> bool {
    ["/api", "/public/api", "/platform/api", "/widget/api"]
        .iter()
        .any(|prefix| match path.strip_prefix(prefix) {
            Some(rest) => rest.is_empty() || rest.starts_with('/'),
            None => false,
        })
}

/// Wraps the whole application so that requests are normalised before the router sees them
/// (a middleware added with `Router::layer` runs after routing, too late to change the path).
pub fn normalize(app: Router) -> Router {
    let service = axum::middleware::from_fn(normalize_request).layer(app);
    Router::new().fallback_service(service)
}

async fn normalize_request(request: Request, next: Next) -> Response {
    if !is_api_path(request.uri().path()) {
        return next.run(request).await;
    }
    let request = trim_trailing_slash(request);
    let method = request.method().clone();
    let request = if method == Method::GET {
        merge_body_into_query(request).await
    } else {
        request
    };
    let response = next.run(request).await;
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        return method_not_allowed(&method, response);
    }
    response
}

/// The router's bare 405 as JSON, naming the methods the path takes (its `Allow` header).
fn method_not_allowed(method: &Method, response: Response) -> Response {
    let allow = response.headers().get(ALLOW).cloned();
    let allowed = allow
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = serde_json::json!({
        "error": "Method not allowed",
        "message": format!("{method} is not allowed on this path; it takes {allowed}"),
        "code": "method_not_allowed",
        "errors": [],
    });
    let mut json = (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response();
    if let Some(allow) = allow {
        json.headers_mut().insert(ALLOW, allow);
    }
    json
}

/// `/api/v1/accounts/1/inboxes/` → `/api/v1/accounts/1/inboxes`.
fn trim_trailing_slash(mut request: Request) -> Request {
    let path = request.uri().path();
    let trimmed = path.trim_end_matches('/');
    if trimmed.len() == path.len() || trimmed.is_empty() {
        return request;
    }
    let text = match request.uri().query() {
        Some(query) => format!("{trimmed}?{query}"),
        None => trimmed.to_owned(),
    };
    if let Ok(uri) = text.parse::<Uri>() {
        *request.uri_mut() = uri;
    }
    request
}

/// Adds the parameters of a JSON or form body of a `GET` to its query string, each only when
/// the query string does not already have it.
async fn merge_body_into_query(request: Request) -> Request {
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::http::MAX_BODY_BYTES).await else {
        return Request::from_parts(parts, Body::empty());
    };
    if bytes.trim_ascii().is_empty() {
        return Request::from_parts(parts, Body::from(bytes));
    }
    let form = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let body_pairs = if form {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes).unwrap_or_default()
    } else {
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => {
                let mut pairs = Vec::new();
                for (key, value) in map {
                    flatten(&key, &value, &mut pairs);
                }
                pairs
            }
            _ => Vec::new(),
        }
    };
    let query = parts.uri.query().unwrap_or("");
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let given: Vec<String> = pairs.iter().map(|(k, _)| base_name(k).to_owned()).collect();
    let added: Vec<(String, String)> = body_pairs
        .into_iter()
        .filter(|(k, _)| !given.iter().any(|g| g == base_name(k)))
        .collect();
    if !added.is_empty() {
        pairs.extend(added);
        if let Ok(query) = serde_urlencoded::to_string(&pairs) {
            let text = format!("{}?{query}", parts.uri.path());
            if let Ok(uri) = text.parse::<Uri>() {
                parts.uri = uri;
            }
        }
    }
    Request::from_parts(parts, Body::from(bytes))
}

/// `labels[]` → `labels`, `a[b]` → `a`.
fn base_name(key: &str) -> &str {
    key.split('[').next().unwrap_or(key)
}

/// A JSON value as query pairs, Rails style: `k=v`, `k[]=v` for arrays, `k[sub]=v` for objects.
fn flatten(key: &str, value: &Value, pairs: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(text) => pairs.push((key.to_owned(), text.clone())),
        Value::Bool(_) | Value::Number(_) => pairs.push((key.to_owned(), value.to_string())),
        Value::Array(items) => {
            for item in items {
                flatten(&format!("{key}[]"), item, pairs);
            }
        }
        Value::Object(map) => {
            for (sub, item) in map {
                flatten(&format!("{key}[{sub}]"), item, pairs);
            }
        }
    }
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_status))
}

/// `GET /api`: what Chatwoot answers there.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiStatus {
    /// Oxidesk's version.
    pub version: &'static str,
    /// Now, UTC, as Chatwoot writes it (`2026-11-26 17:45:00`).
    pub timestamp: String,
    /// `ok`: Oxidesk has no separate queue (Chatwoot reports Redis here).
    pub queue_services: &'static str,
    /// `ok` when the database answers, `failing` otherwise.
    pub data_services: &'static str,
}

/// The API's status, without authentication (connectors call it to test a URL).
#[utoipa::path(get, path = "/api", tag = "system", responses((status = 200, body = ApiStatus)))]
async fn api_status(State(state): State<AppState>) -> Json<ApiStatus> {
    let database = state.services.store.ping().await.is_ok();
    let now = oxidesk_domain::Timestamp::now().to_rfc3339();
    // `2026-11-26T17:45:00.000Z` → `2026-11-26 17:45:00`
    let timestamp = now.get(..19).unwrap_or(&now).replacen('T', " ", 1);
    Json(ApiStatus {
        version: env!("CARGO_PKG_VERSION"),
        timestamp,
        queue_services: "ok",
        data_services: if database { "ok" } else { "failing" },
    })
}

/// The pairs of a JSON body, for tests of [`flatten`].
#[cfg(test)]
fn pairs_of(json: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(json) {
        for (key, value) in map {
            flatten(&key, &value, &mut pairs);
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths() {
        assert!(is_api_path("/api"));
        assert!(is_api_path("/api/v1/x"));
        assert!(is_api_path("/public/api/v1/inboxes/x/"));
        assert!(is_api_path("/platform/api/v1/users"));
        assert!(!is_api_path("/apis"));
        assert!(!is_api_path("/app/accounts/1"));
        assert!(!is_api_path("/examples/customer-orders/"));
    }

    #[test]
    fn bodies_flatten_rails_style() {
        let pairs = pairs_of(
            r#"{"q": "ann", "page": 2, "labels": ["a", "b"], "x": {"y": true}, "n": null}"#,
        );
        let has = |k: &str, v: &str| pairs.iter().any(|(a, b)| a == k && b == v);
        assert!(has("q", "ann") && has("page", "2") && has("labels[]", "a"));
        assert!(has("labels[]", "b") && has("x[y]", "true"));
        assert!(!pairs.iter().any(|(k, _)| k == "n"));
        assert_eq!(base_name("labels[]"), "labels");
    }
}
