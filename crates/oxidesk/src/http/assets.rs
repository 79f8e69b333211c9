//! Static assets (`crates/oxidesk/static/`), embedded in the binary and served with a content
//! hash for cache-busting: `/assets/css/app.css?v=<hash>`. No CDN, nothing from the internet.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::Router;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use include_dir::{Dir, include_dir};

use super::AppState;

static STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// Every embedded file by its path under `static/`, with its version hash.
fn versions() -> &'static HashMap<String, String> {
    static VERSIONS: OnceLock<HashMap<String, String>> = OnceLock::new();
    VERSIONS.get_or_init(|| {
        let mut map = HashMap::new();
        collect(&STATIC, &mut map);
        map
    })
}

fn collect(dir: &'static Dir<'static>, map: &mut HashMap<String, String>) {
    for file in dir.files() {
        let hash = crate::secrets::sha256_hex(&String::from_utf8_lossy(file.contents()));
        map.insert(
            file.path().to_string_lossy().into_owned(),
            hash[..12].to_owned(),
        );
    }
    for sub in dir.dirs() {
        collect(sub, map);
    }
}

/// The URL of an embedded asset, with its content hash as the version.
pub fn asset_url(path: &str) -> String {
    let version = versions().get(path).map_or("0", String::as_str);
    format!("/assets/{path}?v={version}")
}

/// The embedded files and their sizes in bytes, for the page-weight budget.
pub fn asset_sizes() -> Vec<(String, usize)> {
    let mut sizes: Vec<(String, usize)> = versions()
        .keys()
        .filter_map(|p| STATIC.get_file(p).map(|f| (p.clone(), f.contents().len())))
        .collect();
    sizes.sort();
    sizes
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/assets/{*path}", get(get_asset))
}

/// An asset. Asked for with its current `?v=<hash>` (as pages link it), it is cached for good.
/// Without it (a module another module imports by a relative path), it carries an `ETag` and
/// must be revalidated, so a new version of Oxidesk is picked up at once: `304` when unchanged.
async fn get_asset(
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
    request_headers: HeaderMap,
) -> Response {
    let Some(file) = STATIC.get_file(&path) else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    let version = versions().get(&path).map_or("0", String::as_str);
    let versioned = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|pair| pair == format!("v={version}")));
    if versioned {
        return (
            [
                (header::CONTENT_TYPE, content_type(&path)),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            file.contents(),
        )
            .into_response();
    }
    let etag = format!("\"{version}\"");
    let cached = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let headers = [
        (header::CACHE_CONTROL, "no-cache".to_owned()),
        (header::ETAG, etag),
    ];
    if cached {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (
        headers,
        [(header::CONTENT_TYPE, content_type(&path))],
        file.contents(),
    )
        .into_response()
}
