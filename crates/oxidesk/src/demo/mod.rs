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

mod conversations;
mod data;
mod website;

use oxidesk_domain::app_settings::AppSettingsInput;
use oxidesk_domain::apps::AppFrameInput;
use oxidesk_domain::{AccountId, Attributes, ContactId, Role, TeamId, Timestamp, UserId};
use serde_json::{Value, json};

use crate::http::examples::{CUSTOMER_ORDERS_PATH, CUSTOMER_ORDERS_TITLE};
use crate::service::{
    AppInput, AttributeInput, CannedFields, ContactInput, NewMember, ServiceError, Services,
};
use conversations::add_conversation;
pub(crate) use conversations::js_date;
use data::{
    ACCOUNT_NAME, ATTRIBUTES, CANNED, CONTACTS, CONVERSATIONS, DemoContact, INBOX_NAME, LABELS,
    Person, TEAMS, TeamKey, USERS,
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

#[cfg(test)]
mod tests;
