//! Custom attribute definitions: the keys agents fill in on conversations and contacts.

use oxidesk_domain::{
    AccountId, AttributeDisplayType, AttributeModel, CustomAttributeDefinition,
    CustomAttributeDefinitionId, Timestamp, ValidationErrors, validate,
};
use serde_json::json;

use super::MAX_LIST;
use crate::service::{ServiceError, Services, found, unique};

/// A custom attribute definition to create (the demo and the CLI).
#[derive(Debug, Clone)]
pub struct AttributeInput<'a> {
    /// The key (`plan`).
    pub key: &'a str,
    /// The label ("Plan").
    pub display_name: &'a str,
    /// How it is entered.
    pub display_type: AttributeDisplayType,
    /// Conversations or contacts.
    pub model: AttributeModel,
    /// What it means.
    pub description: &'a str,
    /// Choices, for `list`.
    pub values: Vec<String>,
}

/// A definition's fields as a request gives them: `None` keeps the current value (or takes the
/// default when creating). A blank `regex_pattern` or `regex_cue` removes it.
#[derive(Debug, Clone, Default)]
pub struct AttributeFields {
    /// Lower-case letters, digits and `_`, starting with a letter (required when creating).
    pub key: Option<String>,
    /// The label shown to agents (required when creating).
    pub display_name: Option<String>,
    /// How it is entered (default `text`).
    pub display_type: Option<AttributeDisplayType>,
    /// Conversations or contacts (default conversations).
    pub model: Option<AttributeModel>,
    /// What it means (default empty).
    pub description: Option<String>,
    /// The choices of a `list` (at least one).
    pub values: Option<Vec<String>>,
    /// A pattern text values must match.
    pub regex_pattern: Option<String>,
    /// The hint shown when a value does not match the pattern.
    pub regex_cue: Option<String>,
}

impl Services {
    /// The account's definitions, of one model or of both, oldest first.
    pub async fn attribute_definitions(
        &self,
        account: AccountId,
        model: Option<AttributeModel>,
    ) -> Result<Vec<CustomAttributeDefinition>, ServiceError> {
        Ok(self
            .store
            .list_attribute_definitions(account, model, None, MAX_LIST)
            .await?)
    }

    /// One definition of the account.
    pub async fn attribute_definition(
        &self,
        account: AccountId,
        id: CustomAttributeDefinitionId,
    ) -> Result<CustomAttributeDefinition, ServiceError> {
        found(
            self.store.attribute_definition(account, id).await,
            "custom attribute definition",
        )
    }

    /// Defines a custom attribute.
    pub async fn create_attribute_definition(
        &self,
        account: AccountId,
        input: &AttributeInput<'_>,
    ) -> Result<CustomAttributeDefinition, ServiceError> {
        let fields = AttributeFields {
            key: Some(input.key.to_owned()),
            display_name: Some(input.display_name.to_owned()),
            display_type: Some(input.display_type),
            model: Some(input.model),
            description: Some(input.description.to_owned()),
            values: Some(input.values.clone()),
            regex_pattern: None,
            regex_cue: None,
        };
        self.create_attribute_definition_with(account, &fields)
            .await
    }

    /// Defines a custom attribute from a request's fields.
    pub async fn create_attribute_definition_with(
        &self,
        account: AccountId,
        fields: &AttributeFields,
    ) -> Result<CustomAttributeDefinition, ServiceError> {
        let now = Timestamp::now();
        let mut def = CustomAttributeDefinition {
            id: 0.into(),
            account_id: account,
            attribute_key: String::new(),
            attribute_display_name: String::new(),
            attribute_display_type: AttributeDisplayType::Text,
            attribute_description: String::new(),
            attribute_model: AttributeModel::Conversation,
            attribute_values: Vec::new(),
            regex_pattern: None,
            regex_cue: None,
            default_value: None,
            created_at: now,
            updated_at: now,
        };
        apply(&mut def, fields)?;
        let def = unique(
            self.store.create_attribute_definition(&def, now).await,
            "attribute_key",
            "attribute_key",
            "is already defined for this model",
        )?;
        self.events.publish(
            account,
            "custom_attribute_definition.created",
            json!({"id": def.id}),
        );
        Ok(def)
    }

    /// Changes a definition.
    pub async fn update_attribute_definition(
        &self,
        account: AccountId,
        id: CustomAttributeDefinitionId,
        fields: &AttributeFields,
    ) -> Result<CustomAttributeDefinition, ServiceError> {
        let mut def = self.attribute_definition(account, id).await?;
        apply(&mut def, fields)?;
        let result = self
            .store
            .update_attribute_definition(&def, Timestamp::now())
            .await;
        let def = unique(
            result,
            "attribute_key",
            "attribute_key",
            "is already defined for this model",
        )?;
        self.events.publish(
            account,
            "custom_attribute_definition.updated",
            json!({"id": def.id}),
        );
        Ok(def)
    }

    /// Deletes a definition (values already set stay in `custom_attributes`, as in Chatwoot).
    pub async fn delete_attribute_definition(
        &self,
        account: AccountId,
        id: CustomAttributeDefinitionId,
    ) -> Result<(), ServiceError> {
        found(
            self.store.delete_attribute_definition(account, id).await,
            "custom attribute definition",
        )?;
        self.events.publish(
            account,
            "custom_attribute_definition.deleted",
            json!({"id": id}),
        );
        Ok(())
    }
}

/// Applies `fields` to `def` and checks the result.
fn apply(
    def: &mut CustomAttributeDefinition,
    fields: &AttributeFields,
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let key = fields.key.as_deref().unwrap_or(&def.attribute_key);
    if let Some(key) = errors.check(validate::attribute_key("attribute_key", key)) {
        def.attribute_key = key;
    }
    let name = fields
        .display_name
        .as_deref()
        .unwrap_or(&def.attribute_display_name);
    if let Some(name) = errors.check(validate::required_text("attribute_display_name", name)) {
        def.attribute_display_name = name;
    }
    def.attribute_display_type = fields.display_type.unwrap_or(def.attribute_display_type);
    def.attribute_model = fields.model.unwrap_or(def.attribute_model);
    if let Some(description) = &fields.description {
        def.attribute_description = description.trim().to_owned();
    }
    if let Some(values) = &fields.values {
        def.attribute_values = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            let field = format!("attribute_values[{i}]");
            if let Some(value) = errors.check(validate::required_text(&field, value)) {
                if !def.attribute_values.contains(&value) {
                    def.attribute_values.push(value);
                }
            }
        }
    }
    if def.attribute_display_type == AttributeDisplayType::List && def.attribute_values.is_empty() {
        errors.push(
            "attribute_values",
            "a list attribute needs at least one value",
        );
    }
    if let Some(pattern) = &fields.regex_pattern {
        def.regex_pattern = errors
            .check(validate::optional_text("regex_pattern", Some(pattern)))
            .flatten();
    }
    if let Some(cue) = &fields.regex_cue {
        def.regex_cue = errors
            .check(validate::optional_text("regex_cue", Some(cue)))
            .flatten();
    }
    errors.into_result()
}
