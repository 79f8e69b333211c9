//! `TestApp`: the application on a fresh database, driven in process, with a cookie jar.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use oxidesk::config::Config;
use oxidesk::http::AppState;
use oxidesk::service::{NewMember, Services};
use oxidesk_domain::{Account, Role, User};
use oxidesk_store::Backend;
use oxidesk_store::testing::TestDatabase;
use tower::ServiceExt;

/// Runs the body once on SQLite and once on PostgreSQL (when configured), each on a fresh
/// database: `app_test!(name, |app| async move { ... });`
#[macro_export]
macro_rules! app_test {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::support::TestApp) {
                $body.await
            }

            #[tokio::test]
            async fn sqlite() {
                if let Some(app) =
                    $crate::support::TestApp::new(oxidesk_store::Backend::Sqlite).await
                {
                    run(app).await;
                }
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(app) =
                    $crate::support::TestApp::new(oxidesk_store::Backend::Postgres).await
                {
                    run(app).await;
                }
            }
        }
    };
}

/// The application on its own database.
pub struct TestApp {
    /// The database (dropped with the app).
    pub db: TestDatabase,
    /// The state handlers see.
    pub state: AppState,
    router: Router,
    /// Where the attachments of local storage go.
    pub files_dir: tempfile::TempDir,
}

/// A response, body read.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The `field` of each entry of a 422's `errors`, in order.
    pub fn error_fields(&self) -> Vec<String> {
        let body = self.json();
        let errors = body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors list: {}", self.body));
        errors
            .iter()
            .map(|e| e["field"].as_str().expect("an error's field").to_owned())
            .collect()
    }

    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl TestApp {
    /// A fresh app; `None` for PostgreSQL when no test server is configured (said loudly).
    pub async fn new(backend: Backend) -> Option<Self> {
        Self::with_config(backend, Config::default()).await
    }

    /// A fresh app with this configuration (its database settings are replaced).
    pub async fn with_config(backend: Backend, mut config: Config) -> Option<Self> {
        let db = TestDatabase::new(backend).await?;
        config.database.url = Some(db.url.clone());
        // Attachments in a folder of this test's own (unless the test chose a storage).
        let files_dir = tempfile::tempdir().expect("a folder for attachments");
        if config.attachments.local_dir.is_none() {
            config.attachments.local_dir = Some(files_dir.path().to_owned());
        }
        let key = b"test-secret-key-of-at-least-32-bytes".to_vec();
        let files = oxidesk::files::Files::from_config(&config, Arc::new(key.clone()))
            .expect("attachment storage");
        let state = AppState {
            services: Services::new(db.store.clone(), key).with_files(files),
            config: Arc::new(config),
        };
        let router = oxidesk::http::router(state.clone());
        Some(Self {
            db,
            state,
            router,
            files_dir,
        })
    }

    pub fn services(&self) -> &Services {
        &self.state.services
    }

    /// An account with an administrator (password "password123").
    pub async fn account_with_admin(&self, name: &str, email: &str) -> (Account, User) {
        let account = self.services().create_account(name).await.unwrap();
        let user = self.member(&account, email, Role::Administrator).await;
        (account, user)
    }

    /// A new member of `account` (password "password123").
    pub async fn member(&self, account: &Account, email: &str, role: Role) -> User {
        self.services()
            .add_member(
                account.id,
                &NewMember {
                    name: "Test User",
                    email,
                    password: "password123",
                    role,
                },
            )
            .await
            .unwrap()
    }

    /// A new API token for the user with this email.
    pub async fn token(&self, email: &str) -> String {
        self.services()
            .create_access_token(email, "test")
            .await
            .unwrap()
            .1
    }

    /// Sends a request from `peer`.
    pub async fn send_from(&self, mut request: Request<Body>, peer: &str) -> TestResponse {
        let addr: SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A browser with an empty cookie jar.
    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookies: BTreeMap::new(),
            peer: "127.0.0.1:40000".into(),
        }
    }
}

/// A browser: keeps cookies between requests, sends forms.
pub struct Browser<'a> {
    app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
    pub peer: String,
}

impl Browser<'_> {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, builder: axum::http::request::Builder, body: Body) -> TestResponse {
        let mut builder = builder.header(header::HOST, "localhost");
        if !self.cookies.is_empty() {
            builder = builder.header(header::COOKIE, self.cookie_header());
        }
        let response = self
            .app
            .send_from(builder.body(body).unwrap(), &self.peer)
            .await;
        for value in response.headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        response
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(
            Request::builder().method(Method::GET).uri(path),
            Body::empty(),
        )
        .await
    }

    /// Posts a form; `fields` as pairs.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let builder = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.send(builder, Body::from(body)).await
    }

    /// Posts a form with extra headers (e.g. a `Referer`).
    pub async fn send_form_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send_raw(
            Method::POST,
            path,
            headers,
            "application/x-www-form-urlencoded",
            &body,
        )
        .await
    }

    /// Sends JSON with extra headers.
    pub async fn json(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: serde_json::Value,
    ) -> TestResponse {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        self.send(builder, Body::from(body.to_string())).await
    }

    /// Sends a body as is, with its content type.
    pub async fn send_raw(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        content_type: &str,
        body: &str,
    ) -> TestResponse {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        self.send(builder, Body::from(body.to_owned())).await
    }

    /// The value of the hidden `csrf` field of the page at `path`.
    pub async fn csrf_of(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        csrf_in(&page.body).unwrap_or_else(|| panic!("no csrf field on {path}: {}", page.body))
    }

    /// Signs in through the login form; returns the response to the POST.
    pub async fn login(&mut self, email: &str, password: &str) -> TestResponse {
        let csrf = self.csrf_of("/app/login").await;
        self.post_form(
            "/app/login",
            &[("email", email), ("password", password), ("csrf", &csrf)],
        )
        .await
    }
}

/// Finds `name="csrf" value="..."` in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// Keys whose values change from run to run (times, random identifiers): replaced by
/// placeholders before snapshotting, so SQLite and PostgreSQL share one snapshot.
const VOLATILE: &[&str] = &[
    "created_at",
    "updated_at",
    "timestamp",
    "last_activity_at",
    "agent_last_seen_at",
    "assignee_last_seen_at",
    "contact_last_seen_at",
    "waiting_since",
    "first_reply_created_at",
    "snoozed_until",
    "last_used_at",
    "uuid",
    "inbox_identifier",
    "hmac_token",
    "secret",
    "pubsub_token",
    "next_cursor",
];

/// `value` with volatile fields replaced: non-null times by `"[time]"`, identifiers by
/// `"[random]"`; `source_id`s made up by Oxidesk (UUIDs) by `"[uuid]"`.
pub fn redact(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let redacted = if VOLATILE.contains(&k.as_str()) {
                        match v {
                            Value::Null => Value::Null,
                            Value::Number(n) if n.as_i64() == Some(0) => v.clone(),
                            Value::Number(_) => Value::String("[time]".into()),
                            _ => Value::String("[random]".into()),
                        }
                    } else if k == "source_id"
                        && v.as_str()
                            .is_some_and(|s| s.len() == 36 && s.matches('-').count() == 4)
                    {
                        Value::String("[uuid]".into())
                    } else {
                        redact(v)
                    };
                    (k.clone(), redacted)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

/// Snapshots a JSON response after [`redact`]. Both backends of an `app_test!` share the file.
#[macro_export]
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::assert_json_snapshot!($name, $crate::support::redact(&$value))
    };
}

/// Every event received until none has come for 300 ms (events are published by a background
/// writer, so they arrive shortly after the request that caused them).
pub async fn settled(
    events: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<oxidesk::events::Event>>,
) -> Vec<std::sync::Arc<oxidesk::events::Event>> {
    let mut out = Vec::new();
    while let Ok(Ok(event)) =
        tokio::time::timeout(std::time::Duration::from_millis(300), events.recv()).await
    {
        out.push(event);
    }
    out
}
