//! Writes that move many conversations at once racing single moves on the same count rows.
//!
//! On PostgreSQL a statement that moves many conversations (an agent removed, a contact, a
//! team deleted, a batch of messages) locks each conversation's row and then, in its trigger,
//! that conversation's count rows, in the order it meets them; a single move that holds a
//! conversation's row and waits for a count row the statement holds closes a cycle once the
//! statement reaches that conversation, and PostgreSQL fails one of the two with `40P01`. The
//! store runs such a transaction again (`retry.rs`): every call here must succeed, and the
//! counts must still be a `COUNT(*)` of the conversations. On SQLite (one writer) the same
//! calls simply take turns.

use oxidesk_domain::{ConversationId, MessageType, Sender};
use oxidesk_store::{NewMessage, PostMessage};

use super::messages::text;
use super::writers::{Move, Scene, Writers, assert_count_rows_match, rows};
use super::*;

/// The conversations the test starts from.
const CONVERSATIONS: usize = 180;

/// Rounds of removing each of the two agents (and adding them back) while the writers keep
/// assigning conversations to them.
const ROUNDS: usize = 32;

store_test!(
    moves_of_many_conversations_and_single_moves_all_succeed,
    |db, url| async move {
        if let Some(pool) = db.postgres_pool() {
            // Find a cycle after 20 ms rather than the default second: the test makes many.
            // (Every connection of the store's pool, held at once so that each is a new one.)
            let mut held = Vec::new();
            for _ in 0..5 {
                let mut conn = pool.acquire().await.unwrap();
                sqlx::query("SET deadlock_timeout = '20ms'")
                    .execute(&mut *conn)
                    .await
                    .unwrap();
                held.push(conn);
            }
        }
        let scene = Scene::new(&db, 4, &["web", "app"]).await;
        let (acme, agents, inboxes, teams, contacts) = (
            scene.acme.clone(),
            scene.agents.clone(),
            &scene.inboxes,
            scene.teams.clone(),
            &scene.contacts,
        );
        // Spread over every status, assignee and team, so that a statement over many of them
        // meets their count rows out of key order.
        let mut identities = Vec::new();
        for (i, person) in contacts.iter().enumerate() {
            identities.push(conversation(&db, &inboxes[i % 2], person, 0).await.0);
        }
        let mut ids = Vec::new();
        for i in 0..CONVERSATIONS {
            let new = NewConversation {
                account_id: acme.id,
                inbox_id: inboxes[i % 2].id,
                contact_id: contacts[i % 6].id,
                contact_inbox_id: identities[i % 6].id,
                uuid: format!("contention-{i}-{}", SEQ.fetch_add(1, Ordering::Relaxed)),
                status: ConversationStatus::ALL[i % 4],
                assignee_id: [None, Some(agents[0]), Some(agents[2]), Some(agents[3])][i / 4 % 4],
                team_id: [None, Some(teams[0]), Some(teams[1])][i % 3],
                priority: None,
                snoozed_until: None,
                custom_attributes: Attributes::new(),
                additional_attributes: Attributes::new(),
            };
            ids.push(db.create_conversation(&new, at(i as i64)).await.unwrap().id);
        }

        // Single moves of the 60 conversations that the two agents removed again and again are
        // given back each round, mostly to and from them (none of the team deleted meanwhile:
        // a whole-row save read before its deletion would name it again).
        let moved: Vec<ConversationId> = ids
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 2)
            .map(|(_, id)| *id)
            .collect();
        let writers = Writers {
            agents: vec![agents[2], agents[3], agents[2], agents[3], agents[0]],
            // Nor the contacts deleted (the writers open conversations for all but the first
            // they are given).
            teams: vec![teams[0]],
            contacts: contacts[1..].to_vec(),
            moves: &[
                Move::Status,
                Move::Status,
                Move::Assignee,
                Move::Assignee,
                Move::Status,
                Move::Team,
            ],
            seed: 21,
            steps: 320,
            new_one_in: 8,
            ..scene.writers(&db, &url, moved[..60].to_vec())
        }
        .spawn(4);

        // Beside them, statements over many conversations: each agent given its 30 of the
        // writers' conversations one at a time, then removed (they are unassigned at once) and
        // added back, round after round; contacts and a team deleted; batches of messages that
        // reopen conversations of every assignee.
        let mut many = Vec::new();
        for (k, gone) in [agents[2], agents[3]].into_iter().enumerate() {
            let db = db.clone();
            let mine = moved[k * 30..(k + 1) * 30].to_vec();
            let doomed = contacts[k].id;
            let team = teams[1];
            many.push(tokio::spawn(async move {
                for round in 0..ROUNDS {
                    for &id in &mine {
                        match db
                            .set_conversation_assignee(id, Some(gone), at(round as i64))
                            .await
                        {
                            Ok(()) | Err(StoreError::NotFound) => {}
                            Err(e) => panic!("assign: {e}"),
                        }
                    }
                    db.remove_member(acme.id, gone).await.unwrap();
                    db.add_member(acme.id, gone, Role::Agent, at(0))
                        .await
                        .unwrap();
                    if round == ROUNDS / 2 {
                        db.delete_contact(acme.id, doomed).await.unwrap();
                    }
                }
                if k == 1 {
                    db.delete_team(acme.id, team).await.unwrap();
                }
            }));
        }
        {
            let db = db.clone();
            let ids = ids.clone();
            many.push(tokio::spawn(async move {
                for round in 0..ROUNDS {
                    let mut conversations = Vec::new();
                    for id in ids.iter().skip(round % 3).step_by(3).take(48) {
                        if let Ok(c) = db.conversation(*id).await {
                            conversations.push(c);
                        }
                    }
                    let messages: Vec<NewMessage> = conversations
                        .iter()
                        .map(|c| NewMessage {
                            sender: Some(Sender::Contact(c.contact_id)),
                            ..text(c, MessageType::Incoming, "again")
                        })
                        .collect();
                    let posts: Vec<PostMessage<'_>> = conversations
                        .iter()
                        .zip(&messages)
                        .map(|(conversation, message)| PostMessage {
                            conversation,
                            message,
                            files: &[],
                            at: at(3_000),
                        })
                        .collect();
                    for posted in db.post_messages(&posts).await {
                        match posted {
                            Ok(_) | Err(StoreError::NotFound) => {}
                            Err(e) => panic!("batch: {e}"),
                        }
                    }
                }
            }));
        }
        for task in writers.into_iter().chain(many) {
            task.await.unwrap();
        }

        assert_count_rows_match(&db, &url).await;
        // What the statements promised: the contacts' and the team's conversations are gone.
        let left: Vec<(i64,)> = rows(
            &db,
            &url,
            &format!(
                "SELECT id FROM conversations WHERE contact_id IN ({}, {}) OR team_id = {}",
                contacts[0].id.get(),
                contacts[1].id.get(),
                teams[1].get()
            ),
        )
        .await;
        assert!(left.is_empty(), "left behind: {left:?}");
    }
);
