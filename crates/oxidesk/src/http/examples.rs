//! Example dashboard apps (`crates/oxidesk/example-apps/`), embedded in the binary and served
//! under `/examples/<app>/`: "Customer Orders" at `/examples/customer-orders/`, written on the
//! SDK (`/sdk/v1/dashboard-app.js`), which `oxidesk demo` installs in the demo account, and the
//! same app on the seeds' protocol alone at `/examples/customer-orders-classic/`. See
//! `docs/dashboard-apps.md`.
//!
//! They live outside `static/` on purpose: they are not part of the dashboard (nor of its
//! page-weight budget), and they are served with headers of their own, because a dashboard app
//! must be framable by the dashboard, which the rest of Oxidesk refuses.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use include_dir::{Dir, include_dir};

use super::{AppState, PageError};

static EXAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/example-apps");

/// Where the "Customer Orders" example is served (append it to the public URL).
pub const CUSTOMER_ORDERS_PATH: &str = "/examples/customer-orders/";

/// Where the seeds-only "Customer Orders (classic)" example is served.
pub const CUSTOMER_ORDERS_CLASSIC_PATH: &str = "/examples/customer-orders-classic/";

/// The title of the "Customer Orders" example app.
pub const CUSTOMER_ORDERS_TITLE: &str = "Customer Orders";

/// The Content-Security-Policy of the example apps: the dashboard's own policy (scripts and
/// styles from this origin only, no inline code) except that any page may frame them
/// (`frame-ancestors *`), since the dashboard may be opened under any host name (`localhost`,
/// `127.0.0.1`, the public name behind a proxy) and the app cannot know which.
pub const EXAMPLE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: https:; connect-src 'self'; frame-ancestors *; base-uri 'self'; \
    form-action 'self'; object-src 'none'";

/// `X-Frame-Options` for the examples: `ALLOWALL` means "no restriction".
///
/// The security middleware (`headers.rs`) adds `X-Frame-Options: DENY` to every response that
/// has no such header, which would forbid the framing the app exists for. `X-Frame-Options` has
/// no value for "any ancestor" (`ALLOW-FROM` is obsolete and allowed one origin only), so the
/// header is set here to `ALLOWALL`, which the HTML standard names as a legacy value treated as
/// if the header were absent; the middleware then leaves it alone. Browsers also ignore
/// `X-Frame-Options` altogether when the CSP has `frame-ancestors`, which it has; the value
/// only has to keep `DENY` out for older browsers.
const FRAME_OPTIONS: &str = "ALLOWALL";

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/examples/{app}", get(app_without_slash))
        .route("/examples/{app}/", get(app_index))
        .route("/examples/{app}/{*file}", get(app_file))
}

/// `/examples/customer-orders` → `/examples/customer-orders/`, so that the page's relative
/// links (`app.js`, `app.css`) resolve inside the app's folder.
async fn app_without_slash(Path(app): Path<String>) -> Response {
    if is_safe_name(&app) && EXAMPLES.get_dir(&app).is_some() {
        Redirect::permanent(&format!("/examples/{app}/")).into_response()
    } else {
        not_found()
    }
}

async fn app_index(Path(app): Path<String>) -> Response {
    serve(&app, "index.html")
}

async fn app_file(Path((app, file)): Path<(String, String)>) -> Response {
    serve(&app, &file)
}

/// A file of an example app, with its headers; 404 for anything else.
fn serve(app: &str, file: &str) -> Response {
    if !is_safe_name(app) || !file.split('/').all(is_safe_name) {
        return not_found();
    }
    let Some(found) = EXAMPLES.get_file(format!("{app}/{file}")) else {
        return not_found();
    };
    let headers: [(HeaderName, &str); 5] = [
        (header::CONTENT_TYPE, content_type(file)),
        // Not versioned like /assets: revalidate, so a new binary's files show at once.
        (header::CACHE_CONTROL, "no-cache"),
        (header::CONTENT_SECURITY_POLICY, EXAMPLE_CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, FRAME_OPTIONS),
    ];
    (headers, found.contents()).into_response()
}

/// A path segment that names a file or folder: no `..`, no hidden files, nothing empty.
fn is_safe_name(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.starts_with('.')
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn not_found() -> Response {
    PageError::new(StatusCode::NOT_FOUND, "This page does not exist.").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_customer_orders_examples_are_embedded_without_inline_code() {
        for app in ["customer-orders", "customer-orders-classic"] {
            let index = EXAMPLES
                .get_file(format!("{app}/index.html"))
                .and_then(|f| f.contents_utf8())
                .expect("index.html");
            assert!(index.contains("<script type=\"module\" src=\"app.js\"></script>"));
            assert!(index.contains("href=\"app.css\""));
            assert!(index.contains("Waiting for the conversation…"));
            // The CSP allows no inline scripts, styles or event handlers.
            assert_eq!(index.matches("<script").count(), 1, "only app.js");
            assert!(!index.contains("<style") && !index.contains("style="));
            assert!(
                !index
                    .split_whitespace()
                    .any(|word| word.starts_with("on") && word.contains('=')),
                "no inline event handlers"
            );
            for file in ["app.js", "app.css", "orders.js"] {
                assert!(
                    EXAMPLES.get_file(format!("{app}/{file}")).is_some(),
                    "{app}/{file}"
                );
            }
            let script = EXAMPLES
                .get_file(format!("{app}/app.js"))
                .and_then(|f| f.contents_utf8())
                .expect("app.js");
            assert!(!script.contains("innerHTML") && !script.contains("insertAdjacentHTML"));
            if app == "customer-orders" {
                // On the SDK, verifying every context against this install's keys.
                assert!(script.contains("from \"/sdk/v1/dashboard-app.js\""));
                assert!(script.contains("connect({ issuer: location.origin })"));
                assert!(script.contains("app.notes.create("));
            } else {
                // The seeds' protocol alone.
                assert!(script.contains("\"oxidesk-dashboard-app:fetch-info\""));
                assert!(script.contains("event.source !== window.parent"));
                assert!(!script.contains("/sdk/"));
            }
        }
    }

    #[test]
    fn only_plain_names_are_served() {
        for bad in ["", ".", "..", ".hidden", "a b", "a%2F", "a\\b"] {
            assert!(!is_safe_name(bad), "{bad:?}");
        }
        for good in ["customer-orders", "app.js", "index.html", "x_1"] {
            assert!(is_safe_name(good), "{good:?}");
        }
        assert_eq!(
            serve("customer-orders", "../../Cargo.toml").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(serve("customer-orders", "app.js").status(), StatusCode::OK);
    }
}
