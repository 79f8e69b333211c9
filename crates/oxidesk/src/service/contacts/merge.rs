//! Merging a contact into another (Chatwoot's `actions/contact_merge`): the base contact keeps
//! its own values and takes the mergee's where it has none; conversations, identities, messages
//! and labels move to it; the mergee is deleted. One transaction.

use oxidesk_domain::{AccountId, Attributes, Contact, ContactId, Timestamp, ValidationError};
use serde_json::{Value, json};

use super::{ContactInput, contact_conflict};
use crate::service::{ServiceError, Services};

impl Services {
    /// Merges contact `mergee` into contact `base` and answers `base` as it is after.
    pub async fn merge_contacts(
        &self,
        account: AccountId,
        base: ContactId,
        mergee: ContactId,
    ) -> Result<Contact, ServiceError> {
        if base == mergee {
            return Err(ValidationError::new(
                "mergee_contact_id",
                "must be another contact than base_contact_id",
            )
            .into());
        }
        let kept = self.contact(account, base).await?;
        let merged_away = self.contact(account, mergee).await?;
        let changes = merged_fields(&kept, &merged_away).validate()?;
        let contact = self
            .store
            .merge_contacts(
                account,
                base,
                mergee,
                &changes,
                merged_away.last_activity_at,
                Timestamp::now(),
            )
            .await
            .map_err(|e| match e {
                oxidesk_store::StoreError::NotFound => ServiceError::NotFound("contact"),
                other => contact_conflict(other),
            })?;
        self.events
            .publish(account, "contact.deleted", json!({"id": mergee}));
        self.events.publish(
            account,
            "contact.updated",
            json!({"id": base, "merged": mergee}),
        );
        Ok(contact)
    }
}

/// The fields of the merged contact: the base's where it has a value, the mergee's otherwise;
/// attributes merged key by key, the base's winning (Chatwoot's `deep_merge`).
fn merged_fields(base: &Contact, mergee: &Contact) -> ContactInput {
    fn pick(base: &Option<String>, mergee: &Option<String>) -> Option<String> {
        base.clone()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| mergee.clone().filter(|v| !v.trim().is_empty()))
    }
    ContactInput {
        name: pick(&Some(base.name.clone()), &Some(mergee.name.clone())),
        email: pick(&base.email, &mergee.email),
        phone_number: pick(&base.phone_number, &mergee.phone_number),
        identifier: pick(&base.identifier, &mergee.identifier),
        avatar_url: pick(&base.avatar_url, &mergee.avatar_url),
        additional_attributes: deep_merge(
            &mergee.additional_attributes,
            &base.additional_attributes,
        ),
        custom_attributes: deep_merge(&mergee.custom_attributes, &base.custom_attributes),
    }
}

/// `under` with `over` laid on it: objects merge recursively, blank values of `over` (null,
/// `""`) do not hide those under them.
fn deep_merge(under: &Attributes, over: &Attributes) -> Attributes {
    let mut merged = under.clone();
    for (key, value) in over {
        let blank = value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty());
        match (merged.get(key), value) {
            (Some(Value::Object(a)), Value::Object(b)) => {
                let inner = deep_merge(a, b);
                merged.insert(key.clone(), Value::Object(inner));
            }
            (Some(_), _) if blank => {}
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(value: Value) -> Attributes {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn the_base_wins_and_blanks_do_not_hide() {
        let merged = deep_merge(
            &attrs(json!({"plan": "free", "city": "Paris", "social": {"x": "m", "y": "m"}})),
            &attrs(json!({"plan": "pro", "city": "", "social": {"y": "b"}, "seats": 3})),
        );
        assert_eq!(
            Value::Object(merged),
            json!({"plan": "pro", "city": "Paris", "social": {"x": "m", "y": "b"}, "seats": 3})
        );
    }
}
