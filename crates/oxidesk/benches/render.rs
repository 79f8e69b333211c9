//! Server time to render the dashboard's main pages, in process, through the real router
//! (`oxidesk::http::router`, as a browser's request would go: session cookie, every layer):
//!
//! - `GET /app/accounts/1/conversations/{id}`: the conversation page (list + thread + panel);
//! - `GET /app/accounts/1/conversations`: the conversation list;
//! - `GET /app/accounts/1/conversations/{id}/context`: a Dashboard App's fresh `appContext`
//!   data (what the page fetches and pushes to its apps when the conversation changes).
//!
//! The account is the demo ("Acme Support") plus `EXTRA_CONVERSATIONS` more conversations of
//! `EXTRA_MESSAGES` messages each, on a SQLite file (the default), so the list pages through a
//! few thousand conversations. Run with `cargo bench -p oxidesk --bench render`; the figures are
//! recorded in `docs/PERFORMANCE.md`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use oxidesk::config::Config;
use oxidesk::http::{AppState, SESSION_COOKIE};
use oxidesk::service::{ContactInput, MessageInput, Services, StartConversation};
use oxidesk_domain::{AccountId, DisplayId, MessageType, Sender};
use oxidesk_store::testing::TestDatabase;
use tower::ServiceExt;

/// Conversations added to the demo's 25.
const EXTRA_CONVERSATIONS: usize = 2000;
/// Messages in each of them.
const EXTRA_MESSAGES: usize = 4;
/// Messages in the one long conversation also benchmarked.
const LONG_THREAD: usize = 200;

/// The router on a seeded database, and an administrator's session cookie.
struct Bench {
    _db: TestDatabase,
    router: Router,
    cookie: String,
    /// A demo conversation with notes (display id).
    demo: i64,
    /// The long conversation (display id).
    long: i64,
}

async fn seed() -> Bench {
    let db = TestDatabase::sqlite().await;
    let services = Services::new(
        db.store.clone(),
        b"bench-secret-key-of-at-least-32-bytes".to_vec(),
    );
    let summary = oxidesk::demo::seed(&services, "http://127.0.0.1:3000")
        .await
        .expect("demo");
    let account = AccountId(summary.account_id);
    let inbox = db
        .store
        .list_inboxes(account, None, 10)
        .await
        .expect("inboxes")[0]
        .id;
    let admin = services
        .login("admin@acme.example", "oxidesk-admin", "127.0.0.1")
        .await
        .expect("login");

    let mut long = 0;
    for n in 0..=EXTRA_CONVERSATIONS {
        let contact = services
            .create_contact(
                account,
                &ContactInput {
                    name: Some(format!("Customer {n}")),
                    email: Some(format!("customer{n}@example.com")),
                    ..ContactInput::default()
                },
            )
            .await
            .expect("contact");
        let conversation = services
            .start_conversation(account, &StartConversation::new(inbox, contact.id))
            .await
            .expect("conversation");
        let messages = if n == 0 { LONG_THREAD } else { EXTRA_MESSAGES };
        for k in 0..messages {
            let incoming = k % 2 == 0;
            let input = MessageInput {
                content: format!(
                    "Message {k} of conversation {n}: my order has not arrived yet, could you \
                     check where it is? The tracking page says it left the warehouse on Monday."
                ),
                message_type: if incoming {
                    MessageType::Incoming
                } else {
                    MessageType::Outgoing
                },
                private: !incoming && k % 7 == 3,
                sender: (!incoming).then_some(Sender::User(admin.user.id)),
                source_id: None,
                content_type: oxidesk_domain::ContentType::Text,
                content_attributes: Default::default(),
            };
            services
                .post_message(account, conversation.display_id, &input)
                .await
                .expect("message");
        }
        if n == 0 {
            long = conversation.display_id.get();
        }
    }
    // The demo conversation with the most messages.
    let mut demo = (0, 1);
    for id in 1..=25 {
        let conversation = services
            .conversation(account, DisplayId(id))
            .await
            .expect("demo conversation");
        let count = db
            .store
            .messages_before(conversation.id, None, 100)
            .await
            .expect("messages")
            .len();
        if count > demo.0 {
            demo = (count, id);
        }
    }
    let state = AppState {
        services,
        config: Arc::new(Config::default()),
    };
    Bench {
        _db: db,
        router: oxidesk::http::router(state),
        cookie: format!("{SESSION_COOKIE}={}", admin.session_token),
        demo: demo.1,
        long,
    }
}

/// One GET of `path` as the signed-in administrator; returns the body's length.
async fn get(bench: &Bench, path: &str) -> usize {
    let request = Request::builder()
        .uri(path)
        .header(header::HOST, "localhost")
        .header(header::COOKIE, &bench.cookie)
        .body(Body::empty())
        .unwrap();
    let response = bench.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .len()
}

fn render(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let bench = runtime.block_on(seed());
    let pages = [
        (
            "conversation page (demo thread)",
            format!("/app/accounts/1/conversations/{}", bench.demo),
        ),
        (
            "conversation page (200 messages)",
            format!("/app/accounts/1/conversations/{}", bench.long),
        ),
        (
            "conversation list",
            "/app/accounts/1/conversations".to_owned(),
        ),
        (
            "dashboard app context (JSON)",
            format!("/app/accounts/1/conversations/{}/context", bench.long),
        ),
    ];
    for (name, path) in &pages {
        let bytes = runtime.block_on(get(&bench, path));
        println!("{name}: {path}, {bytes} bytes of HTML");
    }
    let mut group = c.benchmark_group("render");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));
    for (name, path) in &pages {
        group.bench_function(*name, |b| {
            b.to_async(&runtime).iter(|| get(&bench, path));
        });
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
