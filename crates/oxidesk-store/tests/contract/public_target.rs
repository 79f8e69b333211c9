//! [`Store::public_target`]: the inbox, identity, contact and conversation of a client API
//! request in one statement, each part as the one-by-one reads give it.

use oxidesk_domain::{DisplayId, Timestamp};

use super::*;

store_test!(
    the_target_reads_each_part_as_its_own_query_does,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let other = account(&db, "Other").await;
        let api = inbox(&db, acme.id, "target-api").await;
        let elsewhere = inbox(&db, other.id, "target-elsewhere").await;
        let alice = contact(&db, acme.id, "Alice", Some("alice@x.com")).await;
        let (identity, c) = conversation(&db, &api, &alice, 0).await;
        let (_, unlabelled) = conversation(&db, &api, &alice, 1).await;
        let labels: Vec<String> = ["zeta", "alpha", "mid"].map(String::from).to_vec();
        db.set_conversation_labels(c.id, &labels).await.unwrap();
        db.set_last_seen(c.id, None, None, Some(Timestamp(NOW + 5)))
            .await
            .unwrap();

        let found = db
            .public_target(
                &api.inbox_identifier,
                &identity.source_id,
                Some(c.display_id),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.inbox, db.inbox(acme.id, api.id).await.unwrap());
        assert_eq!(found.contact_inbox.as_ref(), Some(&identity));
        assert_eq!(
            found.contact.as_ref(),
            Some(&db.contact(acme.id, alice.id).await.unwrap())
        );
        let read = db
            .conversation_by_display_id(acme.id, c.display_id)
            .await
            .unwrap();
        assert_eq!(read.labels, ["alpha", "mid", "zeta"]);
        assert_eq!(found.conversation.as_ref(), Some(&read));

        // A conversation without labels; none asked; one that is not there.
        let plain = db
            .public_target(
                &api.inbox_identifier,
                &identity.source_id,
                Some(unlabelled.display_id),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(plain.conversation.as_ref(), Some(&unlabelled));
        let none = db
            .public_target(&api.inbox_identifier, &identity.source_id, None)
            .await
            .unwrap()
            .unwrap();
        assert!(none.conversation.is_none());
        assert_eq!(none.contact_inbox.as_ref(), Some(&identity));
        let missing = db
            .public_target(
                &api.inbox_identifier,
                &identity.source_id,
                Some(DisplayId(999)),
            )
            .await
            .unwrap()
            .unwrap();
        assert!(missing.conversation.is_none());

        // An unknown identity still finds the inbox (and the account's conversation).
        let stranger = db
            .public_target(&api.inbox_identifier, "nobody", Some(c.display_id))
            .await
            .unwrap()
            .unwrap();
        assert!(stranger.contact_inbox.is_none() && stranger.contact.is_none());
        // The identity of another inbox is not found through this one, and a conversation
        // is only ever the inbox's account's.
        let crossed = db
            .public_target(
                &elsewhere.inbox_identifier,
                &identity.source_id,
                Some(c.display_id),
            )
            .await
            .unwrap()
            .unwrap();
        assert!(crossed.contact_inbox.is_none() && crossed.contact.is_none());
        assert!(crossed.conversation.is_none());
        // No such inbox.
        assert!(
            db.public_target("no-such-inbox", &identity.source_id, None)
                .await
                .unwrap()
                .is_none()
        );
    }
);
