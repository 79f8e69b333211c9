//! Custom attribute definitions.

use oxidesk_domain::{
    AccountId, AttributeModel, CustomAttributeDefinition, CustomAttributeDefinitionId, Timestamp,
};

use crate::rows::parse_enum;
use crate::{Store, StoreError};

const COLUMNS: &str = "id, account_id, attribute_key, attribute_display_name, attribute_display_type, \
    attribute_description, attribute_model, attribute_values, regex_pattern, regex_cue, default_value, \
    created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    account_id: i64,
    attribute_key: String,
    attribute_display_name: String,
    attribute_display_type: String,
    attribute_description: String,
    attribute_model: String,
    attribute_values: String,
    regex_pattern: Option<String>,
    regex_cue: Option<String>,
    default_value: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<Row> for CustomAttributeDefinition {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Self, StoreError> {
        Ok(CustomAttributeDefinition {
            id: r.id.into(),
            account_id: r.account_id.into(),
            attribute_key: r.attribute_key,
            attribute_display_name: r.attribute_display_name,
            attribute_display_type: parse_enum(
                "attribute_display_type",
                &r.attribute_display_type,
            )?,
            attribute_description: r.attribute_description,
            attribute_model: parse_enum("attribute_model", &r.attribute_model)?,
            attribute_values: serde_json::from_str(&r.attribute_values).map_err(|_| {
                StoreError::Corrupt("attribute_values is not a list of strings".into())
            })?,
            regex_pattern: r.regex_pattern,
            regex_cue: r.regex_cue,
            default_value: r.default_value,
            created_at: r.created_at.into(),
            updated_at: r.updated_at.into(),
        })
    }
}

impl Store {
    /// Creates a definition from `def` (its id and times are ignored). Keys are unique per
    /// account and model (conflict on `attribute_key`).
    pub async fn create_attribute_definition(
        &self,
        def: &CustomAttributeDefinition,
        now: Timestamp,
    ) -> Result<CustomAttributeDefinition, StoreError> {
        let values = serde_json::to_string(&def.attribute_values)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let row: Row = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "INSERT INTO custom_attribute_definitions (account_id, attribute_key, attribute_display_name, \
                 attribute_display_type, attribute_description, attribute_model, attribute_values, regex_pattern, \
                 regex_cue, default_value, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {COLUMNS}"
            ))
            .bind(def.account_id.get())
            .bind(&def.attribute_key)
            .bind(&def.attribute_display_name)
            .bind(def.attribute_display_type.as_str())
            .bind(&def.attribute_description)
            .bind(def.attribute_model.as_str())
            .bind(values)
            .bind(&def.regex_pattern)
            .bind(&def.regex_cue)
            .bind(&def.default_value)
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// One definition of the account.
    pub async fn attribute_definition(
        &self,
        account: AccountId,
        id: CustomAttributeDefinitionId,
    ) -> Result<CustomAttributeDefinition, StoreError> {
        let row: Row = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM custom_attribute_definitions WHERE account_id = $1 AND id = $2"
            ))
            .bind(account.get())
            .bind(id.get())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// Saves every field of `def` but its id, account and creation time (conflict on
    /// `attribute_key`).
    pub async fn update_attribute_definition(
        &self,
        def: &CustomAttributeDefinition,
        now: Timestamp,
    ) -> Result<CustomAttributeDefinition, StoreError> {
        let values = serde_json::to_string(&def.attribute_values)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let row: Row = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE custom_attribute_definitions SET attribute_key = $1, attribute_display_name = $2, \
                 attribute_display_type = $3, attribute_description = $4, attribute_model = $5, \
                 attribute_values = $6, regex_pattern = $7, regex_cue = $8, default_value = $9, updated_at = $10 \
                 WHERE account_id = $11 AND id = $12 RETURNING {COLUMNS}"
            ))
            .bind(&def.attribute_key)
            .bind(&def.attribute_display_name)
            .bind(def.attribute_display_type.as_str())
            .bind(&def.attribute_description)
            .bind(def.attribute_model.as_str())
            .bind(values)
            .bind(&def.regex_pattern)
            .bind(&def.regex_cue)
            .bind(&def.default_value)
            .bind(now.secs())
            .bind(def.account_id.get())
            .bind(def.id.get())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// The account's definitions, of one model or of both, by id, `limit` after `after`.
    pub async fn list_attribute_definitions(
        &self,
        account: AccountId,
        model: Option<AttributeModel>,
        after: Option<CustomAttributeDefinitionId>,
        limit: i64,
    ) -> Result<Vec<CustomAttributeDefinition>, StoreError> {
        let rows: Vec<Row> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM custom_attribute_definitions \
                 WHERE account_id = $1 AND ($2 IS NULL OR attribute_model = $2) AND id > $3 ORDER BY id LIMIT $4"
            ))
            .bind(account.get())
            .bind(model.map(AttributeModel::as_str))
            .bind(after.map_or(0, CustomAttributeDefinitionId::get))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Deletes a definition of the account.
    pub async fn delete_attribute_definition(
        &self,
        account: AccountId,
        id: CustomAttributeDefinitionId,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("DELETE FROM custom_attribute_definitions WHERE account_id = $1 AND id = $2")
                .bind(account.get())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        });
        crate::one_row(done)
    }
}
