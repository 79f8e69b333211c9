//! Conversations: per-account display ids, every field through `save_conversation`, and labels.

use oxidesk_domain::{ConversationId, DisplayId, Priority};
use oxidesk_store::NewConversation;

use super::*;

store_test!(display_ids_are_sequential_per_account, |db| async move {
    let a = account(&db, "A").await;
    let b = account(&db, "B").await;
    let a_inbox = inbox(&db, a.id, "a").await;
    let b_inbox = inbox(&db, b.id, "b").await;
    let ann = contact(&db, a.id, "Ann", None).await;
    let bea = contact(&db, b.id, "Bea", None).await;

    let mut a_convs = Vec::new();
    for t in 0..2 {
        a_convs.push(conversation(&db, &a_inbox, &ann, t).await.1);
    }
    let b_first = conversation(&db, &b_inbox, &bea, 2).await.1;
    a_convs.push(conversation(&db, &a_inbox, &ann, 3).await.1);

    let display: Vec<_> = a_convs.iter().map(|c| c.display_id).collect();
    assert_eq!(display, [DisplayId(1), DisplayId(2), DisplayId(3)]);
    assert_eq!(b_first.display_id, DisplayId(1));

    for c in &a_convs {
        let found = db
            .conversation_by_display_id(a.id, c.display_id)
            .await
            .unwrap();
        assert_eq!(&found, c);
        assert_eq!(&db.conversation(c.id).await.unwrap(), c);
    }
    let b_found = db
        .conversation_by_display_id(b.id, DisplayId(1))
        .await
        .unwrap();
    assert_eq!(b_found.id, b_first.id);
    assert_not_found(db.conversation_by_display_id(b.id, DisplayId(2)).await);
    assert_not_found(db.conversation(ConversationId(9_999)).await);
});

store_test!(creation_keeps_every_given_field, |db| async move {
    let acme = account(&db, "Acme").await;
    let sam = agent(&db, acme.id, "sam@x.com").await;
    let team = db.create_team(acme.id, "t", "", true, at(0)).await.unwrap();
    let web = inbox(&db, acme.id, "web").await;
    let alice = contact(&db, acme.id, "Alice", None).await;
    let ci = db
        .create_contact_inbox(alice.id, web.id, "src", false, at(0))
        .await
        .unwrap();
    let new = NewConversation {
        account_id: acme.id,
        inbox_id: web.id,
        contact_id: alice.id,
        contact_inbox_id: ci.id,
        uuid: "0d7c7d5e-54a4-4c0c-9e7c-8f1f8d1a2b3c".into(),
        status: ConversationStatus::Snoozed,
        assignee_id: Some(sam.id),
        team_id: Some(team.id),
        priority: Some(Priority::Urgent),
        snoozed_until: Some(at(3_600)),
        custom_attributes: attrs(serde_json::json!({"order": 1234, "rush": true})),
        additional_attributes: attrs(serde_json::json!({"browser": {"name": "Firefox"}})),
    };
    let c = db.create_conversation(&new, at(7)).await.unwrap();
    assert_eq!(c.uuid, new.uuid);
    assert_eq!(
        (c.account_id, c.inbox_id, c.contact_id, c.contact_inbox_id),
        (acme.id, web.id, alice.id, ci.id)
    );
    assert_eq!(c.status, ConversationStatus::Snoozed);
    assert_eq!((c.assignee_id, c.team_id), (Some(sam.id), Some(team.id)));
    assert_eq!(c.priority, Some(Priority::Urgent));
    assert_eq!(c.snoozed_until, Some(at(3_600)));
    assert!(!c.muted);
    assert!(c.labels.is_empty());
    assert_eq!(c.custom_attributes, new.custom_attributes);
    assert_eq!(c.additional_attributes, new.additional_attributes);
    assert_eq!(
        (c.agent_last_seen_at, c.assignee_last_seen_at),
        (None, None)
    );
    assert_eq!((c.contact_last_seen_at, c.waiting_since), (None, None));
    assert_eq!(c.first_reply_created_at, None);
    assert_eq!(
        (c.created_at, c.updated_at, c.last_activity_at),
        (at(7), at(7), at(7))
    );
    assert_eq!(db.conversation(c.id).await.unwrap(), c);

    // UUIDs are unique.
    assert!(matches!(
        db.create_conversation(&new, at(8)).await,
        Err(StoreError::Conflict(_))
    ));
});

store_test!(save_conversation_round_trips_every_field, |db| async move {
    let acme = account(&db, "Acme").await;
    let sam = agent(&db, acme.id, "sam@x.com").await;
    let team = db.create_team(acme.id, "t", "", true, at(0)).await.unwrap();
    let web = inbox(&db, acme.id, "web").await;
    let alice = contact(&db, acme.id, "Alice", None).await;
    let (_, original) = conversation(&db, &web, &alice, 0).await;

    let mut c = original.clone();
    c.assignee_id = Some(sam.id);
    c.team_id = Some(team.id);
    c.status = ConversationStatus::Snoozed;
    c.snoozed_until = Some(at(9_000));
    c.priority = Some(Priority::High);
    c.muted = true;
    c.custom_attributes = attrs(serde_json::json!({"plan": "pro", "n": 1.5, "list": [1, "a"]}));
    c.additional_attributes = attrs(serde_json::json!({"referer": "https://x.test/?q=1&r=2"}));
    c.agent_last_seen_at = Some(at(11));
    c.assignee_last_seen_at = Some(at(12));
    c.contact_last_seen_at = Some(at(13));
    c.last_activity_at = at(14);
    c.waiting_since = Some(at(15));
    c.first_reply_created_at = Some(at(16));
    c.updated_at = at(17);
    db.save_conversation(&c).await.unwrap();
    assert_eq!(db.conversation(c.id).await.unwrap(), c);
    assert_eq!(
        db.conversation_by_display_id(acme.id, c.display_id)
            .await
            .unwrap(),
        c
    );

    // And back to nothing.
    let mut cleared = c.clone();
    cleared.assignee_id = None;
    cleared.team_id = None;
    cleared.status = ConversationStatus::Resolved;
    cleared.snoozed_until = None;
    cleared.priority = None;
    cleared.muted = false;
    cleared.custom_attributes = Attributes::new();
    cleared.agent_last_seen_at = None;
    cleared.assignee_last_seen_at = None;
    cleared.contact_last_seen_at = None;
    cleared.waiting_since = None;
    cleared.first_reply_created_at = None;
    db.save_conversation(&cleared).await.unwrap();
    assert_eq!(db.conversation(c.id).await.unwrap(), cleared);

    // What save does not change: identity, place and creation.
    let mut moved = cleared.clone();
    moved.display_id = DisplayId(77);
    moved.uuid = "other".into();
    moved.created_at = at(99);
    db.save_conversation(&moved).await.unwrap();
    assert_eq!(db.conversation(c.id).await.unwrap(), cleared);

    let mut missing = cleared;
    missing.id = ConversationId(9_999);
    assert_not_found(db.save_conversation(&missing).await);
});

store_test!(
    last_seen_writes_only_its_columns_and_keeps_a_status_changed_meanwhile,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let web = inbox(&db, acme.id, "web").await;
        let alice = contact(&db, acme.id, "Alice", None).await;
        let (_, read_before) = conversation(&db, &web, &alice, 0).await;
        // Someone resolves it after the seen path read it.
        let mut resolved = read_before.clone();
        resolved.status = ConversationStatus::Resolved;
        resolved.agent_last_seen_at = Some(at(5));
        db.save_conversation(&resolved).await.unwrap();

        db.set_last_seen(read_before.id, None, None, Some(at(20)))
            .await
            .unwrap();
        let now = db.conversation(read_before.id).await.unwrap();
        assert_eq!(
            now.status,
            ConversationStatus::Resolved,
            "the resolve is kept"
        );
        assert_eq!(now.contact_last_seen_at, Some(at(20)));
        assert_eq!(now.agent_last_seen_at, Some(at(5)), "None keeps a column");
        assert_eq!(now.assignee_last_seen_at, None);

        db.set_last_seen(read_before.id, Some(at(30)), Some(at(31)), None)
            .await
            .unwrap();
        let now = db.conversation(read_before.id).await.unwrap();
        assert_eq!(
            (
                now.agent_last_seen_at,
                now.assignee_last_seen_at,
                now.contact_last_seen_at
            ),
            (Some(at(30)), Some(at(31)), Some(at(20)))
        );
        assert_eq!(now.status, ConversationStatus::Resolved);
        assert_not_found(
            db.set_last_seen(ConversationId(9_999), Some(at(1)), None, None)
                .await,
        );
    }
);

store_test!(
    labels_are_sorted_deduplicated_and_replaced,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let web = inbox(&db, acme.id, "web").await;
        let alice = contact(&db, acme.id, "Alice", None).await;
        let (_, c) = conversation(&db, &web, &alice, 0).await;
        let (_, other) = conversation(&db, &web, &alice, 1).await;
        let titles = |list: &[&str]| list.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();

        db.set_conversation_labels(c.id, &titles(&["zeta", "alpha", "mid", "alpha"]))
            .await
            .unwrap();
        db.set_conversation_labels(other.id, &titles(&["other"]))
            .await
            .unwrap();
        let labelled = db.conversation(c.id).await.unwrap();
        assert_eq!(labelled.labels, ["alpha", "mid", "zeta"]);
        let by_display = db
            .conversation_by_display_id(acme.id, c.display_id)
            .await
            .unwrap();
        assert_eq!(by_display.labels, ["alpha", "mid", "zeta"]);

        // Saving the conversation leaves the labels alone.
        let mut edited = labelled.clone();
        edited.labels = titles(&["ignored"]);
        edited.muted = true;
        db.save_conversation(&edited).await.unwrap();
        assert_eq!(
            db.conversation(c.id).await.unwrap().labels,
            ["alpha", "mid", "zeta"]
        );

        db.set_conversation_labels(c.id, &titles(&["beta", "alpha"]))
            .await
            .unwrap();
        assert_eq!(
            db.conversation(c.id).await.unwrap().labels,
            ["alpha", "beta"]
        );
        db.set_conversation_labels(c.id, &[]).await.unwrap();
        assert!(db.conversation(c.id).await.unwrap().labels.is_empty());
        assert_eq!(db.conversation(other.id).await.unwrap().labels, ["other"]);
    }
);
