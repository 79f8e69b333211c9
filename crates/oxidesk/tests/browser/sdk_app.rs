//! The Dashboard App SDK (`/sdk/v1/dashboard-app.js`) in the real dashboard, in an app on
//! another origin that imports the module from Oxidesk (CORS) and connects with
//! `issuer: <Oxidesk>`, as the guide's quick start does:
//!
//! - it connects with protocol version 1, its scopes and withheld data, and a context the SDK
//!   verified with WebCrypto against the real `/.well-known/jwks.json`;
//! - the SDK refuses forged variants of that real context: unsigned, expired, for another
//!   audience, signed by another key, payload changed after signing, another issuer;
//! - a granted action (`notes.create`) writes the note; one without its scope is refused with
//!   `missing_scope`; live updates arrive as verified "context" events, and "hidden"/"shown"
//!   follow the tab;
//! - every protocol message the dashboard posted is valid under
//!   `/sdk/v1/schemas/protocol.schema.json`;
//! - attacked: the same app framed by a page of the attacker's, which plays the dashboard with
//!   a captured real token over other data, or with no token, is refused by `connect`.

use std::time::Duration;

use serde_json::json;

use crate::apps::{open, open_tab};
use crate::browser_test;
use crate::origin::{HTML, JS, Origin};
use crate::server::AGENT;

const COMMON_JS: &str = r#"
const name = new URLSearchParams(location.search).get("name");
const report = (kind, detail) => fetch("/report", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ app: name, kind, detail }) });
"#;

const SDK_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>sdk</title>
<script src="/common.js"></script><script type="module" src="/sdk-app.js"></script></head><body>sdk</body></html>"#;

const SDK_APP_JS: &str = r#"
// Every protocol message the dashboard posts, as it came, for the schema check.
window.addEventListener("message", (e) => { if (e.source === window.parent && e.data?.oxidesk === 1) report("raw", e.data); });
const OXIDESK = new URLSearchParams(location.search).get("oxidesk");
const { connect, verifyContext } = await import(`${OXIDESK}/sdk/v1/dashboard-app.js`);
const outcome = (promise) => promise.then((value) => ({ ok: true, value }), (e) => ({ ok: false, code: e.code ?? String(e), field: e.field ?? null, message: e.message }));
const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64 = (text) => JSON.parse(atob(text.replace(/-/g, "+").replace(/_/g, "/")));

let sdk;
try {
  sdk = await connect({ issuer: OXIDESK });
} catch (error) {
  report("refused", { code: error.code, message: error.message });
  throw error;
}
sdk.on("context", (context, info) => report("context", { text: JSON.stringify(context.conversation.messages), claims: info.claims }));
sdk.on("hidden", (d) => report("hidden", d));
sdk.on("shown", (d) => report("shown", d));
report("connected", {
  protocol: sdk.protocol, version: sdk.version, scopes: sdk.scopes, withheld: sdk.withheld,
  placement: sdk.placement, app: sdk.app, claims: sdk.claims, token: sdk.token,
  contact: sdk.context.contact, origin: sdk.origin,
});

const data = sdk.context;
const token = sdk.token;
const [h, p] = token.split(".");
const issuer = OXIDESK;
const stranger = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
const strangerSig = b64(await crypto.subtle.sign({ name: "Ed25519" }, stranger.privateKey, new TextEncoder().encode(`${h}.${p}`)));
report("forged", {
  genuine: await outcome(sdk.verify()),
  unsigned: await outcome(verifyContext({ data }, { issuer })),
  expired: await outcome(verifyContext({ data, token }, { issuer, now: unb64(p).exp + 120 })),
  audience: await outcome(verifyContext({ data, token }, { issuer, audience: "https://evil.example" })),
  wrongKey: await outcome(verifyContext({ data, token: `${h}.${p}.${strangerSig}` }, { issuer })),
  changed: await outcome(verifyContext({ data: { ...data, contact: { ...data.contact, name: "Mallory" } }, token }, { issuer })),
  issuer: await outcome(verifyContext({ data, token }, { issuer: "http://127.0.0.1:9" })),
});

report("note", await outcome(sdk.notes.create("SDK note: order A-1042 refunded")));
report("status", await outcome(sdk.status.set("resolved")));
report("labels", await outcome(sdk.labels.add(["vip"])));
report("refresh", await outcome(sdk.refresh().then((c) => ({ name: c.contact.name, claims: sdk.claims }))));
"#;

/// A page of the attacker's: frames the app twice and plays its dashboard, answering the
/// handshake with a forged context: a captured real token over other data, and no token.
const ATTACKER_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>attacker</title>
<script src="/attacker.js"></script></head><body>attacker</body></html>"#;

const ATTACKER_JS: &str = r#"
const params = new URLSearchParams(location.search);
const forged = {
  conversation: { id: 1, status: "open", labels: [], messages: [], meta: { sender: { id: 1, name: "Mallory" } } },
  contact: { id: 1, name: "Mallory", email: "mallory@example.com" },
  currentAgent: { id: 1, name: "Agent", email: "agent@example.com" },
  customAttributes: [],
  theme: "light",
};
const contexts = { changed: { data: forged, token: params.get("token") }, unsigned: { data: forged } };
window.addEventListener("message", (event) => {
  const m = event.data;
  if (m?.oxidesk !== 1 || m.type !== "request" || m.method !== "connect") return;
  const frame = [...document.querySelectorAll("iframe")].find((f) => f.contentWindow === event.source);
  if (!frame) return;
  event.source.postMessage({ oxidesk: 1, type: "response", id: m.id, ok: true, result: {
    version: 1, app: { id: 1, title: "Orders" }, placement: "conversation_tab", scopes: ["note.create"],
    withheld: [], context: contexts[frame.dataset.name], visible: true } }, event.origin);
});
window.addEventListener("DOMContentLoaded", () => {
  for (const name of Object.keys(contexts)) {
    const frame = document.createElement("iframe");
    frame.dataset.name = name;
    frame.src = `/sdk.html?name=${name}&oxidesk=${encodeURIComponent(params.get("oxidesk"))}`;
    document.body.append(frame);
  }
});
"#;

const WAIT: Duration = Duration::from_secs(20);

browser_test!(
    an_sdk_app_verifies_acts_and_refuses_forgeries,
    |desk| async move {
        let origin = Origin::start(&[
            ("/common.js", JS, COMMON_JS),
            ("/sdk.html", HTML, SDK_HTML),
            ("/sdk-app.js", JS, SDK_APP_JS),
            ("/attacker.html", HTML, ATTACKER_HTML),
            ("/attacker.js", JS, ATTACKER_JS),
        ])
        .await;
        let oxidesk = desk.server.base();
        let api = desk.api().await;
        let customer = api
            .customer_writes("Sara SDK", "Where is order A-1042?")
            .await;
        let url = origin.url(&format!(
            "/sdk.html?name=sdk&oxidesk={}",
            oxidesk.replace(':', "%3A").replace('/', "%2F")
        ));
        let created = api
            .post(
                "/api/v1/accounts/1/dashboard_apps",
                json!({"title": "SDK App", "content": [{"type": "frame", "url": url}],
                   "settings": {"scopes": ["note.create"], "withheld": ["contact_phone"]}}),
            )
            .await;
        let app_id = created["id"].as_i64().expect("created");

        let tab = desk.signed_in(AGENT).await;
        open(&tab, customer.id).await;
        open_tab(&tab, "SDK App").await;

        // Connected through the protocol, with a context the SDK verified against the real keys.
        let hello = origin.wait_for("sdk", "connected", WAIT, |_| true).await;
        assert_eq!(hello["protocol"], "oxidesk", "{hello}");
        assert_eq!(hello["version"], 1);
        assert_eq!(hello["scopes"], json!(["note.create"]));
        assert_eq!(hello["withheld"], json!(["contact_phone"]));
        assert_eq!(hello["placement"], "conversation_tab");
        assert_eq!(hello["app"], json!({"id": app_id, "title": "SDK App"}));
        assert_eq!(hello["origin"], oxidesk);
        assert_eq!(hello["contact"]["name"], "Sara SDK");
        assert!(hello["contact"].get("phone_number").is_none(), "{hello}");
        let claims = &hello["claims"];
        assert_eq!(claims["iss"], oxidesk);
        assert_eq!(claims["conversation_id"], customer.id);
        assert_eq!(claims["app_id"], app_id);
        assert!(
            claims["aud"]
                .as_array()
                .unwrap()
                .contains(&json!(origin.url(""))),
            "{claims}"
        );

        // The real context's forgeries, refused by the SDK in the browser.
        let forged = origin.wait_for("sdk", "forged", WAIT, |_| true).await;
        assert_eq!(forged["genuine"]["ok"], true, "{forged}");
        for (case, code) in [
            ("unsigned", "unsigned"),
            ("expired", "expired"),
            ("audience", "audience"),
            ("wrongKey", "signature"),
            ("changed", "data_hash"),
            ("issuer", "issuer"),
        ] {
            assert_eq!(forged[case]["ok"], false, "{case}: {forged}");
            assert_eq!(forged[case]["code"], code, "{case}: {forged}");
        }

        // A granted action is done, as the agent; the others are refused for want of a scope.
        let note = origin.wait_for("sdk", "note", WAIT, |_| true).await;
        assert_eq!(note["ok"], true, "{note}");
        let messages = api.messages(customer.id).await;
        assert!(
            messages
                .iter()
                .any(|m| m["content"] == "SDK note: order A-1042 refunded" && m["private"] == true),
            "{messages:#?}"
        );
        for kind in ["status", "labels"] {
            let refused = origin.wait_for("sdk", kind, WAIT, |_| true).await;
            assert_eq!(refused["ok"], false, "{kind}: {refused}");
            assert_eq!(refused["code"], "missing_scope", "{kind}: {refused}");
        }
        assert_eq!(api.conversation(customer.id).await["status"], "open");
        let refreshed = origin.wait_for("sdk", "refresh", WAIT, |_| true).await;
        assert_eq!(refreshed["ok"], true, "{refreshed}");
        assert_eq!(refreshed["value"]["name"], "Sara SDK");

        // Live: hidden and shown with the tab, a new message as a verified context.
        open_tab(&tab, "Messages").await;
        origin.wait_for("sdk", "hidden", WAIT, |_| true).await;
        open_tab(&tab, "SDK App").await;
        origin.wait_for("sdk", "shown", WAIT, |_| true).await;
        api.customer_says(&customer, "Any news?").await;
        let update = origin
            .wait_for("sdk", "context", WAIT, |d| {
                d["text"].as_str().is_some_and(|t| t.contains("Any news?"))
            })
            .await;
        assert_eq!(update["claims"]["conversation_id"], customer.id, "{update}");

        // Every message the real dashboard sent is valid under the protocol's JSON Schema.
        let raw = origin.all("sdk", "raw");
        assert!(raw.len() >= 8, "{raw:#?}");
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../sdk/v1/schemas/protocol.schema.json"))
                .unwrap();
        let part = |name: &str| {
            let part = json!({"$schema": schema["$schema"], "$ref": format!("#/$defs/{name}"), "$defs": schema["$defs"]});
            jsonschema::validator_for(&part).unwrap()
        };
        let whole = jsonschema::validator_for(&schema).unwrap();
        let connect = part("result.connect");
        let mut kinds = std::collections::BTreeSet::new();
        for message in &raw {
            let errors: Vec<String> = whole
                .iter_errors(message)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{message}: {errors:#?}");
            if message["result"]["version"].is_number() {
                let errors: Vec<String> = connect
                    .iter_errors(&message["result"])
                    .map(|e| format!("{e} at {}", e.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "{message}: {errors:#?}");
            }
            kinds.insert(
                message["event"]
                    .as_str()
                    .unwrap_or(message["type"].as_str().unwrap())
                    .to_owned(),
            );
        }
        for kind in ["response", "context.updated", "app.hidden", "app.shown"] {
            assert!(kinds.contains(kind), "{kind} in {kinds:?}");
        }

        // Attacked: framed by another page that plays the dashboard. The SDK refuses both.
        let token = hello["token"].as_str().unwrap().to_owned();
        let attacker = desk.chromium.tab(&origin.url("")).await;
        attacker
            .goto(&format!(
                "/attacker.html?oxidesk={}&token={token}",
                oxidesk.replace(':', "%3A").replace('/', "%2F")
            ))
            .await;
        let changed = origin.wait_for("changed", "refused", WAIT, |_| true).await;
        assert_eq!(changed["code"], "data_hash", "{changed}");
        let unsigned = origin.wait_for("unsigned", "refused", WAIT, |_| true).await;
        assert_eq!(unsigned["code"], "unsigned", "{unsigned}");
        assert!(origin.all("changed", "connected").is_empty());
        assert!(origin.all("unsigned", "connected").is_empty());
    }
);
