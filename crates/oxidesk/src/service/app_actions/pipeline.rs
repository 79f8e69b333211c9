//! The steps every app action takes, wherever the app is (a conversation, a contact's page):
//! the method known and its scope granted, `params` an object, the contact's attributes set the
//! same way, and the outcome written to the account's app audit log, refused attempts included.

use std::borrow::Cow;

use oxidesk_domain::{
    AccountId, AppAction, AppActionOutcome, ContactId, DashboardApp, Timestamp, User,
};
use oxidesk_store::NewAuditEntry;
use serde_json::{Value, json};

use super::params::{AppActionError, attribute_params, invalid, keys};
use crate::service::{ContactInput, Services};

/// What an audit entry is about.
pub(super) struct Audited<'a> {
    /// The app.
    pub app: &'a DashboardApp,
    /// The agent it acted for.
    pub agent: &'a User,
    /// The protocol method, as asked.
    pub method: &'a str,
    /// Its `params`, as sent.
    pub params: &'a Value,
    /// The conversation's number, on a conversation.
    pub conversation: Option<i64>,
    /// The contact (only one of the account's).
    pub contact: Option<i64>,
}

/// The action `method` names, if the administrator granted `app` its scope.
pub(super) fn granted(app: &DashboardApp, method: &str) -> Result<AppAction, AppActionError> {
    let action: AppAction = method
        .parse()
        .map_err(|_| AppActionError::UnknownMethod(method.to_owned()))?;
    if !app.settings.grants(action.scope()) {
        return Err(AppActionError::MissingScope(action.scope()));
    }
    Ok(action)
}

/// `params` as an object (absent reads as `{}`).
pub(super) fn params_object(params: &Value) -> Result<Cow<'_, Value>, AppActionError> {
    match params {
        Value::Object(_) => Ok(Cow::Borrowed(params)),
        Value::Null => Ok(Cow::Owned(Value::Object(Default::default()))),
        _ => Err(invalid("params", "must be an object")),
    }
}

impl Services {
    /// Writes an action's outcome to the account's app audit log; the action's result.
    pub(super) async fn audited(
        &self,
        account: AccountId,
        about: Audited<'_>,
        outcome: Result<(Value, String), AppActionError>,
    ) -> Result<Value, AppActionError> {
        let (result, detail) = match &outcome {
            Ok((_, done)) => (AppActionOutcome::Done, Some(done.clone())),
            Err(error) => (error.outcome(), Some(error.message())),
        };
        let entry = NewAuditEntry {
            app_id: about.app.id.get(),
            app_title: &about.app.title,
            user_id: Some(about.agent.id.get()),
            conversation_id: about.conversation,
            contact_id: about.contact,
            action: about.method,
            params: about.params,
            outcome: result,
            detail: detail.as_deref(),
        };
        self.store
            .insert_app_audit(account, &entry, Timestamp::now())
            .await
            .map_err(|e| AppActionError::Internal(e.to_string()))?;
        outcome.map(|(value, _)| value)
    }

    /// `contact.attributes.set` for `agent` through `app`: the contact's custom attributes
    /// merged with `params.attributes`; the result and the line saying what was done.
    pub(super) async fn app_sets_contact_attributes(
        &self,
        account: AccountId,
        contact: ContactId,
        app: &DashboardApp,
        agent: &User,
        params: &Value,
    ) -> Result<(Value, String), AppActionError> {
        let values = attribute_params(params)?;
        let patch = ContactInput {
            custom_attributes: values.clone(),
            ..ContactInput::default()
        };
        let contact = self.update_contact(account, contact, &patch, None).await?;
        let line = format!(
            "{} set the contact's {} for {}",
            app.title,
            keys(&values),
            agent.available_name()
        );
        Ok((
            json!({"custom_attributes": contact.custom_attributes}),
            line,
        ))
    }
}
