//! What a dashboard app placed on a contact's page receives (`docs/dashboard-apps.md`,
//! "On a contact's page"): the contact, the agent and the account's custom attribute
//! definitions, without a conversation; and its signed tokens, whose claims are those of a
//! conversation's context less `conversation_id`. Data an app's settings withhold is left out
//! of its view (`views`), as beside a conversation.

use oxidesk_domain::{AccountId, ContactId, DashboardApp, User};
use serde::Serialize;

use super::app_tokens::AppTokens;
use super::{ServiceError, Services};
use crate::views::{ContactView, CurrentAgentView, CustomAttributeView, app_contact};

/// The `appContext` data on a contact's page (the page adds `theme`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AppContactContextView {
    /// The contact, in full (as `contact` beside a conversation).
    pub contact: ContactView,
    /// The signed-in agent.
    #[serde(rename = "currentAgent")]
    pub current_agent: CurrentAgentView,
    /// The account's custom attribute definitions.
    #[serde(rename = "customAttributes")]
    pub custom_attributes: Vec<CustomAttributeView>,
}

/// The claims of a contact page's token: a conversation context's, less `conversation_id`.
#[derive(Debug, Clone, Serialize)]
struct AppContactClaims {
    iss: String,
    aud: Vec<String>,
    iat: i64,
    exp: i64,
    jti: String,
    app_id: i64,
    account_id: i64,
    agent_id: i64,
    contact_id: i64,
    data_sha256: String,
}

impl Services {
    /// The context of contact `id` for `agent`.
    pub async fn app_contact_context(
        &self,
        account: AccountId,
        id: ContactId,
        agent: &User,
    ) -> Result<AppContactContextView, ServiceError> {
        let contact = self.contact(account, id).await?;
        let definitions = self.attribute_definitions(account, None).await?;
        Ok(AppContactContextView {
            contact: app_contact(ContactView::from(&contact)),
            current_agent: CurrentAgentView {
                id: agent.id.get(),
                name: agent.name.clone(),
                email: agent.email.clone(),
            },
            custom_attributes: definitions.iter().map(CustomAttributeView::from).collect(),
        })
    }

    /// Signs `data` for each of `apps`, as `issuer` (one token per app and theme).
    pub async fn app_contact_tokens(
        &self,
        issuer: &str,
        account: AccountId,
        agent: &User,
        apps: &[DashboardApp],
        data: &AppContactContextView,
    ) -> Result<AppTokens, ServiceError> {
        let shared = serde_json::to_value(data)
            .map_err(|e| ServiceError::Internal(format!("context: {e}")))?;
        self.sign_for_apps(apps, &shared, |app, iat, exp, data_sha256| {
            AppContactClaims {
                iss: issuer.trim_end_matches('/').to_owned(),
                aud: app.origins(),
                iat,
                exp,
                jti: uuid::Uuid::new_v4().to_string(),
                app_id: app.id.get(),
                account_id: account.get(),
                agent_id: agent.id.get(),
                contact_id: data.contact.id,
                data_sha256: data_sha256.to_owned(),
            }
        })
        .await
    }
}
