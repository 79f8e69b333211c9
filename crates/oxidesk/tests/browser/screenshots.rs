//! Refreshes `docs/screenshots/` from the demo data, at desktop (1280×800) and phone (375×812)
//! width: the login, the conversation list, an open conversation (also with the example Dashboard
//! App open), the contacts, the inbox, website widget, integrations, dashboard-app, app audit,
//! canned response, agent bot and webhook settings, a conversation with an image and a document,
//! and the website widget on a shop page (`widget::shots`); then, with the system set
//! to dark, the open conversation on a desktop and the example app on a phone
//! (`*-dark-*.png`). Not part of the normal run:
//!
//! ```sh
//! cargo test -p oxidesk --test browser screenshots -- --ignored
//! ```
//!
//! `OXIDESK_SCREENSHOTS=<folder>` writes elsewhere (relative to the workspace root).

use std::path::PathBuf;

use crate::chromium::{self, Chromium, Tab};
use crate::desk::sign_in;
use crate::server::{ADMIN, Database};

/// `(name, width, height, mobile)`.
const SCREENS: [(&str, i64, i64, bool); 2] =
    [("desktop", 1280, 800, false), ("phone", 375, 812, true)];

fn folder() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let wanted = std::env::var("OXIDESK_SCREENSHOTS").unwrap_or_else(|_| "docs/screenshots".into());
    let wanted = PathBuf::from(wanted);
    if wanted.is_absolute() {
        wanted
    } else {
        root.join(wanted)
    }
}

/// The demo conversation to show: the one with the most messages, notes among them.
async fn richest_conversation(api: &crate::client::Api) -> i64 {
    let mut best = (0, 1);
    for id in 1..=25 {
        let messages = api.messages(id).await;
        let notes = messages.iter().filter(|m| m["private"] == true).count();
        let score = messages.len() + 3 * notes.min(1);
        if score > best.0 {
            best = (score, id);
        }
    }
    best.1
}

fn conversation_path(id: i64) -> String {
    format!("/app/accounts/1/conversations/{id}")
}

/// Sends an image (drawn on a canvas) and a PDF through the composer's file input, as a person
/// choosing two files, and waits for both to show in the thread.
async fn send_files(tab: &Tab, conversation: i64) {
    tab.resize(1280, 800, false).await;
    tab.goto(&conversation_path(conversation)).await;
    tab.wait_for(
        "the composer",
        "document.querySelector('form#composer input[type=file]') !== null",
    )
    .await;
    let sent: bool = tab
        .eval_async(
            r#"(async () => {
                const canvas = document.createElement('canvas');
                canvas.width = 640; canvas.height = 420;
                const g = canvas.getContext('2d');
                const fill = g.createLinearGradient(0, 0, 640, 420);
                fill.addColorStop(0, '#1f93ff'); fill.addColorStop(1, '#2bb673');
                g.fillStyle = fill; g.fillRect(0, 0, 640, 420);
                g.fillStyle = '#fff'; g.font = 'bold 44px sans-serif';
                g.fillText('Order #4711: receipt', 60, 220);
                const png = await new Promise(done => canvas.toBlob(done, 'image/png'));
                const files = new DataTransfer();
                files.items.add(new File([png], 'receipt.png', { type: 'image/png' }));
                files.items.add(new File(['%PDF-1.4 invoice'], 'invoice-4711.pdf', { type: 'application/pdf' }));
                const input = document.querySelector('form#composer input[type=file]');
                input.files = files.files;
                input.dispatchEvent(new Event('change', { bubbles: true }));
                document.querySelector('form#composer textarea[name=content]').value = 'Here are your receipt and invoice.';
                document.querySelector('form#composer').requestSubmit();
                return true;
            })()"#,
        )
        .await;
    assert!(sent);
    tab.wait_for(
        "both files in the thread",
        "document.querySelectorAll('.message-files li').length >= 2",
    )
    .await;
}

async fn shoot(tab: &Tab, dir: &std::path::Path, page: &str, path: &str) {
    shoot_after(tab, dir, page, path, None, &SCREENS).await;
}

/// [`shoot`], clicking the tab named `open_tab` (a Dashboard App) first and waiting for its
/// frame to load.
async fn shoot_after(
    tab: &Tab,
    dir: &std::path::Path,
    page: &str,
    path: &str,
    open_tab: Option<&str>,
    screens: &[(&str, i64, i64, bool)],
) {
    for &(screen, width, height, mobile) in screens {
        tab.resize(width, height, mobile).await;
        tab.goto(path).await;
        tab.wait_for("the page to load", "document.readyState === 'complete'")
            .await;
        if let Some(title) = open_tab {
            let id: String = tab
                .eval(&format!(
                    "[...document.querySelectorAll('.conv-tabs [role=tab]')].find(t => t.textContent.trim() === {}).id",
                    crate::chromium::js_string(title)
                ))
                .await;
            tab.click(&format!("#{id}")).await;
            tab.wait_for(
                "the app to load",
                "document.querySelector('.app-panel.loaded:not([hidden])') !== null",
            )
            .await;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        // Fonts and the live stream's first paint.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let file = dir.join(format!("{page}-{screen}.png"));
        std::fs::write(&file, tab.screenshot().await)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        eprintln!("wrote {}", file.display());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "refreshes docs/screenshots; run with --ignored"]
async fn screenshots() {
    let Some(executable) = chromium::executable() else {
        return;
    };
    let dir = folder();
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let dir = dir.canonicalize().expect("screenshot folder");
    let db = Database::sqlite();
    let (server, chromium) = tokio::join!(db.start("demo"), Chromium::launch(&executable));
    let api = crate::client::Api::new(server.port, db.token(ADMIN.0)).await;
    let conversation = richest_conversation(&api).await;
    crate::widget::shots::widget_screenshots(&chromium, &server.base(), &api, &dir).await;

    let tab = chromium.tab(&server.base()).await;
    shoot(&tab, &dir, "login", "/app/login").await;
    tab.resize(1280, 800, false).await;
    sign_in(&tab, ADMIN).await;
    shoot(&tab, &dir, "conversations", "/app/accounts/1/conversations").await;
    shoot(
        &tab,
        &dir,
        "conversation",
        &format!("/app/accounts/1/conversations/{conversation}"),
    )
    .await;
    shoot_after(
        &tab,
        &dir,
        "conversation-app",
        &format!("/app/accounts/1/conversations/{conversation}"),
        Some("Customer Orders"),
        &SCREENS,
    )
    .await;
    shoot(&tab, &dir, "contacts", "/app/accounts/1/contacts").await;
    shoot(
        &tab,
        &dir,
        "settings-inboxes",
        "/app/accounts/1/settings/inboxes",
    )
    .await;
    let website = api
        .post(
            "/api/v1/accounts/1/inboxes",
            serde_json::json!({"name": "Website", "channel": {"type": "web_widget",
                "website_url": "https://shop.example", "welcome_title": "Hi there!",
                "welcome_tagline": "We reply within minutes"},
                "working_hours_enabled": true, "timezone": "Europe/Berlin",
                "out_of_office_message": "We are back at 9:00 (Berlin time)."}),
        )
        .await;
    shoot(
        &tab,
        &dir,
        "settings-inbox-widget",
        &format!("/app/accounts/1/settings/inboxes/{}/widget", website["id"]),
    )
    .await;
    shoot(
        &tab,
        &dir,
        "settings-integrations",
        "/app/accounts/1/settings/integrations",
    )
    .await;
    shoot(
        &tab,
        &dir,
        "settings-dashboard-apps",
        "/app/accounts/1/settings/integrations/dashboard_apps",
    )
    .await;
    shoot(
        &tab,
        &dir,
        "settings-app-audit",
        "/app/accounts/1/settings/integrations/dashboard_apps/audit",
    )
    .await;

    for (page, path) in [
        (
            "settings-canned",
            "/app/accounts/1/settings/canned_responses",
        ),
        (
            "settings-agent-bots",
            "/app/accounts/1/settings/integrations/agent_bots",
        ),
        (
            "settings-webhooks",
            "/app/accounts/1/settings/integrations/webhooks",
        ),
    ] {
        shoot(&tab, &dir, page, path).await;
    }
    send_files(&tab, conversation).await;
    shoot(
        &tab,
        &dir,
        "conversation-files",
        &conversation_path(conversation),
    )
    .await;

    // Dark, as a system set so gets it (the same browser, signed in already).
    let dark = tab;
    crate::theme::prefer(&dark, "dark").await;
    let conversation_path = conversation_path(conversation);
    shoot_after(
        &dark,
        &dir,
        "conversation-dark",
        &conversation_path,
        None,
        &SCREENS[..1],
    )
    .await;
    shoot_after(
        &dark,
        &dir,
        "conversation-app-dark",
        &conversation_path,
        Some("Customer Orders"),
        &SCREENS[1..],
    )
    .await;
    chromium.close().await;
    drop(server);
}
