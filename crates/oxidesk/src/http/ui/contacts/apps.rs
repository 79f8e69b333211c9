//! Dashboard Apps on a contact's page (placement `contact_tab`): one tab per app the member
//! sees there, its frames filled from the contact's context (contact, agent, attribute
//! definitions; no conversation), the context and its tokens embedded for `static/js/apps.js`,
//! a fresh one at `GET …/contacts/{id}/context`, the page's CSP `frame-src`, and the apps'
//! actions there (`POST …/contacts/{id}/apps/{app_id}/actions`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use oxidesk_domain::app_url::fill;
use oxidesk_domain::apps::{AppViewer, origin_of};
use oxidesk_domain::{AppPlacement, ContactId, DashboardApp};
use serde::{Deserialize, Serialize};

use crate::http::ui::conversations::app_actions::{answer, read_request};
use crate::http::ui::conversations::apps::{AppTab, template_values};
use crate::http::ui::settings::ItemId;
use crate::http::ui::shell::Member;
use crate::http::{AppState, PageError};
use crate::service::{AppContactCall, AppContactContextView, AppTokens, ServiceError};

/// The apps part of a contact's page.
#[derive(Default)]
pub(super) struct ContactApps {
    pub tabs: Vec<AppTab>,
    /// The context (JSON), empty without apps.
    pub context: String,
    /// Its tokens (JSON), empty without apps.
    pub tokens: String,
    pub frame_origins: Vec<String>,
}

/// A fresh context of the contact and its tokens.
#[derive(Debug, Serialize)]
pub(super) struct FreshContext {
    data: AppContactContextView,
    #[serde(flatten)]
    tokens: AppTokens,
}

fn to_json(value: &impl Serialize) -> Result<String, ServiceError> {
    serde_json::to_string(value).map_err(|e| ServiceError::Internal(format!("app context: {e}")))
}

/// The apps `member` sees on a contact's page.
async fn apps_here(state: &AppState, member: &Member) -> Result<Vec<DashboardApp>, ServiceError> {
    let viewer = AppViewer {
        user: member.user().id,
        role: member.membership.role,
        conversation: None,
    };
    let mut apps = state
        .services
        .visible_dashboard_apps(member.account_id(), &viewer)
        .await?;
    apps.retain(|app| app.placed_at(AppPlacement::ContactTab));
    Ok(apps)
}

async fn fresh(
    state: &AppState,
    member: &Member,
    id: ContactId,
    apps: &[DashboardApp],
) -> Result<FreshContext, ServiceError> {
    let account = member.account_id();
    let data = state
        .services
        .app_contact_context(account, id, member.user())
        .await?;
    let tokens = state
        .services
        .app_contact_tokens(
            &state.config.public_url(),
            account,
            member.user(),
            apps,
            &data,
        )
        .await?;
    Ok(FreshContext { data, tokens })
}

/// Builds the apps part of contact `id`'s page for `member`.
pub(super) async fn build(
    state: &AppState,
    member: &Member,
    id: ContactId,
) -> Result<ContactApps, PageError> {
    let apps = apps_here(state, member).await?;
    if apps.is_empty() {
        return Ok(ContactApps::default());
    }
    let FreshContext { data, tokens } = fresh(state, member, id, &apps).await?;
    let values = serde_json::to_value(&data)
        .map_err(|e| ServiceError::Internal(format!("app context: {e}")))?;
    let mut frame_origins: Vec<String> = Vec::new();
    let mut tabs = Vec::new();
    for app in &apps {
        let origins = app.origins();
        for origin in &origins {
            if !frame_origins.contains(origin) {
                frame_origins.push(origin.clone());
            }
        }
        let values = template_values(&values, member.account_id(), app);
        tabs.push(AppTab {
            id: app.id.get(),
            title: app.title.clone(),
            frames: app
                .content
                .iter()
                .filter(|f| origin_of(&f.url).is_some())
                .map(|f| fill(&f.url, &values))
                .collect(),
            placement: "contact_tab",
            allowed: member
                .shell
                .is_admin
                .then(|| serde_json::Value::from(app.allowed_origins.clone()).to_string()),
            origins: serde_json::Value::from(origins).to_string(),
            protocol: crate::http::ui::conversations::apps::protocol_about(app),
            lifecycle: app.settings.lifecycle.as_str(),
        });
    }
    Ok(ContactApps {
        tabs,
        context: to_json(&data)?,
        tokens: to_json(&tokens)?,
        frame_origins,
    })
}

/// `GET …/contacts/{id}/context`: a fresh context of the contact (`{data, tokens, expires_at,
/// expires_in}`), tokens only for the apps the member sees on contact pages; `403` when there
/// is none.
pub(super) async fn get_context(
    State(state): State<AppState>,
    member: Member,
    ItemId(id): ItemId,
) -> Result<Json<FreshContext>, PageError> {
    let apps = apps_here(&state, &member).await?;
    if apps.is_empty() {
        return Err(crate::http::ui::conversations::apps::no_app());
    }
    Ok(Json(fresh(&state, &member, ContactId(id), &apps).await?))
}

/// `{account_id}/contacts/{id}/apps/{app_id}/actions`.
#[derive(Debug, Deserialize)]
pub(super) struct ActionPath {
    app_id: String,
}

/// `POST …/contacts/{id}/apps/{app_id}/actions`: an app's action on a contact's page, as on a
/// conversation (`conversations::app_actions`), where only `contact.attributes.set` makes
/// sense (`service::AppContactCall`).
pub(super) async fn post_action(
    State(state): State<AppState>,
    member: Member,
    ItemId(id): ItemId,
    Path(path): Path<ActionPath>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let request = match read_request(&state, &member, &headers, &path.app_id, &body).await? {
        Ok(request) => request,
        Err(response) => return Ok(response),
    };
    let call = AppContactCall {
        app: &request.app,
        agent: member.user(),
        role: member.membership.role,
        contact: ContactId(id),
        method: &request.method,
        params: &request.params,
    };
    Ok(answer(
        state
            .services
            .app_contact_action(member.account_id(), &call)
            .await,
    ))
}
