//! Actions of an app placed on a contact's page (placement `contact_tab`): there is no
//! conversation there, so the only action that makes sense is the one about the contact,
//! `contact.attributes.set`. Every other action is refused (`forbidden`, naming why); each
//! attempt is written to the audit log with the contact and no conversation, as on a
//! conversation.

use oxidesk_domain::apps::AppViewer;
use oxidesk_domain::{AccountId, AppAction, AppPlacement, ContactId, DashboardApp, Role, User};
use serde_json::Value;

use super::params::AppActionError;
use super::pipeline::{Audited, granted, params_object};
use crate::service::Services;

/// One request of an app on a contact's page.
#[derive(Debug, Clone, Copy)]
pub struct AppContactCall<'a> {
    /// The app (the account's).
    pub app: &'a DashboardApp,
    /// The agent who has the contact's page open.
    pub agent: &'a User,
    /// Their role in the account.
    pub role: Role,
    /// The contact.
    pub contact: ContactId,
    /// The protocol method.
    pub method: &'a str,
    /// Its `params` (an object, or absent).
    pub params: &'a Value,
}

impl Services {
    /// Runs an app's action on a contact's page and records it in the audit log, whatever the
    /// outcome.
    pub async fn app_contact_action(
        &self,
        account: AccountId,
        call: &AppContactCall<'_>,
    ) -> Result<Value, AppActionError> {
        let outcome = self.run_app_contact_action(account, call).await;
        // Only a contact of this account is named in its log.
        let contact = self
            .contact(account, call.contact)
            .await
            .ok()
            .map(|c| c.id.get());
        let about = Audited {
            app: call.app,
            agent: call.agent,
            method: call.method,
            params: call.params,
            conversation: None,
            contact,
        };
        self.audited(account, about, outcome).await
    }

    async fn run_app_contact_action(
        &self,
        account: AccountId,
        call: &AppContactCall<'_>,
    ) -> Result<(Value, String), AppActionError> {
        let action = granted(call.app, call.method)?;
        if action != AppAction::ContactAttributesSet {
            return Err(AppActionError::Forbidden(format!(
                "{} acts on a conversation, and a contact's page has none; on a contact's page an \
                 app can only use contact.attributes.set",
                action.as_str()
            )));
        }
        let params = params_object(call.params)?;
        // An app acts only where it appears: on contact pages, for this agent.
        let viewer = AppViewer {
            user: call.agent.id,
            role: call.role,
            conversation: None,
        };
        if !call.app.placed_at(AppPlacement::ContactTab) || !call.app.visible_to(&viewer) {
            return Err(AppActionError::Forbidden(
                "This app is not shown to you on contact pages (its placement or visibility settings)"
                    .into(),
            ));
        }
        self.app_sets_contact_attributes(account, call.contact, call.app, call.agent, &params)
            .await
    }
}
