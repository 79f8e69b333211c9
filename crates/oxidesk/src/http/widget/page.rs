//! `GET /widget?website_token=…[&origin=…][&locale=…]`: the page inside the bubble's iframe
//! (and, opened on its own, the chat page mobile apps show in a web view). It creates nothing:
//! the visitor's identity comes with their first message.
//!
//! Framing: `frame-ancestors` lists the inbox's allowed domains (any site when none), and the
//! page refuses an embedding `origin` outside them.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::http::assets::asset_url;
use crate::http::pages::render;
use crate::http::{AppState, PageError};
use crate::service::ServiceError;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/widget", get(get_widget))
}

#[derive(Debug, Deserialize)]
struct WidgetQuery {
    #[serde(default)]
    website_token: String,
    /// The embedding page's origin, as the SDK says it.
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    locale: Option<String>,
}

#[derive(Template)]
#[template(path = "widget/show.html")]
struct WidgetPage {
    css: String,
    js: String,
    website_token: String,
    title: String,
    tagline: String,
    color: String,
    reply_time: &'static str,
    greeting: Option<String>,
    parent_origin: String,
    locale: String,
    /// The visitor may send files (`attachments` feature).
    attachments: bool,
    /// A message into a resolved conversation reopens it (`allow_messages_after_resolved`).
    after_resolved: bool,
}

fn reply_time_text(reply_time: &str) -> &'static str {
    match reply_time {
        "in_a_few_hours" => "Typically replies in a few hours",
        "in_a_day" => "Typically replies in a day",
        _ => "Typically replies in a few minutes",
    }
}

async fn get_widget(
    State(state): State<AppState>,
    Query(query): Query<WidgetQuery>,
) -> Result<Response, PageError> {
    let inbox = state.services.widget_inbox(&query.website_token).await?;
    let widget = inbox
        .channel
        .web_widget()
        .ok_or(ServiceError::NotFound("inbox"))?;
    let parent_origin = query
        .origin
        .as_deref()
        .filter(|o| oxidesk_domain::widget::origin_host(o).is_some())
        .unwrap_or_default()
        .to_owned();
    if let Some(host) = oxidesk_domain::widget::origin_host(&parent_origin) {
        if !widget.allows_host(&host) {
            return Err(ServiceError::Forbidden(
                "This website may not embed the chat (allowed domains).",
            )
            .into());
        }
    }
    let page = WidgetPage {
        css: asset_url("css/widget.css"),
        js: asset_url("js/widget.js"),
        website_token: inbox.inbox_identifier.clone(),
        title: if widget.welcome_title.is_empty() {
            inbox.name.clone()
        } else {
            widget.welcome_title.clone()
        },
        tagline: widget.welcome_tagline.clone(),
        color: widget.widget_color.clone(),
        reply_time: reply_time_text(&widget.reply_time),
        greeting: (widget.greeting_enabled && !widget.greeting_message.is_empty())
            .then(|| widget.greeting_message.clone()),
        parent_origin,
        attachments: crate::service::widget::uploads_allowed(widget),
        after_resolved: crate::service::widget::messages_after_resolved(widget),
        locale: query
            .locale
            .filter(|l| {
                l.len() <= 10
                    && l.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
            .unwrap_or_else(|| "en".to_owned()),
    };
    let ancestors = if widget.allowed_domains.is_empty() {
        "*".to_owned()
    } else {
        widget.allowed_domains.join(" ")
    };
    let csp = crate::http::headers::CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'",
        &format!("frame-ancestors {ancestors}"),
    );
    let mut response = (StatusCode::OK, render(&page)?).into_response();
    let headers = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("ALLOWALL"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
