//! The Dashboard App context (`appContext`: the conversation with its latest 20 messages, the
//! contact, the agent, the attribute definitions) for conversations of 20, 100 and 1,000
//! messages, on a SQLite file:
//!
//! - `build + serialise`: `Services::app_context` (what `GET …/conversations/{id}/context` and
//!   the conversation page run: the store's queries included) and `serde_json::to_vec`;
//! - `serialise`: the JSON of a context already built, alone.
//!
//! Run with `cargo bench -p oxidesk --bench app_context`; the figures are in
//! `docs/PERFORMANCE.md`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use oxidesk::service::{ContactInput, MessageInput, NewMember, Services, StartConversation};
use oxidesk_domain::{AccountId, DisplayId, MessageType, Role, Sender, User};
use oxidesk_store::testing::TestDatabase;

/// The conversations' lengths.
const SIZES: [usize; 3] = [20, 100, 1000];

struct Bench {
    _db: TestDatabase,
    services: Services,
    account: AccountId,
    agent: User,
    /// (messages, display id)
    conversations: Vec<(usize, DisplayId)>,
}

async fn seed() -> Bench {
    let db = TestDatabase::sqlite().await;
    let services = Services::new(
        db.store.clone(),
        b"bench-secret-key-of-at-least-32-bytes".to_vec(),
    );
    let account = services.create_account("Acme").await.expect("account").id;
    let agent = services
        .add_member(
            account,
            &NewMember {
                name: "Ada Agent",
                email: "ada@acme.test",
                password: "password123",
                role: Role::Administrator,
            },
        )
        .await
        .expect("agent");
    let inbox = services
        .create_api_inbox(account, "Website", None)
        .await
        .expect("inbox")
        .id;
    let mut conversations = Vec::new();
    for (n, size) in SIZES.into_iter().enumerate() {
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
        for k in 0..size {
            let incoming = k % 2 == 0;
            let input = MessageInput {
                content: format!(
                    "Message {k}: my order has not arrived yet, could you check where it is? \
                     The tracking page says it left the warehouse on Monday."
                ),
                message_type: if incoming {
                    MessageType::Incoming
                } else {
                    MessageType::Outgoing
                },
                private: !incoming && k % 7 == 3,
                sender: (!incoming).then_some(Sender::User(agent.id)),
                source_id: None,
                content_type: oxidesk_domain::ContentType::Text,
                content_attributes: Default::default(),
            };
            services
                .post_message(account, conversation.display_id, &input)
                .await
                .expect("message");
        }
        conversations.push((size, conversation.display_id));
    }
    Bench {
        _db: db,
        services,
        account,
        agent,
        conversations,
    }
}

/// Builds the context of conversation `id` and serialises it; returns the JSON's length.
async fn build(bench: &Bench, id: DisplayId) -> usize {
    let conversation = bench
        .services
        .conversation(bench.account, id)
        .await
        .unwrap();
    let context = bench
        .services
        .app_context(bench.account, &conversation, &bench.agent)
        .await
        .unwrap();
    serde_json::to_vec(&context).unwrap().len()
}

fn app_context(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let bench = runtime.block_on(seed());
    let mut group = c.benchmark_group("app_context");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(5));
    for &(size, id) in &bench.conversations {
        let bytes = runtime.block_on(build(&bench, id));
        println!("app context of a conversation of {size} messages: {bytes} bytes of JSON");
        group.bench_with_input(
            BenchmarkId::new("build + serialise", size),
            &id,
            |b, &id| b.to_async(&runtime).iter(|| build(&bench, id)),
        );
        let context = runtime.block_on(async {
            let conversation = bench
                .services
                .conversation(bench.account, id)
                .await
                .unwrap();
            bench
                .services
                .app_context(bench.account, &conversation, &bench.agent)
                .await
                .unwrap()
        });
        group.bench_with_input(BenchmarkId::new("serialise", size), &context, |b, c| {
            b.iter(|| serde_json::to_vec(c).unwrap().len())
        });
    }
    group.finish();
}

criterion_group!(benches, app_context);
criterion_main!(benches);
