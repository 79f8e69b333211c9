//! Contact search stays right as contacts change (its index is kept by triggers: the FTS5
//! table on SQLite, the `contacts_search` table on PostgreSQL), and a search's list holds the
//! same contacts in the same order as the whole list filtered by hand, in every sort order and
//! across pages.

use oxidesk_domain::{InboxId, Timestamp};
use oxidesk_store::testing::TestDatabase;
use oxidesk_store::{
    BulkContact, ContactSort, SEARCH_LIMIT, SEARCH_WINDOW, StoreOptions, TextSort,
};

use super::contacts::all_pages;
use super::*;

/// The names of the account's contacts that `query` finds, sorted.
async fn found(db: &Store, account: AccountId, query: &str) -> Vec<String> {
    let mut names: Vec<String> = all_pages(db, account, Some(query), ContactSort::Newest, 3)
        .await
        .into_iter()
        .map(|c| c.name)
        .collect();
    names.sort();
    names
}

store_test!(
    contact_search_follows_create_update_delete_and_merge,
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
        let base = db
            .create_contact(
                acme.id,
                &full("Ottilie Vance", "ov@vance.example", "+3312345", "crm-ov"),
                at(0),
            )
            .await
            .unwrap();
        let mergee = db
            .create_contact(
                acme.id,
                &full("Otto Marsh", "otto@marsh.example", "+4467890", "crm-om"),
                at(1),
            )
            .await
            .unwrap();
        db.create_contact(
            globex.id,
            &full("Ottilie Vance", "ov@globex.example", "+3312345", "crm-ov"),
            at(0),
        )
        .await
        .unwrap();

        // Created: every field is found, in this account only.
        assert_eq!(found(&db, acme.id, "vanc").await, ["Ottilie Vance"]);
        assert_eq!(found(&db, acme.id, "OV@VANCE").await, ["Ottilie Vance"]);
        assert_eq!(found(&db, acme.id, "+3312").await, ["Ottilie Vance"]);
        assert_eq!(
            found(&db, acme.id, "CRM-O").await,
            ["Ottilie Vance", "Otto Marsh"]
        );
        assert_eq!(
            found(&db, acme.id, "ott").await,
            ["Ottilie Vance", "Otto Marsh"]
        );
        // A match never spans two fields (name and email are separate texts).
        assert!(found(&db, acme.id, "vanceov@").await.is_empty());
        assert!(found(&db, acme.id, "vance ov").await.is_empty());

        // Updated: the old values are gone, the new ones found.
        let changes = NewContact {
            name: "Ottilie Vance-Reyes".into(),
            email: Some("ovr@reyes.example".into()),
            phone_number: Some("+3399999".into()),
            identifier: Some("erp-17".into()),
            ..NewContact::default()
        };
        db.update_contact(acme.id, base.id, &changes, at(5))
            .await
            .unwrap();
        assert!(found(&db, acme.id, "ov@vance").await.is_empty());
        assert!(found(&db, acme.id, "+33123").await.is_empty());
        assert_eq!(found(&db, acme.id, "crm-o").await, ["Otto Marsh"]);
        assert_eq!(found(&db, acme.id, "-reyes").await, ["Ottilie Vance-Reyes"]);
        assert_eq!(found(&db, acme.id, "+33999").await, ["Ottilie Vance-Reyes"]);
        assert_eq!(found(&db, acme.id, "ERP-1").await, ["Ottilie Vance-Reyes"]);

        // Merged: the mergee is gone, the base found by what it took over.
        let merged = NewContact {
            name: "Ottilie Vance-Reyes".into(),
            email: Some("ovr@reyes.example".into()),
            phone_number: Some("+4467890".into()),
            identifier: Some("erp-17".into()),
            ..NewContact::default()
        };
        db.merge_contacts(acme.id, base.id, mergee.id, &merged, None, at(9))
            .await
            .unwrap();
        assert_eq!(found(&db, acme.id, "+4467").await, ["Ottilie Vance-Reyes"]);
        assert!(found(&db, acme.id, "otto@").await.is_empty());
        assert!(found(&db, acme.id, "marsh").await.is_empty());
        assert_eq!(
            db.find_contacts(acme.id, Some("ott"))
                .await
                .unwrap()
                .map(|f| f.count()),
            Some(1)
        );

        // Deleted: gone; the other account's twin is still found there.
        db.delete_contact(acme.id, base.id).await.unwrap();
        assert!(found(&db, acme.id, "vance").await.is_empty());
        assert_eq!(found(&db, globex.id, "vance").await, ["Ottilie Vance"]);
    }
);

store_test!(
    a_search_lists_what_the_whole_list_holds_in_every_order,
    |db| async move {
        let acme = account(&db, "Acme").await;
        // 30 contacts, every third one a match, with activity and names out of step with
        // their ids (and a few never active), so that each order differs.
        for i in 0..30_i64 {
            let matching = i % 3 == 0;
            let new = NewContact {
                name: format!(
                    "{} {}",
                    if matching { "Quill" } else { "Plain" },
                    (i * 7) % 30
                ),
                email: (i % 4 != 0).then(|| format!("p{}@{}.example", (i * 11) % 30, i)),
                phone_number: (i % 5 != 0).then(|| format!("+49{}", (i * 13) % 30)),
                ..NewContact::default()
            };
            let c = db.create_contact(acme.id, &new, at(i)).await.unwrap();
            if i % 7 != 0 {
                db.touch_contact(c.id, Timestamp(NOW + (i * 17) % 30))
                    .await
                    .unwrap();
            }
        }
        let sorts = [
            ContactSort::Newest,
            ContactSort::Oldest,
            ContactSort::LastActivity,
            ContactSort::EarliestActivity,
            ContactSort::Text(TextSort::Name, false),
            ContactSort::Text(TextSort::Name, true),
            ContactSort::Text(TextSort::Email, false),
            ContactSort::Text(TextSort::PhoneNumber, true),
        ];
        for sort in sorts {
            let everyone = all_pages(&db, acme.id, None, sort, 4).await;
            let expected: Vec<i64> = everyone
                .iter()
                .filter(|c| c.name.starts_with("Quill"))
                .map(|c| c.id.get())
                .collect();
            assert_eq!(expected.len(), 10);
            for limit in [1, 3, 25] {
                let searched: Vec<i64> = all_pages(&db, acme.id, Some("quil"), sort, limit)
                    .await
                    .iter()
                    .map(|c| c.id.get())
                    .collect();
                assert_eq!(searched, expected, "{sort:?}, pages of {limit}");
            }
            // A page number's cursor lands where walking the pages does.
            let found = db.find_contacts(acme.id, Some("quil")).await.unwrap();
            let cursor = db
                .contact_cursor_at(acme.id, found.as_ref(), sort, None, 3)
                .await
                .unwrap()
                .unwrap();
            let page = db
                .list_contacts(acme.id, found.as_ref(), sort, Some(cursor), 2)
                .await
                .unwrap();
            let ids: Vec<i64> = page.items.iter().map(|c| c.id.get()).collect();
            assert_eq!(ids, expected[4..6], "{sort:?}, from the 4th match");
        }
    }
);

/// A contact of a bulk import, named `name`, the `n`th.
fn bulk(inbox: InboxId, name: String, n: usize) -> BulkContact {
    BulkContact {
        identifier: format!("id-{n}"),
        source_id: format!("src-{n}"),
        name,
        email: None,
        phone_number: None,
        additional_attributes: "{}".into(),
        custom_attributes: "{}".into(),
        inbox_id: inbox,
        created_at: at(0),
    }
}

/// The names of what `query` finds in the account, newest first, in one page.
async fn newest(db: &Store, account: AccountId, query: &str) -> Vec<String> {
    let found = db
        .find_contacts(account, Some(query))
        .await
        .unwrap()
        .unwrap();
    let listed = db
        .list_contacts(account, Some(&found), ContactSort::Newest, None, 1_000)
        .await
        .unwrap();
    assert_eq!(found.count(), i64::try_from(listed.items.len()).unwrap());
    listed.items.into_iter().map(|c| c.name).collect()
}

store_test!(
    a_search_finds_its_newest_matches_however_old_they_are,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let mailbox = inbox(&db, acme.id, "mail").await;
        let other = inbox(&db, globex.id, "globex-mail").await;
        // 150 old matches, then more than two PostgreSQL windows of contacts that do not
        // match, then 30 new matches, and a match of another account newer than all.
        let hay = usize::try_from(2 * SEARCH_WINDOW).unwrap() + 500;
        let mut rows: Vec<BulkContact> = (0..150)
            .map(|i| bulk(mailbox.id, format!("Needle Old {i:03}"), i))
            .collect();
        rows.extend((0..hay).map(|i| bulk(mailbox.id, format!("Hay {i:05}"), 1_000 + i)));
        rows.extend((0..30).map(|i| bulk(mailbox.id, format!("Needle New {i:02}"), 100_000 + i)));
        let ids = db.bulk_insert_contacts(acme.id, &rows).await.unwrap();
        db.bulk_insert_contacts(globex.id, &[bulk(other.id, "Needle Elsewhere".into(), 0)])
            .await
            .unwrap();
        let id_of = |name: &str| ids[rows.iter().position(|r| r.name == name).unwrap()].0;

        // The newest SEARCH_LIMIT matches, newest first: all 30 new ones, then the newest old
        // ones (on PostgreSQL, found by widening the window past the contacts in between).
        let limit = usize::try_from(SEARCH_LIMIT).unwrap();
        let mut expected: Vec<String> = (0..30)
            .rev()
            .map(|i| format!("Needle New {i:02}"))
            .collect();
        expected.extend((0..150).rev().map(|i| format!("Needle Old {i:03}")));
        expected.truncate(limit);
        assert_eq!(newest(&db, acme.id, "needle").await, expected);
        assert!(id_of("Needle New 00") > id_of("Hay 00000"));

        // A rare match in the oldest contacts only is still found (every window, then all).
        assert_eq!(newest(&db, acme.id, "old 007").await, ["Needle Old 007"]);
        assert!(newest(&db, acme.id, "needle elsewhere").await.is_empty());

        // A query of two characters looks among the newest SHORT contacts and keeps the
        // newest SEARCH_LIMIT of its matches.
        assert_eq!(newest(&db, acme.id, "ne").await.len(), 30);
        let short = newest(&db, acme.id, "ay").await;
        assert_eq!(short.len(), limit);
        assert_eq!(short[0], format!("Hay {:05}", hay - 1));
        assert_eq!(short[limit - 1], format!("Hay {:05}", hay - limit));
    }
);

/// A PostgreSQL search keeps the account's newest contact id a few seconds (the bound of its
/// window): what another instance (a second `Store` on the same database) adds, changes or
/// deletes meanwhile is found, or not, by this instance's very next search. SQLite has no such
/// bound; the same steps are checked there too.
async fn another_instances_contacts_are_searched_at_once(database: TestDatabase) {
    let here = database.store.clone();
    let options = StoreOptions {
        max_connections: 2,
        schema: database.schema.clone(),
        ..StoreOptions::default()
    };
    let there = Store::connect(&database.url, &options).await.unwrap();
    let acme = account(&here, "Acme").await;
    let mailbox = inbox(&here, acme.id, "mail").await;
    // 120 old matches, then more than a window of contacts that do not match.
    let hay = usize::try_from(SEARCH_WINDOW).unwrap() + 100;
    let rows: Vec<BulkContact> = (0..120)
        .map(|i| format!("Needle Old {i:03}"))
        .chain((0..hay).map(|i| format!("Hay {i:05}")))
        .enumerate()
        .map(|(n, name)| bulk(mailbox.id, name, n))
        .collect();
    here.bulk_insert_contacts(acme.id, &rows).await.unwrap();
    let old = newest(&here, acme.id, "needle").await;
    assert_eq!(old.first().map(String::as_str), Some("Needle Old 119"));

    // Added by the other instance: the newest match here at once.
    let fresh = NewContact {
        name: "Needle Fresh".into(),
        ..NewContact::default()
    };
    let added = there.create_contact(acme.id, &fresh, at(1)).await.unwrap();
    let found = newest(&here, acme.id, "needle").await;
    assert_eq!(found.first().map(String::as_str), Some("Needle Fresh"));
    assert_eq!(found[1..], old[..old.len() - 1]);

    // Changed there: no longer found by its old name here, found by its new one.
    let changed = NewContact {
        name: "Pin Fresh".into(),
        ..NewContact::default()
    };
    there
        .update_contact(acme.id, added.id, &changed, at(2))
        .await
        .unwrap();
    assert_eq!(newest(&here, acme.id, "needle").await, old);
    assert_eq!(newest(&here, acme.id, "pin fr").await, ["Pin Fresh"]);

    // Deleted there: gone here; and the newest old matches deleted there are gone too (the
    // window then holds fewer than the limit, and the whole account is searched).
    there.delete_contact(acme.id, added.id).await.unwrap();
    assert!(newest(&here, acme.id, "pin fr").await.is_empty());
    let found = there
        .find_contacts(acme.id, Some("needle old 11"))
        .await
        .unwrap()
        .unwrap();
    let doomed = there
        .list_contacts(acme.id, Some(&found), ContactSort::Newest, None, 1_000)
        .await
        .unwrap();
    assert_eq!(doomed.items.len(), 10);
    for contact in doomed.items {
        there.delete_contact(acme.id, contact.id).await.unwrap();
    }
    let left = newest(&here, acme.id, "needle").await;
    let expected: Vec<String> = (10..110)
        .rev()
        .map(|i| format!("Needle Old {i:03}"))
        .collect();
    assert_eq!(left, expected);
    there.close().await;
}

#[tokio::test]
async fn another_instances_contacts_are_searched_at_once_sqlite() {
    another_instances_contacts_are_searched_at_once(TestDatabase::sqlite().await).await;
}

#[tokio::test]
async fn another_instances_contacts_are_searched_at_once_postgres() {
    let Some(database) = TestDatabase::postgres().await else {
        return;
    };
    another_instances_contacts_are_searched_at_once(database).await;
}
