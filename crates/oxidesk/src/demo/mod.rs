//! The demo account, "Acme Support": seeded once, on demand (`oxidesk demo`).
//!
//! Everything is created through the [`Services`] use cases, as people would through the
//! dashboard and the API, so the demo obeys the same rules as real data. The content itself is
//! fixed (see the private `data` module); only the times follow the clock, so that the newest
//! conversation is always about an hour old and the oldest five days.
//!
//! The account also gets the example dashboard app "Customer Orders", which this server serves
//! itself at `{public_url}/examples/customer-orders/` (see `http::examples`), and a website
//! inbox whose chat widget can be tried at once (`website`).

mod data;
mod website;

use oxidesk_domain::app_settings::AppSettingsInput;
use oxidesk_domain::apps::AppFrameInput;
use oxidesk_domain::{
    AccountId, Attributes, ContactId, ConversationStatus, MessageType, Role, Sender, TeamId,
    Timestamp, UserId,
};
use serde_json::{Value, json};

use crate::http::examples::{CUSTOMER_ORDERS_PATH, CUSTOMER_ORDERS_TITLE};
use crate::service::{
    AppInput, AttributeInput, CannedFields, ContactInput, MessageInput, NewMember, ServiceError,
    Services, StartConversation,
};
use data::{
    ACCOUNT_NAME, ATTRIBUTES, CANNED, CONTACTS, CONVERSATIONS, DemoContact, DemoConversation,
    INBOX_NAME, LABELS, Line, Outcome, Person, TEAMS, TeamKey, USERS,
};

/// What `seed` made or found, with the logins to print.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    /// The demo account's id.
    pub account_id: i64,
    /// Whether this run created it (false: it was already there).
    pub created: bool,
    /// `(role, email, password)` of each demo user.
    pub logins: Vec<(String, String, String)>,
    /// The URL of the example dashboard app "Customer Orders" installed in the account.
    pub example_app_url: String,
    /// The widget page of the demo's website inbox (`/widget?website_token=…`).
    pub widget_url: String,
}

impl DemoSummary {
    /// The text printed after seeding: the URL and the logins.
    pub fn describe(&self, public_url: &str) -> String {
        let mut out = String::new();
        out += if self.created {
            "Demo account \"Acme Support\" created.\n"
        } else {
            "Demo account \"Acme Support\" already exists.\n"
        };
        out += &format!("Open {public_url}/app/login and sign in as:\n");
        for (role, email, password) in &self.logins {
            out += &format!("  {role:<14} {email:<28} password: {password}\n");
        }
        out += &format!(
            "Dashboard app \"{CUSTOMER_ORDERS_TITLE}\" ({}) shows as a tab in every conversation.\n",
            self.example_app_url
        );
        out += &format!(
            "Website chat widget: open {} to chat as a visitor, or paste the snippet of \
             Settings > Inboxes > \"{}\" into a page of your site.\n",
            self.widget_url,
            website::WEBSITE_INBOX_NAME
        );
        out
    }
}

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Seeds the demo account unless it exists, and makes sure it has the example dashboard app.
///
/// An account named "Acme Support" counts as the demo: when there is one, nothing else is
/// created and the summary says so. `public_url` (the configuration's `public_url()`, without a
/// trailing slash) is where this server is reached; the example app's URL is built from it. The
/// app is installed once: a second run finds it (by title and path) and only corrects its URL
/// when the server is now reached elsewhere (another port, say). Seeding is not atomic: if it
/// fails half-way (say, because one of the demo emails is already taken by a user of another
/// account), the account stays as far as it got.
pub async fn seed(services: &Services, public_url: &str) -> Result<DemoSummary, ServiceError> {
    let logins = USERS
        .iter()
        .map(|u| {
            (
                u.role.as_str().to_owned(),
                u.email.to_owned(),
                u.password.to_owned(),
            )
        })
        .collect();
    let example_app_url = format!("{}{CUSTOMER_ORDERS_PATH}", public_url.trim_end_matches('/'));
    if let Some(account) = services.store.account_by_name(ACCOUNT_NAME).await? {
        install_example_app(services, account.id, &example_app_url).await?;
        let agents: Vec<UserId> = services
            .store
            .list_agents(account.id, None, USERS.len() as i64)
            .await?
            .into_iter()
            .map(|a| a.user.id)
            .collect();
        let inbox = website::website_inbox(services, account.id, public_url, &agents).await?;
        return Ok(DemoSummary {
            account_id: account.id.get(),
            created: false,
            logins,
            example_app_url,
            widget_url: website::widget_url(public_url, &inbox),
        });
    }
    let account = services.create_account(ACCOUNT_NAME).await?.id;
    let ids = set_up(services, account, public_url).await?;
    let now = Timestamp::now();
    for (index, conversation) in CONVERSATIONS.iter().enumerate() {
        add_conversation(services, &ids, index, conversation, now).await?;
    }
    install_example_app(services, account, &example_app_url).await?;
    Ok(DemoSummary {
        account_id: account.get(),
        created: true,
        logins,
        example_app_url,
        widget_url: website::widget_url(public_url, &ids.website),
    })
}

/// Installs "Customer Orders" at `url` unless the account has it; corrects its URL when the
/// server moved. The app counts as installed when an app has its title and a frame whose URL
/// ends with its path.
async fn install_example_app(
    services: &Services,
    account: AccountId,
    url: &str,
) -> Result<(), ServiceError> {
    let content = [AppFrameInput {
        kind: Some("frame".into()),
        url: Some(url.to_owned()),
    }];
    let apps = services.dashboard_apps(account).await?;
    let installed = apps.iter().find(|app| {
        app.title == CUSTOMER_ORDERS_TITLE
            && app
                .content
                .iter()
                .any(|frame| frame.url.ends_with(CUSTOMER_ORDERS_PATH))
    });
    match installed {
        Some(app) if app.content.iter().any(|frame| frame.url == url) => {}
        Some(app) => {
            services
                .update_dashboard_app(
                    account,
                    app.id,
                    &AppInput {
                        content: Some(&content),
                        ..AppInput::default()
                    },
                )
                .await?;
        }
        None => {
            // Created by the account's first administrator, as if through the settings page.
            let admin = services
                .store
                .list_agents(account, None, 100)
                .await?
                .into_iter()
                .find(|agent| agent.membership.role == Role::Administrator)
                .map(|agent| agent.user.id)
                .ok_or_else(|| ServiceError::Internal("the demo has no administrator".into()))?;
            // Its one action, "Add as a private note", granted (docs/dashboard-apps.md).
            let settings = AppSettingsInput {
                scopes: Some(vec!["note.create".to_owned()]),
                ..AppSettingsInput::default()
            };
            services
                .create_dashboard_app(
                    account,
                    admin,
                    &AppInput {
                        title: Some(CUSTOMER_ORDERS_TITLE),
                        content: Some(&content),
                        settings: Some(&settings),
                        ..AppInput::default()
                    },
                )
                .await?;
        }
    }
    Ok(())
}

/// The ids of what the conversations refer to.
struct Ids {
    account: AccountId,
    inbox: oxidesk_domain::InboxId,
    /// The website inbox: the conversations that came through the chat widget.
    website: oxidesk_domain::Inbox,
    users: Vec<UserId>,
    teams: Vec<(TeamKey, TeamId)>,
    contacts: Vec<ContactId>,
}

impl Ids {
    fn user(&self, person: Person) -> Result<UserId, ServiceError> {
        self.users
            .get(person as usize)
            .copied()
            .ok_or_else(|| ServiceError::Internal("demo user missing".into()))
    }

    fn team(&self, key: TeamKey) -> Result<TeamId, ServiceError> {
        self.teams
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, id)| *id)
            .ok_or_else(|| ServiceError::Internal("demo team missing".into()))
    }

    fn contact(&self, index: usize) -> Result<ContactId, ServiceError> {
        self.contacts
            .get(index)
            .copied()
            .ok_or_else(|| ServiceError::Internal("demo contact missing".into()))
    }
}

/// Creates the users, the inbox, the teams, the labels, the attribute definitions and the
/// contacts.
async fn set_up(
    services: &Services,
    account: AccountId,
    public_url: &str,
) -> Result<Ids, ServiceError> {
    let mut users = Vec::with_capacity(USERS.len());
    for user in &USERS {
        let member = NewMember {
            name: user.name,
            email: user.email,
            password: user.password,
            role: user.role,
        };
        users.push(services.add_member(account, &member).await?.id);
    }
    let inbox = services
        .create_api_inbox(account, INBOX_NAME, None)
        .await?
        .id;
    let website = website::website_inbox(services, account, public_url, &users).await?;
    let mut ids = Ids {
        account,
        inbox,
        website,
        users,
        teams: Vec::new(),
        contacts: Vec::new(),
    };
    for (key, name, description, members) in TEAMS {
        let members = members
            .iter()
            .map(|p| ids.user(*p))
            .collect::<Result<Vec<_>, _>>()?;
        let team = services
            .create_team(account, name, description, &members)
            .await?;
        ids.teams.push((key, team.id));
    }
    for (title, description, color) in LABELS {
        services
            .create_label(account, title, description, color)
            .await?;
    }
    for (short_code, content) in CANNED {
        let fields = CannedFields {
            short_code: Some(short_code.to_owned()),
            content: Some(content.to_owned()),
        };
        services
            .save_canned_response(account, None, &fields)
            .await?;
    }
    for attribute in &ATTRIBUTES {
        let input = AttributeInput {
            key: attribute.key,
            display_name: attribute.display_name,
            display_type: attribute.display_type,
            model: attribute.model,
            description: attribute.description,
            values: attribute.values.iter().map(|v| (*v).to_owned()).collect(),
        };
        services
            .create_attribute_definition(account, &input)
            .await?;
    }
    for contact in &CONTACTS {
        let created = services
            .create_contact(account, &contact_input(contact))
            .await?;
        ids.contacts.push(created.id);
    }
    Ok(ids)
}

/// The attributes map of a JSON object literal.
fn attributes(value: Value) -> Attributes {
    value.as_object().cloned().unwrap_or_default()
}

fn contact_input(contact: &DemoContact) -> ContactInput {
    let [github, twitter, facebook, linkedin] = contact.social;
    ContactInput {
        name: Some(contact.name.to_owned()),
        email: Some(contact.email.to_owned()),
        phone_number: Some(contact.phone.to_owned()),
        identifier: Some(contact.identifier.to_owned()),
        avatar_url: None,
        additional_attributes: attributes(json!({
            "description": contact.description,
            "company_name": contact.company,
            "city": contact.city,
            "country": contact.country,
            "country_code": contact.country_code,
            "social_profiles": {
                "github": github,
                "twitter": twitter,
                "facebook": facebook,
                "linkedin": linkedin,
            },
        })),
        custom_attributes: attributes(json!({
            "plan": contact.plan,
            "signup_date": contact.signup_date,
            "lifetime_value": contact.lifetime_value,
        })),
    }
}

/// When conversation `index` (0 is the oldest) starts: five hours apart, the newest a little
/// over an hour ago, so that each thread ends before the next conversation starts.
fn started_at(now: Timestamp, index: usize) -> Timestamp {
    let index = index as i64;
    let age = CONVERSATIONS.len() as i64 - 1 - index;
    now.plus_secs(-(age * 5 * HOUR + HOUR + (index * 13 % 40) * MINUTE))
}

/// When message `k` of conversation `index` is posted: two to eight minutes after the one
/// before it (at most seven gaps, so well within the hour before the next conversation).
fn message_at(started: Timestamp, index: usize, k: usize) -> Timestamp {
    let mut at = started.plus_secs(5);
    for j in 0..k {
        let gap = 2 * MINUTE + ((index + 3 * j) % 6) as i64 * MINUTE + (j * 17 % 60) as i64;
        at = at.plus_secs(gap);
    }
    at
}

/// Opens one conversation, posts its thread, labels it and gives it its final status.
async fn add_conversation(
    services: &Services,
    ids: &Ids,
    index: usize,
    demo: &DemoConversation,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let started = started_at(now, index);
    let mut additional = Attributes::new();
    if let Some(browser) = demo.browser {
        additional.insert(
            "browser".into(),
            json!({
                "device_name": browser.device,
                "browser_name": browser.browser,
                "platform_name": browser.platform,
                "browser_version": browser.browser_version,
                "platform_version": browser.platform_version,
            }),
        );
        additional.insert(
            "initiated_at".into(),
            json!({ "timestamp": js_date(started) }),
        );
    }
    if let Some(referer) = demo.referer {
        additional.insert("referer".into(), json!(referer));
    }
    let mut custom = Attributes::new();
    if let Some(order_id) = demo.order_id {
        custom.insert("order_id".into(), json!(order_id));
    }
    if let Some(reason) = demo.priority_reason {
        custom.insert("priority_reason".into(), json!(reason));
    }
    let input = StartConversation {
        // The widget's conversations (the visitor's browser is known) are the website's.
        inbox_id: if demo.browser.is_some() {
            ids.website.id
        } else {
            ids.inbox
        },
        contact_id: ids.contact(demo.contact)?,
        source_id: None,
        status: ConversationStatus::Open,
        assignee_id: demo.assignee.map(|p| ids.user(p)).transpose()?,
        team_id: demo.team.map(|t| ids.team(t)).transpose()?,
        priority: demo.priority,
        additional_attributes: additional,
        custom_attributes: custom,
    };
    let conversation = services
        .start_conversation_at(ids.account, &input, started)
        .await?;
    let id = conversation.display_id;
    for (k, line) in demo.thread.iter().enumerate() {
        let message = match line {
            Line::In(text) => MessageInput {
                content: (*text).to_owned(),
                message_type: MessageType::Incoming,
                private: false,
                sender: None,
                source_id: None,
                content_type: oxidesk_domain::ContentType::Text,
                content_attributes: Default::default(),
            },
            Line::Reply(person, text) | Line::Note(person, text) => MessageInput {
                content: (*text).to_owned(),
                message_type: MessageType::Outgoing,
                private: matches!(line, Line::Note(..)),
                sender: Some(Sender::User(ids.user(*person)?)),
                source_id: None,
                content_type: oxidesk_domain::ContentType::Text,
                content_attributes: Default::default(),
            },
        };
        services
            .post_message_at(ids.account, id, &message, message_at(started, index, k))
            .await?;
    }
    if !demo.labels.is_empty() {
        let labels: Vec<String> = demo.labels.iter().map(|l| (*l).to_owned()).collect();
        services.set_labels(ids.account, id, &labels).await?;
    }
    // Last, because a customer's message reopens resolved and snoozed conversations.
    let (status, until) = match demo.outcome {
        Outcome::Open => return Ok(()),
        Outcome::Resolved => (ConversationStatus::Resolved, None),
        Outcome::Pending => (ConversationStatus::Pending, None),
        Outcome::Snoozed(days) => (ConversationStatus::Snoozed, Some(now.plus_secs(days * DAY))),
    };
    // Closed a few minutes after the last message, by the assignee when there is one.
    let closed_at = message_at(started, index, demo.thread.len()).plus_secs(2 * MINUTE);
    services
        .set_status_at(
            ids.account,
            id,
            status,
            until,
            conversation.assignee_id,
            closed_at,
        )
        .await?;
    Ok(())
}

/// A time as JavaScript's `Date.prototype.toString` writes it in UTC, which is what Chatwoot's
/// widget stores as `initiated_at.timestamp`: `Tue Jun 04 2024 10:00:00 GMT+0000 (Coordinated
/// Universal Time)`.
pub(crate) fn js_date(at: Timestamp) -> String {
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = at.secs();
    let days = secs.div_euclid(DAY);
    let of_day = secs.rem_euclid(DAY);
    let (year, month, day) = at.date();
    let weekday = WEEKDAYS
        .get((days + 4).rem_euclid(7) as usize)
        .unwrap_or(&"");
    let month_name = MONTHS.get((month - 1) as usize).unwrap_or(&"");
    format!(
        "{weekday} {month_name} {day:02} {year} {:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
        of_day / HOUR,
        of_day % HOUR / MINUTE,
        of_day % MINUTE
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use oxidesk_domain::{AttributeModel, Role};
    use oxidesk_store::testing::TestDatabase;
    use oxidesk_store::{ContactSort, ConversationFilter, ConversationQuery};

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
}
