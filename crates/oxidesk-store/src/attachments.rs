//! Attachments: the rows about files on messages (the bytes are in the object store).

use std::collections::HashMap;

use oxidesk_domain::{AccountId, Attachment, AttachmentId, FileType, MessageId, Timestamp};

use crate::rows::parse_enum;
use crate::{Store, StoreError};

const COLUMNS: &str = "id, account_id, message_id, file_type, content_type, extension, file_name, \
    byte_size, width, height, storage_key, thumb_key, created_at";

/// The INSERT of one attachment of message `$1`.
pub(crate) const INSERT_ATTACHMENT: &str = "INSERT INTO attachments (message_id, account_id, \
    file_type, content_type, extension, file_name, byte_size, width, height, storage_key, \
    thumb_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// A file to record with its message, already stored.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    /// What kind of file.
    pub file_type: FileType,
    /// The content type detected from the bytes.
    pub content_type: String,
    /// The extension of the name it came with.
    pub extension: Option<String>,
    /// The cleaned name it came with.
    pub file_name: String,
    /// Size in bytes.
    pub byte_size: i64,
    /// Width in pixels (images).
    pub width: Option<i64>,
    /// Height in pixels (images).
    pub height: Option<i64>,
    /// Where the bytes are.
    pub storage_key: String,
    /// Where the thumbnail is.
    pub thumb_key: Option<String>,
}

/// Binds [`INSERT_ATTACHMENT`]'s parameters.
macro_rules! bind_attachment {
    ($query:expr, $message:expr, $account:expr, $a:expr, $now:expr) => {{
        let a: &NewAttachment = $a;
        $query
            .bind($message)
            .bind($account)
            .bind(a.file_type.as_str())
            .bind(a.content_type.clone())
            .bind(a.extension.clone())
            .bind(a.file_name.clone())
            .bind(a.byte_size)
            .bind(a.width)
            .bind(a.height)
            .bind(a.storage_key.clone())
            .bind(a.thumb_key.clone())
            .bind($now)
    }};
}
pub(crate) use bind_attachment;

#[derive(sqlx::FromRow)]
struct AttachmentRow {
    id: i64,
    account_id: i64,
    message_id: i64,
    file_type: String,
    content_type: String,
    extension: Option<String>,
    file_name: String,
    byte_size: i64,
    width: Option<i64>,
    height: Option<i64>,
    storage_key: String,
    thumb_key: Option<String>,
    created_at: i64,
}

impl TryFrom<AttachmentRow> for Attachment {
    type Error = StoreError;

    fn try_from(r: AttachmentRow) -> Result<Self, StoreError> {
        Ok(Attachment {
            id: AttachmentId(r.id),
            account_id: r.account_id.into(),
            message_id: r.message_id.into(),
            file_type: parse_enum("attachments.file_type", &r.file_type)?,
            content_type: r.content_type,
            extension: r.extension,
            file_name: r.file_name,
            byte_size: r.byte_size,
            width: r.width,
            height: r.height,
            storage_key: r.storage_key,
            thumb_key: r.thumb_key,
            created_at: Timestamp(r.created_at),
        })
    }
}

impl Store {
    /// The attachments of these messages of the account, each message's in upload order.
    pub async fn attachments_of(
        &self,
        account: AccountId,
        messages: &[MessageId],
    ) -> Result<HashMap<MessageId, Vec<Attachment>>, StoreError> {
        if messages.is_empty() {
            return Ok(HashMap::new());
        }
        let placeholders: Vec<String> =
            (0..messages.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT {COLUMNS} FROM attachments WHERE account_id = $1 AND message_id IN ({}) \
             ORDER BY message_id, id",
            placeholders.join(", ")
        );
        let rows: Vec<AttachmentRow> = on_read!(self, pool => {
            let mut query = sqlx::query_as(&sql).bind(account.get());
            for id in messages {
                query = query.bind(id.get());
            }
            query.fetch_all(pool).await?
        });
        let mut found: HashMap<MessageId, Vec<Attachment>> = HashMap::new();
        for row in rows {
            let attachment = Attachment::try_from(row)?;
            found
                .entry(attachment.message_id)
                .or_default()
                .push(attachment);
        }
        Ok(found)
    }

    /// One attachment of the account.
    pub async fn attachment(
        &self,
        account: AccountId,
        id: AttachmentId,
    ) -> Result<Attachment, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM attachments WHERE id = $1 AND account_id = $2");
        let row: Option<AttachmentRow> = on_read!(self, pool => {
            sqlx::query_as(&sql)
                .bind(id.get())
                .bind(account.get())
                .fetch_optional(pool)
                .await?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }
}

impl Store {
    /// Deletes the attachments of message `message` of the account; the object-store keys
    /// they had (files and thumbnails), for the caller to delete.
    pub async fn delete_attachments_of(
        &self,
        account: AccountId,
        message: MessageId,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String, Option<String>)> = on_pool!(self, pool => {
            sqlx::query_as(
                "DELETE FROM attachments WHERE account_id = $1 AND message_id = $2 \
                 RETURNING storage_key, thumb_key",
            )
            .bind(account.get())
            .bind(message.get())
            .fetch_all(pool)
            .await?
        });
        Ok(keys(rows))
    }

    /// The object-store keys of every attachment in conversation `conversation` (of the
    /// account), before the conversation is deleted.
    pub async fn attachment_keys_in(
        &self,
        account: AccountId,
        conversation: oxidesk_domain::ConversationId,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String, Option<String>)> = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT a.storage_key, a.thumb_key FROM attachments a \
                 JOIN messages m ON m.id = a.message_id \
                 WHERE m.conversation_id = $1 AND a.account_id = $2",
            )
            .bind(conversation.get())
            .bind(account.get())
            .fetch_all(pool)
            .await?
        });
        Ok(keys(rows))
    }
}

fn keys(rows: Vec<(String, Option<String>)>) -> Vec<String> {
    rows.into_iter()
        .flat_map(|(file, thumb)| std::iter::once(file).chain(thumb))
        .collect()
}
