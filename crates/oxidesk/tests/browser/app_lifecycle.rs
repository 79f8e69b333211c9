//! An app's lifecycle when the agent opens another conversation (issue 9, "Lifecycle per app"),
//! with apps on another origin. The agent clicks another conversation in the list; the page
//! swaps it in without a page load:
//!
//! - a `persistent` protocol app keeps its document and its JavaScript state, and receives
//!   `context.updated` with the new conversation's context and a token that verifies (the
//!   guide's WebCrypto snippet) for that conversation;
//! - a `persistent` seeds-only app keeps its document and receives the seeds' `appContext`
//!   string again, in the seeds' shape, with the new conversation;
//! - a `per_conversation` app loads afresh with the new conversation;
//! - a persistent app not visible in the new conversation (team rule) is removed;
//! - the URL is the new conversation's, focus is on its heading, live updates and the reply box
//!   work there, and the back button returns to the first conversation, the kept app again
//!   updated in place.

use std::time::Duration;

use serde_json::{Value, json};

use crate::browser_test;
use crate::origin::{HTML, JS, Origin};
use crate::server::AGENT;

const VERIFY_JS: &str = include_str!("../../../../docs/snippets/verify-app-context.js");

/// Each document reports `loaded` once, with an id of its own (`doc`) in every report.
const COMMON_JS: &str = r#"
const app = new URLSearchParams(location.search).get("name");
const doc = Math.random().toString(36).slice(2);
const report = (kind, detail) => fetch("/report", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ app, kind, detail: { doc, ...detail } }) });
report("loaded", {});
"#;

const SEEDS_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>seeds</title>
<script src="/common.js"></script></head><body>seeds<script>
window.addEventListener("message", (event) => {
  if (event.source !== window.parent) return;
  if (typeof event.data !== "string") { report("not-a-string", {}); return; }
  let m = null;
  try { m = JSON.parse(event.data); } catch { return; }
  report("received", { keys: Object.keys(m), head: event.data.slice(0, 22), conversation: m.data?.conversation?.id ?? null, contact: m.data?.contact?.name ?? null, token: typeof m.token === "string" });
});
</script></body></html>"#;

const PROTO_HTML: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>proto</title>
<script src="/common.js"></script><script type="module" src="/proto.js"></script></head><body>proto</body></html>"#;

/// Connects, counts the contexts it receives (state that a reload would lose), and verifies each
/// `context.updated` with the guide's snippet.
const PROTO_JS: &str = r#"
import { verifyAppContext } from "/verify-app-context.js";
let next = 0;
let contexts = 0;
const pending = new Map();
const request = (method, params) => new Promise((resolve) => {
  const id = `r${++next}`;
  pending.set(id, resolve);
  window.parent.postMessage({ oxidesk: 1, type: "request", id, method, params }, "*");
});
window.addEventListener("message", async (event) => {
  if (event.source !== window.parent) return;
  const m = event.data;
  if (typeof m === "string") { report("string", {}); return; }
  if (m?.oxidesk !== 1) return;
  if (m.type === "response") { pending.get(m.id)?.(m); pending.delete(m.id); }
  if (m.type !== "event" || m.event !== "context.updated") return;
  contexts += 1;
  const count = contexts;
  const message = { event: "appContext", data: m.data.data, token: m.data.token };
  const verified = await verifyAppContext(message, { issuer: event.origin }).then((claims) => ({ ok: true, claims }), (e) => ({ ok: false, code: e.code ?? String(e) }));
  report("updated", { count, conversation: m.data.data.conversation.id, contact: m.data.data.contact.name, verified });
});
const hello = await request("connect", { versions: [1] });
contexts += 1;
report("connected", { count: contexts, conversation: hello.result?.context?.data?.conversation?.id ?? null });
"#;

const WAIT: Duration = Duration::from_secs(20);

/// The distinct documents `app` loaded.
fn documents(origin: &Origin, app: &str) -> Vec<String> {
    let mut docs: Vec<String> = origin
        .all(app, "loaded")
        .iter()
        .map(|d| d["doc"].as_str().unwrap_or_default().to_owned())
        .collect();
    docs.dedup();
    docs
}

async fn register(api: &crate::client::Api, title: &str, url: String, settings: Value) -> i64 {
    let app = api
        .post(
            "/api/v1/accounts/1/dashboard_apps",
            json!({"title": title, "content": [{"type": "frame", "url": url}], "settings": settings}),
        )
        .await;
    app["id"].as_i64().unwrap_or_else(|| panic!("{app}"))
}

browser_test!(
    persistent_apps_keep_their_frame_across_conversations,
    |desk| async move {
        let origin = Origin::start(&[
            ("/common.js", JS, COMMON_JS),
            ("/verify-app-context.js", JS, VERIFY_JS),
            ("/seeds.html", HTML, SEEDS_HTML),
            ("/proto.html", HTML, PROTO_HTML),
            ("/proto.js", JS, PROTO_JS),
        ])
        .await;
        let api = desk.api().await;
        let first = api.customer_writes("Ada First", "Hello from Ada").await;
        let second = api.customer_writes("Ben Second", "Hello from Ben").await;
        // A team of the demo: the first conversation is the team's, the second has none.
        let teams = api.get("/api/v1/accounts/1/teams").await;
        let team = teams
            .as_array()
            .or_else(|| teams["payload"].as_array())
            .and_then(|t| t.first())
            .and_then(|t| t["id"].as_i64())
            .unwrap_or_else(|| panic!("the demo has teams: {teams}"));
        api.post(
            &format!("/api/v1/accounts/1/conversations/{}/assignments", first.id),
            json!({"team_id": team}),
        )
        .await;

        let persistent = json!({"lifecycle": "persistent"});
        let side = |lifecycle: &str| json!({"lifecycle": lifecycle, "placements": ["conversation_sidebar"]});
        register(
            &api,
            "Proto",
            origin.url("/proto.html?name=proto"),
            persistent,
        )
        .await;
        register(
            &api,
            "Keep",
            origin.url("/seeds.html?name=keep&c={{conversation.id}}"),
            side("persistent"),
        )
        .await;
        register(
            &api,
            "Fresh",
            origin.url("/seeds.html?name=fresh"),
            side("per_conversation"),
        )
        .await;
        register(
            &api,
            "Team",
            origin.url("/seeds.html?name=team"),
            json!({"lifecycle": "persistent", "placements": ["conversation_sidebar"], "visibility": {"team_ids": [team]}}),
        )
        .await;

        let tab = desk.signed_in(AGENT).await;
        tab.goto(&format!(
            "/app/accounts/1/conversations/{}?assignee_type=all",
            first.id
        ))
        .await;
        tab.wait_for("the Proto tab", "document.getElementById('conversation-title') && [...document.querySelectorAll('.conv-tabs [role=tab]')].some(t => t.textContent.trim() === 'Proto')").await;
        let proto_tab: String = tab
            .eval("[...document.querySelectorAll('.conv-tabs [role=tab]')].find(t => t.textContent.trim() === 'Proto').id")
            .await;
        tab.click(&format!("#{proto_tab}")).await;
        let hello = origin.wait_for("proto", "connected", WAIT, |_| true).await;
        assert_eq!(hello["conversation"], json!(first.id), "{hello}");
        for app in ["keep", "fresh", "team"] {
            origin
                .wait_for(app, "received", WAIT, |d| {
                    d["conversation"] == json!(first.id)
                })
                .await;
        }
        // The page itself must not load again: a marker on its window survives only a swap.
        let _: bool = tab.eval("window.__sameDocument = true").await;

        // The agent opens the second conversation from the list.
        tab.click(&format!(
            "#conversation-list li[data-conversation-id='{}'] a",
            second.id
        ))
        .await;
        tab.wait_for(
            "the second conversation in place",
            "document.getElementById('conversation-title')?.textContent.trim() === 'Ben Second'",
        )
        .await;
        let (same, path, focused, title): (bool, String, String, String) = tab
            .eval("[window.__sameDocument === true, location.pathname, document.activeElement?.id ?? '', document.title]")
            .await;
        assert!(same, "the page was loaded again");
        assert_eq!(path, format!("/app/accounts/1/conversations/{}", second.id));
        assert_eq!(focused, "conversation-title");
        assert!(title.contains("Ben Second"), "{title}");

        // The protocol app: same document, its counter went on, a verified context of the
        // second conversation.
        let updated = origin
            .wait_for("proto", "updated", WAIT, |d| {
                d["conversation"] == json!(second.id)
            })
            .await;
        assert_eq!(updated["doc"], hello["doc"], "{updated}");
        assert!(updated["count"].as_i64().unwrap() >= 2, "{updated}");
        assert_eq!(updated["contact"], "Ben Second");
        assert_eq!(updated["verified"]["ok"], true, "{updated}");
        assert_eq!(
            updated["verified"]["claims"]["conversation_id"],
            json!(second.id)
        );
        assert_eq!(documents(&origin, "proto").len(), 1);
        assert!(
            origin.all("proto", "string").len() <= 1,
            "{:?}",
            origin.all("proto", "string")
        );
        let selected: String = tab
            .eval("document.querySelector('.conv-tabs [aria-selected=true]').textContent.trim()")
            .await;
        assert_eq!(selected, "Proto", "the kept app's tab stays selected");

        // The seeds-only persistent app: same document, the seeds' message again.
        let keep = origin
            .wait_for("keep", "received", WAIT, |d| {
                d["conversation"] == json!(second.id)
            })
            .await;
        assert_eq!(keep["keys"], json!(["event", "data", "token"]), "{keep}");
        assert_eq!(keep["head"], r#"{"event":"appContext","#);
        assert_eq!(keep["contact"], "Ben Second");
        assert_eq!(documents(&origin, "keep").len(), 1);
        assert!(origin.all("keep", "not-a-string").is_empty());
        // Its URL stays the one it was created with.
        let src: String = tab
            .eval("document.querySelector('#side-app-' + document.querySelector('.app-side[data-title=Keep]').dataset.appId + ' iframe').getAttribute('src')")
            .await;
        assert!(src.ends_with(&format!("c={}", first.id)), "{src}");

        // The per-conversation app loaded afresh; the team's app is gone.
        let fresh = origin
            .wait_for("fresh", "received", WAIT, |d| {
                d["conversation"] == json!(second.id)
            })
            .await;
        let fresh_docs = documents(&origin, "fresh");
        assert_eq!(fresh_docs.len(), 2, "{fresh_docs:?}");
        assert_eq!(fresh["doc"], json!(fresh_docs[1]));
        tab.wait_for(
            "the team's app removed",
            "document.querySelector('.app-side[data-title=Team]') === null",
        )
        .await;

        // Live updates and the reply box work in the second conversation.
        api.customer_says(&second, "Are you there, Ben's agent?")
            .await;
        tab.wait_for(
            "the live message",
            "document.getElementById('thread').textContent.includes(\"Are you there, Ben's agent?\")",
        )
        .await;
        tab.click("#tab-messages").await;
        tab.type_into("#composer textarea[name=content]", "Yes, here for Ben")
            .await;
        tab.press("#composer textarea[name=content]", "Enter").await;
        tab.wait_for(
            "the reply in the thread",
            "document.getElementById('thread').textContent.includes('Yes, here for Ben')",
        )
        .await;
        let sent = api.messages(second.id).await;
        assert!(
            sent.iter().any(|m| m["content"] == "Yes, here for Ben"),
            "{sent:?}"
        );
        let at_first = api.messages(first.id).await;
        assert!(!at_first.iter().any(|m| m["content"] == "Yes, here for Ben"));

        // Back: the first conversation again, the kept app updated in place once more.
        let _: bool = tab.eval("(history.back(), true)").await;
        tab.wait_for(
            "the first conversation again",
            "document.getElementById('conversation-title')?.textContent.trim() === 'Ada First'",
        )
        .await;
        let (same, path): (bool, String) = tab
            .eval("[window.__sameDocument === true, location.pathname]")
            .await;
        assert!(same);
        assert_eq!(path, format!("/app/accounts/1/conversations/{}", first.id));
        let back = origin
            .wait_for("proto", "updated", WAIT, |d| {
                d["conversation"] == json!(first.id)
                    && d["count"].as_i64() > updated["count"].as_i64()
            })
            .await;
        assert_eq!(back["doc"], hello["doc"]);
        assert_eq!(
            back["verified"]["claims"]["conversation_id"],
            json!(first.id)
        );
        assert_eq!(documents(&origin, "proto").len(), 1);
        assert_eq!(documents(&origin, "keep").len(), 1);
        origin
            .wait_for("team", "received", WAIT, |d| {
                d["conversation"] == json!(first.id) && documents(&origin, "team").len() == 2
            })
            .await;
        // Live updates follow the conversation now open.
        api.customer_says(&first, "Ada again").await;
        tab.wait_for(
            "the live message in the first conversation",
            "document.getElementById('thread').textContent.includes('Ada again')",
        )
        .await;
    }
);
