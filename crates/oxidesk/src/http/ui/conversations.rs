//! The conversation screens: the inbox (the conversation list with its tabs and filters) and the
//! open conversation (header, thread, composer, contact panel), plus the server-rendered
//! fragments `static/js/conversation.js` fetches to refresh parts of the page live.
//!
//! | Path (under `/app/accounts/{account_id}`) | What |
//! |---|---|
//! | `GET /conversations` | the list page |
//! | `GET /conversations/list?…` | the list region (tabs, rows, pager) with the same filters |
//! | `GET /conversations/{display_id}` | the list plus the open conversation |
//! | `GET /conversations/{display_id}/thread` | the thread's messages |
//! | `GET /conversations/{display_id}/header` | the header (status, assignee, team, labels) |
//! | `GET /conversations/{display_id}/contact` | the contact panel |
//! | `GET /conversations/{display_id}/context` | the Dashboard Apps' `appContext` data and its tokens (JSON) |
//! | `POST /conversations/{display_id}/apps/{app_id}/actions` | an app's action (protocol request), JSON |
//! | `GET /conversations/{display_id}/apps` | the Dashboard Apps shown there now (JSON), for live changes |
//!
//! Opening a conversation marks it read on the server: the page handler calls
//! `Services::mark_seen_by_agent` before rendering, and the thread fragment does again when
//! unread messages arrived while it was open. The page's own actions (replies, status,
//! assignment, labels) go to the JSON API from the browser.

pub(crate) mod app_actions;
pub(crate) mod apps;
mod files;
mod filters;
mod interactive;
mod list;
mod open;
mod panel;
mod visit;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use oxidesk_domain::{DisplayId, Timestamp};

use super::display::{contact_name, initials, picture, truncate};
use crate::http::{AppState, PageError};

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/conversations";
    Router::new()
        .route(base, get(list::get_list_page))
        .route(&format!("{base}/list"), get(list::get_list_fragment))
        .route(
            &format!("{base}/{{display_id}}"),
            get(open::get_conversation_page),
        )
        .route(
            &format!("{base}/{{display_id}}/thread"),
            get(open::get_thread),
        )
        .route(
            &format!("{base}/{{display_id}}/header"),
            get(open::get_header),
        )
        .route(
            &format!("{base}/{{display_id}}/contact"),
            get(open::get_contact_panel),
        )
        .route(
            &format!("{base}/{{display_id}}/context"),
            get(apps::get_context),
        )
        .route(
            &format!("{base}/{{display_id}}/apps/{{app_id}}/actions"),
            post(app_actions::post_action),
        )
        .route(&format!("{base}/{{display_id}}/apps"), get(apps::get_apps))
        .route(
            &format!("{base}/{{display_id}}/interactive"),
            post(interactive::post_interactive),
        )
}

/// The display id in a path, or the 404 page.
fn display_id(raw: &str) -> Result<DisplayId, PageError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(DisplayId)
        .ok_or_else(|| PageError::new(StatusCode::NOT_FOUND, "This conversation does not exist."))
}

/// One of eight avatar colour classes, stable per id (no inline styles under the CSP).
fn avatar_class(id: i64) -> String {
    format!("avatar-c{}", id.rem_euclid(8))
}

/// A point in time as the page shows it: `datetime` for `<time>`, a UTC text (which the
/// script replaces with the reader's local time) and a short relative label for lists.
#[derive(Debug, Clone)]
struct When {
    /// RFC 3339, for the `datetime` attribute.
    iso: String,
    /// `2024-06-04 10:00 UTC`.
    full: String,
    /// `now`, `5m`, `3h`, `2d` or `2024-06-04`.
    short: String,
}

impl When {
    fn new(at: Timestamp, now: Timestamp) -> Self {
        let iso = at.to_rfc3339();
        let full = format!("{} {} UTC", &iso[..10], &iso[11..16]);
        let age = now.secs() - at.secs();
        let short = match age {
            i64::MIN..60 => "now".to_owned(),
            60..3600 => format!("{}m", age / 60),
            3600..86_400 => format!("{}h", age / 3600),
            86_400..604_800 => format!("{}d", age / 86_400),
            _ => iso[..10].to_owned(),
        };
        Self { iso, full, short }
    }
}

/// One `<option>` of a `<select>`.
#[derive(Debug, Clone)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

impl Choice {
    fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        let now = Timestamp(1_717_495_200);
        assert_eq!(When::new(now, now).short, "now");
        assert_eq!(When::new(now.plus_secs(-300), now).short, "5m");
        assert_eq!(When::new(now.plus_secs(-7200), now).short, "2h");
        assert_eq!(When::new(now.plus_secs(-172_800), now).short, "2d");
        assert_eq!(When::new(now.plus_secs(-864_000), now).short, "2024-05-25");
        assert_eq!(When::new(now, now).full, "2024-06-04 10:00 UTC");
    }
}
