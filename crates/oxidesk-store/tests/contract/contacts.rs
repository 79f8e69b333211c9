//! Contacts: round trips, uniqueness per account, keyset pages in both orders, search, and
//! their identities in inboxes.

use std::collections::HashSet;

use oxidesk_domain::{ContactId, Timestamp};
use oxidesk_store::{ContactSort, Cursor};

use super::*;

/// Every contact of the list, page by page; checks that no page is larger than `limit`.
pub(super) async fn all_pages(
    db: &Store,
    account: AccountId,
    query: Option<&str>,
    sort: ContactSort,
    limit: i64,
) -> Vec<Contact> {
    let found = db.find_contacts(account, query).await.unwrap();
    let mut seen = Vec::new();
    let mut after: Option<Cursor> = None;
    for _ in 0..100 {
        let page = db
            .list_contacts(account, found.as_ref(), sort, after, limit)
            .await
            .unwrap();
        assert!(page.items.len() <= usize::try_from(limit).unwrap());
        seen.extend(page.items);
        match page.next {
            // The cursor survives its trip through a URL.
            Some(next) => after = Cursor::decode(&next.encode()),
            None => return seen,
        }
    }
    panic!("pagination does not end");
}

fn names(contacts: &[Contact]) -> Vec<&str> {
    contacts.iter().map(|c| c.name.as_str()).collect()
}

store_test!(contacts_round_trip_every_field, |db| async move {
    let acme = account(&db, "Acme").await;
    let new = NewContact {
        name: "Alice Anders".into(),
        email: Some("alice@example.com".into()),
        phone_number: Some("+4915112345678".into()),
        identifier: Some("crm-42".into()),
        avatar_url: Some("https://example.com/a.png".into()),
        additional_attributes: attrs(serde_json::json!({"company_name": "Acme", "city": "Köln"})),
        custom_attributes: attrs(serde_json::json!({"plan": "pro", "seats": 5, "vip": true})),
    };
    let created = db.create_contact(acme.id, &new, at(1)).await.unwrap();
    assert_eq!(created.account_id, acme.id);
    assert_eq!(created.name, new.name);
    assert_eq!(created.email, new.email);
    assert_eq!(created.phone_number, new.phone_number);
    assert_eq!(created.identifier, new.identifier);
    assert_eq!(created.avatar_url, new.avatar_url);
    assert_eq!(created.additional_attributes, new.additional_attributes);
    assert_eq!(created.custom_attributes, new.custom_attributes);
    assert_eq!(created.last_activity_at, None);
    assert!(!created.blocked);
    assert_eq!((created.created_at, created.updated_at), (at(1), at(1)));

    assert_eq!(db.contact(acme.id, created.id).await.unwrap(), created);
    let by_email = db
        .contact_by_email(acme.id, "Alice@Example.COM")
        .await
        .unwrap();
    assert_eq!(by_email, Some(created.clone()));
    let by_identifier = db.contact_by_identifier(acme.id, "crm-42").await.unwrap();
    assert_eq!(by_identifier, Some(created.clone()));
    assert_eq!(
        db.contact_by_identifier(acme.id, "crm-4").await.unwrap(),
        None
    );
    assert_not_found(db.contact(acme.id, ContactId(9_999)).await);
    assert_eq!(db.count_contacts(acme.id).await.unwrap(), 1);
});

store_test!(
    email_and_identifier_are_unique_per_account,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let with = |email: Option<&str>, identifier: Option<&str>| NewContact {
            name: "x".into(),
            email: email.map(Into::into),
            identifier: identifier.map(Into::into),
            ..NewContact::default()
        };
        db.create_contact(acme.id, &with(Some("a@x.com"), Some("id-1")), at(0))
            .await
            .unwrap();
        let err = db
            .create_contact(acme.id, &with(Some("a@x.com"), None), at(0))
            .await
            .unwrap_err();
        assert!(err.is_conflict_on("email"), "{err:?}");
        let message = "already exists (contacts.account_id, contacts.email)";
        assert_eq!(err.to_string(), message, "the same on both backends");
        assert_conflict(
            db.create_contact(acme.id, &with(None, Some("id-1")), at(0))
                .await,
            "identifier",
        );
        // Another account may have the same ones.
        db.create_contact(globex.id, &with(Some("a@x.com"), Some("id-1")), at(0))
            .await
            .unwrap();
        // Many contacts may have neither.
        for _ in 0..3 {
            db.create_contact(acme.id, &with(None, None), at(0))
                .await
                .unwrap();
        }
        assert_eq!(db.count_contacts(acme.id).await.unwrap(), 4);

        // Changing a contact to a taken email conflicts too.
        let other = db
            .create_contact(acme.id, &with(Some("b@x.com"), None), at(0))
            .await
            .unwrap();
        assert_conflict(
            db.update_contact(acme.id, other.id, &with(Some("a@x.com"), None), at(1))
                .await,
            "email",
        );
        assert_eq!(db.contact(acme.id, other.id).await.unwrap(), other);
    }
);

store_test!(
    contacts_are_updated_blocked_touched_and_deleted,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let c = contact(&db, acme.id, "Alice", Some("alice@x.com")).await;
        let changes = NewContact {
            name: "Alice B.".into(),
            email: None,
            phone_number: Some("+15550100".into()),
            identifier: Some("ext-1".into()),
            avatar_url: None,
            additional_attributes: attrs(serde_json::json!({"city": "Oslo"})),
            custom_attributes: attrs(serde_json::json!({"tier": 2})),
        };
        let updated = db
            .update_contact(acme.id, c.id, &changes, at(10))
            .await
            .unwrap();
        assert_eq!(updated.name, "Alice B.");
        assert_eq!(updated.email, None);
        assert_eq!(updated.phone_number.as_deref(), Some("+15550100"));
        assert_eq!(updated.identifier.as_deref(), Some("ext-1"));
        assert_eq!(updated.additional_attributes, changes.additional_attributes);
        assert_eq!(updated.custom_attributes, changes.custom_attributes);
        assert_eq!((updated.created_at, updated.updated_at), (at(0), at(10)));
        assert_eq!(db.contact(acme.id, c.id).await.unwrap(), updated);
        assert_eq!(
            db.contact_by_email(acme.id, "alice@x.com").await.unwrap(),
            None
        );
        assert_not_found(
            db.update_contact(acme.id, ContactId(9_999), &changes, at(10))
                .await,
        );

        db.set_contact_blocked(acme.id, c.id, true, at(11))
            .await
            .unwrap();
        let blocked = db.contact(acme.id, c.id).await.unwrap();
        assert!(blocked.blocked);
        assert_eq!(blocked.updated_at, at(11));
        db.set_contact_blocked(acme.id, c.id, false, at(12))
            .await
            .unwrap();
        assert!(!db.contact(acme.id, c.id).await.unwrap().blocked);
        assert_not_found(
            db.set_contact_blocked(acme.id, ContactId(9_999), true, at(12))
                .await,
        );

        db.touch_contact(c.id, at(20)).await.unwrap();
        assert_eq!(
            db.contact(acme.id, c.id).await.unwrap().last_activity_at,
            Some(at(20))
        );

        db.delete_contact(acme.id, c.id).await.unwrap();
        assert_not_found(db.contact(acme.id, c.id).await);
        assert_not_found(db.delete_contact(acme.id, c.id).await);
    }
);

store_test!(
    contact_pages_newest_first_have_no_gaps_or_duplicates,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let mut ids = Vec::new();
        for i in 0..7 {
            ids.push(contact(&db, acme.id, &format!("c{i}"), None).await.id);
        }
        ids.reverse();
        for limit in [1, 2, 3, 7, 10] {
            let seen = all_pages(&db, acme.id, None, ContactSort::Newest, limit).await;
            let seen: Vec<_> = seen.iter().map(|c| c.id).collect();
            assert_eq!(seen, ids, "limit {limit}");
        }
        let page = db
            .list_contacts(acme.id, None, ContactSort::Newest, None, 7)
            .await
            .unwrap();
        assert_eq!(page.next, None, "an exactly full last page has no next");
    }
);

store_test!(
    contact_pages_by_last_activity_handle_ties_and_never_active,
    |db| async move {
        let acme = account(&db, "Acme").await;
        // Activity times with ties, and contacts never active (None), which come last.
        let activity = [
            Some(50),
            None,
            Some(90),
            Some(50),
            None,
            Some(50),
            Some(10),
            Some(90),
            None,
        ];
        let mut contacts = Vec::new();
        for (i, when) in activity.iter().enumerate() {
            let c = contact(&db, acme.id, &format!("c{i}"), None).await;
            if let Some(t) = when {
                db.touch_contact(c.id, at(*t)).await.unwrap();
            }
            contacts.push((when.map_or(0, |t| at(t).secs()), c.id));
        }
        contacts.sort_by(|a, b| b.cmp(a));
        let expected: Vec<ContactId> = contacts.iter().map(|(_, id)| *id).collect();
        for limit in [1, 2, 3, 4, 9] {
            let seen = all_pages(&db, acme.id, None, ContactSort::LastActivity, limit).await;
            let seen: Vec<_> = seen.iter().map(|c| c.id).collect();
            assert_eq!(seen, expected, "limit {limit}");
            let unique: HashSet<_> = seen.iter().collect();
            assert_eq!(unique.len(), activity.len());
        }
        let first = db
            .list_contacts(acme.id, None, ContactSort::LastActivity, None, 1)
            .await
            .unwrap();
        let top = &first.items[0];
        assert_eq!(top.last_activity_at, Some(Timestamp(NOW + 90)));
        assert_eq!(
            first.next,
            Some(Cursor {
                key: NOW + 90,
                id: top.id.get()
            })
        );
    }
);

store_test!(
    contact_search_matches_any_field_case_insensitively,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let full = |name: &str, email: &str, phone: &str, identifier: &str| NewContact {
            name: name.into(),
            email: Some(email.into()),
            phone_number: Some(phone.into()),
            identifier: Some(identifier.into()),
            ..NewContact::default()
        };
        for c in [
            full("Alice Anders", "alice@acme.io", "+4915100001", "CRM-Alpha"),
            full("Bob Brown", "bob@globex.io", "+15550002", "crm-beta"),
            full("Carol Chen", "carol@initech.io", "+4915100003", "ext-7"),
        ] {
            db.create_contact(acme.id, &c, at(0)).await.unwrap();
        }
        let theirs = full("Alice Elsewhere", "alice@else.io", "+1", "x");
        db.create_contact(globex.id, &theirs, at(0)).await.unwrap();

        let search = |q: &'static str| {
            let db = db.clone();
            async move {
                let found = all_pages(&db, acme.id, Some(q), ContactSort::Newest, 2).await;
                let mut names: Vec<String> = found.into_iter().map(|c| c.name).collect();
                names.sort();
                names
            }
        };
        assert_eq!(search("alice").await, ["Alice Anders"]);
        assert_eq!(search("ALICE").await, ["Alice Anders"]);
        assert_eq!(search("  bRoWn ").await, ["Bob Brown"]);
        assert_eq!(search("@acme").await, ["Alice Anders"]);
        assert_eq!(search("GLOBEX.IO").await, ["Bob Brown"]);
        assert_eq!(search("+49151").await, ["Alice Anders", "Carol Chen"]);
        assert_eq!(search("crm-").await, ["Alice Anders", "Bob Brown"]);
        assert_eq!(search("crm-alpha").await, ["Alice Anders"]);
        assert_eq!(search("ext-7").await, ["Carol Chen"]);
        assert_eq!(search(".io").await.len(), 3);
        assert!(search("nobody").await.is_empty());
        assert_eq!(
            search("   ").await.len(),
            3,
            "a blank query lists everything"
        );
    }
);

store_test!(
    contact_search_treats_like_wildcards_literally,
    |db| async move {
        let acme = account(&db, "Acme").await;
        for name in [
            "100% legit",
            "100 legit",
            "a_b",
            "axb",
            "back\\slash",
            "backslash",
        ] {
            contact(&db, acme.id, name, None).await;
        }
        let search = |q: &'static str| {
            let db = db.clone();
            async move {
                let found = all_pages(&db, acme.id, Some(q), ContactSort::Newest, 10).await;
                names(&found)
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(search("100%").await, ["100% legit"]);
        assert_eq!(search("%").await, ["100% legit"]);
        assert_eq!(search("a_b").await, ["a_b"]);
        assert_eq!(search("_").await, ["a_b"]);
        assert_eq!(search("k\\s").await, ["back\\slash"]);
        assert_eq!(search("legit").await, ["100 legit", "100% legit"]);
    }
);

store_test!(
    contact_inboxes_are_unique_per_inbox_and_source,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let web = inbox(&db, acme.id, "web").await;
        let app = inbox(&db, acme.id, "app").await;
        let alice = contact(&db, acme.id, "Alice", None).await;
        let bob = contact(&db, acme.id, "Bob", None).await;

        let first = db
            .create_contact_inbox(alice.id, web.id, "src-1", false, at(1))
            .await
            .unwrap();
        assert_eq!(
            (first.contact_id, first.inbox_id, first.source_id.as_str()),
            (alice.id, web.id, "src-1")
        );
        assert!(!first.hmac_verified);
        assert_eq!(first.created_at, at(1));
        assert_conflict(
            db.create_contact_inbox(bob.id, web.id, "src-1", false, at(2))
                .await,
            "source_id",
        );
        let second = db
            .create_contact_inbox(alice.id, app.id, "src-1", true, at(2))
            .await
            .unwrap();
        assert!(second.hmac_verified);

        assert_eq!(
            db.contact_inbox_by_source(web.id, "src-1").await.unwrap(),
            Some(first.clone())
        );
        assert_eq!(
            db.contact_inbox_by_source(web.id, "src-2").await.unwrap(),
            None
        );
        assert_eq!(db.contact_inbox(second.id).await.unwrap(), second);
        assert_eq!(
            db.contact_inboxes_of(alice.id).await.unwrap(),
            vec![first.clone(), second]
        );
        assert!(db.contact_inboxes_of(bob.id).await.unwrap().is_empty());

        db.set_hmac_verified(first.id, true).await.unwrap();
        assert!(db.contact_inbox(first.id).await.unwrap().hmac_verified);
        assert_not_found(
            db.contact_inbox(oxidesk_domain::ContactInboxId(9_999))
                .await,
        );
    }
);
