//! Messages: senders, Chatwoot's integer types in the rows, thread pages both ways, incoming
//! counts, and deletion within a conversation.

use oxidesk_domain::{ContentType, Message, MessageId, MessageStatus, MessageType, Sender};
use oxidesk_store::NewMessage;

use super::*;

/// A conversation to write messages into, and a second one of the same account.
async fn thread(db: &Store) -> (Conversation, Conversation, Contact) {
    let acme = account(db, "Acme").await;
    let web = inbox(db, acme.id, "web").await;
    let alice = contact(db, acme.id, "Alice", None).await;
    let (_, one) = conversation(db, &web, &alice, 0).await;
    let (_, two) = conversation(db, &web, &alice, 0).await;
    (one, two, alice)
}

/// A text message of `c`, from nobody in particular.
pub(super) fn text(c: &Conversation, message_type: MessageType, content: &str) -> NewMessage {
    NewMessage {
        account_id: c.account_id,
        inbox_id: c.inbox_id,
        conversation_id: c.id,
        message_type,
        content: Some(content.into()),
        content_type: ContentType::Text,
        content_attributes: Attributes::new(),
        private: false,
        source_id: None,
        sender: None,
        status: MessageStatus::Sent,
    }
}

/// `(id, message_type)` of a conversation's rows, read with plain SQL.
async fn raw_types(db: &Store, url: &str, conversation: i64) -> Vec<(i64, i64)> {
    let sql = "SELECT id, message_type FROM messages WHERE conversation_id = $1 ORDER BY id";
    match db.postgres_pool() {
        Some(pool) => sqlx::query_as(sql)
            .bind(conversation)
            .fetch_all(pool)
            .await
            .unwrap(),
        None => {
            let pool = sqlx::SqlitePool::connect(url).await.unwrap();
            let rows = sqlx::query_as(sql)
                .bind(conversation)
                .fetch_all(&pool)
                .await
                .unwrap();
            pool.close().await;
            rows
        }
    }
}

store_test!(
    messages_round_trip_with_each_kind_of_sender,
    |db, url| async move {
        let (c, _, alice) = thread(&db).await;
        let sam = agent(&db, c.account_id, "sam@x.com").await;

        let mut incoming = text(&c, MessageType::Incoming, "Hello?");
        incoming.sender = Some(Sender::Contact(alice.id));
        incoming.source_id = Some("ext-msg-1".into());
        incoming.content_attributes = attrs(serde_json::json!({"in_reply_to": null, "x": [1]}));
        let mut note = text(&c, MessageType::Outgoing, "internal");
        note.sender = Some(Sender::User(sam.id));
        note.private = true;
        note.status = MessageStatus::Delivered;
        let mut activity = text(&c, MessageType::Activity, "Conversation was resolved");
        activity.status = MessageStatus::Read;
        let mut template = text(&c, MessageType::Template, "form");
        template.sender = Some(Sender::User(sam.id));
        template.content = None;
        template.content_type = ContentType::Form;
        template.status = MessageStatus::Failed;

        let mut created = Vec::new();
        for (i, new) in [&incoming, &note, &activity, &template]
            .into_iter()
            .enumerate()
        {
            let m = db
                .create_message(new, at(i64::try_from(i).unwrap()))
                .await
                .unwrap();
            assert_eq!(
                (m.account_id, m.inbox_id, m.conversation_id),
                (new.account_id, new.inbox_id, new.conversation_id)
            );
            assert_eq!(m.message_type, new.message_type);
            assert_eq!(m.content, new.content);
            assert_eq!(m.content_type, new.content_type);
            assert_eq!(m.content_attributes, new.content_attributes);
            assert_eq!(m.private, new.private);
            assert_eq!(m.source_id, new.source_id);
            assert_eq!(m.sender, new.sender);
            assert_eq!(m.status, new.status);
            assert_eq!(m.created_at, m.updated_at);
            assert_eq!(db.message(c.id, m.id).await.unwrap(), m);
            created.push(m);
        }
        assert_eq!(created[2].sender, None);
        assert_eq!(created[3].created_at, at(3));

        let raw = raw_types(&db, &url, c.id.get()).await;
        let expected: Vec<(i64, i64)> = created
            .iter()
            .map(|m| (m.id.get(), m.message_type.code()))
            .collect();
        assert_eq!(raw, expected);
        assert_eq!(raw.iter().map(|r| r.1).collect::<Vec<_>>(), [0, 1, 2, 3]);
    }
);

/// Creates `n` outgoing messages in `c`, one a second from `at(0)`.
async fn fill(db: &Store, c: &Conversation, n: i64) -> Vec<MessageId> {
    let mut ids = Vec::new();
    for i in 0..n {
        let m = db
            .create_message(&text(c, MessageType::Outgoing, &format!("m{i}")), at(i))
            .await
            .unwrap();
        ids.push(m.id);
    }
    ids
}

fn ids_of(messages: &[Message]) -> Vec<MessageId> {
    messages.iter().map(|m| m.id).collect()
}

store_test!(
    messages_before_pages_backwards_oldest_first,
    |db| async move {
        let (c, other, _) = thread(&db).await;
        let mut ids = Vec::new();
        // Interleave another conversation's messages, which never show.
        for _ in 0..2 {
            ids.extend(fill(&db, &c, 5).await);
            fill(&db, &other, 2).await;
        }
        let latest = db.messages_before(c.id, None, 4).await.unwrap();
        assert_eq!(ids_of(&latest), ids[6..10], "the newest four, oldest first");

        let mut pages = vec![ids_of(&latest)];
        let mut before = latest.first().map(|m| m.id);
        while let Some(id) = before {
            let page = db.messages_before(c.id, Some(id), 4).await.unwrap();
            before = page.first().map(|m| m.id);
            if !page.is_empty() {
                pages.push(ids_of(&page));
            }
        }
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [4, 4, 2]);
        pages.reverse();
        assert_eq!(pages.concat(), ids);
        assert!(
            db.messages_before(c.id, Some(ids[0]), 4)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

store_test!(messages_after_pages_forwards, |db| async move {
    let (c, other, _) = thread(&db).await;
    let ids = fill(&db, &c, 6).await;
    fill(&db, &other, 3).await;
    let page = db.messages_after(c.id, ids[1], 3).await.unwrap();
    assert_eq!(ids_of(&page), ids[2..5]);
    let rest = db.messages_after(c.id, ids[4], 3).await.unwrap();
    assert_eq!(ids_of(&rest), ids[5..]);
    assert!(db.messages_after(c.id, ids[5], 3).await.unwrap().is_empty());
    assert_eq!(
        db.messages_after(c.id, MessageId(0), 100)
            .await
            .unwrap()
            .len(),
        6
    );
});

store_test!(
    incoming_messages_are_counted_since_a_time,
    |db| async move {
        let (c, other, _) = thread(&db).await;
        for (kind, t) in [
            (MessageType::Incoming, 0),
            (MessageType::Incoming, 10),
            (MessageType::Outgoing, 15),
            (MessageType::Activity, 16),
            (MessageType::Incoming, 20),
        ] {
            db.create_message(&text(&c, kind, "x"), at(t))
                .await
                .unwrap();
        }
        db.create_message(&text(&other, MessageType::Incoming, "x"), at(30))
            .await
            .unwrap();
        assert_eq!(db.count_incoming_since(c.id, None).await.unwrap(), 3);
        assert_eq!(
            db.count_incoming_since(c.id, Some(at(-1))).await.unwrap(),
            3
        );
        assert_eq!(
            db.count_incoming_since(c.id, Some(at(10))).await.unwrap(),
            1,
            "strictly after"
        );
        assert_eq!(
            db.count_incoming_since(c.id, Some(at(20))).await.unwrap(),
            0
        );
        assert_eq!(db.count_incoming_since(other.id, None).await.unwrap(), 1);
    }
);

store_test!(
    messages_are_deleted_only_within_their_conversation,
    |db| async move {
        let (c, other, _) = thread(&db).await;
        let ids = fill(&db, &c, 2).await;
        assert_not_found(db.message(other.id, ids[0]).await);
        assert_not_found(db.delete_message(other.id, ids[0]).await);
        assert_eq!(db.message(c.id, ids[0]).await.unwrap().id, ids[0]);

        db.delete_message(c.id, ids[0]).await.unwrap();
        assert_not_found(db.message(c.id, ids[0]).await);
        assert_not_found(db.delete_message(c.id, ids[0]).await);
        let left = db.messages_before(c.id, None, 10).await.unwrap();
        assert_eq!(ids_of(&left), [ids[1]]);
    }
);

store_test!(
    posting_a_message_updates_the_conversation_as_it_is_now,
    |db| async move {
        let (c, _, alice) = thread(&db).await;
        let stale = c.clone();
        // An agent snoozes the conversation and sets a priority after `stale` was read.
        let mut now = db.conversation(c.id).await.unwrap();
        now.status = ConversationStatus::Snoozed;
        now.snoozed_until = Some(at(900));
        now.priority = Some(oxidesk_domain::Priority::High);
        db.save_conversation(&now).await.unwrap();

        // An outgoing reply written from the stale copy keeps both changes.
        let (reply, after) = db
            .post_message(&stale, &text(&c, MessageType::Outgoing, "on it"), at(50))
            .await
            .unwrap();
        assert_eq!(reply.content.as_deref(), Some("on it"));
        assert_eq!(after.status, ConversationStatus::Snoozed);
        assert_eq!(after.priority, Some(oxidesk_domain::Priority::High));
        assert_eq!(after.first_reply_created_at, Some(at(50)));
        assert_eq!(after.last_activity_at, at(50));
        assert_eq!(
            db.conversation(c.id).await.unwrap(),
            after,
            "saved as returned"
        );

        // The customer writes back: the conversation reopens, waits, and the contact's
        // activity moves, all in the same transaction.
        let incoming = NewMessage {
            sender: Some(Sender::Contact(alice.id)),
            ..text(&c, MessageType::Incoming, "thanks")
        };
        let (_, after) = db.post_message(&stale, &incoming, at(60)).await.unwrap();
        assert_eq!(after.status, ConversationStatus::Open);
        assert_eq!(after.snoozed_until, None);
        assert_eq!(after.waiting_since, Some(at(60)));
        assert_eq!(after.priority, Some(oxidesk_domain::Priority::High));
        assert_eq!(db.conversation(c.id).await.unwrap(), after);
        assert_eq!(
            db.contact(c.account_id, alice.id)
                .await
                .unwrap()
                .last_activity_at,
            Some(at(60))
        );
        let thread = db.messages_before(c.id, None, 10).await.unwrap();
        assert_eq!(thread.len(), 2);

        // Another account's conversation id is not found, and nothing is written.
        let other = account(&db, "Other").await;
        let foreign = Conversation {
            account_id: other.id,
            ..c.clone()
        };
        assert!(matches!(
            db.post_message(&foreign, &text(&c, MessageType::Outgoing, "x"), at(70))
                .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(db.messages_before(c.id, None, 10).await.unwrap().len(), 2);
    }
);
