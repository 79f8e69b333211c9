//! Agent bots: Chatwoot's API and an inbox's bot; a real bot on 127.0.0.1 that receives its
//! inbox's events (signed, through the webhook outbox), answers with its own token over HTTP
//! and hands the conversation to people; and what a bot's token does not reach.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use hmac::{Hmac, Mac};
use oxidesk::config::{Config, WebhooksConfig};
use oxidesk_store::Backend;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::api_setup::{Setup, assert_invalid, call};
use crate::app_test;
use crate::support::TestApp;

const WAIT: Duration = Duration::from_secs(20);

app_test!(
    agent_bots_are_managed_by_administrators_and_assigned_to_inboxes,
    |app| async move {
        let s = Setup::new(&app).await;
        let path = s.path("agent_bots");
        let created = call(
            &app,
            &s.admin_token,
            Method::POST,
            &path,
            json!({"name": "Triage", "description": "Answers first", "outgoing_url": "https://bot.example.com/hook"}),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let bot = created.json();
        assert_eq!(bot["name"], "Triage");
        assert_eq!(bot["outgoing_url"], "https://bot.example.com/hook");
        assert_eq!(bot["bot_type"], "webhook");
        assert_eq!(bot["account_id"], s.account.id.get());
        let token = bot["access_token"].as_str().unwrap().to_owned();
        assert!(token.len() > 20, "{bot}");
        assert!(bot["secret"].as_str().is_some_and(|x| x.len() >= 24));
        let id = bot["id"].as_i64().unwrap();

        // Agents read bots without their token and secret, and change nothing.
        let seen = call(&app, &s.agent_token, Method::GET, &path, json!(null)).await;
        assert_eq!(seen.status, StatusCode::OK);
        assert_eq!(seen.json()[0]["name"], "Triage");
        assert!(
            seen.json()[0].get("access_token").is_none(),
            "{}",
            seen.body
        );
        assert!(seen.json()[0].get("secret").is_none());
        let as_admin = call(
            &app,
            &s.admin_token,
            Method::GET,
            &format!("{path}/{id}"),
            json!(null),
        )
        .await;
        assert_eq!(as_admin.json()["access_token"], token.as_str());
        for (method, p) in [
            (Method::POST, path.clone()),
            (Method::PATCH, format!("{path}/{id}")),
            (Method::DELETE, format!("{path}/{id}")),
        ] {
            let r = call(
                &app,
                &s.agent_token,
                method.clone(),
                &p,
                json!({"name": "x"}),
            )
            .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {p}");
        }

        let no_name = call(
            &app,
            &s.admin_token,
            Method::POST,
            &path,
            json!({"outgoing_url": ""}),
        )
        .await;
        assert_invalid(&no_name, "name");
        let bad_url = call(
            &app,
            &s.admin_token,
            Method::POST,
            &path,
            json!({"name": "B", "outgoing_url": "javascript:alert(1)"}),
        )
        .await;
        assert_invalid(&bad_url, "outgoing_url");
        let changed = call(
            &app,
            &s.admin_token,
            Method::PATCH,
            &format!("{path}/{id}"),
            json!({"agent_bot": {"description": "Sorts"}}),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert_eq!(changed.json()["description"], "Sorts");
        assert_eq!(changed.json()["name"], "Triage");
        assert_eq!(
            changed.json()["access_token"],
            token.as_str(),
            "the token stays"
        );

        // Assignment to an inbox.
        let inbox = call(
            &app,
            &s.admin_token,
            Method::POST,
            &s.path("inboxes"),
            json!({"name": "API", "channel": {"type": "api"}}),
        )
        .await;
        let inbox_id = inbox.json()["id"].as_i64().unwrap();
        let inbox_bot = s.path(&format!("inboxes/{inbox_id}/agent_bot"));
        let set = s.path(&format!("inboxes/{inbox_id}/set_agent_bot"));
        let none = call(&app, &s.agent_token, Method::GET, &inbox_bot, json!(null)).await;
        assert_eq!(none.json(), json!({"agent_bot": null}));
        let by_agent = call(
            &app,
            &s.agent_token,
            Method::POST,
            &set,
            json!({"agent_bot": id}),
        )
        .await;
        assert_eq!(by_agent.status, StatusCode::FORBIDDEN);
        let assigned = call(
            &app,
            &s.admin_token,
            Method::POST,
            &set,
            json!({"agent_bot": id}),
        )
        .await;
        assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
        let now = call(&app, &s.admin_token, Method::GET, &inbox_bot, json!(null)).await;
        assert_eq!(now.json()["agent_bot"]["id"], id);

        // Another account's bot cannot be given; another account cannot assign.
        let other_token = app.token("admin@globex.test").await;
        let theirs = call(
            &app,
            &other_token,
            Method::POST,
            &format!("/api/v1/accounts/{}/agent_bots", s.other.id),
            json!({"name": "Theirs"}),
        )
        .await;
        let their_id = theirs.json()["id"].as_i64().unwrap();
        let foreign_bot = call(
            &app,
            &s.admin_token,
            Method::POST,
            &set,
            json!({"agent_bot": their_id}),
        )
        .await;
        assert_invalid(&foreign_bot, "agent_bot");
        let foreign_inbox = call(
            &app,
            &other_token,
            Method::POST,
            &format!(
                "/api/v1/accounts/{}/inboxes/{inbox_id}/set_agent_bot",
                s.other.id
            ),
            json!({"agent_bot": their_id}),
        )
        .await;
        assert_eq!(
            foreign_inbox.status,
            StatusCode::NOT_FOUND,
            "{}",
            foreign_inbox.body
        );
        let bad = call(
            &app,
            &s.admin_token,
            Method::POST,
            &set,
            json!({"agent_bot": "abc"}),
        )
        .await;
        assert_invalid(&bad, "agent_bot");

        let removed = call(
            &app,
            &s.admin_token,
            Method::POST,
            &set,
            json!({"agent_bot": null}),
        )
        .await;
        assert_eq!(removed.status, StatusCode::OK);
        let after = call(&app, &s.admin_token, Method::GET, &inbox_bot, json!(null)).await;
        assert_eq!(after.json(), json!({"agent_bot": null}));

        let deleted = call(
            &app,
            &s.admin_token,
            Method::DELETE,
            &format!("{path}/{id}"),
            json!(null),
        )
        .await;
        assert_eq!(deleted.status, StatusCode::OK);
        let gone = call(
            &app,
            &s.admin_token,
            Method::GET,
            &format!("{path}/{id}"),
            json!(null),
        )
        .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
    }
);

/// What the bot saw: every event (and whether its signature verified), and its own calls.
#[derive(Default)]
struct BotLog {
    events: Vec<(String, bool, Value)>,
    calls: Vec<(String, u16)>,
}

#[derive(Clone)]
struct Bot {
    log: Arc<Mutex<BotLog>>,
    secret: Arc<Mutex<String>>,
    token: Arc<Mutex<String>>,
    oxidesk: String,
    account: i64,
}

fn verified(secret: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    let Some(sig) = header("x-chatwoot-signature").strip_prefix("sha256=") else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(header("x-chatwoot-timestamp").as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::decode(sig).is_ok_and(|s| mac.verify_slice(&s).is_ok())
}

/// The bot, written as one is for Chatwoot: verify, and on a customer's message answer with
/// the bot's token; "human" in it hands the conversation over (`open`).
async fn bot_hook(State(bot): State<Bot>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let event: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let ok = verified(&bot.secret.lock().unwrap().clone(), &headers, &body);
    let name = event["event"].as_str().unwrap_or("").to_owned();
    bot.log
        .lock()
        .unwrap()
        .events
        .push((name.clone(), ok, event.clone()));
    if !ok || name != "message_created" || event["message_type"] != "incoming" {
        return StatusCode::OK;
    }
    let conversation = event["conversation"]["id"].as_i64().unwrap_or(0);
    let base = format!(
        "{}/api/v1/accounts/{}/conversations/{conversation}",
        bot.oxidesk, bot.account
    );
    let token = bot.token.lock().unwrap().clone();
    let client = reqwest::Client::new();
    let content = event["content"].as_str().unwrap_or("");
    let mut calls = vec![(
        "messages",
        json!({"content": format!("Bot here. You said: {content}"), "message_type": "outgoing"}),
    )];
    if content.contains("human") {
        calls.push(("toggle_status", json!({"status": "open"})));
    } else {
        calls.push(("toggle_status", json!({"status": "pending"})));
    }
    for (path, payload) in calls {
        let status = client
            .post(format!("{base}/{path}"))
            .header("api_access_token", &token)
            .json(&payload)
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0);
        bot.log
            .lock()
            .unwrap()
            .calls
            .push((path.to_owned(), status));
    }
    StatusCode::OK
}

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    addr
}

async fn wait_until(limit: Duration, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() && start.elapsed() < limit {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn start(app: &TestApp, s: &Setup, inbox: i64, contact: i64) -> Value {
    let body = json!({"inbox_id": inbox, "contact_id": contact});
    let c = call(
        app,
        &s.admin_token,
        Method::POST,
        &s.path("conversations"),
        body,
    )
    .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    c.json()
}

async fn incoming(app: &TestApp, s: &Setup, display: i64, content: &str) {
    let path = s.path(&format!("conversations/{display}/messages"));
    let body = json!({"content": content, "message_type": "incoming"});
    let r = call(app, &s.admin_token, Method::POST, &path, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn status(app: &TestApp, s: &Setup, display: i64) -> Value {
    let path = s.path(&format!("conversations/{display}"));
    call(app, &s.admin_token, Method::GET, &path, json!(null))
        .await
        .json()["status"]
        .clone()
}

async fn as_bot(app: &TestApp, token: &str, method: Method, path: &str) -> StatusCode {
    call(
        app,
        token,
        method,
        path,
        json!({"content": "x", "status": "open"}),
    )
    .await
    .status
}

async fn a_bot_converses_and_hands_over(backend: Backend) {
    let config = Config {
        webhooks: WebhooksConfig {
            allow_private_networks: true,
            timeout_secs: 5,
            first_retry_secs: 1,
        },
        ..Config::default()
    };
    let Some(app) = TestApp::with_config(backend, config).await else {
        return;
    };
    let _workers =
        oxidesk::webhooks::start(app.services().clone(), app.state.config.webhooks.clone());
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let oxidesk_addr = serve(oxidesk::http::router(app.state.clone())).await;
    let bot = Bot {
        log: Arc::default(),
        secret: Arc::default(),
        token: Arc::default(),
        oxidesk: format!("http://{oxidesk_addr}"),
        account: s.account.id.get(),
    };
    let bot_addr = serve(
        Router::new()
            .route("/bot", axum::routing::post(bot_hook))
            .with_state(bot.clone()),
    )
    .await;

    let created = call(
        &app,
        t,
        Method::POST,
        &s.path("agent_bots"),
        json!({"name": "Triage", "outgoing_url": format!("http://{bot_addr}/bot")}),
    )
    .await;
    let created = created.json();
    let bot_id = created["id"].as_i64().unwrap();
    let token = created["access_token"].as_str().unwrap().to_owned();
    *bot.token.lock().unwrap() = token.clone();
    *bot.secret.lock().unwrap() = created["secret"].as_str().unwrap().to_owned();

    let inbox = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"name": "Bot inbox", "channel": {"type": "api"}}),
    )
    .await;
    let inbox_id = inbox.json()["id"].as_i64().unwrap();
    let other_inbox = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"name": "People", "channel": {"type": "api"}}),
    )
    .await;
    let other_inbox_id = other_inbox.json()["id"].as_i64().unwrap();
    let set = call(
        &app,
        t,
        Method::POST,
        &s.path(&format!("inboxes/{inbox_id}/set_agent_bot")),
        json!({"agent_bot": bot_id}),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);

    let contact = call(
        &app,
        t,
        Method::POST,
        &s.path("contacts"),
        json!({"name": "Ada"}),
    )
    .await;
    let contact_id = contact.json()["payload"]["contact"]["id"].as_i64().unwrap();
    let conversation = start(&app, &s, inbox_id, contact_id).await;
    assert_eq!(
        conversation["status"], "pending",
        "a bot's inbox starts pending: {conversation}"
    );
    let display = conversation["id"].as_i64().unwrap();
    let elsewhere = start(&app, &s, other_inbox_id, contact_id).await;
    assert_eq!(elsewhere["status"], "open");
    let elsewhere_id = elsewhere["id"].as_i64().unwrap();

    incoming(&app, &s, display, "Where is my order?").await;
    let calls_done = |n: usize| {
        let log = bot.log.clone();
        move || log.lock().unwrap().calls.len() >= n
    };
    wait_until(WAIT, calls_done(2)).await;
    assert_eq!(
        status(&app, &s, display).await,
        "pending",
        "the bot keeps it"
    );
    incoming(&app, &s, display, "I want a human please").await;
    wait_until(WAIT, calls_done(4)).await;
    {
        let log = bot.log.lock().unwrap();
        assert_eq!(
            log.calls,
            [
                ("messages".to_owned(), 200),
                ("toggle_status".to_owned(), 200),
                ("messages".to_owned(), 200),
                ("toggle_status".to_owned(), 200)
            ],
        );
        assert!(
            log.events.iter().all(|(_, ok, _)| *ok),
            "every event verifies: {:?}",
            log.events
        );
    }
    assert_eq!(status(&app, &s, display).await, "open", "handed over");

    // Resolved by a person, then the customer writes again: the bot has it (pending) again.
    let resolve = s.path(&format!("conversations/{display}/toggle_status"));
    call(
        &app,
        t,
        Method::POST,
        &resolve,
        json!({"status": "resolved"}),
    )
    .await;
    incoming(&app, &s, display, "Back again").await;
    assert_eq!(
        status(&app, &s, display).await,
        "pending",
        "reopened for the bot"
    );
    wait_until(WAIT, calls_done(6)).await;
    assert_eq!(bot.log.lock().unwrap().calls.len(), 6);
    assert_eq!(
        status(&app, &s, display).await,
        "pending",
        "the bot keeps it"
    );

    // The bot's replies are the bot's in Chatwoot's JSON.
    let messages = call(
        &app,
        t,
        Method::GET,
        &s.path(&format!("conversations/{display}/messages")),
        json!(null),
    )
    .await;
    let messages = messages.json()["payload"].as_array().unwrap().clone();
    let replies: Vec<&Value> = messages
        .iter()
        .filter(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.starts_with("Bot here"))
        })
        .collect();
    assert_eq!(replies.len(), 3, "{messages:#?}");
    assert_eq!(replies[0]["message_type"], 1);
    assert_eq!(replies[0]["sender_type"], "AgentBot", "{}", replies[0]);
    assert_eq!(replies[0]["sender"]["type"], "agent_bot");
    assert_eq!(replies[0]["sender"]["name"], "Triage");
    assert_eq!(replies[0]["sender_id"], bot_id);

    // What the bot received: its inbox's events only, as Chatwoot sends them to bots.
    wait_until(WAIT, || {
        bot.log
            .lock()
            .unwrap()
            .events
            .iter()
            .any(|(e, _, _)| e == "conversation_opened")
    })
    .await;
    let events: Vec<String> = bot
        .log
        .lock()
        .unwrap()
        .events
        .iter()
        .map(|(e, _, _)| e.clone())
        .collect();
    for expected in [
        "message_created",
        "conversation_status_changed",
        "conversation_opened",
    ] {
        assert!(
            events.contains(&expected.to_owned()),
            "{expected} in {events:?}"
        );
    }
    assert!(
        !events
            .iter()
            .any(|e| e.starts_with("contact_") || e == "conversation_created"),
        "{events:?}"
    );
    let theirs = bot
        .log
        .lock()
        .unwrap()
        .events
        .iter()
        .filter(|(_, _, b)| {
            b["conversation"]["id"] == elsewhere_id
                || b["id"] == elsewhere_id && b["inbox_id"] == other_inbox_id
        })
        .count();
    assert_eq!(theirs, 0, "nothing from an inbox without the bot");
    let bot_message = bot
        .log
        .lock()
        .unwrap()
        .events
        .iter()
        .find(|(e, _, b)| e == "message_created" && b["message_type"] == "outgoing")
        .map(|(_, _, b)| b.clone())
        .unwrap();
    assert_eq!(
        bot_message["sender"],
        json!({"id": bot_id, "name": "Triage", "type": "agent_bot"})
    );

    // The delivery log on the bot's settings page.
    let mut browser = app.browser();
    browser.login("admin@acme.test", "password123").await;
    let page = browser
        .get(&format!(
            "/app/accounts/{}/settings/integrations/agent_bots/{bot_id}",
            s.account.id
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<code>message_created</code>") && page.body.contains("delivered"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&token),
        "the token is shown to administrators"
    );
    let cards = browser
        .get(&format!(
            "/app/accounts/{}/settings/integrations",
            s.account.id
        ))
        .await;
    let card = cards
        .body
        .split("id=\"integration-agent_bots\"")
        .nth(1)
        .unwrap_or_default();
    let card = card.split("</li>").next().unwrap_or_default();
    assert!(
        card.contains("Agent bots") && card.contains("1 configured"),
        "{}",
        cards.body
    );
    assert!(
        card.contains("/settings/integrations/agent_bots\"") && card.contains(">Configure<"),
        "{card}"
    );

    // What Chatwoot's bot tokens also reach: a conversation's custom attributes, its priority
    // (PATCH) and its assignment (a bot handing over to a named agent), acting as the bot.
    let conv = |rest: &str| s.path(&format!("conversations/{display}{rest}"));
    for (method, path, body) in [
        (
            Method::POST,
            conv("/custom_attributes"),
            json!({"custom_attributes": {"intent": "refund"}}),
        ),
        (Method::PATCH, conv(""), json!({"priority": "urgent"})),
        (
            Method::POST,
            conv("/assignments"),
            json!({"assignee_id": s.admin.id.get()}),
        ),
    ] {
        let r = call(&app, &token, method.clone(), &path, body).await;
        assert_eq!(r.status, StatusCode::OK, "{method} {path}: {}", r.body);
    }
    let after = call(&app, t, Method::GET, &conv(""), json!(null))
        .await
        .json();
    assert_eq!(after["custom_attributes"]["intent"], "refund", "{after}");
    assert_eq!(after["priority"], "urgent", "{after}");
    assert_eq!(after["meta"]["assignee"]["id"], s.admin.id.get(), "{after}");

    // A bot starts a conversation in an inbox it serves (its first message is the bot's), and
    // in no other.
    let started = call(
        &app,
        &token,
        Method::POST,
        &s.path("conversations"),
        json!({"inbox_id": inbox_id, "contact_id": contact_id, "message": {"content": "Hi, it is the bot"}}),
    )
    .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let started_id = started.json()["id"].as_i64().unwrap();
    let first = call(
        &app,
        t,
        Method::GET,
        &s.path(&format!("conversations/{started_id}/messages")),
        json!(null),
    )
    .await
    .json();
    let first = first["payload"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["content"] == "Hi, it is the bot")
        .cloned()
        .unwrap_or_else(|| panic!("the bot's first message: {first}"));
    assert_eq!(first["sender"]["type"], "agent_bot", "{first}");
    let refused = call(
        &app,
        &token,
        Method::POST,
        &s.path("conversations"),
        json!({"inbox_id": other_inbox_id, "contact_id": contact_id}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);

    // What the bot's token does not reach.
    for (method, path) in [
        (Method::GET, s.path("agents")),
        (Method::GET, s.path("inboxes")),
        (Method::GET, s.path("conversations")),
        (
            Method::GET,
            s.path(&format!("conversations/{display}/messages")),
        ),
        (Method::GET, s.path("canned_responses")),
        (Method::GET, s.path("agent_bots")),
        (Method::POST, s.path("agent_bots")),
        (Method::GET, s.path("webhooks")),
        (Method::GET, s.path("contacts")),
        (
            Method::POST,
            s.path(&format!("inboxes/{inbox_id}/set_agent_bot")),
        ),
        (Method::GET, "/api/v1/profile".to_owned()),
        (
            Method::POST,
            format!("/api/v1/accounts/{}/conversations/1/messages", s.other.id),
        ),
    ] {
        assert_eq!(
            as_bot(&app, &token, method.clone(), &path).await,
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
    }
    // Conversations of inboxes it does not serve are not there for it.
    for rest in [
        "messages",
        "toggle_status",
        "custom_attributes",
        "assignments",
    ] {
        let path = s.path(&format!("conversations/{elsewhere_id}/{rest}"));
        assert_eq!(
            as_bot(&app, &token, Method::POST, &path).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // Taken off the inbox, it reaches nothing there any more; deleted, its token is dead.
    call(
        &app,
        t,
        Method::POST,
        &s.path(&format!("inboxes/{inbox_id}/set_agent_bot")),
        json!({"agent_bot": null}),
    )
    .await;
    let after = as_bot(
        &app,
        &token,
        Method::POST,
        &s.path(&format!("conversations/{display}/messages")),
    )
    .await;
    assert_eq!(after, StatusCode::NOT_FOUND);
    call(
        &app,
        t,
        Method::DELETE,
        &s.path(&format!("agent_bots/{bot_id}")),
        json!(null),
    )
    .await;
    let dead = as_bot(
        &app,
        &token,
        Method::POST,
        &s.path(&format!("conversations/{display}/toggle_status")),
    )
    .await;
    assert_eq!(dead, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_bot_converses_and_hands_over_sqlite() {
    a_bot_converses_and_hands_over(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_bot_converses_and_hands_over_postgres() {
    a_bot_converses_and_hands_over(Backend::Postgres).await;
}
