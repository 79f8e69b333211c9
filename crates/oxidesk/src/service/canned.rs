//! Canned responses: the account's saved replies, inserted in the composer with `/`.

use oxidesk_domain::bots::{self as rules, CannedResponse};
use oxidesk_domain::{AccountId, CannedResponseId, Timestamp, ValidationErrors};
use serde::Serialize;
use utoipa::ToSchema;

use super::bots::pick;
use super::{ServiceError, Services, found, unique};

/// A canned response as the API shows it (Chatwoot's `canned_response`, times in ISO 8601).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct CannedResponseView {
    /// Id.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// What the agent types after `/`.
    pub short_code: String,
    /// The text inserted.
    pub content: String,
    /// ISO 8601.
    pub created_at: String,
    /// ISO 8601.
    pub updated_at: String,
}

impl From<&CannedResponse> for CannedResponseView {
    fn from(c: &CannedResponse) -> Self {
        Self {
            id: c.id.get(),
            account_id: c.account_id.get(),
            short_code: c.short_code.clone(),
            content: c.content.clone(),
            created_at: c.created_at.to_rfc3339(),
            updated_at: c.updated_at.to_rfc3339(),
        }
    }
}

/// What canned-response create and update take; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct CannedFields {
    /// Short code.
    pub short_code: Option<String>,
    /// Content.
    pub content: Option<String>,
}

const SHORT_CODE_TAKEN: &str = "has already been taken";

impl Services {
    /// The account's canned responses (all, or those matching `search`).
    pub async fn canned_responses(
        &self,
        account: AccountId,
        search: Option<&str>,
    ) -> Result<Vec<CannedResponse>, ServiceError> {
        Ok(self.store.canned_responses(account, search).await?)
    }

    /// One of the account's canned responses.
    pub async fn canned_response(
        &self,
        account: AccountId,
        id: CannedResponseId,
    ) -> Result<CannedResponse, ServiceError> {
        found(
            self.store.canned_response(account, id).await,
            "canned response",
        )
    }

    /// Adds a canned response (or changes one, with `id`); short codes are unique per account.
    pub async fn save_canned_response(
        &self,
        account: AccountId,
        id: Option<CannedResponseId>,
        fields: &CannedFields,
    ) -> Result<CannedResponse, ServiceError> {
        let current = match id {
            Some(id) => Some(self.canned_response(account, id).await?),
            None => None,
        };
        let mut errors = ValidationErrors::new();
        let code = pick(
            &mut errors,
            fields.short_code.as_ref(),
            current.as_ref().map(|c| c.short_code.clone()),
            rules::short_code,
            "short_code",
        );
        let content = pick(
            &mut errors,
            fields.content.as_ref(),
            current.as_ref().map(|c| c.content.clone()),
            rules::canned_content,
            "content",
        );
        errors.into_result()?;
        let (Some(code), Some(content)) = (code, content) else {
            return Err(ServiceError::Internal("unchecked canned response".into()));
        };
        let now = Timestamp::now();
        let saved = match id {
            Some(id) => {
                self.store
                    .update_canned_response(account, id, &code, &content, now)
                    .await
            }
            None => {
                self.store
                    .insert_canned_response(account, &code, &content, now)
                    .await
            }
        };
        unique(saved, "short_code", "short_code", SHORT_CODE_TAKEN)
    }

    /// Deletes a canned response.
    pub async fn delete_canned_response(
        &self,
        account: AccountId,
        id: CannedResponseId,
    ) -> Result<(), ServiceError> {
        found(
            self.store.delete_canned_response(account, id).await,
            "canned response",
        )
    }
}
