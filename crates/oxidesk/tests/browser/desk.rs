//! `Desk`: what one scenario works with: the real binary serving the demo account on a fresh
//! database, a headless Chromium, and the client APIs. `browser_test!` runs a scenario on SQLite
//! and again on a PostgreSQL schema.

use std::path::PathBuf;

use crate::chromium::{self, Chromium, Tab};
use crate::client::Api;
use crate::server::{Database, Server};

/// Runs the body on SQLite and on PostgreSQL (when `OXIDESK_TEST_DATABASE_URL` is set), each
/// with its own `oxidesk demo` process and its own Chromium:
/// `browser_test!(name, |desk| async move { ... });` (`desk: &Desk`).
#[macro_export]
macro_rules! browser_test {
    ($name:ident, |$desk:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($desk: &$crate::desk::Desk) {
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(desk) = $crate::desk::Desk::sqlite().await {
                    run(&desk).await;
                    desk.finish().await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(desk) = $crate::desk::Desk::postgres().await {
                    run(&desk).await;
                    desk.finish().await;
                }
            }
        }
    };
}

/// The demo account served by the real binary, and a browser.
pub struct Desk {
    /// The server (`oxidesk demo`).
    pub server: Server,
    /// The browser.
    pub chromium: Chromium,
    /// The database (after the server and the browser in drop order).
    pub db: Database,
}

impl Desk {
    /// On a fresh SQLite database; `None` (said loudly) without Chromium.
    pub async fn sqlite() -> Option<Self> {
        let chromium = chromium::executable()?;
        Some(Self::start(chromium, Database::sqlite()).await)
    }

    /// On a fresh SQLite database, under another brand name; `None` (said loudly) without
    /// Chromium.
    pub async fn sqlite_branded(brand: &str) -> Option<Self> {
        let chromium = chromium::executable()?;
        Some(Self::start(chromium, Database::sqlite().branded(brand)).await)
    }

    /// On a fresh PostgreSQL schema; `None` (said loudly) without Chromium or without
    /// `OXIDESK_TEST_DATABASE_URL`.
    pub async fn postgres() -> Option<Self> {
        let chromium = chromium::executable()?;
        let db = Database::postgres().await?;
        Some(Self::start(chromium, db).await)
    }

    async fn start(chromium: PathBuf, db: Database) -> Self {
        let (server, chromium) = tokio::join!(db.start("demo"), Chromium::launch(&chromium));
        Self {
            server,
            chromium,
            db,
        }
    }

    /// A new tab on the server, showing nothing yet.
    pub async fn tab(&self) -> Tab {
        self.chromium.tab(&self.server.base()).await
    }

    /// A new tab, signed in as `(email, password)`, showing the conversation list.
    pub async fn signed_in(&self, login: (&str, &str)) -> Tab {
        let tab = self.tab().await;
        sign_in(&tab, login).await;
        tab
    }

    /// The APIs, with a new access token of the demo administrator (`oxidesk token create`).
    pub async fn api(&self) -> Api {
        let token = self.db.token(crate::server::ADMIN.0);
        Api::new(self.server.port, token).await
    }

    /// Closes the browser, then stops the server.
    pub async fn finish(self) {
        self.chromium.close().await;
        drop(self.server);
    }
}

/// Signs in through the login form and waits for the conversation list.
pub async fn sign_in(tab: &Tab, (email, password): (&str, &str)) {
    tab.goto("/app/login").await;
    tab.type_into("#email", email).await;
    tab.type_into("#password", password).await;
    tab.click("form button[type=submit], form input[type=submit]")
        .await;
    tab.wait_for(
        "the conversation list after signing in",
        "/^\\/app\\/accounts\\/\\d+\\/conversations/.test(location.pathname) && document.readyState === 'complete'",
    )
    .await;
}
