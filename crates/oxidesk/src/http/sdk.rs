//! The Dashboard App SDK (`crates/oxidesk/sdk/`), embedded in the binary and served under
//! `/sdk/`: `/sdk/v1/dashboard-app.js` (an ES module), its types `/sdk/v1/dashboard-app.d.ts`
//! and the JSON Schema of every protocol message, `/sdk/v1/schemas/protocol.schema.json`. See
//! `docs/dashboard-apps.md`, "SDK".
//!
//! Apps on any origin import the module, so every file is served with
//! `Access-Control-Allow-Origin: *` (a cross-origin module script needs CORS). The URL names a
//! protocol version, not a release: a new Oxidesk may fix the file under the same URL, so it is
//! cached for an hour and then revalidated against its `ETag` (its content hash).

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use include_dir::{Dir, include_dir};

use super::AppState;

static SDK: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sdk");

/// Where the SDK module is served.
pub const SDK_PATH: &str = "/sdk/v1/dashboard-app.js";

const CACHE: &str = "public, max-age=3600, must-revalidate";

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/sdk/{*path}", get(get_file))
}

async fn get_file(Path(path): Path<String>, request_headers: HeaderMap) -> Response {
    serve(&path, &request_headers)
}

fn serve(path: &str, request_headers: &HeaderMap) -> Response {
    let safe = path.split('/').all(|segment| {
        !segment.is_empty()
            && !segment.starts_with('.')
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    });
    let Some(file) = safe.then(|| SDK.get_file(path)).flatten() else {
        return (
            StatusCode::NOT_FOUND,
            [(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")],
            "no such file",
        )
            .into_response();
    };
    let etag = format!("\"{}\"", etag_of(path));
    let headers: [(HeaderName, String); 4] = [
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
        (header::CACHE_CONTROL, CACHE.to_owned()),
        (header::ETAG, etag.clone()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    let cached = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if cached {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (
        headers,
        [(header::CONTENT_TYPE, content_type(path))],
        file.contents(),
    )
        .into_response()
}

/// The content hash of each embedded file, by its path under `sdk/`.
fn etag_of(path: &str) -> &'static str {
    static TAGS: OnceLock<HashMap<String, String>> = OnceLock::new();
    let tags = TAGS.get_or_init(|| {
        let mut tags = HashMap::new();
        collect(&SDK, &mut tags);
        tags
    });
    tags.get(path).map_or("0", String::as_str)
}

fn collect(dir: &'static Dir<'static>, tags: &mut HashMap<String, String>) {
    for file in dir.files() {
        let hash = crate::secrets::sha256_hex(&String::from_utf8_lossy(file.contents()));
        tags.insert(
            file.path().to_string_lossy().into_owned(),
            hash[..16].to_owned(),
        );
    }
    for sub in dir.dirs() {
        collect(sub, tags);
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        // TypeScript's own media type is not registered; plain text shows in a browser tab.
        Some("ts") => "text/plain; charset=utf-8",
        Some("json") => "application/schema+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str, headers: &HeaderMap) -> Response {
        serve(path, headers)
    }

    #[test]
    fn the_sdk_is_served_to_any_origin_with_its_types_and_schema() {
        for (path, kind) in [
            ("v1/dashboard-app.js", "text/javascript; charset=utf-8"),
            ("v1/dashboard-app.d.ts", "text/plain; charset=utf-8"),
            ("v1/schemas/protocol.schema.json", "application/schema+json"),
        ] {
            let response = get(path, &HeaderMap::new());
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let h = response.headers();
            assert_eq!(h[header::CONTENT_TYPE], kind, "{path}");
            assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*", "{path}");
            assert_eq!(h[header::CACHE_CONTROL], CACHE, "{path}");
            let etag = h[header::ETAG].clone();
            let mut again = HeaderMap::new();
            again.insert(header::IF_NONE_MATCH, etag);
            assert_eq!(
                get(path, &again).status(),
                StatusCode::NOT_MODIFIED,
                "{path}"
            );
        }
        let js = SDK
            .get_file("v1/dashboard-app.js")
            .expect("the module")
            .contents();
        assert!(js.len() < 20_000, "a few KB: {} bytes", js.len());
        for bad in ["v1/../v1/dashboard-app.js", "v1/.hidden", "v1", "", "v1//x"] {
            assert_eq!(
                get(bad, &HeaderMap::new()).status(),
                StatusCode::NOT_FOUND,
                "{bad}"
            );
        }
        // Every JSON file is JSON.
        let schema: serde_json::Value = serde_json::from_slice(
            SDK.get_file("v1/schemas/protocol.schema.json")
                .expect("the schema")
                .contents(),
        )
        .expect("JSON");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}
