//! Settings > Integrations > Dashboard apps > Preview, the app developer's simulator, with an
//! SDK app on another origin:
//!
//! - with the built-in fixture: the app connects (unsigned context), every message both ways is
//!   listed, a simulated customer message, the theme and hiding the frame reach the app as
//!   events, a granted action applies to the preview's copy (nothing written) and an action
//!   without its scope is refused with `missing_scope`;
//! - a seeds-only app gets `appContext` strings (on load, to fetch-info, on every change);
//! - with a real conversation of the account: the context is signed (the SDK verifies it), and
//!   a simulated change arrives unsigned;
//!
//! (Agents cannot open it: `tests/it/ui_settings/dashboard_apps.rs`.)

use std::time::Duration;

use serde_json::json;

use crate::browser_test;
use crate::origin::{HTML, JS, Origin};
use crate::server::ADMIN;

const COMMON_JS: &str = r#"
const name = new URLSearchParams(location.search).get("name");
const report = (kind, detail) => fetch("/report", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ app: name, kind, detail }) });
"#;

const APP_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>preview app</title>
<script src="/common.js"></script><script type="module" src="/app.js"></script></head><body>app</body></html>"#;

const APP_JS: &str = r#"
const OXIDESK = new URLSearchParams(location.search).get("oxidesk");
const { connect } = await import(`${OXIDESK}/sdk/v1/dashboard-app.js`);
const outcome = (promise) => promise.then((value) => ({ ok: true, value }), (e) => ({ ok: false, code: e.code ?? String(e) }));
const sdk = await connect();
sdk.on("context", async (c, info) => report("context", {
  theme: c.theme, status: c.conversation.status, texts: c.conversation.messages.map((m) => m.content ?? null),
  assignee: c.conversation.meta.assignee?.name ?? null, verified: await outcome(sdk.verify(undefined, { issuer: OXIDESK })),
}));
sdk.on("hidden", (d) => report("hidden", d));
sdk.on("shown", (d) => report("shown", d));
report("connected", { protocol: sdk.protocol, name: sdk.context.contact.name, conversation: sdk.context.conversation.id,
  verified: await outcome(sdk.verify(undefined, { issuer: OXIDESK })) });
// The test asks for an action through the preview itself: a simulated customer message
// "act: note" or "act: status".
const done = new Set();
sdk.on("context", async (c) => {
  const last = c.conversation.messages.at(-1)?.content ?? "";
  const act = last.startsWith("act: ") ? last.slice(5) : null;
  if (!act || done.has(act)) return;
  done.add(act);
  report(act, act === "note" ? await outcome(sdk.notes.create("Preview note")) : await outcome(sdk.status.set("resolved")));
});
report("ready", {});
"#;

const WAIT: Duration = Duration::from_secs(20);

browser_test!(
    the_preview_simulates_a_conversation_for_an_app,
    |desk| async move {
        let origin = Origin::start(&[
            ("/common.js", JS, COMMON_JS),
            ("/app.html", HTML, APP_HTML),
            ("/app.js", JS, APP_JS),
        ])
        .await;
        let oxidesk = desk.server.base();
        let encoded = oxidesk.replace(':', "%3A").replace('/', "%2F");
        let api = desk.api().await;
        let customer = api
            .customer_writes("Priya Preview", "Is my parcel on its way?")
            .await;
        let mut ids = Vec::new();
        for name in ["fixture", "real"] {
            let created = api
            .post(
                "/api/v1/accounts/1/dashboard_apps",
                json!({"title": format!("Preview {name}"),
                       "content": [{"type": "frame", "url": origin.url(&format!("/app.html?name={name}&oxidesk={encoded}"))}],
                       "settings": {"scopes": ["note.create"]}}),
            )
            .await;
            ids.push(created["id"].as_i64().expect("created"));
        }
        let page =
            |id: i64| format!("/app/accounts/1/settings/integrations/dashboard_apps/{id}/preview");

        let tab = desk.signed_in(ADMIN).await;
        // The list links to the preview.
        tab.goto("/app/accounts/1/settings/integrations/dashboard_apps")
            .await;
        assert!(tab.exists(&format!("a[href='{}']", page(ids[0]))).await);

        // The fixture: unsigned, simulated.
        tab.goto(&page(ids[0])).await;
        let hello = origin
            .wait_for("fixture", "connected", WAIT, |_| true)
            .await;
        assert_eq!(hello["protocol"], "oxidesk", "{hello}");
        assert_eq!(hello["name"], "Alice Example");
        assert_eq!(hello["verified"]["code"], "unsigned");
        tab.wait_for(
        "the handshake in the log",
        "[...document.querySelectorAll('#preview-log li')].map(li => li.textContent).join('\\n').includes('app → dashboard · request · connect') \
         && [...document.querySelectorAll('#preview-log li[data-direction=out]')].some(li => li.textContent.includes('\"version\": 1'))",
    )
    .await;

        // A message from the contact, the assignee, the status, the theme: each reaches the app.
        let _: bool = tab
        .eval("(() => { const f = document.getElementById('sim-message'); f.elements.text.value = 'Hello from the preview'; f.requestSubmit(); return true; })()")
        .await;
        origin
            .wait_for("fixture", "context", WAIT, |d| {
                d["texts"].to_string().contains("Hello from the preview")
            })
            .await;
        tab.click("#sim-assign").await;
        origin
            .wait_for("fixture", "context", WAIT, |d| {
                d["assignee"] == "Preview Agent"
            })
            .await;
        let _: bool = tab
        .eval("(() => { const s = document.getElementById('sim-status'); s.value = 'pending'; s.dispatchEvent(new Event('change')); return true; })()")
        .await;
        origin
            .wait_for("fixture", "context", WAIT, |d| d["status"] == "pending")
            .await;
        tab.click("#sim-theme").await;
        origin
            .wait_for("fixture", "context", WAIT, |d| d["theme"] == "dark")
            .await;
        tab.click("#sim-visible").await;
        origin.wait_for("fixture", "hidden", WAIT, |_| true).await;
        tab.click("#sim-visible").await;
        origin.wait_for("fixture", "shown", WAIT, |_| true).await;

        // Actions: the granted one applies to the preview's copy; the other is refused.
        trigger(&tab, "note").await;
        let note = origin.wait_for("fixture", "note", WAIT, |_| true).await;
        assert_eq!(note["ok"], true, "{note}");
        origin
            .wait_for("fixture", "context", WAIT, |d| {
                d["texts"].to_string().contains("Preview note")
            })
            .await;
        trigger(&tab, "status").await;
        let status = origin.wait_for("fixture", "status", WAIT, |_| true).await;
        assert_eq!(status["code"], "missing_scope", "{status}");
        tab.wait_for(
        "the refusal in the log",
        "[...document.querySelectorAll('#preview-log li')].some(li => li.textContent.includes('error missing_scope'))",
    )
    .await;

        // A seeds-only app (the classic example, same-origin, so the test can look into it): the
        // context comes as appContext strings, on load, to fetch-info and on every change.
        let classic = api
        .post(
            "/api/v1/accounts/1/dashboard_apps",
            json!({"title": "Classic", "content": [{"type": "frame", "url": format!("{oxidesk}/examples/customer-orders-classic/")}]}),
        )
        .await["id"]
        .as_i64()
        .expect("created");
        tab.goto(&page(classic)).await;
        let frame = "document.querySelector('#preview-app iframe').contentDocument";
        tab.wait_for(
            "the classic app shows the fixture",
            &format!("{frame}?.getElementById('contact-name')?.textContent === 'Alice Example'"),
        )
        .await;
        let before: i64 = tab
            .eval(&format!(
                "Number({frame}.getElementById('status').dataset.updates)"
            ))
            .await;
        tab.click("#sim-theme").await;
        tab.wait_for(
            "the theme pushed as a new appContext",
            &format!(
                "Number({frame}.getElementById('status').dataset.updates) > {before} \
             && {frame}.documentElement.dataset.theme === 'dark'"
            ),
        )
        .await;
        tab.wait_for(
        "strings both ways in the log",
        "(() => { const t = [...document.querySelectorAll('#preview-log li')].map(li => li.querySelector('.preview-log-head').textContent); \
           return t.includes('app → dashboard · string · fetch-info') && t.includes('dashboard → app · string · appContext') \
             && !t.some(x => x.includes('request')); })()",
    )
    .await;

        // A real conversation: signed as agents get it; a simulated change is unsigned; nothing
        // is written.
        tab.goto(&format!("{}?conversation={}", page(ids[1]), customer.id))
            .await;
        let hello = origin.wait_for("real", "connected", WAIT, |_| true).await;
        assert_eq!(hello["name"], "Priya Preview", "{hello}");
        assert_eq!(hello["conversation"], customer.id);
        assert_eq!(hello["verified"]["ok"], true, "{hello}");
        tab.click("#sim-message button[type=submit]").await;
        let changed = origin
            .wait_for("real", "context", WAIT, |d| {
                d["texts"].to_string().contains("any news on my order")
            })
            .await;
        assert_eq!(changed["verified"]["code"], "unsigned", "{changed}");
        let messages = api.messages(customer.id).await;
        assert!(
            !messages
                .iter()
                .any(|m| m["content"].to_string().contains("any news on my order")),
            "nothing written: {messages:#?}"
        );
    }
);

/// Makes the app in the preview run an action: a simulated customer message `act: <what>`,
/// which the test app answers with that action.
async fn trigger(tab: &crate::chromium::Tab, what: &str) {
    let _: bool = tab
        .eval(&format!(
            "(() => {{ const f = document.getElementById('sim-message'); f.elements.text.value = 'act: {what}'; \
               f.requestSubmit(); return true; }})()"
        ))
        .await;
}
