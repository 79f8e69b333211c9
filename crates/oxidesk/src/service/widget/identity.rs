//! `setUser` and the contact's attributes from the website: who the visitor is.
//!
//! A valid `identifier_hash` (HMAC-SHA256 of the identifier under the inbox's `hmac_token`)
//! merges the visitor into the account's contact with that identifier, as Chatwoot does. Without
//! one, a known contact is never touched: Chatwoot merges on an unproven identifier or email too
//! (anyone could then write into a customer's record, chatwoot#2694); Oxidesk keeps the visitor's
//! own contact and drops the identifier and email another contact holds.

use oxidesk_domain::{Attributes, Contact, ContentType, Message};
use serde_json::Value;

use super::WidgetVisitor;
use crate::service::public::check_identifier_hash;
use crate::service::{ContactInput, PublicContactInput, PublicIdentity, ServiceError, Services};

/// What the site says about the visitor (`$chatwoot.setUser(identifier, user)`).
#[derive(Debug, Clone, Default)]
pub struct WidgetUser {
    /// The site's id of the user.
    pub identifier: Option<String>,
    /// Hex HMAC-SHA256 of `identifier` under the inbox's `hmac_token`.
    pub identifier_hash: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone number.
    pub phone_number: Option<String>,
    /// Picture URL.
    pub avatar_url: Option<String>,
    /// `description`, `company_name`, `city`, `country_code`, `social_profiles`.
    pub additional_attributes: Attributes,
    /// Custom attributes.
    pub custom_attributes: Attributes,
}

impl Services {
    /// `setUser`: identifies the visitor (creating their identity when they have none yet) and
    /// answers the identity to use from now on (its token may be new).
    pub async fn widget_set_user(
        &self,
        visitor: &WidgetVisitor,
        user: &WidgetUser,
    ) -> Result<PublicIdentity, ServiceError> {
        visitor.widget()?;
        let account = visitor.inbox.account_id;
        let identifier = user
            .identifier
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty());
        let already = visitor
            .identity
            .as_ref()
            .is_some_and(|i| i.contact_inbox.hmac_verified);
        let proven = check_identifier_hash(
            &visitor.inbox,
            identifier,
            user.identifier_hash.as_deref(),
            already,
        )?;
        let known = match identifier {
            Some(identifier) => {
                self.store
                    .contact_by_identifier(account, identifier)
                    .await?
            }
            None => None,
        };
        // A new identity: on the known contact only when proven, else on a contact of its own.
        let new_identity = || async {
            let input = if known.is_some() && !proven {
                PublicContactInput::default()
            } else {
                PublicContactInput {
                    identifier: identifier.map(str::to_owned),
                    identifier_hash: user.identifier_hash.clone(),
                    ..PublicContactInput::default()
                }
            };
            self.create_identity(visitor.inbox.clone(), &input).await
        };
        let own = match (&visitor.identity, &known) {
            (Some(identity), Some(known)) => identity.contact.id == known.id,
            _ => false,
        };
        let mut takes_identifier = None;
        let identity = match (&visitor.identity, &known) {
            (None, _) => new_identity().await?,
            // The anonymous visitor proves they are a known contact: merged into it.
            (Some(identity), Some(known))
                if known.id != identity.contact.id && identity.contact.identifier.is_none() =>
            {
                if proven {
                    let contact = self
                        .merge_contacts(account, known.id, identity.contact.id)
                        .await?;
                    let mut identity = identity.clone();
                    self.store
                        .set_hmac_verified(identity.contact_inbox.id, true)
                        .await?;
                    identity.contact_inbox.hmac_verified = true;
                    identity.contact_inbox.contact_id = contact.id;
                    identity.contact = contact;
                    identity
                } else {
                    identity.clone()
                }
            }
            // Another identifier than the contact's own (another user on the same browser): a
            // new identity, never a merge (Chatwoot's new token).
            (Some(identity), _)
                if identity.contact.identifier.is_some()
                    && identity.contact.identifier.as_deref() != identifier
                    && identifier.is_some() =>
            {
                new_identity().await?
            }
            (Some(identity), _) => {
                let mut identity = identity.clone();
                // The anonymous visitor takes the identifier, written with the user's other
                // fields in one update (a reader never sees the identifier without the name).
                if identity.contact.identifier.is_none() && known.is_none() {
                    takes_identifier = identifier;
                }
                let will_be = identity.contact.identifier.as_deref().or(takes_identifier);
                if proven && will_be == identifier {
                    self.store
                        .set_hmac_verified(identity.contact_inbox.id, true)
                        .await?;
                    identity.contact_inbox.hmac_verified = true;
                }
                identity
            }
        };
        let may_write = proven || own || known.is_none();
        self.write_fields(identity, user, may_write, takes_identifier)
            .await
    }

    /// Writes the user's fields into the identity's contact: all of them into a contact that is
    /// the visitor's own or proven, none into someone else's. An email another contact holds is
    /// dropped.
    pub(super) async fn widget_write_fields(
        &self,
        identity: PublicIdentity,
        user: &WidgetUser,
        may_write: bool,
    ) -> Result<PublicIdentity, ServiceError> {
        self.write_fields(identity, user, may_write, None).await
    }

    /// [`Self::widget_write_fields`], also giving the contact `identifier` in the same update.
    async fn write_fields(
        &self,
        mut identity: PublicIdentity,
        user: &WidgetUser,
        may_write: bool,
        identifier: Option<&str>,
    ) -> Result<PublicIdentity, ServiceError> {
        if !may_write && identity.contact.identifier.is_some() {
            return Ok(identity);
        }
        let account = identity.inbox.account_id;
        let email = match user
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            Some(email) => {
                let holder = self
                    .store
                    .contact_by_email(account, &email.to_lowercase())
                    .await?;
                holder
                    .filter(|c: &Contact| c.id != identity.contact.id)
                    .is_none()
                    .then(|| email.to_owned())
            }
            None => None,
        };
        let patch = ContactInput {
            name: user.name.clone().filter(|n| !n.trim().is_empty()),
            email,
            phone_number: user.phone_number.clone().filter(|p| !p.trim().is_empty()),
            identifier: identifier.map(str::to_owned),
            avatar_url: user.avatar_url.clone().filter(|a| !a.trim().is_empty()),
            additional_attributes: user.additional_attributes.clone(),
            custom_attributes: user.custom_attributes.clone(),
        };
        identity.contact = self
            .update_contact(account, identity.contact.id, &patch, None)
            .await?;
        Ok(identity)
    }

    /// The visitor answered an `input_email` message: their contact takes the email, as
    /// Chatwoot's widget does, unless another contact holds it or the contact is one the site
    /// identified (`setUser` with an identifier: the site's email stays).
    pub async fn widget_answered_email(
        &self,
        identity: &PublicIdentity,
        message: &Message,
    ) -> Result<(), ServiceError> {
        if message.content_type != ContentType::InputEmail {
            return Ok(());
        }
        let submitted = message.content_attributes.get("submitted_values");
        let Some(email) = submitted
            .map(crate::service::public::answered_email)
            .transpose()?
            .flatten()
        else {
            return Ok(());
        };
        let user = WidgetUser {
            email: Some(email),
            ..WidgetUser::default()
        };
        self.widget_write_fields(identity.clone(), &user, false)
            .await?;
        Ok(())
    }

    /// `setCustomAttributes` / `deleteCustomAttribute`: merges `values` into the contact's
    /// custom attributes (a `null` removes the key).
    pub async fn widget_contact_attributes(
        &self,
        identity: &PublicIdentity,
        values: &Attributes,
    ) -> Result<Contact, ServiceError> {
        let patch = ContactInput {
            custom_attributes: values.clone(),
            ..ContactInput::default()
        };
        self.update_contact(identity.inbox.account_id, identity.contact.id, &patch, None)
            .await
    }
}

/// The keys of `setUser`'s `user` that go into the contact's `additional_attributes`.
pub const ADDITIONAL_KEYS: [&str; 5] = [
    "description",
    "company_name",
    "city",
    "country_code",
    "social_profiles",
];

/// Picks the `ADDITIONAL_KEYS` out of a `setUser` object.
pub fn additional_attributes(user: &serde_json::Map<String, Value>) -> Attributes {
    ADDITIONAL_KEYS
        .iter()
        .filter_map(|key| user.get(*key).map(|v| ((*key).to_owned(), v.clone())))
        .collect()
}
