//! What real Chatwoot apps do inside their frame, and the signed context (issue 9, first two
//! parts), with apps served from a second origin:
//!
//! - `alert()` shows and `confirm()` returns true when the agent accepts; a link opened in a new
//!   tab gets a tab without the frame's sandbox; a file downloads; navigating the dashboard
//!   itself stays blocked, with and without a click.
//! - The app verifies its token with WebCrypto against `/.well-known/jwks.json`, using
//!   `docs/snippets/verify-app-context.js` (the snippet the guide gives app authors), and the
//!   same code refuses changed data, an expired token, an unknown key, a changed claim, another
//!   audience and another issuer.

use std::time::Duration;

use serde_json::{Value, json};

use crate::apps::{open, open_tab, register};
use crate::browser_test;
use crate::origin::{HTML, JS, Origin};
use crate::server::AGENT;

const VERIFY_JS: &str = include_str!("../../../../docs/snippets/verify-app-context.js");

/// Every page reports to `/report`; `sandboxed()` tells whether the document lacks
/// `allow-presentation` (which Oxidesk never grants): true inside the frame, false in a tab that
/// escaped the sandbox.
const COMMON_JS: &str = r#"
const params = new URLSearchParams(location.search);
const app = params.get("name") || "popup";
const report = (kind, detail) => fetch("/report", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ app, kind, detail }) });
const sandboxed = () => { try { new PresentationRequest("https://example.com/"); return false; } catch (e) { return e.name; } };
"#;

const ACT_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>act</title>
<script src="/common.js"></script><script src="/act.js"></script></head>
<body style="margin:0"><a id="cover" style="position:fixed;inset:0;display:block;background:#eee">act</a></body></html>"#;

const ACT_JS: &str = r#"
const act = params.get("do");
window.addEventListener("load", () => {
  const cover = document.getElementById("cover");
  report("ready", { sandboxed: sandboxed(), origin: window.origin });
  if (act === "dialogs") {
    alert("Invoice sent");
    const ok = confirm("Are you sure?");
    report("confirm", { ok });
  } else if (act === "popup") {
    cover.href = "/popup.html";
    cover.target = "_blank";
  } else if (act === "download") {
    cover.href = "/invoice.txt";
    cover.download = "invoice.txt";
  } else if (act === "top") {
    const target = location.origin + "/hijack.html";
    try { window.top.location.href = target; report("top", { how: "script", error: null }); }
    catch (e) { report("top", { how: "script", error: e.name }); }
    cover.addEventListener("click", (event) => {
      event.preventDefault();
      try { window.top.location.href = target; report("top", { how: "click", error: null }); }
      catch (e) { report("top", { how: "click", error: e.name }); }
    });
  }
});
"#;

const POPUP_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>popup</title>
<script src="/common.js"></script></head><body>popup
<script>report("popup", { sandboxed: sandboxed(), origin: window.origin, hasOpener: window.opener !== null });</script></body></html>"#;

const HIJACK_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>hijacked</title>
<script src="/common.js"></script></head><body><script>report("hijacked", { top: window.top === window });</script></body></html>"#;

/// The verifying app: checks each context it receives with the guide's snippet, then tries
/// forgeries of it, and reports every outcome.
const VERIFY_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>verify</title>
<script src="/common.js"></script><script type="module" src="/verifier.js"></script></head><body>verify</body></html>"#;

const VERIFIER_JS: &str = r#"
import { verifyAppContext } from "/verify-app-context.js";
const outcome = (promise) => promise.then((claims) => ({ ok: true, claims }), (e) => ({ ok: false, code: e.code ?? String(e) }));
const b64 = (value) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64 = (text) => JSON.parse(atob(text.replace(/-/g, "+").replace(/_/g, "/")));
window.addEventListener("message", async (event) => {
  if (event.source !== window.parent || typeof event.data !== "string") return;
  const message = JSON.parse(event.data);
  if (message.event !== "appContext") return;
  const issuer = event.origin;
  const [h, p, s] = message.token.split(".");
  const genuine = await outcome(verifyAppContext(message, { issuer }));
  const changed = structuredClone(message);
  changed.data.contact.name = "Mallory";
  const forged = {
    genuine,
    changedData: await outcome(verifyAppContext(changed, { issuer })),
    expired: await outcome(verifyAppContext(message, { issuer, now: unb64(p).exp + 60 })),
    unknownKey: await outcome(verifyAppContext({ ...message, token: `${b64({ ...unb64(h), kid: "not-a-key" })}.${p}.${s}` }, { issuer })),
    changedClaim: await outcome(verifyAppContext({ ...message, token: `${h}.${b64({ ...unb64(p), conversation_id: 999 })}.${s}` }, { issuer })),
    otherAudience: await outcome(verifyAppContext(message, { issuer, audience: "https://evil.example" })),
    otherIssuer: await outcome(verifyAppContext(message, { issuer: "http://127.0.0.1:9" })),
    unsigned: await outcome(verifyAppContext({ event: message.event, data: message.data }, { issuer })),
    theme: message.data.theme,
  };
  report("verified", forged);
});
window.parent.postMessage("oxidesk-dashboard-app:fetch-info", "*");
"#;

/// The second origin: the pages above, the file to download (reported as fetched), and the
/// reports.
async fn trust_server() -> Origin {
    Origin::start(&[
        ("/act.html", HTML, ACT_HTML),
        ("/act.js", JS, ACT_JS),
        ("/common.js", JS, COMMON_JS),
        ("/popup.html", HTML, POPUP_HTML),
        ("/hijack.html", HTML, HIJACK_HTML),
        ("/verify.html", HTML, VERIFY_HTML),
        ("/verifier.js", JS, VERIFIER_JS),
        ("/verify-app-context.js", JS, VERIFY_JS),
        ("/invoice.txt", "text/plain", "invoice 42\n"),
    ])
    .await
}

const WAIT: Duration = Duration::from_secs(15);

browser_test!(
    apps_can_use_dialogs_new_tabs_and_downloads_but_not_navigate_the_dashboard,
    |desk| async move {
        let apps = trust_server().await;
        let api = desk.api().await;
        let customer = api.customer_writes("Dana Dialog", "Send the invoice").await;
        let mut ids = std::collections::HashMap::new();
        for act in ["dialogs", "popup", "download", "top"] {
            let id = register(
                &api,
                act,
                &apps.url(&format!("/act.html?name={act}&do={act}")),
            )
            .await;
            ids.insert(act, id);
        }
        let panel = |act: &str| format!("#panel-app-{}", ids[act]);
        let tab = desk.signed_in(AGENT).await;
        tab.accept_dialogs();
        open(&tab, customer.id).await;
        let page = format!("/app/accounts/1/conversations/{}", customer.id);

        // The frame's attributes: what apps need, and no top navigation.
        open_tab(&tab, "dialogs").await;
        let frame: Value = tab
        .eval(&format!("(() => {{ const f = document.querySelector('{} iframe'); return {{sandbox: f.getAttribute('sandbox').split(' ').sort(), allow: f.getAttribute('allow')}}; }})()", panel("dialogs")))
        .await;
        assert_eq!(
            frame,
            json!({
                "sandbox": ["allow-downloads", "allow-forms", "allow-modals", "allow-popups",
                    "allow-popups-to-escape-sandbox", "allow-same-origin", "allow-scripts",
                    "allow-storage-access-by-user-activation"],
                "allow": "clipboard-write",
            })
        );

        // alert() shows; confirm() returns true when accepted.
        let confirmed = apps.wait("confirm", WAIT).await;
        assert_eq!(confirmed, json!({"ok": true}));
        let dialogs = tab.dialog_log();
        assert!(
            dialogs
                .iter()
                .any(|d| d.contains("Alert") && d.contains("Invoice sent"))
                && dialogs
                    .iter()
                    .any(|d| d.contains("Confirm") && d.contains("Are you sure?")),
            "{dialogs:?}"
        );
        let ready = apps.wait("ready", WAIT).await;
        assert_eq!(
            ready["sandboxed"], "SecurityError",
            "the probe sees the frame's sandbox: {ready}"
        );

        // A link to a new tab: the tab opens, on the app's origin, without the sandbox.
        open_tab(&tab, "popup").await;
        tab.wait_for(
            "the popup app",
            &format!(
                "document.querySelector('{}.loaded') !== null",
                panel("popup")
            ),
        )
        .await;
        tab.click(&format!("{} iframe", panel("popup"))).await;
        let popup = apps.wait("popup", WAIT).await;
        assert_eq!(
            popup["sandboxed"],
            json!(false),
            "the new tab kept the sandbox: {popup}"
        );
        assert_eq!(popup["origin"], json!(apps.url("")));
        // The new tab is in front now; the dashboard's tab gets the focus back (a hidden tab
        // paints no frames, so clicks into it would wait forever).
        tab.page.bring_to_front().await.unwrap();

        // Navigating the dashboard away: refused from a script and after a click alike.
        open_tab(&tab, "top").await;
        let script = apps.wait("top", WAIT).await;
        assert_eq!(script["how"], "script");
        assert!(
            script["error"].is_string(),
            "top navigation was not refused: {script}"
        );
        tab.wait_for(
            "the top app",
            &format!("document.querySelector('{}.loaded') !== null", panel("top")),
        )
        .await;
        tab.click(&format!("{} iframe", panel("top"))).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let path: String = tab.eval("location.pathname").await;
        assert_eq!(path, page, "the dashboard was navigated away");
        assert!(!apps.has("hijacked"), "the app navigated the dashboard");
        let clicked: Vec<Value> = apps
            .reports
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r["kind"] == "top" && r["detail"]["how"] == "click")
            .cloned()
            .collect();
        assert!(
            clicked.iter().all(|r| r["detail"]["error"].is_string()),
            "{clicked:?}"
        );
        // A download link fetches the file.
        open_tab(&tab, "download").await;
        tab.wait_for(
            "the download app",
            &format!(
                "document.querySelector('{}.loaded') !== null",
                panel("download")
            ),
        )
        .await;
        tab.click(&format!("{} iframe", panel("download"))).await;
        apps.wait_for("/invoice.txt", "fetched", WAIT, |_| true)
            .await;
    }
);

browser_test!(
    apps_verify_their_context_with_webcrypto,
    |desk| async move {
        let apps = trust_server().await;
        let api = desk.api().await;
        let customer = api
            .customer_writes("Vera Verify", "Is this really you?")
            .await;
        let id = register(&api, "Verifier", &apps.url("/verify.html?name=verify")).await;
        let tab = desk.signed_in(AGENT).await;
        open(&tab, customer.id).await;
        open_tab(&tab, "Verifier").await;
        let outcome = apps.wait("verified", WAIT).await;

        let genuine = &outcome["genuine"];
        assert_eq!(genuine["ok"], json!(true), "{outcome:#}");
        let claims = &genuine["claims"];
        let base = desk.server.base();
        assert_eq!(claims["iss"], json!(base.trim_end_matches('/')));
        assert_eq!(claims["aud"], json!([apps.url("")]));
        assert_eq!(claims["app_id"], json!(id));
        assert_eq!(claims["account_id"], json!(1));
        assert_eq!(claims["conversation_id"], json!(customer.id));
        let exp = claims["exp"].as_i64().unwrap();
        let iat = claims["iat"].as_i64().unwrap();
        assert_eq!(exp - iat, 300, "{claims}");
        assert!(claims["jti"].as_str().is_some_and(|j| j.len() >= 16));
        for (case, code) in [
            ("changedData", "data_hash"),
            ("expired", "expired"),
            ("unknownKey", "unknown_key"),
            ("changedClaim", "signature"),
            ("otherAudience", "audience"),
            ("otherIssuer", "unknown_key"),
            ("unsigned", "malformed"),
        ] {
            assert_eq!(
                outcome[case],
                json!({"ok": false, "code": code}),
                "{case}: {outcome:#}"
            );
        }
    }
);
