//! The contact pages: the list (search, keyset pages) here, one contact's page with its edit
//! form, labels and conversations in `show`.
//!
//! | Path (under `/app/accounts/{account_id}`) | What |
//! |---|---|
//! | `GET /contacts?q=…&after=…` | the list, most recent activity first, 25 a page |
//! | `GET /contacts/{id}` | details, attributes, social profiles, labels, conversations |
//! | `POST /contacts/{id}` | the edit form (name, email, phone, identifier, company, city, country) |
//! | `POST /contacts/{id}/labels` | the contact's labels |
//! | `GET /contacts/{id}/context` | the Dashboard Apps' context of the contact and its tokens (JSON) |
//! | `POST /contacts/{id}/apps/{app_id}/actions` | an app's action (protocol request), JSON |
//!
//! Both roles see contacts. Everything a customer wrote is escaped by askama; links are only
//! ever built here (`mailto:`, `tel:`, profile URLs from a plain user name, `https://` pictures).

mod apps;
mod facts;
mod show;

use super::display::{contact_name, count_label, initials, picture, truncate};
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Html;
use axum::routing::{get, post};
use oxidesk_domain::{Attributes, Contact};
use oxidesk_store::{ContactSort, Cursor, SEARCH_LIMIT};
use serde_json::Value;

use super::settings::forms::When;
use super::shell::{Member, Shell};
use crate::http::pages::render;
use crate::http::{AppState, PageError};

/// Contacts a page.
const PAGE_SIZE: i64 = 25;

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/contacts";
    Router::new()
        .route(base, get(list_contacts))
        .route(
            &format!("{base}/{{id}}"),
            get(show::show_contact).post(show::update_contact),
        )
        .route(
            &format!("{base}/{{id}}/labels"),
            post(show::set_contact_labels),
        )
        .route(&format!("{base}/{{id}}/context"), get(apps::get_context))
        .route(
            &format!("{base}/{{id}}/apps/{{app_id}}/actions"),
            post(apps::post_action),
        )
}

/// One of eight colour classes for the initials, stable per contact.
fn avatar_class(id: i64) -> String {
    format!("person-c{}", id.rem_euclid(8))
}

/// A JSON attribute as text; `None` for null and blank strings.
fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some("Yes".into()),
        Value::Bool(false) => Some("No".into()),
        other => Some(other.to_string()),
    }
}

/// The text of `attributes[key]`.
fn text_at(attributes: &Attributes, key: &str) -> Option<String> {
    attributes.get(key).and_then(value_text)
}

/// A contact's face: the picture, or initials on a colour.
struct Avatar {
    initials: String,
    class: String,
    url: Option<String>,
}

impl Avatar {
    fn of(contact: &Contact) -> Self {
        Self {
            initials: initials(&contact.name),
            class: avatar_class(contact.id.get()),
            url: contact.avatar_url.as_deref().and_then(picture),
        }
    }
}

/// One row of the contact list.
struct ContactRow {
    href: String,
    name: String,
    avatar: Avatar,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    last_activity: Option<When>,
}

#[derive(Template)]
#[template(path = "pages/contacts.html")]
struct ContactsPage {
    shell: Shell,
    q: String,
    /// How many contacts the list holds (`100+` for a search that found more than it keeps).
    count: String,
    /// Whether "contacts" is plural.
    plural: bool,
    /// A search that found more than it keeps: how many it keeps (the newest).
    bounded: Option<String>,
    rows: Vec<ContactRow>,
    first_href: Option<String>,
    next_href: Option<String>,
}

/// The list's query string: `q` (search) and `after` (a cursor); anything unreadable is ignored.
fn list_params(query: Option<&str>) -> (Option<String>, Option<Cursor>) {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let after = get("after").and_then(|a| Cursor::decode(&a));
    (get("q"), after)
}

/// `contacts` with the query string of `q` and `after`.
fn list_href(shell: &Shell, q: Option<&str>, after: Option<Cursor>) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(q) = q {
        pairs.push(("q", q.to_owned()));
    }
    if let Some(after) = after {
        pairs.push(("after", after.encode()));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    if query.is_empty() {
        shell.url("/contacts")
    } else {
        shell.url(&format!("/contacts?{query}"))
    }
}

/// `GET /contacts`: a page of contacts, most recent activity first; `q` searches name, email,
/// phone number and identifier; `after` continues from a page's last contact.
async fn list_contacts(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, PageError> {
    let (q, after) = list_params(query.as_deref());
    let (page, count) = state
        .services
        .list_contacts(
            member.account_id(),
            q.as_deref(),
            ContactSort::LastActivity,
            after,
            1,
            PAGE_SIZE,
        )
        .await?;
    let shell = member.shell.at("contacts");
    let rows = page
        .items
        .iter()
        .map(|c| ContactRow {
            href: shell.url(&format!("/contacts/{}", c.id)),
            name: contact_name(&c.name),
            avatar: Avatar::of(c),
            email: c.email.clone(),
            phone: c.phone_number.clone(),
            company: text_at(&c.additional_attributes, "company_name"),
            last_activity: c.last_activity_at.map(When::new),
        })
        .collect();
    render(&ContactsPage {
        first_href: after.map(|_| list_href(&shell, q.as_deref(), None)),
        next_href: page.next.map(|n| list_href(&shell, q.as_deref(), Some(n))),
        // A search keeps its newest SEARCH_LIMIT matches: that many means "at least".
        bounded: (q.is_some() && count >= SEARCH_LIMIT).then(|| count_label(SEARCH_LIMIT, None)),
        count: count_label(count, q.is_some().then_some(SEARCH_LIMIT)),
        plural: count != 1,
        q: q.unwrap_or_default(),
        rows,
        shell,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_parameters_survive_anything() {
        let (q, after) = list_params(Some("q=%20ada%20&after=12.34"));
        assert_eq!(q.as_deref(), Some("ada"));
        assert_eq!(after, Some(Cursor { key: 12, id: 34 }));
        assert_eq!(list_params(Some("after=nonsense&q=")), (None, None));
        assert_eq!(list_params(Some("%%%")), (None, None));
    }
}
