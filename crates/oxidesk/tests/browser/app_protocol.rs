//! The two-way protocol in the real dashboard (issue 9, "A versioned, two-way protocol"), with
//! two apps on another origin on the same page: one that knows only the seeds' protocol, and
//! one that speaks the protocol by hand (not through the SDK, so the host is tested on its own).
//!
//! - The seeds-only app receives nothing but `appContext` JSON strings, before and after the
//!   other app connects, and on live updates.
//! - The protocol app connects (version 1), learns its scopes, gets the context without the
//!   withheld email, adds a label (granted), is refused a status change (not granted, a clear
//!   error), inserts text into the reply box (the agent still sends), hears `app.hidden`,
//!   `app.shown` and `context.updated`; a request before `connect` is refused.

use std::time::Duration;

use serde_json::{Value, json};

use crate::apps::{open, open_tab};
use crate::browser_test;
use crate::origin::{HTML, JS, Origin};
use crate::server::AGENT;

const COMMON_JS: &str = r#"
const app = new URLSearchParams(location.search).get("name");
const report = (kind, detail) => fetch("/report", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ app, kind, detail }) });
"#;

const SEEDS_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>seeds</title>
<script src="/common.js"></script></head><body>seeds<script>
window.addEventListener("message", (event) => {
  if (event.source !== window.parent) return;
  const raw = event.data;
  let parsed = null;
  if (typeof raw === "string") { try { parsed = JSON.parse(raw); } catch {} }
  report("received", { type: typeof raw, event: parsed?.event ?? null, name: parsed?.data?.contact?.name ?? null });
});
</script></body></html>"#;

const PROTO_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>proto</title>
<script src="/common.js"></script><script src="/proto.js"></script></head><body>proto</body></html>"#;

const PROTO_JS: &str = r#"
let next = 0;
const pending = new Map();
const request = (method, params) => new Promise((resolve) => {
  const id = `r${++next}`;
  pending.set(id, resolve);
  window.parent.postMessage({ oxidesk: 1, type: "request", id, method, params }, "*");
});
window.addEventListener("message", (event) => {
  if (event.source !== window.parent) return;
  const m = event.data;
  if (typeof m === "string") { report("string", { text: m.slice(0, 40) }); return; }
  if (m?.oxidesk !== 1) return;
  if (m.type === "response") { pending.get(m.id)?.(m); pending.delete(m.id); }
  if (m.type === "event") report("event", { event: m.event, data: m.data, origin: event.origin });
});
(async () => {
  report("early", await request("labels.add", { labels: ["x"] }));
  const hello = await request("connect", { versions: [1, 7] });
  report("connected", hello);
  report("label", await request("labels.add", { labels: [params_label()] }));
  report("status", await request("status.set", { status: "resolved" }));
  report("insert", await request("reply.insert", { text: "Order 1001 shipped today" }));
  report("context", await request("context.get", {}));
  report("unknown", await request("conversation.destroy", {}));
})();
function params_label() { return new URLSearchParams(location.search).get("label"); }
"#;

const WAIT: Duration = Duration::from_secs(20);

browser_test!(
    seeds_apps_get_strings_while_protocol_apps_talk_and_act,
    |desk| async move {
        let origin = Origin::start(&[
            ("/common.js", JS, COMMON_JS),
            ("/seeds.html", HTML, SEEDS_HTML),
            ("/proto.html", HTML, PROTO_HTML),
            ("/proto.js", JS, PROTO_JS),
        ])
        .await;
        let api = desk.api().await;
        let labels = api.get("/api/v1/accounts/1/labels").await;
        let label = labels["payload"][0]["title"]
            .as_str()
            .expect("the demo has labels")
            .to_owned();
        let customer = api
            .customer_writes("Petra Protocol", "Where is order 1001?")
            .await;
        let seeds = api
            .post(
                "/api/v1/accounts/1/dashboard_apps",
                json!({"title": "Seeds", "content": [{"type": "frame", "url": origin.url("/seeds.html?name=seeds")}]}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let proto = api
            .post(
                "/api/v1/accounts/1/dashboard_apps",
                json!({"title": "Proto",
                       "content": [{"type": "frame", "url": origin.url(&format!("/proto.html?name=proto&label={label}"))}],
                       "settings": {"scopes": ["labels.write", "reply.insert"], "withheld": ["contact_email"]}}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        assert!(seeds > 0 && proto > 0);

        let tab = desk.signed_in(AGENT).await;
        open(&tab, customer.id).await;
        open_tab(&tab, "Seeds").await;
        origin
            .wait_for("seeds", "received", WAIT, |d| d["event"] == "appContext")
            .await;
        open_tab(&tab, "Proto").await;

        // Before connect: refused. Then the handshake.
        let early = origin.wait_for("proto", "early", WAIT, |_| true).await;
        assert_eq!(early["ok"], false);
        assert_eq!(early["error"]["code"], "not_connected");
        let hello = origin.wait_for("proto", "connected", WAIT, |_| true).await;
        assert_eq!(hello["ok"], true, "{hello}");
        let result = &hello["result"];
        assert_eq!(result["version"], 1);
        assert_eq!(result["app"], json!({"id": proto, "title": "Proto"}));
        assert_eq!(result["scopes"], json!(["labels.write", "reply.insert"]));
        assert_eq!(result["withheld"], json!(["contact_email"]));
        assert_eq!(result["placement"], "conversation_tab");
        assert_eq!(result["visible"], true);
        let data = &result["context"]["data"];
        assert_eq!(data["contact"]["name"], "Petra Protocol");
        assert!(data["contact"].get("email").is_none(), "withheld: {data}");
        assert!(data["theme"].is_string());
        assert!(
            result["context"]["token"]
                .as_str()
                .is_some_and(|t| t.split('.').count() == 3)
        );

        // A granted action is done; one without its scope is refused, clearly.
        let labelled = origin.wait_for("proto", "label", WAIT, |_| true).await;
        assert_eq!(labelled["ok"], true, "{labelled}");
        assert!(
            labelled["result"]["labels"]
                .as_array()
                .unwrap()
                .contains(&json!(label))
        );
        let conversation = api.conversation(customer.id).await;
        assert!(
            conversation["labels"]
                .as_array()
                .unwrap()
                .contains(&json!(label))
        );
        let status = origin.wait_for("proto", "status", WAIT, |_| true).await;
        assert_eq!(status["ok"], false);
        assert_eq!(status["error"]["code"], "missing_scope");
        assert!(
            status["error"]["message"]
                .as_str()
                .unwrap()
                .contains("status.write")
        );
        assert_eq!(api.conversation(customer.id).await["status"], "open");
        let unknown = origin.wait_for("proto", "unknown", WAIT, |_| true).await;
        assert_eq!(unknown["error"]["code"], "unknown_method");

        // The text is in the reply box; nothing was sent.
        let insert = origin.wait_for("proto", "insert", WAIT, |_| true).await;
        assert_eq!(insert["ok"], true, "{insert}");
        let draft: String = tab
            .eval("document.querySelector('#composer textarea[name=content]').value")
            .await;
        assert_eq!(draft, "Order 1001 shipped today");
        let context = origin.wait_for("proto", "context", WAIT, |_| true).await;
        assert!(context["result"]["data"]["contact"].get("email").is_none());

        // Hidden, shown again, and a live update as an event.
        open_tab(&tab, "Messages").await;
        origin
            .wait_for("proto", "event", WAIT, |d| d["event"] == "app.hidden")
            .await;
        open_tab(&tab, "Proto").await;
        origin
            .wait_for("proto", "event", WAIT, |d| d["event"] == "app.shown")
            .await;
        api.customer_says(&customer, "Any news?").await;
        let updated = origin
            .wait_for("proto", "event", WAIT, |d| {
                d["event"] == "context.updated"
                    && d["data"]["data"]["conversation"]["messages"]
                        .to_string()
                        .contains("Any news?")
            })
            .await;
        assert!(updated["data"]["data"]["contact"].get("email").is_none());
        assert!(updated["data"]["token"].is_string());
        origin
            .wait_for("seeds", "received", WAIT, |d| d["event"] == "appContext")
            .await;

        // The seeds-only app got strings only, every one an appContext; the protocol app,
        // once connected, no more strings than the one its frame's load brought.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let seen: Vec<Value> = origin.all("seeds", "received");
        assert!(seen.len() >= 2, "{seen:?}");
        assert!(
            seen.iter()
                .all(|d| d["type"] == "string" && d["event"] == "appContext"),
            "{seen:?}"
        );
        let strings = origin.all("proto", "string");
        assert!(strings.len() <= 1, "{strings:?}");
    }
);
