//! The agent dashboard: server-rendered pages (askama) and small ES modules, with live updates
//! over Server-Sent Events.
//!
//! Every page of an account goes through [`shell::Member`] (signed in, and a member of the
//! account in the path; otherwise the login or a 404 page) and renders inside
//! `templates/layouts/app.html` with a [`shell::Shell`].

mod availability;
pub mod contacts;
pub mod conversations;
mod display;
pub mod live;
pub mod settings;
pub mod shell;

use axum::Router;

use super::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .merge(conversations::router())
        .merge(contacts::router())
        .merge(settings::router())
        .merge(live::router())
        .merge(availability::router())
}
