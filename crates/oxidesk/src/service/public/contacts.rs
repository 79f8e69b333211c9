//! Contacts of the client API: creation with identity validation, and updates.

use oxidesk_domain::{AccountId, Attributes, Contact, Inbox, Timestamp, ValidationError};
use oxidesk_store::NewContact;
use serde_json::json;

use super::PublicIdentity;
use crate::secrets;
use crate::service::{ContactInput, ServiceError, Services};

/// What a contact says about itself (Chatwoot's `public_contact_create_update_payload`).
/// Absent fields are left alone on update.
#[derive(Debug, Clone, Default)]
pub struct PublicContactInput {
    /// The customer's id in the integrator's system.
    pub identifier: Option<String>,
    /// Hex HMAC-SHA256 of `identifier` under the inbox's `hmac_token`.
    pub identifier_hash: Option<String>,
    /// Email (blank clears it on update).
    pub email: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Phone number (blank clears it on update).
    pub phone_number: Option<String>,
    /// A picture URL (blank clears it on update).
    pub avatar_url: Option<String>,
    /// Custom attribute values; merged on update (a `null` value removes the key).
    pub custom_attributes: Option<Attributes>,
}

/// Checks `identifier_hash`.
pub(crate) fn check_identifier_hash(
    inbox: &Inbox,
    identifier: Option<&str>,
    hash: Option<&str>,
    already_verified: bool,
) -> Result<bool, ServiceError> {
    check_hash(inbox, identifier, hash, already_verified)
}

/// Checks `identifier_hash`. Returns whether a valid hash was given; refuses a wrong one, and a
/// missing one when the inbox makes it mandatory (unless the identity is already verified).
fn check_hash(
    inbox: &Inbox,
    identifier: Option<&str>,
    hash: Option<&str>,
    already_verified: bool,
) -> Result<bool, ServiceError> {
    let (hmac_token, hmac_mandatory) = inbox.channel.hmac();
    match hash.map(str::trim).filter(|h| !h.is_empty()) {
        Some(hash) => {
            let Some(identifier) = identifier.map(str::trim).filter(|i| !i.is_empty()) else {
                return Err(
                    ValidationError::new("identifier", "is required with identifier_hash").into(),
                );
            };
            if hmac_token.is_empty()
                || !secrets::hmac_verify(hmac_token.as_bytes(), identifier, hash)
            {
                return Err(ServiceError::Unauthorized(
                    "identifier_hash is not valid for this identifier",
                ));
            }
            Ok(true)
        }
        None if hmac_mandatory && !already_verified => Err(ServiceError::Unauthorized(
            "this inbox requires identifier and identifier_hash",
        )),
        None => Ok(false),
    }
}

impl Services {
    /// Creates a contact with a new identity (a random `source_id`) in the inbox. A contact of
    /// the account with the same identifier, else the same email, is reused as it is (Chatwoot
    /// does this); the other fields then change nothing.
    pub async fn public_create_contact(
        &self,
        inbox_identifier: &str,
        input: &PublicContactInput,
    ) -> Result<PublicIdentity, ServiceError> {
        let inbox = self.public_inbox(inbox_identifier).await?;
        self.create_identity(inbox, input).await
    }

    /// Creates a contact (or finds it, see [`Services::public_create_contact`]) with a new
    /// identity in `inbox`, checking `identifier_hash` against the inbox's channel.
    pub(crate) async fn create_identity(
        &self,
        inbox: Inbox,
        input: &PublicContactInput,
    ) -> Result<PublicIdentity, ServiceError> {
        let account = inbox.account_id;
        let hash_valid = check_hash(
            &inbox,
            input.identifier.as_deref(),
            input.identifier_hash.as_deref(),
            false,
        )?;
        let contact_input = ContactInput {
            name: input.name.clone(),
            email: input.email.clone(),
            phone_number: input.phone_number.clone(),
            identifier: input.identifier.clone(),
            avatar_url: input.avatar_url.clone(),
            additional_attributes: Attributes::new(),
            custom_attributes: input.custom_attributes.clone().unwrap_or_default(),
        };
        let wanted = contact_input.validate()?;
        let contact = match self.existing_contact(account, &wanted).await? {
            Some(contact) => contact,
            None => match self.create_contact(account, &contact_input).await {
                Ok(contact) => contact,
                // Another request created it meanwhile: use that one.
                Err(ServiceError::Invalid(errors)) => self
                    .existing_contact(account, &wanted)
                    .await?
                    .ok_or(ServiceError::Invalid(errors))?,
                Err(other) => return Err(other),
            },
        };
        let verified =
            hash_valid && contact.identifier.is_some() && contact.identifier == wanted.identifier;
        let contact_inbox = self
            .store
            .create_contact_inbox(
                contact.id,
                inbox.id,
                &uuid::Uuid::new_v4().to_string(),
                verified,
                Timestamp::now(),
            )
            .await?;
        self.events.publish(
            account,
            "contact_inbox.created",
            json!({"id": contact_inbox.id, "contact_id": contact.id, "inbox_id": inbox.id}),
        );
        Ok(PublicIdentity {
            inbox,
            contact_inbox,
            contact,
        })
    }

    /// The account's contact with `wanted`'s identifier, else with its email.
    async fn existing_contact(
        &self,
        account: AccountId,
        wanted: &NewContact,
    ) -> Result<Option<Contact>, ServiceError> {
        if let Some(identifier) = &wanted.identifier {
            if let Some(contact) = self
                .store
                .contact_by_identifier(account, identifier)
                .await?
            {
                return Ok(Some(contact));
            }
        }
        match &wanted.email {
            Some(email) => Ok(self.store.contact_by_email(account, email).await?),
            None => Ok(None),
        }
    }

    /// Updates the contact of an identity: given fields replace the old ones, custom attributes
    /// are merged. An identifier can be given to a contact that has none, never changed.
    pub async fn public_update_contact(
        &self,
        identity: PublicIdentity,
        input: &PublicContactInput,
    ) -> Result<PublicIdentity, ServiceError> {
        let PublicIdentity {
            inbox,
            mut contact_inbox,
            contact,
        } = identity;
        let identifier = input
            .identifier
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .map(str::to_owned)
            .or_else(|| contact.identifier.clone());
        let hash_valid = check_hash(
            &inbox,
            identifier.as_deref(),
            input.identifier_hash.as_deref(),
            contact_inbox.hmac_verified,
        )?;
        // The identifier can be given to a contact without one, never changed or cleared here.
        let new_identifier = match (&contact.identifier, &identifier) {
            (Some(old), Some(new)) if old != new => {
                return Err(
                    ValidationError::new("identifier", "cannot be changed once set").into(),
                );
            }
            (None, Some(new)) => Some(new.clone()),
            _ => None,
        };
        let patch = ContactInput {
            name: input.name.clone(),
            email: input.email.clone(),
            phone_number: input.phone_number.clone(),
            identifier: new_identifier,
            avatar_url: input.avatar_url.clone(),
            additional_attributes: Attributes::new(),
            custom_attributes: input.custom_attributes.clone().unwrap_or_default(),
        };
        let contact = self
            .update_contact(inbox.account_id, contact.id, &patch, None)
            .await?;
        let proven = hash_valid && contact.identifier.is_some() && contact.identifier == identifier;
        if proven && !contact_inbox.hmac_verified {
            self.store.set_hmac_verified(contact_inbox.id, true).await?;
            contact_inbox.hmac_verified = true;
        }
        Ok(PublicIdentity {
            inbox,
            contact_inbox,
            contact,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxidesk_domain::Channel;
    use oxidesk_domain::{AccountId, InboxId};

    fn inbox(mandatory: bool) -> Inbox {
        Inbox {
            id: InboxId(1),
            account_id: AccountId(1),
            name: "API".into(),
            channel: Channel::Api {
                webhook_url: None,
                hmac_token: "secret-token".into(),
                hmac_mandatory: mandatory,
            },
            inbox_identifier: "abc".into(),
            enable_auto_assignment: true,
            created_at: Timestamp(0),
        }
    }

    #[test]
    fn identifier_hashes_are_checked() {
        let good = secrets::hmac_hex(b"secret-token", "user-1");
        assert!(matches!(
            check_hash(&inbox(false), Some("user-1"), Some(&good), false),
            Ok(true)
        ));
        assert!(matches!(
            check_hash(&inbox(false), Some("user-2"), Some(&good), false),
            Err(ServiceError::Unauthorized(_))
        ));
        assert!(matches!(
            check_hash(&inbox(false), None, Some(&good), false),
            Err(ServiceError::Invalid(_))
        ));
        assert!(matches!(
            check_hash(&inbox(false), Some("user-1"), None, false),
            Ok(false)
        ));
        assert!(matches!(
            check_hash(&inbox(true), Some("user-1"), None, false),
            Err(ServiceError::Unauthorized(_))
        ));
        assert!(matches!(
            check_hash(&inbox(true), Some("user-1"), None, true),
            Ok(false)
        ));
    }
}
