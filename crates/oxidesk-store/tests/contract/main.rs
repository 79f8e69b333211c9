//! The store's contract tests: what every query promises, checked on both databases.
//!
//! Each test, written once with [`store_test!`], runs twice: on a fresh SQLite file, and on a
//! fresh schema of the PostgreSQL server named by `OXIDESK_TEST_DATABASE_URL` (skipped with a
//! loud warning when it is unset, and a failure when `CI=true`). The fixtures here build the
//! accounts, users, inboxes, contacts and conversations the tests start from.

#![expect(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

use std::sync::atomic::{AtomicU64, Ordering};

use oxidesk_domain::{
    Account, AccountId, Attributes, Channel, Contact, ContactInbox, Conversation,
    ConversationStatus, Inbox, Role, Timestamp, User,
};
use oxidesk_store::{NewContact, NewConversation, NewUser, Store, StoreError};

/// Defines a test that runs on both backends: `store_test!(name, |db| async move { ... })`
/// becomes a module `name` with the tests `sqlite` and `postgres`; `db` is the [`Store`].
/// `|db, url| ...` also gives the database's URL, for a look at the raw rows.
macro_rules! store_test {
    ($name:ident, |$db:ident| $body:expr) => {
        store_test!($name, |$db, _url| $body);
    };
    ($name:ident, |$db:ident, $url:ident| $body:expr) => {
        mod $name {
            use super::*;

            async fn run($db: oxidesk_store::Store, $url: String) {
                $body.await
            }

            #[tokio::test]
            async fn sqlite() {
                let database = oxidesk_store::testing::TestDatabase::sqlite().await;
                run(database.store.clone(), database.url.clone()).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(database) = oxidesk_store::testing::TestDatabase::postgres().await else {
                    return;
                };
                run(database.store.clone(), database.url.clone()).await;
            }
        }
    };
}

mod accounts;
mod attributes;
mod auth;
mod bots;
mod contact_search;
mod contacts;
mod contention;
mod conversations;
mod count_rows;
mod counting;
mod dashboard_apps;
mod extras;
mod inboxes;
mod isolation;
mod labels;
mod listing;
mod messages;
mod migrations;
mod posting;
mod public_target;
mod search_lists;
mod signing_keys;
mod statistics;
mod updates;
mod uploads;
mod visitors;
mod writers;

/// Makes source ids and UUIDs unique.
static SEQ: AtomicU64 = AtomicU64::new(0);

/// A fixed "now" the tests count from.
const NOW: i64 = 1_700_000_000;

/// `NOW` moved by `secs`.
fn at(secs: i64) -> Timestamp {
    Timestamp(NOW + secs)
}

/// Asserts that `result` failed with [`StoreError::NotFound`].
#[track_caller]
fn assert_not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    match result {
        Err(StoreError::NotFound) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

/// Asserts that `result` failed with a conflict on `what`.
#[track_caller]
fn assert_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, what: &str) {
    match result {
        Err(e) if e.is_conflict_on(what) => {}
        other => panic!("expected a conflict on {what:?}, got {other:?}"),
    }
}

/// A JSON object from a `serde_json::json!` object literal.
fn attrs(value: serde_json::Value) -> Attributes {
    match value {
        serde_json::Value::Object(map) => map,
        other => panic!("not a JSON object: {other}"),
    }
}

async fn account(db: &Store, name: &str) -> Account {
    db.create_account(name, at(0)).await.unwrap()
}

/// A user with this (lower-case) email.
async fn user(db: &Store, email: &str) -> User {
    let new = NewUser {
        name: email.split('@').next().unwrap_or(email),
        display_name: None,
        email,
        password_hash: Some("$argon2id$fake"),
        confirmed: true,
        avatar_url: None,
    };
    db.create_user(&new, at(0)).await.unwrap()
}

/// A user who is an agent of `account`.
async fn agent(db: &Store, account: AccountId, email: &str) -> User {
    let u = user(db, email).await;
    db.add_member(account, u.id, Role::Agent, at(0))
        .await
        .unwrap();
    u
}

fn api_channel(hmac_token: &str) -> Channel {
    Channel::Api {
        webhook_url: None,
        hmac_token: hmac_token.into(),
        hmac_mandatory: false,
    }
}

/// An API inbox; its identifier is `ident-<name>` and must be unique in the database.
async fn inbox(db: &Store, account: AccountId, name: &str) -> Inbox {
    db.create_inbox(
        account,
        name,
        &api_channel("secret"),
        &format!("ident-{name}"),
        at(0),
    )
    .await
    .unwrap()
}

/// A contact with a name and an optional email.
async fn contact(db: &Store, account: AccountId, name: &str, email: Option<&str>) -> Contact {
    let new = NewContact {
        name: name.into(),
        email: email.map(Into::into),
        ..NewContact::default()
    };
    db.create_contact(account, &new, at(0)).await.unwrap()
}

/// An open, unassigned conversation of `contact` in `inbox`, created at `at(created)`.
async fn conversation(
    db: &Store,
    inbox: &Inbox,
    contact: &Contact,
    created: i64,
) -> (ContactInbox, Conversation) {
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let ci = db
        .create_contact_inbox(
            contact.id,
            inbox.id,
            &format!("src-{n}"),
            false,
            at(created),
        )
        .await
        .unwrap();
    let new = NewConversation {
        account_id: inbox.account_id,
        inbox_id: inbox.id,
        contact_id: contact.id,
        contact_inbox_id: ci.id,
        uuid: format!("uuid-{n}"),
        status: ConversationStatus::Open,
        assignee_id: None,
        team_id: None,
        priority: None,
        snoozed_until: None,
        custom_attributes: Attributes::new(),
        additional_attributes: Attributes::new(),
    };
    let c = db.create_conversation(&new, at(created)).await.unwrap();
    (ci, c)
}
