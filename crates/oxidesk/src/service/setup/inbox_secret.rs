//! API inboxes' webhook signing secrets: read for views and deliveries, reset by
//! administrators (Chatwoot's `POST …/inboxes/{id}/reset_secret`).

use oxidesk_domain::{AccountId, Channel, Inbox, InboxId, Timestamp};

use crate::secrets;
use crate::service::{ServiceError, Services, found};
use crate::webhooks::secret::{self, InboxSecrets};

impl Services {
    /// The webhook secrets of the account's API inboxes (one query).
    pub async fn inbox_secrets(&self, account: AccountId) -> Result<InboxSecrets, ServiceError> {
        let stored = self.store.inbox_webhook_secrets(account).await?;
        Ok(InboxSecrets::new(
            self.secret_key.clone(),
            stored.into_iter().map(|(i, s)| (i.get(), s)),
        ))
    }

    /// Gives an API inbox a new random webhook secret: deliveries written from now on are
    /// signed with it. 404 for an inbox of another channel, which has no such secret.
    pub async fn reset_inbox_secret(
        &self,
        account: AccountId,
        id: InboxId,
    ) -> Result<Inbox, ServiceError> {
        let inbox = found(self.store.inbox(account, id).await, "inbox")?;
        if !matches!(inbox.channel, Channel::Api { .. }) {
            return Err(ServiceError::NotFound("API inbox"));
        }
        let sealed = secret::seal(&self.secret_key, &secrets::random_token(24));
        found(
            self.store
                .set_inbox_webhook_secret(account, id, &sealed, Timestamp::now())
                .await,
            "inbox",
        )?;
        Ok(inbox)
    }
}
