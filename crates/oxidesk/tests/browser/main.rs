//! Browser tests: the real `oxidesk` binary, in headless Chromium (Debian's `/usr/bin/chromium`,
//! or `OXIDESK_CHROMIUM`; nothing downloads a browser), on SQLite and on PostgreSQL.
//!
//! Each scenario starts `oxidesk demo` on a free port with its own data folder (and, for
//! PostgreSQL, a fresh schema of `OXIDESK_TEST_DATABASE_URL`), and a Chromium with a fresh
//! profile, then uses the dashboard as an agent would. Customers write through the public client
//! API, and what the browser did is checked through the application API as well as on the page.
//!
//! Without Chromium the tests print `WARNING: SKIPPED browser tests` and pass; with
//! `OXIDESK_REQUIRE_BROWSER=1` (CI) a missing browser fails them.
//!
//! The pages follow this DOM contract: the login form's `#email` and `#password`; the list
//! `ul#conversation-list > li.conversation-item[data-conversation-id]` with a link; the thread
//! `section#thread` of `article.message[data-message-id][data-message-type][data-private]` with
//! `.message-content`; the composer `form#composer` (`textarea[name=content]`,
//! `button[data-mode=reply|note]`, Enter sends); `button[data-action=resolve|reopen|pending]`;
//! `nav#app-nav`; the Messages tab `[role=tablist] [role=tab]#tab-messages`.
//!
//! `cargo test -p oxidesk --test browser screenshots -- --ignored` refreshes `docs/screenshots/`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../schemas/app_context.rs"]
mod app_context_schema;
mod chromium;
mod client;
mod desk;
mod origin;
mod server;

mod access;
mod app_lifecycle;
mod app_placement;
mod app_preview;
mod app_protocol;
mod app_trust;
mod apps;
mod attachments;
mod canned;
mod conversation;
mod example_app;
mod hostile;
mod live;
mod screenshots;
mod sdk_app;
mod sign_in;
mod theme;
mod widget;
mod widget_admin;
