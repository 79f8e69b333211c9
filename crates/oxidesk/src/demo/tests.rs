//! The demo seeds once, with consistent content and JavaScript-style dates.

use std::collections::HashSet;

use oxidesk_domain::{AttributeModel, ConversationStatus, Role};
use oxidesk_store::testing::TestDatabase;
use oxidesk_store::{ContactSort, ConversationFilter, ConversationQuery};

use super::data::Line;
use super::*;

/// What a seeded database holds, to compare before and after a second run.
#[derive(Debug, PartialEq)]
struct Counts {
    accounts: i64,
    members: usize,
    contacts: i64,
    conversations: i64,
    messages: usize,
    private_notes: usize,
    labels: usize,
    attributes: usize,
    dashboard_apps: Vec<(String, Vec<String>)>,
}

async fn counts(services: &Services, summary: &DemoSummary) -> Counts {
    let store = &services.store;
    let account = AccountId(summary.account_id);
    let page = store
        .list_conversations(
            account,
            &ConversationQuery {
                limit: 1000,
                ..ConversationQuery::default()
            },
        )
        .await
        .expect("conversations");
    let mut messages = 0;
    let mut private_notes = 0;
    for conversation in &page.items {
        let thread = store
            .messages_before(conversation.id, None, 1000)
            .await
            .expect("messages");
        messages += thread.len();
        private_notes += thread.iter().filter(|m| m.private).count();
    }
    Counts {
        accounts: store.count_accounts().await.expect("accounts"),
        members: store
            .list_agents(account, None, 100)
            .await
            .expect("agents")
            .len(),
        contacts: store.count_contacts(account).await.expect("contacts"),
        conversations: store
            .count_conversations(account, &ConversationFilter::default(), UserId(0))
            .await
            .expect("count")
            .all,
        messages,
        private_notes,
        labels: store
            .list_labels(account, None, 100)
            .await
            .expect("labels")
            .len(),
        attributes: store
            .list_attribute_definitions(account, None, None, 100)
            .await
            .expect("attributes")
            .len(),
        dashboard_apps: services
            .dashboard_apps(account)
            .await
            .expect("apps")
            .into_iter()
            .map(|app| (app.title, app.content.into_iter().map(|f| f.url).collect()))
            .collect(),
    }
}

async fn seeds_once(db: TestDatabase) {
    let services = Services::new(db.store.clone(), vec![7u8; 32]);
    let store = &services.store;
    let before = Timestamp::now();
    let summary = seed(&services, "http://127.0.0.1:3000")
        .await
        .expect("seed");
    assert!(summary.created);
    let account = AccountId(summary.account_id);
    let first = counts(&services, &summary).await;
    assert_eq!(first.accounts, 1);
    assert_eq!(first.members, 3);
    assert_eq!(first.contacts, 8);
    assert_eq!(first.conversations, 25);
    assert!(first.private_notes >= 6, "{first:?}");
    assert_eq!(first.labels, LABELS.len());
    assert!(first.messages >= 50, "{first:?}");
    assert_eq!(
        first.dashboard_apps,
        [(
            "Customer Orders".to_owned(),
            vec!["http://127.0.0.1:3000/examples/customer-orders/".to_owned()]
        )]
    );
    assert_eq!(
        summary.example_app_url,
        "http://127.0.0.1:3000/examples/customer-orders/"
    );

    let agents = store.list_agents(account, None, 100).await.expect("agents");
    let roles: Vec<(String, Role)> = agents
        .iter()
        .map(|a| (a.user.email.clone(), a.membership.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("admin@acme.example".to_owned(), Role::Administrator),
            ("sam@acme.example".to_owned(), Role::Agent),
            ("priya@acme.example".to_owned(), Role::Agent),
        ]
    );
    let definitions = store
        .list_attribute_definitions(account, None, None, 100)
        .await
        .expect("attributes");
    for model in [AttributeModel::Contact, AttributeModel::Conversation] {
        assert!(definitions.iter().any(|d| d.attribute_model == model));
    }
    assert_eq!(
        store
            .list_teams(account, None, 10)
            .await
            .expect("teams")
            .len(),
        2
    );

    let contacts = store
        .list_contacts(account, None, ContactSort::Newest, None, 100)
        .await
        .expect("contacts")
        .items;
    for contact in &contacts {
        assert!(contact.additional_attributes["social_profiles"].is_object());
        assert!(contact.additional_attributes["company_name"].is_string());
        assert!(contact.custom_attributes["plan"].is_string());
        assert!(
            contact
                .phone_number
                .as_deref()
                .is_some_and(|p| p.starts_with('+'))
        );
    }

    let conversations = store
        .list_conversations(
            account,
            &ConversationQuery {
                limit: 1000,
                ..ConversationQuery::default()
            },
        )
        .await
        .expect("conversations")
        .items;
    // Newest activity first is also newest first: the threads do not overlap.
    let order: Vec<i64> = conversations.iter().map(|c| c.display_id.get()).collect();
    assert_eq!(order, (1..=25).rev().collect::<Vec<i64>>());
    let statuses: HashSet<&str> = conversations.iter().map(|c| c.status.as_str()).collect();
    for status in ConversationStatus::ALL {
        assert!(
            statuses.contains(status.as_str()),
            "no {status} conversation"
        );
    }
    for conversation in &conversations {
        assert!(conversation.last_activity_at <= before);
        assert_eq!(
            conversation.snoozed_until.is_some(),
            conversation.status == ConversationStatus::Snoozed
        );
        if let Some(until) = conversation.snoozed_until {
            assert!(until > before);
        }
    }
    assert!(conversations.iter().any(|c| c.assignee_id.is_none()));
    for user in &agents {
        assert!(
            conversations
                .iter()
                .any(|c| c.assignee_id == Some(user.user.id)),
            "nothing assigned to {}",
            user.user.name
        );
    }
    assert!(conversations.iter().any(|c| c.team_id.is_some()));
    assert!(conversations.iter().any(|c| c.priority.is_some()));
    assert!(
        conversations
            .iter()
            .filter(|c| !c.labels.is_empty())
            .count()
            > 20
    );
    assert!(
        conversations
            .iter()
            .any(|c| c.custom_attributes.contains_key("order_id"))
    );
    assert!(conversations.iter().any(|c| {
        c.additional_attributes["browser"]["browser_name"].is_string()
            && c.additional_attributes["initiated_at"]["timestamp"].is_string()
    }));
    // The widget's conversations are in the website inbox, which every demo user answers.
    let inboxes = services.inboxes(account).await.expect("inboxes");
    assert_eq!(inboxes.len(), 2);
    let website = inboxes
        .iter()
        .find(|i| i.channel.web_widget().is_some())
        .expect("a website inbox");
    assert_eq!(
        summary.widget_url,
        format!(
            "http://127.0.0.1:3000/widget?website_token={}",
            website.inbox_identifier
        )
    );
    assert_eq!(
        store
            .inbox_members(account, website.id)
            .await
            .expect("members")
            .len(),
        3
    );
    let from_widget: Vec<_> = conversations
        .iter()
        .filter(|c| c.inbox_id == website.id)
        .collect();
    assert_eq!(
        from_widget.len(),
        8,
        "the conversations with the visitor's browser"
    );
    for c in &from_widget {
        let extra = &c.additional_attributes;
        assert!(extra["browser"]["platform_name"].is_string(), "{extra:?}");
        assert!(
            extra["referer"]
                .as_str()
                .is_some_and(|r| r.starts_with("https://"))
        );
        assert!(extra["initiated_at"]["timestamp"].is_string(), "{extra:?}");
    }
    let mut hostile = 0;
    for conversation in &conversations {
        let thread = store
            .messages_before(conversation.id, None, 100)
            .await
            .expect("messages");
        assert!((2..=8).contains(&thread.len()));
        assert!(thread.windows(2).all(|w| w[0].created_at < w[1].created_at));
        hostile += thread
            .iter()
            .filter(|m| {
                m.content
                    .as_deref()
                    .is_some_and(|c| c.contains("<img src=x onerror=alert(1)>"))
            })
            .count();
    }
    assert_eq!(hostile, 1, "the hostile message is stored as written");

    let again = seed(&services, "http://127.0.0.1:3000/")
        .await
        .expect("second seed");
    assert!(!again.created);
    assert_eq!(again.account_id, summary.account_id);
    assert_eq!(again.logins, summary.logins);
    assert_eq!(counts(&services, &again).await, first);

    // Served elsewhere now: the same app, at the new address.
    let moved = seed(&services, "http://localhost:3100")
        .await
        .expect("third seed");
    assert_eq!(
        counts(&services, &moved).await,
        Counts {
            dashboard_apps: vec![(
                "Customer Orders".to_owned(),
                vec!["http://localhost:3100/examples/customer-orders/".to_owned()]
            )],
            ..first
        }
    );

    let (_, email, password) = &summary.logins[0];
    let outcome = services
        .login(email, password, "127.0.0.1")
        .await
        .expect("the printed administrator login works");
    assert_eq!(outcome.user.email, "admin@acme.example");
    let text = summary.describe("http://localhost:3000");
    assert!(text.contains("http://localhost:3000/app/login"), "{text}");
    assert!(text.contains("priya@acme.example"), "{text}");
    assert!(text.contains("oxidesk-agent"), "{text}");
    assert!(
        text.contains("\"Customer Orders\" (http://127.0.0.1:3000/examples/customer-orders/)"),
        "{text}"
    );
    assert!(text.contains(&summary.widget_url), "{text}");
    assert_eq!(
        moved.widget_url,
        summary
            .widget_url
            .replace("http://127.0.0.1:3000", "http://localhost:3100")
    );
}

#[tokio::test]
async fn demo_seeds_once_on_sqlite() {
    seeds_once(TestDatabase::sqlite().await).await;
}

#[tokio::test]
async fn demo_seeds_once_on_postgres() {
    if let Some(db) = TestDatabase::postgres().await {
        seeds_once(db).await;
    }
}

#[test]
fn demo_dates_are_written_like_javascript() {
    assert_eq!(
        js_date(Timestamp(0)),
        "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"
    );
    assert_eq!(
        js_date(Timestamp(1_717_495_200 + 3_723)),
        "Tue Jun 04 2024 11:02:03 GMT+0000 (Coordinated Universal Time)"
    );
    assert_eq!(
        js_date(Timestamp(951_782_400)),
        "Tue Feb 29 2000 00:00:00 GMT+0000 (Coordinated Universal Time)"
    );
}

#[test]
fn demo_content_is_consistent() {
    let mut notes = 0;
    for conversation in &CONVERSATIONS {
        assert!(conversation.contact < CONTACTS.len());
        assert!((2..=8).contains(&conversation.thread.len()));
        assert!(matches!(conversation.thread.first(), Some(Line::In(_))));
        for label in conversation.labels {
            assert!(LABELS.iter().any(|(title, _, _)| title == label), "{label}");
        }
        notes += conversation
            .thread
            .iter()
            .filter(|l| matches!(l, Line::Note(..)))
            .count();
    }
    assert!(notes >= 6);
}
