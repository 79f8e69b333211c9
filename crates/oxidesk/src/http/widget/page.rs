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
use oxidesk_domain::Timestamp;
use serde::Deserialize;

use super::team::Header;
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
    /// Who is there: the same as the live stream's `presence` events.
    header: Header,
    greeting: Option<String>,
    parent_origin: String,
    locale: String,
    /// The settings `widget.js` reads ([`WidgetConfig`] as JSON, escaped into an attribute).
    config: String,
}

/// What the widget's script needs to know about its inbox, as `data-config` on `#widget`
/// (`docs/widget.md`, "The page's configuration"). Names follow Chatwoot's
/// `website_channel_config`.
#[derive(Debug, serde::Serialize)]
struct WidgetConfig<'a> {
    pre_chat_form_enabled: bool,
    /// Only the enabled fields, in order.
    pre_chat_form_options: PreChatConfig<'a>,
    csat_survey_enabled: bool,
    /// The survey's look: `{display_type, message, button_text}` (not its rules).
    csat_config: serde_json::Value,
    enabled_features: &'a [String],
    allow_messages_after_resolved: bool,
    working_hours_enabled: bool,
    in_business_hours: bool,
    out_of_office_message: &'a str,
    timezone: &'a str,
    reply_time: &'a str,
}

#[derive(Debug, serde::Serialize)]
struct PreChatConfig<'a> {
    pre_chat_message: &'a str,
    pre_chat_fields: Vec<&'a oxidesk_domain::widget_settings::PreChatField>,
}

impl<'a> WidgetConfig<'a> {
    fn new(widget: &'a oxidesk_domain::WebWidget, now: oxidesk_domain::Timestamp) -> Self {
        Self {
            pre_chat_form_enabled: widget.pre_chat_form_enabled,
            pre_chat_form_options: PreChatConfig {
                pre_chat_message: &widget.pre_chat_form_options.pre_chat_message,
                pre_chat_fields: widget
                    .pre_chat_form_options
                    .pre_chat_fields
                    .iter()
                    .filter(|f| f.enabled)
                    .collect(),
            },
            csat_survey_enabled: widget.csat_survey_enabled,
            csat_config: serde_json::json!({
                "display_type": widget.csat_config.display_type,
                "message": widget.csat_config.message,
                "button_text": widget.csat_config.button_text,
            }),
            enabled_features: &widget.selected_feature_flags,
            allow_messages_after_resolved: widget.allow_messages_after_resolved,
            working_hours_enabled: widget.working_hours_enabled,
            in_business_hours: widget.in_business_hours(now),
            out_of_office_message: &widget.out_of_office_message,
            timezone: &widget.timezone,
            reply_time: &widget.reply_time,
        }
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
    let presence = state.services.inbox_presence(&inbox).await?;
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
        header: Header::new(widget, &presence),
        greeting: (widget.greeting_enabled && !widget.greeting_message.is_empty())
            .then(|| widget.greeting_message.clone()),
        parent_origin,
        locale: query
            .locale
            .filter(|l| {
                l.len() <= 10
                    && l.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
            .unwrap_or_else(|| "en".to_owned()),
        config: serde_json::to_string(&WidgetConfig::new(widget, Timestamp::now()))
            .map_err(|e| PageError::from(ServiceError::Internal(e.to_string())))?,
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
