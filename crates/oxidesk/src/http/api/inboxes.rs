//! `/api/v1/accounts/{account_id}/inboxes`: API-channel inboxes (their agents:
//! `inbox_members`). Everyone reads; administrators write. The HMAC secret of an inbox is
//! shown to administrators only.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{ChannelType, InboxId, PreChatFormOptions, WorkingHours};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, ApiJson, ApiPath, present};
use crate::http::{ApiError, AppState};
use crate::service::InboxFields;
use crate::views::InboxView;
use oxidesk_domain::csat_config::CsatConfigInput;
use oxidesk_domain::widget::WebWidgetInput;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_inboxes, create_inbox))
        .routes(routes!(get_inbox, update_inbox, delete_inbox))
        .routes(routes!(reset_inbox_secret))
}

/// `{account_id}/inboxes/{id}`.
#[derive(Debug, Deserialize)]
pub struct InboxPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The inbox.
    pub id: i64,
}

/// The account's inboxes.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxList {
    /// Inboxes, oldest first.
    pub payload: Vec<InboxView>,
}

/// The channel of `POST`/`PATCH .../inboxes`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ChannelRequest {
    /// `api` (the default) or `web_widget` (the website live-chat widget).
    #[serde(rename = "type")]
    #[schema(value_type = Option<String>)]
    pub kind: Option<ChannelType>,
    /// Where Oxidesk posts outgoing messages; null or empty removes it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub webhook_url: Option<Option<String>>,
    /// Whether contacts must send a valid `identifier_hash`.
    pub hmac_mandatory: Option<bool>,
    /// `web_widget`: the website's address (required).
    pub website_url: Option<String>,
    /// `web_widget`: `#rrggbb` (default `#1f93ff`).
    pub widget_color: Option<String>,
    /// `web_widget`: the header's title.
    pub welcome_title: Option<String>,
    /// `web_widget`: the header's second line.
    pub welcome_tagline: Option<String>,
    /// `web_widget`: `in_a_few_minutes`, `in_a_few_hours` or `in_a_day`.
    pub reply_time: Option<String>,
    /// `web_widget`: hosts that may embed the widget, comma-separated (empty: any).
    pub allowed_domains: Option<String>,
    /// `web_widget`: whether the pre-chat form is shown.
    pub pre_chat_form_enabled: Option<bool>,
    /// `web_widget`: `{pre_chat_message, pre_chat_fields: [{name, label, type, field_type,
    /// required, enabled, placeholder, values}]}` (replaces the form).
    #[schema(value_type = Option<Object>)]
    pub pre_chat_form_options: Option<PreChatFormOptions>,
    /// `web_widget`: whether replies are emailed to visitors who left an address.
    pub continuity_via_email: Option<bool>,
    /// `web_widget`: the optional features that are on: `attachments`, `emoji_picker`,
    /// `end_conversation`, `use_inbox_avatar_for_bot`, `allow_mobile_webview`.
    pub selected_feature_flags: Option<Vec<String>>,
}

/// Body of `POST`/`PATCH .../inboxes` (Chatwoot's `inbox_create_payload` for the API channel).
#[derive(Debug, Deserialize, ToSchema)]
pub struct InboxRequest {
    /// The name (required when creating).
    pub name: Option<String>,
    /// Whether new conversations are assigned automatically.
    pub enable_auto_assignment: Option<bool>,
    /// The channel and its settings.
    #[serde(default)]
    pub channel: ChannelRequest,
    /// `web_widget`: whether the greeting is shown (an inbox field in Chatwoot).
    pub greeting_enabled: Option<bool>,
    /// `web_widget`: the greeting.
    pub greeting_message: Option<String>,
    /// `web_widget`: whether `working_hours` apply.
    pub working_hours_enabled: Option<bool>,
    /// `web_widget`: shown outside working hours.
    pub out_of_office_message: Option<String>,
    /// `web_widget`: the IANA time zone of the working hours.
    pub timezone: Option<String>,
    /// `web_widget`: `[{day_of_week (0 = Sunday), closed_all_day, open_all_day, open_hour,
    /// open_minutes, close_hour, close_minutes}]`; a day not given is closed.
    #[schema(value_type = Option<Vec<Object>>)]
    pub working_hours: Option<Vec<WorkingHours>>,
    /// `web_widget`: whether resolving asks the visitor for a rating.
    pub csat_survey_enabled: Option<bool>,
    /// `web_widget`: the survey's look and rules, `{display_type (emoji | star), message,
    /// button_text, language, survey_rules: {operator (contains | does_not_contain), values:
    /// [label]}}`; keys not given are kept.
    #[schema(value_type = Option<Object>)]
    pub csat_config: Option<CsatConfigInput>,
    /// `web_widget`: whether visitors may write in a resolved conversation.
    pub allow_messages_after_resolved: Option<bool>,
}

impl From<InboxRequest> for InboxFields {
    fn from(body: InboxRequest) -> Self {
        InboxFields {
            name: body.name,
            enable_auto_assignment: body.enable_auto_assignment,
            webhook_url: body.channel.webhook_url,
            hmac_mandatory: body.channel.hmac_mandatory,
            channel_type: body.channel.kind,
            widget: WebWidgetInput {
                website_url: body.channel.website_url,
                widget_color: body.channel.widget_color,
                welcome_title: body.channel.welcome_title,
                welcome_tagline: body.channel.welcome_tagline,
                reply_time: body.channel.reply_time,
                greeting_enabled: body.greeting_enabled,
                greeting_message: body.greeting_message,
                hmac_mandatory: None,
                allowed_domains: body.channel.allowed_domains,
                pre_chat_form_enabled: body.channel.pre_chat_form_enabled,
                pre_chat_form_options: body.channel.pre_chat_form_options,
                csat_survey_enabled: body.csat_survey_enabled,
                csat_config: body.csat_config,
                selected_feature_flags: body.channel.selected_feature_flags,
                working_hours_enabled: body.working_hours_enabled,
                out_of_office_message: body.out_of_office_message,
                timezone: body.timezone,
                working_hours: body.working_hours,
                allow_messages_after_resolved: body.allow_messages_after_resolved,
                continuity_via_email: body.channel.continuity_via_email,
            },
        }
    }
}

/// The account's inboxes, oldest first.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/inboxes", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = InboxList), (status = 401, body = ErrorBody)))]
async fn list_inboxes(
    State(state): State<AppState>,
    caller: AccountCaller,
) -> Result<Json<InboxList>, ApiError> {
    let inboxes = state.services.inboxes(caller.account).await?;
    let secrets = state.services.inbox_secrets(caller.account).await?;
    let base = state.config.public_url();
    let payload = inboxes
        .iter()
        .map(|inbox| {
            InboxView::new(inbox, caller.is_admin())
                .with_script(&base)
                .with_webhook_secret(inbox, &secrets)
        })
        .collect();
    Ok(Json(InboxList { payload }))
}

/// One inbox.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/inboxes/{id}", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = InboxView), (status = 404, body = ErrorBody)))]
async fn get_inbox(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<InboxPath>,
) -> Result<Json<InboxView>, ApiError> {
    let inbox = state
        .services
        .inbox(caller.account, InboxId(path.id))
        .await?;
    inbox_view(&state, &inbox, caller.is_admin()).await
}

/// Creates an inbox: the API channel (`channel.type` `api`, the default; its
/// `inbox_identifier` is what the client API uses) or a website widget (`web_widget`, with
/// `website_url` and the widget's settings; its `website_token` goes into the embed snippet).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/inboxes", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = InboxRequest,
    responses((status = 200, body = InboxView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_inbox(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<InboxRequest>,
) -> Result<Json<InboxView>, ApiError> {
    caller.require_admin()?;
    let inbox = state
        .services
        .create_inbox(caller.account, &body.into())
        .await?;
    inbox_view(&state, &inbox, true).await
}

/// Changes an inbox: `name`, `enable_auto_assignment`, `channel.webhook_url`,
/// `channel.hmac_mandatory`. Fields left out keep their value.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/inboxes/{id}", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = InboxRequest,
    responses((status = 200, body = InboxView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_inbox(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<InboxPath>,
    ApiJson(body): ApiJson<InboxRequest>,
) -> Result<Json<InboxView>, ApiError> {
    caller.require_admin()?;
    let inbox = state
        .services
        .update_inbox(caller.account, InboxId(path.id), &body.into())
        .await?;
    inbox_view(&state, &inbox, true).await
}

/// The API's view of one inbox; `admin` adds its secrets.
async fn inbox_view(
    state: &AppState,
    inbox: &oxidesk_domain::Inbox,
    admin: bool,
) -> Result<Json<InboxView>, ApiError> {
    let secrets = state.services.inbox_secrets(inbox.account_id).await?;
    Ok(Json(
        InboxView::new(inbox, admin)
            .with_script(&state.config.public_url())
            .with_webhook_secret(inbox, &secrets),
    ))
}

/// Gives an API inbox a new webhook signing `secret` (Chatwoot's `reset_secret`): its
/// `webhook_url` deliveries are signed with it from the next one on. Answers the inbox with its
/// new secret; 404 for an inbox of another channel.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/inboxes/{id}/reset_secret",
    tag = "inboxes", security(("userApiKey" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = InboxView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reset_inbox_secret(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<InboxPath>,
) -> Result<Json<InboxView>, ApiError> {
    caller.require_admin()?;
    let inbox = state
        .services
        .reset_inbox_secret(caller.account, InboxId(path.id))
        .await?;
    inbox_view(&state, &inbox, true).await
}

/// Deletes an inbox with its conversations.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/inboxes/{id}", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, description = "Deleted: `{}`"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_inbox(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<InboxPath>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    state
        .services
        .delete_inbox(caller.account, InboxId(path.id))
        .await?;
    Ok(Json(json!({})))
}
