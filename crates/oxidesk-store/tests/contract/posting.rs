//! Group commit ([`Store::post_messages`]): several messages, of one conversation or many, in
//! one transaction, each with the effect it has alone, in order; a failing one fails alone.

use oxidesk_domain::{InboxId, MessageType, Sender};
use oxidesk_store::{ConversationFilter, NewMessage, PostMessage, Posted};

use super::messages::text;
use super::*;

/// The customer of `c` writes `content`.
fn from_contact(c: &Conversation, content: &str) -> NewMessage {
    NewMessage {
        sender: Some(Sender::Contact(c.contact_id)),
        ..text(c, MessageType::Incoming, content)
    }
}

/// `(conversation, message, at)` triples as a batch.
fn batch<'a>(items: &[(&'a Conversation, &'a NewMessage, i64)]) -> Vec<PostMessage<'a>> {
    items
        .iter()
        .map(|&(conversation, message, secs)| PostMessage {
            conversation,
            message,
            files: &[],
            at: at(secs),
        })
        .collect()
}

/// Posts `(conversation, message, at)` triples as one batch.
async fn post(db: &Store, items: &[(&Conversation, &NewMessage, i64)]) -> Vec<Posted> {
    db.post_messages(&batch(items)).await
}

/// The contents of a conversation's thread, oldest first.
async fn thread_of(db: &Store, c: &Conversation) -> Vec<String> {
    db.messages_before(c.id, None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.content.unwrap_or_default())
        .collect()
}

/// Two conversations of one contact of Acme, and the second as another account would name it.
struct Pair {
    acme: oxidesk_domain::Account,
    other: oxidesk_domain::Account,
    a: Conversation,
    b: Conversation,
    foreign: Conversation,
}

async fn pair(db: &Store) -> Pair {
    let acme = account(db, "Acme").await;
    let web = inbox(db, acme.id, "web").await;
    let alice = contact(db, acme.id, "Alice", None).await;
    let (_, a) = conversation(db, &web, &alice, 0).await;
    let (_, b) = conversation(db, &web, &alice, 0).await;
    let other = account(db, "Other").await;
    let foreign = Conversation {
        account_id: other.id,
        ..b.clone()
    };
    Pair {
        acme,
        other,
        a,
        b,
        foreign,
    }
}

store_test!(
    a_batch_writes_each_message_in_order_with_its_own_effect,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let web = inbox(&db, acme.id, "web").await;
        let alice = contact(&db, acme.id, "Alice", None).await;
        let bob = contact(&db, acme.id, "Bob", None).await;
        let (_, mut a) = conversation(&db, &web, &alice, 0).await;
        let (_, b) = conversation(&db, &web, &bob, 0).await;
        a.status = ConversationStatus::Resolved;
        db.save_conversation(&a).await.unwrap();

        let hello = from_contact(&a, "hello");
        let hi = from_contact(&b, "hi from bob");
        let reply = text(&a, MessageType::Outgoing, "how can I help?");
        let again = from_contact(&a, "my order");
        let done = post(
            &db,
            &[
                (&a, &hello, 10),
                (&b, &hi, 11),
                (&a, &reply, 12),
                (&a, &again, 13),
            ],
        )
        .await;
        let done: Vec<_> = done.into_iter().map(Result::unwrap).collect();

        // Ids in the order of the batch, each message as given.
        let ids: Vec<i64> = done.iter().map(|(m, _)| m.id.get()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        assert_eq!(done[1].0.content.as_deref(), Some("hi from bob"));
        assert_eq!(done[1].0.conversation_id, b.id);
        assert_eq!(done[2].0.message_type, MessageType::Outgoing);
        assert_eq!(done[3].0.created_at, at(13));

        // Each answered message is the message as stored (on SQLite it is built from what
        // was bound, its id counted back from the batch's last insert rowid).
        for (m, _) in &done {
            assert_eq!(&db.message(m.conversation_id, m.id).await.unwrap(), m);
        }

        // Each answer carries its conversation just after its own message.
        let (_, after_hello) = &done[0];
        assert_eq!(after_hello.status, ConversationStatus::Open, "reopened");
        assert_eq!(after_hello.waiting_since, Some(at(10)));
        assert_eq!(after_hello.first_reply_created_at, None);
        let (_, after_reply) = &done[2];
        assert_eq!(after_reply.waiting_since, None);
        assert_eq!(after_reply.first_reply_created_at, Some(at(12)));
        let (_, after_again) = &done[3];
        assert_eq!(after_again.waiting_since, Some(at(13)));
        assert_eq!(after_again.last_activity_at, at(13));
        assert_eq!(after_again.first_reply_created_at, Some(at(12)));

        // What is saved is each conversation after its last message.
        assert_eq!(&db.conversation(a.id).await.unwrap(), after_again);
        assert_eq!(db.conversation(b.id).await.unwrap(), done[1].1);
        assert_eq!(done[1].1.waiting_since, Some(at(11)));
        assert_eq!(
            thread_of(&db, &a).await,
            ["hello", "how can I help?", "my order"]
        );
        assert_eq!(thread_of(&db, &b).await, ["hi from bob"]);
        // Unread (incoming since the agent last looked) and the contacts' activity.
        assert_eq!(db.count_incoming_since(a.id, None).await.unwrap(), 2);
        assert_eq!(
            db.count_incoming_since(a.id, Some(at(12))).await.unwrap(),
            1
        );
        assert_eq!(db.count_incoming_since(b.id, None).await.unwrap(), 1);
        let activity = |id| {
            let db = db.clone();
            async move { db.contact(acme.id, id).await.unwrap().last_activity_at }
        };
        assert_eq!(activity(alice.id).await, Some(at(13)));
        assert_eq!(activity(bob.id).await, Some(at(11)));
        // The resolved conversation reopened: the status counts moved with it.
        let sam = agent(&db, acme.id, "sam@x.com").await;
        let count = |status| {
            let db = db.clone();
            let filter = ConversationFilter {
                status: Some(status),
                ..ConversationFilter::default()
            };
            async move {
                db.count_conversations(acme.id, &filter, sam.id)
                    .await
                    .unwrap()
                    .all
            }
        };
        assert_eq!(count(ConversationStatus::Open).await, 2);
        assert_eq!(count(ConversationStatus::Resolved).await, 0);
    }
);

store_test!(
    one_failing_message_does_not_fail_the_rest_of_its_batch,
    |db| async move {
        let Pair { a, b, foreign, .. } = pair(&db).await;

        // A conversation of another account is not found; a message the database refuses
        // (no such inbox) fails the batch's transaction, and is the only one to fail.
        let first = from_contact(&a, "first");
        let lost = from_contact(&foreign, "not mine");
        let refused = NewMessage {
            inbox_id: InboxId(999_999_999),
            ..from_contact(&b, "refused")
        };
        let last = from_contact(&b, "last");
        let done = post(
            &db,
            &[
                (&a, &first, 10),
                (&foreign, &lost, 11),
                (&b, &refused, 12),
                (&b, &last, 13),
            ],
        )
        .await;
        assert_eq!(done.len(), 4);
        assert_eq!(
            done[0].as_ref().unwrap().0.content.as_deref(),
            Some("first")
        );
        assert!(
            matches!(done[1], Err(StoreError::NotFound)),
            "{:?}",
            done[1]
        );
        assert!(
            matches!(done[2], Err(StoreError::Database(_))),
            "{:?}",
            done[2]
        );
        let (m, after) = done[3].as_ref().unwrap();
        assert_eq!(m.content.as_deref(), Some("last"));
        assert_eq!(after.last_activity_at, at(13));
        assert_eq!(thread_of(&db, &a).await, ["first"]);
        assert_eq!(
            thread_of(&db, &b).await,
            ["last"],
            "nothing of the refused one"
        );
        assert_eq!(
            db.conversation(b.id).await.unwrap().last_activity_at,
            at(13)
        );

        // A batch of only unknown conversations writes nothing, and an empty one is fine.
        let gone = post(&db, &[(&foreign, &lost, 20)]).await;
        assert!(matches!(gone[..], [Err(StoreError::NotFound)]));
        assert!(post(&db, &[]).await.is_empty());
        assert_eq!(thread_of(&db, &b).await, ["last"]);
    }
);

store_test!(
    concurrent_batches_on_the_same_conversations_lose_nothing,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let web = inbox(&db, acme.id, "web").await;
        let alice = contact(&db, acme.id, "Alice", None).await;
        let mut conversations = Vec::new();
        for _ in 0..3 {
            conversations.push(conversation(&db, &web, &alice, 0).await.1);
        }
        // Eight batches at once, each touching the three conversations in another order.
        let mut tasks = Vec::new();
        for round in 0..8_i64 {
            let db = db.clone();
            let mut mine = conversations.clone();
            mine.rotate_left(usize::try_from(round).unwrap() % 3);
            tasks.push(tokio::spawn(async move {
                let messages: Vec<NewMessage> = mine
                    .iter()
                    .flat_map(|c| (0..2).map(move |i| from_contact(c, &format!("r{round} m{i}"))))
                    .collect();
                let items: Vec<(&Conversation, &NewMessage, i64)> = messages
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (&mine[i / 2], m, 100 + round))
                    .collect();
                post(&db, &items)
                    .await
                    .into_iter()
                    .map(|r| r.map(|(m, _)| m.id))
                    .collect::<Result<Vec<_>, _>>()
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        for c in &conversations {
            let thread = thread_of(&db, c).await;
            assert_eq!(thread.len(), 16, "{thread:?}");
            // Within a round, a conversation's two messages keep their order.
            for round in 0..8 {
                let first = thread.iter().position(|t| *t == format!("r{round} m0"));
                let second = thread.iter().position(|t| *t == format!("r{round} m1"));
                assert!(first.unwrap() < second.unwrap(), "{thread:?}");
            }
            assert_eq!(db.count_incoming_since(c.id, None).await.unwrap(), 16);
            let saved = db.conversation(c.id).await.unwrap();
            // The last batch to commit set the activity; the first one started the wait.
            assert!(
                (at(100)..=at(107)).contains(&saved.last_activity_at),
                "{saved:?}"
            );
            assert!(
                saved
                    .waiting_since
                    .is_some_and(|w| (at(100)..=at(107)).contains(&w)),
                "{saved:?}"
            );
        }
    }
);

store_test!(
    a_batch_after_the_newest_message_was_deleted_answers_the_ids_it_stored,
    |db| async move {
        let Pair { a, b, .. } = pair(&db).await;
        let one = from_contact(&a, "one");
        let two = from_contact(&b, "two");
        let done = post(&db, &[(&a, &one, 10), (&b, &two, 11)]).await;
        let newest = done[1].as_ref().unwrap().0.clone();
        db.delete_message(newest.conversation_id, newest.id)
            .await
            .unwrap();
        // Ids are never reused: the next batch's ids follow the deleted one's, and each
        // answer is what the store reads back under its id.
        let three = from_contact(&b, "three");
        let four = text(&a, MessageType::Outgoing, "four");
        let five = from_contact(&a, "five");
        let done = post(&db, &[(&b, &three, 12), (&a, &four, 13), (&a, &five, 14)]).await;
        let done: Vec<_> = done.into_iter().map(Result::unwrap).collect();
        assert!(done[0].0.id.get() > newest.id.get());
        for (m, _) in &done {
            assert_eq!(&db.message(m.conversation_id, m.id).await.unwrap(), m);
        }
        assert_eq!(thread_of(&db, &a).await, ["one", "four", "five"]);
        assert_eq!(thread_of(&db, &b).await, ["three"]);
    }
);

store_test!(
    a_logged_batch_records_each_written_messages_event_with_it,
    |db| async move {
        let Pair {
            acme,
            other,
            a,
            b,
            foreign,
        } = pair(&db).await;
        // An event recorded before the batch comes before its events.
        let earlier = db
            .insert_events(
                &[oxidesk_store::NewEvent {
                    account: acme.id,
                    name: "earlier",
                    data: "{}",
                }],
                at(1),
            )
            .await
            .unwrap();

        let first = from_contact(&a, "first");
        let lost = from_contact(&foreign, "not mine");
        let second = from_contact(&b, "second");
        let third = text(&a, MessageType::Outgoing, "third");
        let items = [
            (&a, &first, 10),
            (&foreign, &lost, 11),
            (&b, &second, 12),
            (&a, &third, 13),
        ];
        let posts = batch(&items);
        let event = |m: &oxidesk_domain::Message, c: &Conversation| {
            (
                "message.created".to_owned(),
                format!(
                    "{{\"id\":{},\"conversation_id\":{}}}",
                    m.id.get(),
                    c.display_id.get()
                ),
            )
        };
        let done = db.post_messages_logged(&posts, &event).await;

        // Each written message has its event, in the order of the batch, after the earlier
        // one; the message that failed has none.
        assert_eq!(done.len(), 4);
        assert!(
            matches!(done[1], (Err(StoreError::NotFound), None)),
            "{:?}",
            done[1]
        );
        let written: Vec<(i64, i64, i64)> = done
            .iter()
            .filter_map(|(posted, id)| {
                let (m, c) = posted.as_ref().ok()?;
                Some((id.unwrap(), m.id.get(), c.display_id.get()))
            })
            .collect();
        assert_eq!(written.len(), 3);
        let stored = db.events_after(acme.id, earlier[0], 100).await.unwrap();
        let expected: Vec<(i64, String, String)> = written
            .iter()
            .map(|&(id, m, c)| {
                (
                    id,
                    "message.created".to_owned(),
                    format!("{{\"id\":{m},\"conversation_id\":{c}}}"),
                )
            })
            .collect();
        let got: Vec<(i64, String, String)> =
            stored.into_iter().map(|e| (e.id, e.name, e.data)).collect();
        assert_eq!(got, expected);
        assert!(db.events_after(other.id, 0, 100).await.unwrap().is_empty());
        assert_eq!(thread_of(&db, &a).await, ["first", "third"]);

        // A batch the database refuses is written one message at a time, without events
        // (the caller records them): only the refused message fails.
        let refused = NewMessage {
            inbox_id: InboxId(999_999_999),
            ..from_contact(&b, "refused")
        };
        let fourth = from_contact(&b, "fourth");
        let posts = batch(&[(&b, &refused, 20), (&b, &fourth, 21)]);
        let last = db.last_event_id().await.unwrap();
        let done = db.post_messages_logged(&posts, &event).await;
        assert!(
            matches!(done[0], (Err(StoreError::Database(_)), None)),
            "{:?}",
            done[0]
        );
        assert!(matches!(done[1], (Ok(_), None)), "{:?}", done[1]);
        assert_eq!(db.last_event_id().await.unwrap(), last);
        assert_eq!(thread_of(&db, &b).await, ["second", "fourth"]);
    }
);
