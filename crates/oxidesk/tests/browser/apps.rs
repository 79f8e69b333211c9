//! Dashboard Apps in the real dashboard, with apps served from a second origin (another port):
//! the context arrives on load and matches the seeds' schema; every seed's fetch-info key is
//! answered, only to the app that asked, even before its `load`; changes reach open apps live;
//! frames are sandboxed and stay alive across tab switches; a new conversation loads apps
//! afresh; an agent cannot use the write API.
//!
//! The test apps (`probe.html` + `probe.js`) report everything they see to their own server
//! (`POST /report`), which the scenario reads: what they received, from whom, and whether their
//! `load` had fired.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::app_context_schema::assert_app_context;
use crate::browser_test;
use crate::chromium::{Tab, js_string};
use crate::client::Api;
use crate::server::AGENT;

/// How long a pushed context may take (the issue: within a second; the rest is room for a busy
/// two-core machine).
const LIVE_WITHIN: Duration = Duration::from_secs(3);

/// Every key the seeds document, in their spelling, plus Oxidesk's own and odd casing.
const SEED_KEYS: &[&str] = &[
    "oxidesk-dashboard-app:fetch-info",
    "hoory-dashboard-app:fetch-info",
    "Snypto-dashboard-app:fetch-info",
    "snypto-dashboard-app:fetch-info",
    "chatwoot-dashboard-app:fetch-info",
    "messagehub-dashboard-app:fetch-info",
    "bevatel-dashboard-app:fetch-info",
    "BEVATEL-Dashboard-App:Fetch-Info",
];

/// The test app. Its first script line asks for the context with every key in `?ask=` (one
/// after the other, each waiting up to 1 s for an answer); a slow image (`?slow=1`) holds its
/// `load` back for 6 s, longer than all the asking takes.
const PROBE_HTML: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>probe</title><script src="/probe.js"></script></head>
<body><p id="status">probe</p><img id="slow" alt=""></body></html>"#;

const PROBE_JS: &str = r#"
const params = new URLSearchParams(location.search);
const app = params.get("name") || "?";
const report = (kind, detail) =>
  fetch("/report", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ app, kind, detail, loaded: document.readyState === "complete" }) });
let answered = null;
window.addEventListener("message", (event) => {
  report("message", { data: event.data, origin: event.origin, fromParent: event.source === window.parent });
  if (answered) answered(true);
});
window.addEventListener("load", () => report("load", {}));
if (params.get("slow")) {
  document.addEventListener("DOMContentLoaded", () => { document.getElementById("slow").src = "/slow.png?" + Math.random(); });
}
const keys = (params.get("ask") || "").split(",").filter(Boolean);
(async () => {
  for (const key of keys) {
    const got = new Promise((resolve) => { answered = resolve; setTimeout(() => resolve(false), 1000); });
    window.parent.postMessage(key, "*");
    const ok = await got;
    answered = null;
    await report("asked", { key, answered: ok });
  }
})();
"#;

/// A second origin serving the test apps and collecting their reports.
pub(crate) struct AppServer {
    port: u16,
    reports: Arc<Mutex<Vec<Value>>>,
    task: tokio::task::JoinHandle<()>,
}

impl AppServer {
    pub(crate) async fn start() -> Self {
        let reports = Arc::new(Mutex::new(Vec::new()));
        let router = Router::new()
            .route(
                "/probe.html",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        PROBE_HTML,
                    )
                }),
            )
            .route(
                "/probe.js",
                get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], PROBE_JS) }),
            )
            .route(
                "/slow.png",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(6)).await;
                    ([(header::CONTENT_TYPE, "image/png")], Vec::<u8>::new())
                }),
            )
            .route(
                "/report",
                post(
                    |State(reports): State<Arc<Mutex<Vec<Value>>>>, body: String| async move {
                        if let Ok(value) = serde_json::from_str::<Value>(&body) {
                            reports.lock().unwrap().push(value);
                        }
                        "ok".into_response()
                    },
                ),
            )
            .with_state(reports.clone());
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Self {
            port,
            reports,
            task,
        }
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub(crate) fn url(&self, query: &str) -> String {
        format!("{}/probe.html?{query}", self.origin())
    }

    fn reports(&self, app: &str) -> Vec<Value> {
        self.reports
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r["app"] == app)
            .cloned()
            .collect()
    }

    /// The `appContext` messages `app` received, parsed.
    pub(crate) fn contexts(&self, app: &str) -> Vec<Value> {
        self.reports(app)
            .iter()
            .filter(|r| r["kind"] == "message")
            .map(|r| {
                let text = r["detail"]["data"]
                    .as_str()
                    .unwrap_or_else(|| panic!("not a string: {r}"));
                serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
            })
            .collect()
    }

    /// Waits until `app`'s reports satisfy `done`.
    pub(crate) async fn wait(
        &self,
        what: &str,
        limit: Duration,
        done: impl Fn(&[Value]) -> bool,
    ) -> Duration {
        let start = Instant::now();
        loop {
            let reports = self.reports_all();
            if done(&reports) {
                return start.elapsed();
            }
            if start.elapsed() > limit {
                panic!("waited {limit:?} for {what}; reports:\n{reports:#?}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    fn reports_all(&self) -> Vec<Value> {
        self.reports.lock().unwrap().clone()
    }
}

impl Drop for AppServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn count(reports: &[Value], app: &str, kind: &str) -> usize {
    reports
        .iter()
        .filter(|r| r["app"] == app && r["kind"] == kind)
        .count()
}

/// Registers an app through the API (as the administrator); returns its id.
pub(crate) async fn register(api: &Api, title: &str, url: &str) -> i64 {
    let app = api
        .post(
            "/api/v1/accounts/1/dashboard_apps",
            json!({"title": title, "content": [{"type": "frame", "url": url}]}),
        )
        .await;
    app["id"].as_i64().unwrap_or_else(|| panic!("no id: {app}"))
}

/// Opens conversation `id` and waits for its tabs.
pub(crate) async fn open(tab: &Tab, id: i64) {
    tab.goto(&format!("/app/accounts/1/conversations/{id}"))
        .await;
    tab.wait_for(
        "the conversation with its app tabs",
        "document.querySelectorAll('.conv-tabs [role=tab]').length > 1 && document.readyState === 'complete'",
    )
    .await;
}

/// Clicks the tab named `title`.
pub(crate) async fn open_tab(tab: &Tab, title: &str) {
    let id: String = tab
        .eval(&format!(
            "[...document.querySelectorAll('.conv-tabs [role=tab]')].find(t => t.textContent.trim() === {}).id",
            js_string(title)
        ))
        .await;
    tab.click(&format!("#{id}")).await;
}

browser_test!(apps_get_their_context_and_answers, |desk| async move {
    let apps = AppServer::start().await;
    let api = desk.api().await;
    let customer = api
        .customer_writes("Paula Probe", "Where is my parcel?")
        .await;
    let ask: Vec<&str> = SEED_KEYS
        .iter()
        .copied()
        .chain(["oxidesk-dashboard-app:fetch", "fetch-info"])
        .collect();
    register(&api, "Quiet App", &apps.url("name=quiet")).await;
    register(
        &api,
        "Asking App",
        &apps.url(&format!("name=asking&slow=1&ask={}", ask.join(","))),
    )
    .await;
    let tab = desk.signed_in(AGENT).await;
    open(&tab, customer.id).await;

    // Tabs named by the titles; nothing framed until a tab is opened.
    let names: Vec<String> = tab
        .eval("[...document.querySelectorAll('.conv-tabs[role=tablist] [role=tab]')].map(t => t.textContent.trim())")
        .await;
    assert_eq!(names.first().map(String::as_str), Some("Messages"));
    assert!(
        names.contains(&"Quiet App".to_owned()) && names.contains(&"Asking App".to_owned()),
        "{names:?}"
    );
    assert_eq!(
        tab.eval::<i64>("document.querySelectorAll('iframe').length")
            .await,
        0
    );

    // The first app: its context on load, to its own origin, matching the seeds.
    open_tab(&tab, "Quiet App").await;
    apps.wait("the quiet app's context", Duration::from_secs(10), |r| {
        count(r, "quiet", "message") == 1
    })
    .await;
    let frame: Value = tab
        .eval("(() => { const f = document.querySelector('iframe'); return {sandbox: f.getAttribute('sandbox'), allow: f.getAttribute('allow')}; })()")
        .await;
    assert_eq!(
        frame,
        json!({"sandbox": "allow-scripts allow-same-origin allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-downloads allow-storage-access-by-user-activation", "allow": "clipboard-write"})
    );
    tab.wait_for("the loading state to end", "document.querySelector('.app-panel.loaded .app-loading') !== null && getComputedStyle(document.querySelector('.app-panel.loaded .app-loading')).display === 'none'").await;
    let context = apps.contexts("quiet").remove(0);
    assert_app_context(&context);
    let data = &context["data"];
    assert_eq!(data["conversation"]["id"], json!(customer.id));
    assert_eq!(data["contact"]["name"], "Paula Probe");
    assert_eq!(
        data["conversation"]["meta"]["sender"]["name"],
        "Paula Probe"
    );
    assert_eq!(data["currentAgent"]["email"], AGENT.0);
    assert_eq!(data["theme"], "light");
    let messages = data["conversation"]["messages"].as_array().unwrap();
    assert_eq!(messages.last().unwrap()["content"], "Where is my parcel?");
    let quiet = apps.reports("quiet");
    let message = quiet.iter().find(|r| r["kind"] == "message").unwrap();
    assert_eq!(message["detail"]["fromParent"], json!(true));

    // The second app asks with every seed's key from its first line, before its `load`
    // (held back by a slow image): each is answered, to it alone.
    open_tab(&tab, "Asking App").await;
    apps.wait("every key asked", Duration::from_secs(30), |r| {
        count(r, "asking", "asked") == ask.len()
    })
    .await;
    let asked = apps.reports("asking");
    for key in SEED_KEYS {
        let answer = asked
            .iter()
            .find(|r| r["kind"] == "asked" && r["detail"]["key"] == *key)
            .unwrap_or_else(|| panic!("{key} not asked: {asked:#?}"));
        assert_eq!(
            answer["detail"]["answered"],
            json!(true),
            "{key} was not answered"
        );
    }
    for key in ["oxidesk-dashboard-app:fetch", "fetch-info"] {
        let answer = asked
            .iter()
            .find(|r| r["kind"] == "asked" && r["detail"]["key"] == key)
            .unwrap();
        assert_eq!(
            answer["detail"]["answered"],
            json!(false),
            "{key} is not a fetch-info key"
        );
    }
    let first_answer = asked.iter().find(|r| r["kind"] == "message").unwrap();
    assert_eq!(
        first_answer["loaded"],
        json!(false),
        "the answer came before the app's load event"
    );
    apps.wait("the asking app's load", Duration::from_secs(10), |r| {
        count(r, "asking", "load") == 1
    })
    .await;
    apps.wait("the context on load", Duration::from_secs(5), |r| {
        count(r, "asking", "message") == SEED_KEYS.len() + 1
    })
    .await;
    for context in apps.contexts("asking") {
        assert_app_context(&context);
        assert_eq!(context["data"]["conversation"]["id"], json!(customer.id));
    }
    // The quiet app got nothing of that.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        count(&apps.reports_all(), "quiet", "message"),
        1,
        "answers go to the asker only"
    );

    // The dashboard's own window asking is ignored (no frame is its source).
    let _: bool = tab
        .eval("(window.postMessage('oxidesk-dashboard-app:fetch-info', '*'), true)")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all = apps.reports_all();
    assert_eq!(count(&all, "quiet", "message"), 1);
    assert_eq!(count(&all, "asking", "message"), SEED_KEYS.len() + 1);

    // The page frames exactly the apps' origins (the frames loading at all shows that the CSP
    // lets them; here its text).
    let csp: String = tab
        .eval_async("fetch(location.href, {credentials: 'same-origin'}).then(r => r.headers.get('content-security-policy'))")
        .await;
    let frame_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("frame-src"))
        .unwrap_or_else(|| panic!("no frame-src: {csp}"));
    let mut origins: Vec<&str> = frame_src.split_whitespace().skip(1).collect();
    origins.sort_unstable();
    let mut expected = vec![apps.origin(), desk.server.base()];
    expected.sort_unstable();
    assert_eq!(
        origins, expected,
        "the demo's example app and the test apps: {csp}"
    );
});

browser_test!(open_apps_follow_the_conversation_live, |desk| async move {
    let apps = AppServer::start().await;
    let api = desk.api().await;
    let customer = api.customer_writes("Lena Live", "Hello there").await;
    let other = api.customer_writes("Otto Other", "Another question").await;
    register(&api, "Live App", &apps.url("name=live")).await;
    let tab = desk.signed_in(AGENT).await;
    open(&tab, customer.id).await;
    open_tab(&tab, "Live App").await;
    apps.wait("the context on load", Duration::from_secs(10), |r| {
        count(r, "live", "message") == 1
    })
    .await;
    tab.wait_for_response("/live").await;

    // A customer's message reaches the open app as a fresh context, unasked.
    api.customer_says(&customer, "Order 4471 please").await;
    let took = apps
        .wait("the new message in a pushed context", LIVE_WITHIN, |_| {
            apps.contexts("live").iter().any(|c| {
                c["data"]["conversation"]["messages"]
                    .as_array()
                    .is_some_and(|m| m.iter().any(|m| m["content"] == "Order 4471 please"))
            })
        })
        .await;
    eprintln!("a pushed context arrived after {took:?}");

    // An assignment and a status change made elsewhere, too.
    let sam = api
        .get("/api/v1/accounts/1/agents")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == AGENT.0)
        .cloned()
        .unwrap();
    api.post(
        &format!(
            "/api/v1/accounts/1/conversations/{}/assignments",
            customer.id
        ),
        json!({"assignee_id": sam["id"]}),
    )
    .await;
    apps.wait("the assignee in a pushed context", LIVE_WITHIN, |_| {
        apps.contexts("live")
            .last()
            .is_some_and(|c| c["data"]["conversation"]["meta"]["assignee"]["id"] == sam["id"])
    })
    .await;
    api.post(
        &format!(
            "/api/v1/accounts/1/conversations/{}/toggle_status",
            customer.id
        ),
        json!({"status": "pending"}),
    )
    .await;
    apps.wait("the status in a pushed context", LIVE_WITHIN, |_| {
        apps.contexts("live")
            .last()
            .is_some_and(|c| c["data"]["conversation"]["status"] == "pending")
    })
    .await;
    // The contact's details changed elsewhere.
    let contact = apps.contexts("live")[0]["data"]["contact"]["id"].clone();
    api.put(
        &format!("/api/v1/accounts/1/contacts/{contact}"),
        json!({"email": "lena.live@example.com"}),
    )
    .await;
    apps.wait(
        "the contact's new email in a pushed context",
        LIVE_WITHIN,
        |_| {
            apps.contexts("live")
                .last()
                .is_some_and(|c| c["data"]["contact"]["email"] == "lena.live@example.com")
        },
    )
    .await;
    // A new custom attribute definition (Chatwoot pushes these too).
    api.post(
        "/api/v1/accounts/1/custom_attribute_definitions",
        json!({"attribute_key": "loyalty_tier", "attribute_display_name": "Loyalty tier"}),
    )
    .await;
    apps.wait(
        "the new definition in a pushed context",
        LIVE_WITHIN,
        |_| {
            apps.contexts("live").last().is_some_and(|c| {
                c["data"]["customAttributes"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["attribute_key"] == "loyalty_tier"))
            })
        },
    )
    .await;
    for context in apps.contexts("live") {
        assert_app_context(&context);
    }

    // Back to Messages and again to the app: the same frame, not reloaded.
    tab.click("#tab-messages").await;
    open_tab(&tab, "Live App").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        count(&apps.reports_all(), "live", "load"),
        1,
        "the frame stayed alive"
    );

    // Another conversation: the app loads afresh with that conversation's context.
    open(&tab, other.id).await;
    open_tab(&tab, "Live App").await;
    apps.wait(
        "the other conversation's context",
        Duration::from_secs(10),
        |_| {
            apps.contexts("live")
                .last()
                .is_some_and(|c| c["data"]["conversation"]["id"] == json!(other.id))
        },
    )
    .await;
    assert_eq!(count(&apps.reports_all(), "live", "load"), 2);

    // An agent cannot register apps, even from the dashboard with a valid CSRF token.
    let status: i64 = tab
        .eval_async(
            "fetch('/api/v1/accounts/1/dashboard_apps', {method: 'POST', credentials: 'same-origin', \
               headers: {'Content-Type': 'application/json', 'x-csrf-token': document.querySelector('meta[name=csrf-token]').content}, \
               body: JSON.stringify({title: 'Sneaky', content: [{type: 'frame', url: 'https://evil.example'}]})}).then(r => r.status)",
        )
        .await;
    assert_eq!(status, 403);
    let listed = api.get("/api/v1/accounts/1/dashboard_apps").await;
    assert!(!listed.to_string().contains("Sneaky"));
});

/// Under another brand ("Hoory"): the interface says Hoory, apps written for Hoory, Chatwoot or
/// Snypto all get their context, and the demo's example app shows the conversation's contact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branded_dashboard_answers_every_brand() {
    let Some(desk) = crate::desk::Desk::sqlite_branded("Hoory").await else {
        return;
    };
    let apps = AppServer::start().await;
    let api = desk.api().await;
    let customer = api
        .customer_writes("Bea Brand", "Which plan am I on?")
        .await;
    let keys = [
        "hoory-dashboard-app:fetch-info",
        "chatwoot-dashboard-app:fetch-info",
        "Snypto-dashboard-app:fetch-info",
    ];
    register(
        &api,
        "Brand App",
        &apps.url(&format!("name=brand&ask={}", keys.join(","))),
    )
    .await;
    let tab = desk.signed_in(AGENT).await;
    open(&tab, customer.id).await;
    let title: String = tab.eval("document.title").await;
    assert!(title.ends_with("· Hoory"), "{title}");
    let brand: String = tab
        .eval("document.querySelector('.brand').textContent.trim()")
        .await;
    assert_eq!(brand, "Hoory");

    open_tab(&tab, "Brand App").await;
    apps.wait("every key asked", Duration::from_secs(15), |r| {
        count(r, "brand", "asked") == keys.len()
    })
    .await;
    for report in apps
        .reports("brand")
        .iter()
        .filter(|r| r["kind"] == "asked")
    {
        assert_eq!(report["detail"]["answered"], json!(true), "{report}");
    }

    // The example app, same-origin with the dashboard, renders the contact it was given.
    open_tab(&tab, "Customer Orders").await;
    tab.wait_for(
        "the example app to show the contact",
        "(() => { const f = [...document.querySelectorAll('iframe')].find(f => f.src.includes('/examples/customer-orders/')); \
           return f && f.contentDocument && f.contentDocument.body.textContent.includes('Bea Brand'); })()",
    )
    .await;
    desk.finish().await;
}
