//! `oxidesk generate`: the real binary fills a fresh database (SQLite file, PostgreSQL schema),
//! then the store and the services read back what it wrote.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use oxidesk::service::Services;
use oxidesk_domain::{AccountId, ConversationStatus, MessageType, Timestamp, UserId};
use oxidesk_store::testing::TestDatabase;
use oxidesk_store::{ConversationFilter, ConversationQuery, Store, StoreOptions};

use crate::cli::{oxidesk, text};

const SMALL: &[&str] = &[
    "generate",
    "--conversations",
    "300",
    "--messages",
    "1500",
    "--agents",
    "5",
    "--seed",
    "7",
];

/// Runs the generator in `dir` against `vars`' database and checks its summary.
async fn run_small(dir: &Path, vars: &[(&str, &str)]) {
    let dir = dir.to_owned();
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let out = tokio::task::spawn_blocking(move || {
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        oxidesk(&dir, SMALL, &vars)
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Generated 300 conversations (1500 messages")
            && stdout.contains("150 contacts and 5 agents in account 1")
            && stdout.contains("password oxidesk-agent"),
        "{stdout}"
    );
}

/// Checks the account's conversations; returns what the generated ones look like, without
/// the times (which follow the clock).
async fn check(store: &Store, conversations: usize) -> Vec<String> {
    let account = AccountId(1);
    let services = Services::new(store.clone(), vec![7u8; 32]);
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .list_conversations(
                account,
                &ConversationQuery {
                    after,
                    limit: 100,
                    ..ConversationQuery::default()
                },
            )
            .await
            .unwrap();
        all.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(all.len(), conversations);
    let counts = store
        .count_conversations(account, &ConversationFilter::default(), UserId(0))
        .await
        .unwrap();
    assert_eq!(counts.all, conversations as i64);

    // Display ids 1..=n, each once, and the account's counter past them.
    let ids: HashSet<i64> = all.iter().map(|c| c.display_id.get()).collect();
    assert_eq!(ids, (1..=conversations as i64).collect());
    let marks = store.generation_marks(account).await.unwrap();
    assert_eq!(marks.conversation_seq, conversations as i64);

    let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &all {
        *statuses.entry(c.status.as_str()).or_default() += 1;
    }
    let share = |s: &str| statuses.get(s).copied().unwrap_or(0) as f64 / all.len() as f64;
    assert!((0.1..0.45).contains(&share("open")), "{statuses:?}");
    assert!((0.45..0.85).contains(&share("resolved")), "{statuses:?}");
    assert!(
        share("pending") > 0.0 && share("snoozed") > 0.0,
        "{statuses:?}"
    );
    let assigned = all.iter().filter(|c| c.assignee_id.is_some()).count();
    assert!(
        assigned > all.len() / 2 && assigned < all.len(),
        "{assigned}"
    );
    assert!(all.iter().any(|c| c.team_id.is_some()));
    assert!(all.iter().any(|c| c.priority.is_some()));

    let labels: HashSet<String> = store
        .list_labels(account, None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.title)
        .collect();
    assert!(labels.len() >= 15, "{labels:?}");
    let labelled = all.iter().filter(|c| !c.labels.is_empty()).count();
    assert!(labelled > all.len() / 4, "{labelled}");
    for c in &all {
        for label in &c.labels {
            assert!(
                labels.contains(label),
                "{label} is not a label of the account"
            );
        }
    }

    let now = Timestamp::now();
    let mut fingerprint = Vec::new();
    let mut messages = 0;
    for c in &all {
        let thread = store.messages_before(c.id, None, 1000).await.unwrap();
        assert!(
            !thread.is_empty(),
            "conversation {} has no message",
            c.display_id
        );
        messages += thread.len();
        assert!(thread.windows(2).all(|w| w[0].created_at < w[1].created_at));
        assert!(thread.iter().all(|m| m.created_at <= now));
        assert!(thread.first().is_some_and(|m| m.created_at >= c.created_at));
        // What the services keep: the newest message that is not an activity line.
        let newest = thread
            .iter()
            .filter(|m| m.message_type != MessageType::Activity)
            .map(|m| m.created_at)
            .max()
            .unwrap_or(c.created_at);
        assert_eq!(c.last_activity_at, newest, "conversation {}", c.display_id);
        assert_eq!(
            c.snoozed_until.is_some(),
            c.status == ConversationStatus::Snoozed
        );
        if let Some(until) = c.snoozed_until {
            assert!(until > now);
        }
        let first_reply = thread
            .iter()
            .find(|m| m.message_type == MessageType::Outgoing && !m.private)
            .map(|m| m.created_at);
        if c.display_id.get() <= 25 {
            continue; // the demo's own
        }
        assert_eq!(c.first_reply_created_at, first_reply);
        fingerprint.push(format!(
            "{} {} {:?} {:?} {} {}",
            c.display_id,
            c.status,
            c.priority,
            c.labels,
            c.uuid,
            thread
                .iter()
                .map(|m| m.content.clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("|")
        ));
    }
    assert!(
        messages >= (conversations - 25) * 5,
        "{messages} messages for {conversations} conversations"
    );

    // The demo's logins still work, and so does a generated agent's.
    services
        .login("admin@acme.example", "oxidesk-admin", "127.0.0.1")
        .await
        .expect("the demo administrator signs in");
    let agents = store.list_agents(account, None, 100).await.unwrap();
    let generated = agents
        .iter()
        .find(|a| a.user.email.ends_with("@acme-support.example"))
        .expect("a generated agent");
    services
        .login(&generated.user.email, "oxidesk-agent", "127.0.0.1")
        .await
        .expect("a generated agent signs in");
    fingerprint.sort();
    fingerprint
}

#[tokio::test]
async fn generate_fills_sqlite_and_adds_on_a_second_run() {
    let dir = tempfile::tempdir().unwrap();
    run_small(dir.path(), &[]).await;
    let url = format!(
        "sqlite://{}",
        dir.path().join("oxidesk-data/oxidesk.db").display()
    );
    let store = Store::connect(&url, &StoreOptions::default())
        .await
        .unwrap();
    let first = check(&store, 325).await;
    let labels = store
        .list_labels(AccountId(1), None, 100)
        .await
        .unwrap()
        .len();
    assert_eq!(store.count_contacts(AccountId(1)).await.unwrap(), 8 + 150);
    assert_eq!(
        store
            .list_agents(AccountId(1), None, 100)
            .await
            .unwrap()
            .len(),
        3 + 5
    );

    // The same seed on another fresh database: the same data.
    let other = tempfile::tempdir().unwrap();
    run_small(other.path(), &[]).await;
    let other_url = format!(
        "sqlite://{}",
        other.path().join("oxidesk-data/oxidesk.db").display()
    );
    let other_store = Store::connect(&other_url, &StoreOptions::default())
        .await
        .unwrap();
    assert_eq!(check(&other_store, 325).await, first);

    // A second run adds as much again, with new ids, emails and UUIDs.
    run_small(dir.path(), &[]).await;
    let second = check(&store, 625).await;
    assert_eq!(second.len(), 600);
    assert_eq!(store.count_contacts(AccountId(1)).await.unwrap(), 8 + 300);
    assert_eq!(
        store
            .list_agents(AccountId(1), None, 100)
            .await
            .unwrap()
            .len(),
        3 + 10
    );
    // Labels, teams and inboxes are made once: the second run finds them.
    assert_eq!(
        store
            .list_labels(AccountId(1), None, 100)
            .await
            .unwrap()
            .len(),
        labels
    );
}

#[tokio::test]
async fn generate_fills_postgres() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let schema = db.schema.clone().unwrap();
    let url = format!("{}?options=-csearch_path%3D{schema}", db.url);
    let dir = tempfile::tempdir().unwrap();
    run_small(dir.path(), &[("OXIDESK_DATABASE_URL", &url)]).await;
    check(&db.store, 325).await;
    assert_eq!(
        db.store.count_contacts(AccountId(1)).await.unwrap(),
        8 + 150
    );
}

#[test]
fn generate_refuses_bad_arguments_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (vec!["--conversations", "0"], "--conversations"),
        (vec!["--conversations", "abc"], "--conversations"),
        (vec!["--contacts", "0"], "--contacts"),
        (
            vec!["--conversations", "300", "--messages", "10"],
            "--messages must be at least --conversations (300)",
        ),
        (
            vec!["--conversations", "2", "--messages", "1000"],
            "--messages must be at most 200 per conversation (400)",
        ),
        (vec!["--account", "Globex"], "no account named \"Globex\""),
        (vec!["--account", "42"], "no account with id 42"),
    ] {
        let mut all = vec!["generate"];
        all.extend(&args);
        let out = oxidesk(dir.path(), &all, &[]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains(expected),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}
