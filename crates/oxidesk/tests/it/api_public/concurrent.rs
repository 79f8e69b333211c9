//! Messages posted at the same moment, on one conversation and on many: they share the
//! writer's transactions (group commit); each is answered with its own message, none is lost,
//! and each conversation's counts, unread count and events are what they would be one by one.

use futures_util::future::join_all;

use super::*;

/// Posts `content` as contact `cid` into conversation `id`; returns the answer.
async fn post(app: &TestApp, cid: &str, id: i64, content: String) -> Value {
    let mut client = app.browser();
    let response = call(
        &mut client,
        Method::POST,
        &conversation_path(cid, id, "/messages"),
        json!({ "content": content, "echo_id": content }),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

app_test!(
    messages_posted_at_once_are_each_answered_and_kept,
    |app| async move {
        let s = setup(&app, false).await;
        let mut client = app.browser();
        let mut threads = Vec::new();
        for name in ["Ann", "Ben", "Cat"] {
            let cid = contact(&mut client, json!({ "name": name })).await;
            let id = conversation(&mut client, &cid).await;
            threads.push((cid, id));
        }
        let events_before = app.db.store.last_event_id().await.unwrap();

        // Twelve messages on the first conversation and four on each of the others, at once.
        let mut posts = Vec::new();
        for i in 0..12 {
            posts.push((0, format!("first {i}")));
        }
        for (t, i) in (1..3).flat_map(|t| (0..4).map(move |i| (t, i))) {
            posts.push((t, format!("thread {t} message {i}")));
        }
        let answers = join_all(
            posts
                .iter()
                .map(|(t, content)| post(&app, &threads[*t].0, threads[*t].1, content.clone())),
        )
        .await;

        // Each answer is its own message, in its own conversation.
        for ((t, content), answer) in posts.iter().zip(&answers) {
            assert_eq!(answer["content"], content.as_str(), "{answer}");
            assert_eq!(answer["echo_id"], content.as_str(), "{answer}");
            assert_eq!(answer["conversation_id"], threads[*t].1, "{answer}");
        }
        let mut ids: Vec<i64> = answers.iter().map(|a| a["id"].as_i64().unwrap()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), posts.len(), "every message has its own id");

        for (t, (cid, id)) in threads.iter().enumerate() {
            // The thread holds exactly its messages, in the order of their ids.
            let listed = call(
                &mut client,
                Method::GET,
                &conversation_path(cid, *id, "/messages"),
                json!(null),
            )
            .await
            .json();
            let listed = listed.as_array().unwrap();
            let mine: Vec<(i64, &str)> = posts
                .iter()
                .zip(&answers)
                .filter(|((pt, _), _)| *pt == t)
                .map(|((_, content), a)| (a["id"].as_i64().unwrap(), content.as_str()))
                .collect();
            let mut expected = mine.clone();
            expected.sort_unstable();
            let got: Vec<(i64, &str)> = listed
                .iter()
                .map(|m| (m["id"].as_i64().unwrap(), m["content"].as_str().unwrap()))
                .collect();
            assert_eq!(got, expected);

            // The agent sees them all unread in an open conversation.
            let seen = app
                .browser()
                .json(
                    Method::GET,
                    &format!("/api/v1/accounts/{}/conversations/{id}", s.account.id),
                    &[("api_access_token", s.token.as_str())],
                    json!(null),
                )
                .await
                .json();
            assert_eq!(seen["unread_count"], expected.len(), "{seen}");
            assert_eq!(seen["status"], "open", "{seen}");
        }

        // One `message.created` event each, recorded before the answers went out.
        let events = app
            .db
            .store
            .events_after(s.account.id, events_before, 100)
            .await
            .unwrap();
        let created = events
            .iter()
            .filter(|e| e.name == "message.created")
            .count();
        assert_eq!(created, posts.len(), "{events:?}");
    }
);
