//! Contacts: creation (optionally reachable in an inbox), partial updates, deletion, lists,
//! labels. Their identities in inboxes and their views are in [`identities`].

mod identities;
mod merge;

use oxidesk_domain::{
    AccountId, Attributes, Contact, ContactId, ContactInbox, InboxId, Timestamp, ValidationError,
    ValidationErrors, validate,
};
use oxidesk_store::{ContactSort, Cursor, NewContact, Page, StoreError};
use serde_json::json;

use super::{ServiceError, Services, found};

/// A contact as people type it in.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    /// Name.
    pub name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone number (any common format; stored as E.164).
    pub phone_number: Option<String>,
    /// The integrator's id.
    pub identifier: Option<String>,
    /// A picture URL.
    pub avatar_url: Option<String>,
    /// `company_name`, `social_profiles`, `city`, ...
    pub additional_attributes: Attributes,
    /// Custom attribute values.
    pub custom_attributes: Attributes,
}

impl ContactInput {
    /// Validates and normalises the input.
    pub fn validate(&self) -> Result<NewContact, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors
            .check(validate::optional_text("name", self.name.as_deref()))
            .flatten();
        let email = match self
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            Some(e) => errors.check(validate::email("email", e)),
            None => None,
        };
        let phone_number = match self
            .phone_number
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => errors.check(validate::phone_number("phone_number", p)),
            None => None,
        };
        let identifier = errors
            .check(validate::optional_text(
                "identifier",
                self.identifier.as_deref(),
            ))
            .flatten();
        let avatar_url = match self
            .avatar_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(u) => errors.check(validate::http_url("avatar_url", u)),
            None => None,
        };
        if let Some(profiles) = self.additional_attributes.get("social_profiles") {
            if !profiles.is_object() {
                errors.push(
                    "additional_attributes.social_profiles",
                    "must be an object of profile names",
                );
            }
        }
        errors.into_result()?;
        Ok(NewContact {
            name: name.unwrap_or_default(),
            email,
            phone_number,
            identifier,
            avatar_url,
            additional_attributes: self.additional_attributes.clone(),
            custom_attributes: self.custom_attributes.clone(),
        })
    }
}

/// Merges `patch` into `base` at the top level: a key given replaces the old value, a `null`
/// removes the key.
fn merge_attributes(base: &Attributes, patch: &Attributes) -> Attributes {
    let mut merged = base.clone();
    for (key, value) in patch {
        if value.is_null() {
            merged.remove(key);
        } else {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

/// A uniqueness conflict of a contact (or of its identity in an inbox) as a validation error on
/// the field; anything else unchanged.
fn contact_conflict(error: StoreError) -> ServiceError {
    let field = ["email", "identifier", "source_id"]
        .into_iter()
        .find(|field| error.is_conflict_on(field));
    match field {
        Some("source_id") => ValidationError::new(
            "source_id",
            "is already used by another contact in this inbox",
        )
        .into(),
        Some(field) => ValidationError::new(field, "is already used by another contact").into(),
        None => match error {
            StoreError::NotFound => ServiceError::NotFound("contact"),
            other => ServiceError::Store(other),
        },
    }
}

impl Services {
    /// Creates a contact. Email and identifier are unique in the account.
    pub async fn create_contact(
        &self,
        account: AccountId,
        input: &ContactInput,
    ) -> Result<Contact, ServiceError> {
        self.create_contact_in_inbox(account, input, false, None)
            .await
            .map(|(contact, _)| contact)
    }

    /// Creates a contact, blocked or not, and with `inbox` its identity there: the given
    /// source id, or a new UUID (Chatwoot's `POST /contacts` with `inbox_id`). Both or
    /// neither are created. Email and identifier are unique in the account, source ids in the
    /// inbox.
    pub async fn create_contact_in_inbox(
        &self,
        account: AccountId,
        input: &ContactInput,
        blocked: bool,
        inbox: Option<(InboxId, Option<&str>)>,
    ) -> Result<(Contact, Option<ContactInbox>), ServiceError> {
        let (contact, mut errors) = match input.validate() {
            Ok(contact) => (Some(contact), ValidationErrors::new()),
            Err(errors) => (None, errors),
        };
        let identity = match inbox {
            Some((inbox, source_id)) => {
                let inbox = errors.check(self.inbox_of(account, inbox).await?);
                let source_id = errors
                    .check(validate::optional_text("source_id", source_id))
                    .map(|s| s.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()));
                inbox
                    .zip(source_id)
                    .map(|(inbox, source)| (inbox.id, source))
            }
            None => None,
        };
        errors.into_result()?;
        let contact = contact.ok_or_else(|| ServiceError::Internal("no contact".into()))?;
        let (contact, identity) = self
            .store
            .create_contact_with_inbox(
                account,
                &contact,
                blocked,
                identity
                    .as_ref()
                    .map(|(inbox, source)| (*inbox, source.as_str())),
                Timestamp::now(),
            )
            .await
            .map_err(contact_conflict)?;
        self.events
            .publish(account, "contact.created", json!({"id": contact.id}));
        Ok((contact, identity))
    }

    /// The account's contact with this id.
    pub async fn contact(
        &self,
        account: AccountId,
        id: ContactId,
    ) -> Result<Contact, ServiceError> {
        found(self.store.contact(account, id).await, "contact")
    }

    /// Changes a contact, as Chatwoot's `PUT /contacts/{id}` does: each text field of `patch`
    /// that is `Some` replaces the old value (a blank one clears it), `None` keeps it;
    /// `additional_attributes` and `custom_attributes` are merged into the contact's at the top
    /// level (a key given replaces its value, a `null` removes the key, keys not given stay);
    /// `blocked` changes when `Some`. The result is validated as a whole.
    pub async fn update_contact(
        &self,
        account: AccountId,
        id: ContactId,
        patch: &ContactInput,
        blocked: Option<bool>,
    ) -> Result<Contact, ServiceError> {
        let old = self.contact(account, id).await?;
        let merged = ContactInput {
            name: patch.name.clone().or_else(|| Some(old.name.clone())),
            email: patch.email.clone().or_else(|| old.email.clone()),
            phone_number: patch
                .phone_number
                .clone()
                .or_else(|| old.phone_number.clone()),
            identifier: patch.identifier.clone().or_else(|| old.identifier.clone()),
            avatar_url: patch.avatar_url.clone().or_else(|| old.avatar_url.clone()),
            additional_attributes: merge_attributes(
                &old.additional_attributes,
                &patch.additional_attributes,
            ),
            custom_attributes: merge_attributes(&old.custom_attributes, &patch.custom_attributes),
        };
        let changes = merged.validate()?;
        let now = Timestamp::now();
        let mut contact = self
            .store
            .update_contact(account, id, &changes, now)
            .await
            .map_err(contact_conflict)?;
        if let Some(blocked) = blocked.filter(|b| *b != contact.blocked) {
            found(
                self.store
                    .set_contact_blocked(account, id, blocked, now)
                    .await,
                "contact",
            )?;
            contact.blocked = blocked;
        }
        let changed = crate::events::changed_attributes(&[
            ("name", json!(old.name), json!(contact.name)),
            ("email", json!(old.email), json!(contact.email)),
            (
                "phone_number",
                json!(old.phone_number),
                json!(contact.phone_number),
            ),
            (
                "identifier",
                json!(old.identifier),
                json!(contact.identifier),
            ),
            (
                "avatar_url",
                json!(old.avatar_url),
                json!(contact.avatar_url),
            ),
            (
                "additional_attributes",
                json!(old.additional_attributes),
                json!(contact.additional_attributes),
            ),
            (
                "custom_attributes",
                json!(old.custom_attributes),
                json!(contact.custom_attributes),
            ),
            ("blocked", json!(old.blocked), json!(contact.blocked)),
        ]);
        self.events.publish(
            account,
            "contact.updated",
            json!({"id": contact.id, "changed_attributes": changed}),
        );
        Ok(contact)
    }

    /// Deletes a contact with its identities, labels, conversations and their messages.
    pub async fn delete_contact(
        &self,
        account: AccountId,
        id: ContactId,
    ) -> Result<(), ServiceError> {
        found(self.store.delete_contact(account, id).await, "contact")?;
        self.events
            .publish(account, "contact.deleted", json!({"id": id}));
        Ok(())
    }

    /// Page `page` (1, 2, ...) of the account's contacts in `sort` order, counted from
    /// `after` (a cursor from an earlier page) or from the start, `limit` a page; only those
    /// matching `query` when given. With the number of contacts that match.
    pub async fn list_contacts(
        &self,
        account: AccountId,
        query: Option<&str>,
        sort: ContactSort,
        mut after: Option<Cursor>,
        page: i64,
        limit: i64,
    ) -> Result<(Page<Contact>, i64), ServiceError> {
        // A search runs once: the page, the cursor of a page number and the count share it.
        let found = self.store.find_contacts(account, query).await?;
        if page > 1 {
            let skip = (page - 1) * limit - 1;
            after = self
                .store
                .contact_cursor_at(account, found.as_ref(), sort, after, skip)
                .await?;
        }
        let result = match after {
            None if page > 1 => Page {
                items: Vec::new(),
                next: None,
            },
            _ => {
                self.store
                    .list_contacts(account, found.as_ref(), sort, after, limit)
                    .await?
            }
        };
        let count = match &found {
            Some(found) => found.count(),
            None => self.store.count_contacts(account).await?,
        };
        Ok((result, count))
    }

    /// A contact's labels, by title.
    pub async fn contact_labels(
        &self,
        account: AccountId,
        id: ContactId,
    ) -> Result<Vec<String>, ServiceError> {
        found(self.store.contact_labels(account, id).await, "contact")
    }

    /// Replaces a contact's labels (titles validated as label titles, lower-cased, sorted,
    /// duplicates dropped); they need not be labels of the account, as in Chatwoot.
    pub async fn set_contact_labels(
        &self,
        account: AccountId,
        id: ContactId,
        titles: &[String],
    ) -> Result<Vec<String>, ServiceError> {
        let contact = self.contact(account, id).await?;
        let mut errors = ValidationErrors::new();
        let mut labels: Vec<String> = titles
            .iter()
            .enumerate()
            .filter_map(|(i, t)| errors.check(validate::label_title(&format!("labels[{i}]"), t)))
            .collect();
        errors.into_result()?;
        labels.sort();
        labels.dedup();
        found(
            self.store
                .set_contact_labels(account, contact.id, &labels)
                .await,
            "contact",
        )?;
        self.events.publish(
            account,
            "contact.updated",
            json!({"id": contact.id, "labels": labels}),
        );
        Ok(labels)
    }
}
