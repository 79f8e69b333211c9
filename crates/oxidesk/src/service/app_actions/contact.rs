//! Actions of an app placed on a contact's page (placement `contact_tab`): there is no
//! conversation there, so the only action that makes sense is the one about the contact,
//! `contact.attributes.set`. Every other action is refused (`forbidden`, naming why); each
//! attempt is written to the audit log with the contact and no conversation, as on a
//! conversation.

use oxidesk_domain::apps::AppViewer;
use oxidesk_domain::{
    AccountId, AppAction, AppActionOutcome, AppPlacement, ContactId, DashboardApp, Role, Timestamp,
    User,
};
use oxidesk_store::NewAuditEntry;
use serde_json::{Value, json};

use super::params::{AppActionError, attribute_params, invalid, keys};
use crate::service::{ContactInput, Services};

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
        let (result, detail) = match &outcome {
            Ok((_, done)) => (AppActionOutcome::Done, Some(done.clone())),
            Err(error) => (error.outcome(), Some(error.message())),
        };
        let entry = NewAuditEntry {
            app_id: call.app.id.get(),
            app_title: &call.app.title,
            user_id: Some(call.agent.id.get()),
            conversation_id: None,
            contact_id: contact,
            action: call.method,
            params: call.params,
            outcome: result,
            detail: detail.as_deref(),
        };
        self.store
            .insert_app_audit(account, &entry, Timestamp::now())
            .await
            .map_err(|e| AppActionError::Internal(e.to_string()))?;
        outcome.map(|(value, _)| value)
    }

    async fn run_app_contact_action(
        &self,
        account: AccountId,
        call: &AppContactCall<'_>,
    ) -> Result<(Value, String), AppActionError> {
        let action: AppAction = call
            .method
            .parse()
            .map_err(|_| AppActionError::UnknownMethod(call.method.to_owned()))?;
        if !call.app.settings.grants(action.scope()) {
            return Err(AppActionError::MissingScope(action.scope()));
        }
        if action != AppAction::ContactAttributesSet {
            return Err(AppActionError::Forbidden(format!(
                "{} acts on a conversation, and a contact's page has none; on a contact's page an \
                 app can only use contact.attributes.set",
                action.as_str()
            )));
        }
        let params = match call.params {
            Value::Object(_) => call.params,
            Value::Null => &Value::Object(Default::default()),
            _ => return Err(invalid("params", "must be an object")),
        };
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
        let values = attribute_params(params)?;
        let patch = ContactInput {
            custom_attributes: values.clone(),
            ..ContactInput::default()
        };
        let contact = self
            .update_contact(account, call.contact, &patch, None)
            .await?;
        let line = format!(
            "{} set the contact's {} for {}",
            call.app.title,
            keys(&values),
            call.agent.available_name()
        );
        Ok((
            json!({"custom_attributes": contact.custom_attributes}),
            line,
        ))
    }
}
