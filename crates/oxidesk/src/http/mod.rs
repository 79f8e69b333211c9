//! The web layer: routers, extractors, errors, security headers. Handlers extract, authorize,
//! call a service and render; no SQL here.

pub mod api;
pub mod assets;
mod error;
pub mod examples;
pub mod files;
mod headers;
pub mod overload;
pub(crate) mod pages;
pub mod sdk;
mod session;
pub mod ui;
pub mod wellknown;
pub mod widget;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Request, header};
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::service::Services;

pub use error::{ApiError, PageError};
pub use session::{CSRF_COOKIE, SESSION_COOKIE};

/// The largest request body accepted (a long message with attributes fits easily).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The use cases.
    pub services: Services,
    /// The configuration.
    pub config: Arc<Config>,
}

/// Whether a request wants the API's JSON answers (rather than pages): the API paths, or a
/// script's request that accepts JSON.
pub(crate) fn is_api_request<B>(request: &Request<B>) -> bool {
    let path = request.uri().path();
    api::compat::is_api_path(path)
        || path == "/health"
        || request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| {
                accept.contains("application/json") && !accept.contains("text/html")
            })
}

/// Holds the answer to a request that may have changed something (any method but `GET`,
/// `HEAD` and `OPTIONS`) until the events it published are in the event log: what is
/// acknowledged has its events, and so its webhooks, recorded (see `docs/ARCHITECTURE.md`,
/// "Webhooks").
async fn events_recorded(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let safe = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    let response = next.run(request).await;
    if !safe {
        state.services.events.flushed().await;
    }
    response
}

/// The whole application: pages, API, assets, with the load-shedding, security and tracing
/// layers.
pub fn router(state: AppState) -> Router {
    // One reference count a clone (axum clones a layer's state for each request).
    let shedder = Arc::new(overload::Shedder::new(state.clone()));
    let app = Router::new()
        .merge(pages::router())
        .merge(ui::router())
        .merge(api::router())
        .merge(assets::router())
        .merge(examples::router())
        .merge(sdk::router())
        .merge(wellknown::router())
        .merge(widget::router())
        .merge(files::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), files::upload_limits))
        .layer(axum::middleware::from_fn_with_state(state.clone(), events_recorded))
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_page_errors))
        .layer(axum::middleware::from_fn_with_state(shedder, overload::shed_load))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(
            // Only the method and the path are recorded: never query strings, headers or
            // cookies, where tokens and session ids travel.
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
            }),
        )
        .with_state(state);
    api::compat::normalize(app)
}
