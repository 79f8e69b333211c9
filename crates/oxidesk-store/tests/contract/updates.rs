//! One-field changes of a conversation (assignee, team, priority, mute, custom attributes,
//! status) write only their columns: each test reads the conversation, lets someone else
//! change it, then makes its change, and checks that neither change is lost.

use oxidesk_domain::{ConversationId, MessageType, Priority, Sender};
use oxidesk_store::NewMessage;

use super::messages::text;
use super::*;

store_test!(
    each_field_change_keeps_what_others_changed_since_the_read,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let sam = agent(&db, acme.id, "sam@x.com").await;
        let team = db.create_team(acme.id, "t", "", true, at(0)).await.unwrap();
        let web = inbox(&db, acme.id, "web").await;
        let alice = contact(&db, acme.id, "Alice", None).await;
        let (_, read) = conversation(&db, &web, &alice, 0).await;
        let id = read.id;

        // Meanwhile: an agent resolves it, then the customer writes (it reopens, its activity
        // time moves and it waits for a reply).
        assert!(
            db.set_conversation_status(
                id,
                ConversationStatus::Open,
                ConversationStatus::Resolved,
                None,
                at(5)
            )
            .await
            .unwrap()
        );
        let current = db.conversation(id).await.unwrap();
        let hello = NewMessage {
            sender: Some(Sender::Contact(alice.id)),
            ..text(&current, MessageType::Incoming, "hello?")
        };
        db.post_message(&current, &hello, at(10)).await.unwrap();
        let reopened = db.conversation(id).await.unwrap();
        assert_eq!(reopened.status, ConversationStatus::Open);
        assert_eq!(reopened.last_activity_at, at(10));
        assert_eq!(reopened.waiting_since, Some(at(10)));

        // Then the changes decided on the first read, one by one.
        db.set_last_seen(id, None, Some(at(11)), None)
            .await
            .unwrap();
        db.set_conversation_assignee(id, Some(sam.id), at(12))
            .await
            .unwrap();
        db.set_conversation_team(id, Some(team.id), at(13))
            .await
            .unwrap();
        db.set_conversation_priority(id, Some(Priority::High), at(14))
            .await
            .unwrap();
        db.set_conversation_muted(id, true, at(15)).await.unwrap();
        let (before, after) = db
            .update_conversation_attributes(id, at(16), |a| {
                a.insert("order".into(), serde_json::json!(7));
            })
            .await
            .unwrap();
        assert!(before.is_empty());
        assert_eq!(after, attrs(serde_json::json!({"order": 7})));

        let now = db.conversation(id).await.unwrap();
        let expected = Conversation {
            assignee_id: Some(sam.id),
            assignee_last_seen_at: None,
            team_id: Some(team.id),
            priority: Some(Priority::High),
            muted: true,
            custom_attributes: after,
            updated_at: at(16),
            ..reopened.clone()
        };
        assert_eq!(now, expected, "every change is kept");

        // And the other way round: a field change does not undo a later status change.
        assert!(
            db.set_conversation_status(
                id,
                ConversationStatus::Open,
                ConversationStatus::Snoozed,
                Some(at(99)),
                at(20)
            )
            .await
            .unwrap()
        );
        db.set_conversation_assignee(id, None, at(21))
            .await
            .unwrap();
        db.set_conversation_priority(id, None, at(22))
            .await
            .unwrap();
        let now = db.conversation(id).await.unwrap();
        assert_eq!(
            (now.status, now.snoozed_until),
            (ConversationStatus::Snoozed, Some(at(99)))
        );
        assert_eq!((now.assignee_id, now.priority), (None, None));
        assert_eq!(
            now.last_activity_at,
            at(10),
            "the message's activity is kept"
        );

        let gone = ConversationId(9_999);
        assert_not_found(db.set_conversation_assignee(gone, None, at(1)).await);
        assert_not_found(db.set_conversation_team(gone, None, at(1)).await);
        assert_not_found(db.set_conversation_priority(gone, None, at(1)).await);
        assert_not_found(db.set_conversation_muted(gone, true, at(1)).await);
        assert_not_found(db.update_conversation_attributes(gone, at(1), |_| {}).await);
    }
);

store_test!(
    a_status_change_lands_only_on_the_status_it_was_decided_from,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let web = inbox(&db, acme.id, "web").await;
        let alice = contact(&db, acme.id, "Alice", None).await;
        let (_, read) = conversation(&db, &web, &alice, 0).await;
        // Two agents read it open; the first resolves it.
        assert!(
            db.set_conversation_status(
                read.id,
                ConversationStatus::Open,
                ConversationStatus::Resolved,
                None,
                at(5)
            )
            .await
            .unwrap()
        );
        // The second's change, decided from `open`, does not land (it reads again).
        let landed = db
            .set_conversation_status(
                read.id,
                ConversationStatus::Open,
                ConversationStatus::Pending,
                None,
                at(6),
            )
            .await
            .unwrap();
        assert!(!landed);
        let now = db.conversation(read.id).await.unwrap();
        assert_eq!(
            (now.status, now.updated_at),
            (ConversationStatus::Resolved, at(5))
        );
        assert_not_found(
            db.set_conversation_status(
                ConversationId(9_999),
                ConversationStatus::Open,
                ConversationStatus::Resolved,
                None,
                at(1),
            )
            .await,
        );
    }
);

store_test!(attribute_merges_racing_keep_every_key, |db| async move {
    let acme = account(&db, "Acme").await;
    let web = inbox(&db, acme.id, "web").await;
    let alice = contact(&db, acme.id, "Alice", None).await;
    let (_, c) = conversation(&db, &web, &alice, 0).await;
    // Two writers merge different keys at once, each from its own reads.
    let writer = |prefix: &'static str| {
        let db = db.clone();
        async move {
            for i in 0..15 {
                db.update_conversation_attributes(c.id, at(i), |a| {
                    a.insert(format!("{prefix}{i}"), serde_json::json!(i));
                })
                .await
                .unwrap();
            }
        }
    };
    let (a, b) = tokio::join!(tokio::spawn(writer("a")), tokio::spawn(writer("b")));
    a.unwrap();
    b.unwrap();
    let now = db.conversation(c.id).await.unwrap();
    assert_eq!(
        now.custom_attributes.len(),
        30,
        "{:?}",
        now.custom_attributes
    );
    // A key set to a value is removed by the same path.
    let (_, after) = db
        .update_conversation_attributes(c.id, at(40), |a| {
            a.remove("a0");
        })
        .await
        .unwrap();
    assert_eq!(after.len(), 29);
});
