//! Where a dashboard app appears and what happens when it cannot load (issue 9, "Where and for
//! whom an app appears"), with apps served from a second origin:
//!
//! - an app placed in the side column loads there at once, beside the Messages tab;
//! - its URL template is filled with hostile values (quotes, `&`, `#`, `/`, non-ASCII) that
//!   arrive in the app each inside its own parameter;
//! - an app that redirects to an origin the page may not frame shows why in its tab, is counted
//!   on its settings row, and an administrator's "Allow" adds the origin and the app then loads.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::browser_test;
use crate::server::{ADMIN, AGENT};

/// The test app: reports its URL's parameters and every message it receives.
const APP_HTML: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>placed</title><script src="/app.js"></script></head>
<body><p>placed app</p></body></html>"#;

const APP_JS: &str = r#"
const params = new URLSearchParams(location.search);
const app = params.get("name") || "?";
const report = (kind, detail) =>
  fetch("/report", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ app, kind, detail }) });
report("loaded", { origin: location.origin, params: [...params.entries()], hash: location.hash });
window.addEventListener("message", (event) => {
  if (typeof event.data !== "string" || !event.data.includes("appContext")) return;
  const message = JSON.parse(event.data);
  report("context", { origin: event.origin, keys: Object.keys(message.data).sort(), contact: message.data.contact?.id, hasToken: typeof message.token === "string" });
});
"#;

struct Apps {
    port: u16,
    reports: Arc<Mutex<Vec<Value>>>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(serde::Deserialize)]
struct To {
    to: String,
}

impl Apps {
    async fn start() -> Self {
        let reports = Arc::new(Mutex::new(Vec::new()));
        let router = Router::new()
            .route(
                "/app.html",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        APP_HTML,
                    )
                }),
            )
            .route(
                "/app.js",
                get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], APP_JS) }),
            )
            .route(
                "/hang",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    "too late"
                }),
            )
            .route(
                "/redirect",
                get(|Query(to): Query<To>| async move {
                    (StatusCode::FOUND, [(header::LOCATION, to.to)])
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

    /// The app's address on 127.0.0.1 (the origin registered).
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The same server as another origin (`localhost`), which apps are not allowed by default.
    fn other_origin(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    async fn wait(&self, what: &str, done: impl Fn(&[Value]) -> Option<Value>) -> Value {
        let start = Instant::now();
        loop {
            let reports = self.reports.lock().unwrap().clone();
            if let Some(found) = done(&reports) {
                return found;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("waited for {what}; reports:\n{reports:#?}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    async fn report(&self, app: &str, kind: &str) -> Value {
        self.wait(&format!("{app} {kind}"), |reports| {
            reports
                .iter()
                .find(|r| r["app"] == app && r["kind"] == kind)
                .map(|r| r["detail"].clone())
        })
        .await
    }
}

impl Drop for Apps {
    fn drop(&mut self) {
        self.task.abort();
    }
}

browser_test!(
    side_panels_templates_and_blocked_redirects,
    |desk| async move {
        let apps = Apps::start().await;
        let api = desk.api().await;
        let hostile = "O'Brien & \"Sons\" #1/2 Zoë?x=y";
        let customer = api.customer_writes(hostile, "Hello").await;
        let side = api
            .post(
                "/api/v1/accounts/1/dashboard_apps",
                json!({
                    "title": "Side CRM",
                    "content": [{"type": "frame", "url": apps.url("/app.html?name=side&who={{contact.name}}&c={{conversation.id}}#{{contact.name}}")}],
                    "settings": {"placements": ["conversation_sidebar"]},
                }),
            )
            .await;
        assert!(side["id"].is_i64(), "{side}");
        let to = format!("{}/app.html?name=login", apps.other_origin());
        let redirect_url = apps.url(&format!(
            "/redirect?to={}",
            to.replace(':', "%3A")
                .replace('/', "%2F")
                .replace('?', "%3F")
                .replace('=', "%3D")
        ));
        let sso = api
            .post(
                "/api/v1/accounts/1/dashboard_apps",
                json!({"title": "SSO App", "content": [{"type": "frame", "url": redirect_url}]}),
            )
            .await;
        let sso_id = sso["id"].as_i64().unwrap();

        // The agent: the side panel loads at once, its parameters intact.
        let tab = desk.signed_in(AGENT).await;
        tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
            .await;
        tab.wait_for(
            "the side panel's frame",
            "document.querySelector('.app-side iframe') !== null",
        )
        .await;
        let loaded = apps.report("side", "loaded").await;
        let params: Vec<(String, String)> =
            serde_json::from_value(loaded["params"].clone()).unwrap();
        assert_eq!(
            params,
            vec![
                ("name".to_owned(), "side".to_owned()),
                ("who".to_owned(), hostile.to_owned()),
                ("c".to_owned(), customer.id.to_string()),
            ],
            "each value stays inside its parameter"
        );
        assert_eq!(
            loaded["hash"],
            "#O%27Brien%20%26%20%22Sons%22%20%231%2F2%20Zo%C3%AB%3Fx%3Dy"
        );
        apps.report("side", "context").await;
        assert!(
            tab.eval::<bool>(
                "document.querySelector('#tab-messages').getAttribute('aria-selected') === 'true'"
            )
            .await,
            "Messages stays the open tab"
        );
        assert!(
            !tab.exists(&format!("#tab-app-{}", side["id"])).await,
            "no tab for a side-column app"
        );

        // The redirecting app: blocked, and the tab says why.
        tab.click(&format!("#tab-app-{sso_id}")).await;
        let other = apps.other_origin();
        tab.wait_for(
            "the explanation of the blocked redirect",
            &format!(
                "document.querySelector('#panel-app-{sso_id} .app-problem:not([hidden])')?.textContent.includes({})",
                crate::chromium::js_string(&other)
            ),
        )
        .await;
        let text: String = tab
            .eval(&format!(
                "document.querySelector('#panel-app-{sso_id} .app-problem').textContent"
            ))
            .await;
        assert!(text.contains("Ask an administrator"), "{text}");
        assert!(
            !tab.exists(&format!("#panel-app-{sso_id} .app-problem button"))
                .await,
            "agents get no Allow button"
        );
        // Counted on the app's row.
        let start = Instant::now();
        loop {
            let app = api
                .get(&format!("/api/v1/accounts/1/dashboard_apps/{sso_id}"))
                .await;
            if app["load_failures"].as_i64() >= Some(1) {
                assert_eq!(app["last_failure"], format!("blocked: {other}"));
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "not counted: {app}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // The administrator allows the origin in one click; the app then loads there.
        // (One browser, one cookie jar: the agent signs out first.)
        tab.click("form[action='/app/logout'] button").await;
        tab.wait_for("the login page", "location.pathname === '/app/login'")
            .await;
        crate::desk::sign_in(&tab, ADMIN).await;
        let admin = tab;
        admin
            .goto(&format!("/app/accounts/1/conversations/{}", customer.id))
            .await;
        admin.click(&format!("#tab-app-{sso_id}")).await;
        admin
            .click(&format!("#panel-app-{sso_id} .app-problem button"))
            .await;
        admin
            .wait_for(
                "the page reloaded with the origin allowed",
                &format!(
                    "document.readyState === 'complete' && document.querySelector('#panel-app-{sso_id}') && !document.querySelector('#panel-app-{sso_id} .app-problem button')"
                ),
            )
            .await;
        let app = api
            .get(&format!("/api/v1/accounts/1/dashboard_apps/{sso_id}"))
            .await;
        assert_eq!(app["allowed_origins"], json!([other]));
        admin.click(&format!("#tab-app-{sso_id}")).await;
        let login = apps.report("login", "loaded").await;
        assert_eq!(login["origin"], other);
        apps.report("login", "context").await;
    }
);

browser_test!(
    an_app_on_the_contact_page_gets_the_contact,
    |desk| async move {
        let apps = Apps::start().await;
        let api = desk.api().await;
        let customer = api.customer_writes("Carla Contact", "Hi").await;
        let conversation = api.conversation(customer.id).await;
        let contact = conversation["meta"]["sender"]["id"].as_i64().unwrap();
        let app = api
        .post(
            "/api/v1/accounts/1/dashboard_apps",
            json!({
                "title": "Contact CRM",
                "content": [{"type": "frame", "url": apps.url("/app.html?name=contact&id={{contact.id}}")}],
                "settings": {"placements": ["contact_tab"]},
            }),
        )
        .await;
        let id = app["id"].as_i64().unwrap();
        let tab = desk.signed_in(AGENT).await;
        tab.goto(&format!("/app/accounts/1/contacts/{contact}"))
            .await;
        tab.click(&format!("#tab-app-{id}")).await;
        let loaded = apps.report("contact", "loaded").await;
        assert_eq!(
            loaded["params"],
            json!([["name", "contact"], ["id", contact.to_string()]])
        );
        let context = apps.report("contact", "context").await;
        assert_eq!(
            context["keys"],
            json!(["contact", "currentAgent", "customAttributes", "theme"]),
            "no conversation on a contact's page"
        );
        assert_eq!(context["contact"], contact);
        assert_eq!(context["hasToken"], true);
        // Details is one click away.
        tab.click("#tab-contact").await;
        tab.wait_for(
            "the details again",
            "!document.querySelector('#panel-contact').hidden",
        )
        .await;
    }
);

browser_test!(apps_appear_change_and_disappear_live, |desk| async move {
    let apps = Apps::start().await;
    let api = desk.api().await;
    let customer = api.customer_writes("Lena Live", "Hi").await;
    let add = |title: &str, url: String, placements: &[&str]| {
        let body = json!({"title": title, "content": [{"type": "frame", "url": url}],
                          "settings": {"placements": placements}});
        let api = &api;
        async move {
            let app = api.post("/api/v1/accounts/1/dashboard_apps", body).await;
            app["id"].as_i64().unwrap_or_else(|| panic!("{app}"))
        }
    };
    let first = add(
        "First",
        apps.url("/app.html?name=first"),
        &["conversation_tab"],
    )
    .await;
    let tab = desk.signed_in(AGENT).await;
    tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
        .await;
    tab.wait_for(
        "the first app's tab",
        &format!("document.querySelector('#tab-app-{first}')"),
    )
    .await;
    let _: bool = tab.eval("(window.__sameDocument = true)").await;

    // Added on an origin the page may frame: a working tab and side panel, no reload.
    let second = add(
        "Second",
        apps.url("/app.html?name=second"),
        &["conversation_tab"],
    )
    .await;
    let side = add(
        "Side live",
        apps.url("/app.html?name=sidelive"),
        &["conversation_sidebar"],
    )
    .await;
    tab.wait_for(
        "the new tab",
        &format!("document.querySelector('#tab-app-{second}')"),
    )
    .await;
    tab.wait_for(
        "the new side panel",
        &format!("document.querySelector('#side-app-{side} iframe')"),
    )
    .await;
    apps.report("sidelive", "context").await;
    tab.click(&format!("#tab-app-{second}")).await;
    apps.report("second", "loaded").await;
    apps.report("second", "context").await;

    // Added on a new origin: the tab says to reload.
    let elsewhere = add(
        "Elsewhere",
        format!("{}/app.html?name=elsewhere", apps.other_origin()),
        &["conversation_tab"],
    )
    .await;
    tab.click(&format!("#tab-app-{elsewhere}")).await;
    tab.wait_for(
        "the reload notice",
        &format!("document.querySelector('#panel-app-{elsewhere} .app-reload button')?.textContent === 'Reload'"),
    )
    .await;

    // Renamed, then removed.
    api.put(
        &format!("/api/v1/accounts/1/dashboard_apps/{first}"),
        json!({"title": "First, renamed"}),
    )
    .await;
    tab.wait_for(
        "the new title",
        &format!("document.querySelector('#tab-app-{first}').textContent === 'First, renamed'"),
    )
    .await;
    let deleted = crate::client::request(
        desk.server.port,
        "DELETE",
        &format!("/api/v1/accounts/1/dashboard_apps/{second}"),
        &[("api_access_token", &desk.db.token(ADMIN.0))],
        None,
    )
    .await
    .unwrap();
    assert_eq!(deleted.status, 204);
    tab.wait_for(
        "the removed tab gone",
        &format!("!document.querySelector('#tab-app-{second}') && !document.querySelector('#panel-app-{second}')"),
    )
    .await;
    assert!(
        tab.eval::<bool>("window.__sameDocument === true").await,
        "no reload"
    );
});

browser_test!(an_app_that_never_loads_says_so, |desk| async move {
    let apps = Apps::start().await;
    let api = desk.api().await;
    let customer = api.customer_writes("Tim Timeout", "Hi").await;
    let app = api
        .post(
            "/api/v1/accounts/1/dashboard_apps",
            json!({"title": "Slow App", "content": [{"type": "frame", "url": apps.url("/hang")}]}),
        )
        .await;
    let id = app["id"].as_i64().unwrap();
    let tab = desk.signed_in(AGENT).await;
    tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
        .await;
    tab.click(&format!("#tab-app-{id}")).await;
    tab.wait_for_within(
        "the timeout's explanation",
        &format!(
            "document.querySelector('#panel-app-{id} .app-problem:not([hidden])')?.textContent.includes('did not finish loading within 15 seconds')"
        ),
        Duration::from_secs(25),
    )
    .await;
    assert!(
        tab.eval::<bool>(&format!(
            "document.querySelector('#panel-app-{id} .app-problem button').textContent === 'Try again'"
        ))
        .await
    );
    let start = Instant::now();
    loop {
        let app = api
            .get(&format!("/api/v1/accounts/1/dashboard_apps/{id}"))
            .await;
        if app["load_failures"] == 1 {
            assert_eq!(app["last_failure"], "timeout");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "not counted: {app}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
});
