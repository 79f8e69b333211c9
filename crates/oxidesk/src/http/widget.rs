//! The website widget's web side (`docs/widget.md`): `GET /packs/js/sdk.js` (the loader a
//! website embeds with Chatwoot's snippet), `GET /widget?website_token=…` (the page inside the
//! bubble's iframe), and the page's own API under `/widget/api/…` (`api`) with its live stream
//! (`live`).
//!
//! Who calls: the widget page, same-origin, with `website_token` in the query and the visitor
//! token in `X-Widget-Token` (the live stream, an `EventSource`, in the query). A request whose
//! `Origin` is another site is refused, and so is one whose embedding page (`X-Widget-Origin`,
//! the parent origin the SDK told the frame) is not on the inbox's allowed domains; the browser
//! itself enforces the same list on the frame (`frame-ancestors`).

mod api;
mod live;
mod page;
mod site;
mod team;

use axum::Router;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::{ApiError, AppState};
use crate::service::ServiceError;
use crate::service::widget::{TOKEN_EXPIRED, TOKEN_REFUSED, WidgetVisitor};

/// The loader as written: plain JavaScript with no build step.
const SDK_SOURCE: &str = include_str!("../../widget/sdk.js");

/// The loader as served: the source without its lines' indentation and without whole-line
/// `//` comments (neither means anything to JavaScript here: the file has no template
/// literals or multi-line strings), a quarter lighter for every website's visitors.
pub fn sdk_js() -> &'static str {
    static SERVED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SERVED.get_or_init(|| {
        SDK_SOURCE
            .lines()
            .map(str::trim_start)
            .filter(|line| !line.is_empty() && !line.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}
/// How long browsers and proxies keep `sdk.js` before asking again (by `ETag`).
const SDK_CACHE: &str = "public, max-age=3600, must-revalidate";

/// Writes a visitor may make per minute (messages, `setUser`, attributes, labels).
pub const VISITOR_WRITES_PER_MINUTE: u32 = 30;
/// Writes all the visitors of one website may make per minute.
pub const WEBSITE_WRITES_PER_MINUTE: u32 = 600;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/packs/js/sdk.js", get(get_sdk))
        .merge(page::router())
        .merge(api::router())
        .merge(site::router())
        .merge(live::router())
}

/// `GET /packs/js/sdk.js`: open to every origin, cached for an hour, then revalidated.
async fn get_sdk(request_headers: HeaderMap) -> Response {
    let etag = format!("\"{}\"", &crate::secrets::sha256_hex(sdk_js())[..16]);
    let headers: [(HeaderName, String); 4] = [
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
        (header::CACHE_CONTROL, SDK_CACHE.to_owned()),
        (header::ETAG, etag.clone()),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "cross-origin".to_owned(),
        ),
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
        [(
            header::CONTENT_TYPE,
            "text/javascript; charset=utf-8".to_owned(),
        )],
        sdk_js(),
    )
        .into_response()
}

/// `?website_token=` of every widget request (and `token=` on the live stream).
#[derive(Debug, Deserialize)]
struct TokenQuery {
    #[serde(default)]
    website_token: String,
    #[serde(default)]
    token: Option<String>,
}

/// The website inbox and the visitor of a widget API request, after the origin checks.
#[derive(Debug, Clone)]
pub struct Visitor(pub WidgetVisitor);

impl FromRequestParts<AppState> for Visitor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Query(query) = Query::<TokenQuery>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::from(ServiceError::NotFound("inbox")))?;
        let headers = &parts.headers;
        refuse_other_sites(headers)?;
        let token = headers
            .get("x-widget-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or(query.token);
        let visitor = state
            .services
            .widget_visitor(&query.website_token, token.as_deref())
            .await
            .map_err(|e| match e {
                ServiceError::Unauthorized(why) if why == TOKEN_REFUSED || why == TOKEN_EXPIRED => {
                    ApiError::new(StatusCode::UNAUTHORIZED, "invalid_visitor_token", why)
                }
                other => other.into(),
            })?;
        let widget = visitor.widget()?;
        let embedder = headers
            .get("x-widget-origin")
            .and_then(|v| v.to_str().ok())
            .and_then(oxidesk_domain::widget::origin_host);
        if let Some(host) = embedder {
            if !widget.allows_host(&host) {
                return Err(ApiError::from(ServiceError::Forbidden(
                    "this website may not embed the widget (allowed domains)",
                )));
            }
        }
        Ok(Visitor(visitor))
    }
}

/// Refuses a request sent by a page of another site (`Origin` is not this server's host).
fn refuse_other_sites(headers: &HeaderMap) -> Result<(), ApiError> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null");
    match (origin, host) {
        (Some(origin), Some(host))
            if oxidesk_domain::widget::origin_host(origin).as_deref() != Some(host) =>
        {
            Err(ApiError::from(ServiceError::Forbidden(
                "the widget API answers only its own page",
            )))
        }
        _ => Ok(()),
    }
}

/// Counts a write of the visitor (or of a new visitor) against both limits.
pub(super) fn count_write(state: &AppState, visitor: &WidgetVisitor) -> Result<(), ApiError> {
    let limits = &state.services.limits;
    limits.hit(
        &format!("widget:site:{}", visitor.inbox.id.get()),
        WEBSITE_WRITES_PER_MINUTE,
    )?;
    if let Some(identity) = &visitor.identity {
        limits.hit(
            &format!("widget:visitor:{}", identity.contact_inbox.id.get()),
            VISITOR_WRITES_PER_MINUTE,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_stays_small() {
        assert!(
            sdk_js().len() < 10_000,
            "sdk.js is {} bytes",
            sdk_js().len()
        );
        assert!(!SDK_SOURCE.contains('`'), "no template literals in sdk.js");
    }
}
