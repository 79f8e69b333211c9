//! Files on messages: an upload is inspected from its bytes (off the async threads), stored
//! in the object store, then recorded with its message in one transaction; views carry signed
//! links to them.

use std::collections::HashMap;

use bytes::Bytes;
use oxidesk_domain::{AccountId, Attachment, Conversation, FileType, Message, MessageId};
use oxidesk_store::NewAttachment;

use super::{MessageInput, ServiceError, Services};
use crate::files::inspect::{Inspected, inspect};
use crate::files::{Files, Variant};
use crate::views::AttachmentView;

/// Most files on one message.
pub const MAX_FILES_PER_MESSAGE: usize = 10;

/// A file sent with a message, as received (name and bytes; a declared type is not kept).
#[derive(Debug, Clone)]
pub struct IncomingFile {
    /// The name the client gave.
    pub file_name: String,
    /// The bytes.
    pub bytes: Bytes,
}

impl Services {
    /// Posts `input` with `files` into `conversation` (the account's, already read), now.
    /// The files are stored first; if the message cannot be recorded, they are deleted again.
    pub(crate) async fn post_with_files(
        &self,
        conversation: Conversation,
        input: &MessageInput,
        files: Vec<IncomingFile>,
    ) -> Result<(Message, Conversation), ServiceError> {
        let now = oxidesk_domain::Timestamp::now();
        if files.is_empty() {
            return self.post_into(conversation, input, now).await;
        }
        let stored = self.store_files(conversation.account_id, files).await?;
        match self.post_into_with(conversation, input, &stored, now).await {
            Ok(done) => Ok(done),
            Err(error) => {
                self.files.delete_quietly(&stored_keys(&stored)).await;
                Err(error)
            }
        }
    }

    /// Posts a message with files into conversation `id` of `account`, now.
    pub async fn post_message_with_files(
        &self,
        account: AccountId,
        id: oxidesk_domain::DisplayId,
        input: &MessageInput,
        files: Vec<IncomingFile>,
    ) -> Result<Message, ServiceError> {
        let conversation = self.conversation(account, id).await?;
        Ok(self.post_with_files(conversation, input, files).await?.0)
    }

    /// Inspects and stores `files` of `account`; the rows to record. Too many files, or one
    /// larger than the limit, is refused before anything is stored.
    async fn store_files(
        &self,
        account: AccountId,
        files: Vec<IncomingFile>,
    ) -> Result<Vec<NewAttachment>, ServiceError> {
        if files.len() > MAX_FILES_PER_MESSAGE {
            return Err(oxidesk_domain::ValidationError::new(
                "attachments",
                format!("at most {MAX_FILES_PER_MESSAGE} files per message"),
            )
            .into());
        }
        let limit = self.files.max_file_bytes();
        if let Some(big) = files.iter().find(|f| f.bytes.len() as u64 > limit) {
            return Err(oxidesk_domain::ValidationError::new(
                "attachments",
                format!(
                    "{} is larger than {} MB",
                    big.file_name,
                    limit / (1024 * 1024)
                ),
            )
            .into());
        }
        let mut stored: Vec<NewAttachment> = Vec::with_capacity(files.len());
        for file in files {
            match self.store_file(account, file).await {
                Ok(row) => stored.push(row),
                Err(error) => {
                    self.files.delete_quietly(&stored_keys(&stored)).await;
                    return Err(error);
                }
            }
        }
        Ok(stored)
    }

    async fn store_file(
        &self,
        account: AccountId,
        file: IncomingFile,
    ) -> Result<NewAttachment, ServiceError> {
        let bytes = file.bytes.clone();
        let inspected: Inspected = tokio::task::spawn_blocking(move || inspect(&bytes))
            .await
            .map_err(|e| ServiceError::Internal(format!("file inspection failed: {e}")))?;
        let file_name = oxidesk_domain::attachments::clean_file_name(&file.file_name);
        let storage_key = Files::new_key(account);
        let byte_size = file.bytes.len() as i64;
        self.files
            .put(&storage_key, file.bytes)
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let thumb_key = match inspected.thumb {
            Some((thumb, _)) => {
                let key = format!("{storage_key}-thumb");
                if let Err(error) = self.files.put(&key, thumb).await {
                    self.files.delete_quietly(&[storage_key]).await;
                    return Err(ServiceError::Internal(error.to_string()));
                }
                Some(key)
            }
            None => None,
        };
        Ok(NewAttachment {
            file_type: inspected.file_type,
            content_type: inspected.content_type,
            extension: oxidesk_domain::attachments::extension_of(&file_name),
            file_name,
            byte_size,
            width: inspected.width,
            height: inspected.height,
            storage_key,
            thumb_key,
        })
    }

    /// The attachment views of `messages` (all of `account`), by message.
    pub async fn attachment_views(
        &self,
        account: AccountId,
        messages: &[MessageId],
    ) -> Result<HashMap<MessageId, Vec<AttachmentView>>, ServiceError> {
        let found = self.store.attachments_of(account, messages).await?;
        Ok(found
            .into_iter()
            .map(|(message, list)| {
                let views = list.iter().map(|a| self.attachment_view(a)).collect();
                (message, views)
            })
            .collect())
    }

    /// The view of one attachment, with fresh signed links.
    pub fn attachment_view(&self, a: &Attachment) -> AttachmentView {
        let thumb_url = match (a.file_type, &a.thumb_key) {
            (FileType::Image, Some(_)) => self.files.link(a, Variant::Thumb),
            (FileType::Image, None) => self.files.link(a, Variant::Original),
            _ => String::new(),
        };
        AttachmentView {
            id: a.id.get(),
            message_id: a.message_id.get(),
            file_type: a.file_type.as_str().to_owned(),
            account_id: a.account_id.get(),
            extension: a.extension.clone(),
            content_type: a.content_type.clone(),
            data_url: self.files.link(a, Variant::Original),
            thumb_url,
            file_size: a.byte_size,
            width: a.width,
            height: a.height,
            file_name: a.file_name.clone(),
        }
    }

    /// One attachment of `account`.
    pub async fn attachment(
        &self,
        account: AccountId,
        id: oxidesk_domain::AttachmentId,
    ) -> Result<Attachment, ServiceError> {
        super::found(self.store.attachment(account, id).await, "attachment")
    }
}

fn stored_keys(stored: &[NewAttachment]) -> Vec<String> {
    stored
        .iter()
        .flat_map(|a| std::iter::once(a.storage_key.clone()).chain(a.thumb_key.clone()))
        .collect()
}
