//! Account labels.

use oxidesk_domain::{AccountId, Label, LabelId, Timestamp, ValidationErrors, validate};
use serde_json::json;

use super::MAX_LIST;
use crate::service::{ServiceError, Services, found, unique};

/// The colour of a label created without one (Chatwoot's default).
pub const DEFAULT_COLOR: &str = "#1f93ff";

/// A label's fields as a request gives them: `None` keeps the current value (or takes the
/// default when creating).
#[derive(Debug, Clone, Default)]
pub struct LabelFields {
    /// Letters, digits, `-` and `_`; lower-cased (required when creating).
    pub title: Option<String>,
    /// What it is for (default empty).
    pub description: Option<String>,
    /// `#rrggbb` (default `#1f93ff`).
    pub color: Option<String>,
    /// Listed in the sidebar (default true).
    pub show_on_sidebar: Option<bool>,
}

impl Services {
    /// The account's labels, oldest first.
    pub async fn labels(&self, account: AccountId) -> Result<Vec<Label>, ServiceError> {
        Ok(self.store.list_labels(account, None, MAX_LIST).await?)
    }

    /// One label of the account.
    pub async fn label(&self, account: AccountId, id: LabelId) -> Result<Label, ServiceError> {
        found(self.store.label(account, id).await, "label")
    }

    /// Creates a label.
    pub async fn create_label(
        &self,
        account: AccountId,
        title: &str,
        description: &str,
        color: &str,
    ) -> Result<Label, ServiceError> {
        let fields = LabelFields {
            title: Some(title.to_owned()),
            description: Some(description.to_owned()),
            color: Some(color.to_owned()),
            show_on_sidebar: None,
        };
        self.create_label_with(account, &fields).await
    }

    /// Creates a label from a request's fields.
    pub async fn create_label_with(
        &self,
        account: AccountId,
        fields: &LabelFields,
    ) -> Result<Label, ServiceError> {
        let (title, description, color) = check(fields, "", "", DEFAULT_COLOR)?;
        let label = unique(
            self.store
                .create_label(
                    account,
                    &title,
                    &description,
                    &color,
                    fields.show_on_sidebar.unwrap_or(true),
                    Timestamp::now(),
                )
                .await,
            "title",
            "title",
            "is already taken",
        )?;
        self.events
            .publish(account, "label.created", json!({"id": label.id}));
        Ok(label)
    }

    /// Changes a label. A new title is carried over to the conversations that had the old one.
    pub async fn update_label(
        &self,
        account: AccountId,
        id: LabelId,
        fields: &LabelFields,
    ) -> Result<Label, ServiceError> {
        let label = self.label(account, id).await?;
        let (title, description, color) =
            check(fields, &label.title, &label.description, &label.color)?;
        let show_on_sidebar = fields.show_on_sidebar.unwrap_or(label.show_on_sidebar);
        let result = self
            .store
            .update_label(account, id, &title, &description, &color, show_on_sidebar)
            .await;
        let label = unique(result, "title", "title", "is already taken")?;
        self.events
            .publish(account, "label.updated", json!({"id": label.id}));
        Ok(label)
    }

    /// Deletes a label (conversations keep the title, as in Chatwoot).
    pub async fn delete_label(&self, account: AccountId, id: LabelId) -> Result<(), ServiceError> {
        found(self.store.delete_label(account, id).await, "label")?;
        self.events
            .publish(account, "label.deleted", json!({"id": id}));
        Ok(())
    }
}

/// Checks `fields` over the current values: the title, description and colour to save.
fn check(
    fields: &LabelFields,
    title: &str,
    description: &str,
    color: &str,
) -> Result<(String, String, String), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let title = errors.check(validate::label_title(
        "title",
        fields.title.as_deref().unwrap_or(title),
    ));
    let color = errors.check(validate::color(
        "color",
        fields.color.as_deref().unwrap_or(color),
    ));
    let description = fields
        .description
        .as_deref()
        .unwrap_or(description)
        .trim()
        .to_owned();
    errors.into_result()?;
    Ok((
        title.unwrap_or_default(),
        description,
        color.unwrap_or_default(),
    ))
}
