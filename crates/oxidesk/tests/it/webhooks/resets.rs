//! Resetting an agent bot's access token and signing secret and an API inbox's webhook secret
//! (Chatwoot's `reset_access_token` and `reset_secret`): administrators only, the old token is
//! refused at once, and the next deliveries verify under the new secrets at a real receiver.

use axum::http::{Method, StatusCode};
use oxidesk_store::Backend;
use serde_json::{Value, json};

use super::receiver::Receiver;
use super::{WAIT, app_with_workers, events};
use crate::api_setup::{Setup, call};
use crate::support::TestApp;

async fn post(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let r = call(app, token, Method::POST, path, json!(null)).await;
    let body = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, body)
}

async fn resets(backend: Backend) {
    let Some((app, _workers)) = app_with_workers(backend, true).await else {
        return;
    };
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let rx = Receiver::start(0).await;
    let inbox = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"name": "API", "channel": {"type": "api", "webhook_url": rx.url("inbox")}}),
    )
    .await
    .json();
    let inbox_id = inbox["id"].as_i64().unwrap();
    let old_inbox_secret = inbox["secret"].as_str().unwrap().to_owned();
    let bot = call(
        &app,
        t,
        Method::POST,
        &s.path("agent_bots"),
        json!({"name": "Triage", "outgoing_url": rx.url("bot")}),
    )
    .await
    .json();
    let bot_id = bot["id"].as_i64().unwrap();
    let old_token = bot["access_token"].as_str().unwrap().to_owned();
    let old_bot_secret = bot["secret"].as_str().unwrap().to_owned();
    let assigned = call(
        &app,
        t,
        Method::POST,
        &s.path(&format!("inboxes/{inbox_id}/set_agent_bot")),
        json!({"agent_bot": bot_id}),
    )
    .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);

    let paths = [
        s.path(&format!("inboxes/{inbox_id}/reset_secret")),
        s.path(&format!("agent_bots/{bot_id}/reset_access_token")),
        s.path(&format!("agent_bots/{bot_id}/reset_secret")),
    ];
    let other_admin = app.token("admin@globex.test").await;
    for path in &paths {
        assert_eq!(
            post(&app, &s.agent_token, path).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            post(&app, "", path).await.0,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        assert_eq!(
            post(&app, &old_token, path).await.0,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        let foreign = path.replace(
            &format!("/accounts/{}/", s.account.id),
            &format!("/accounts/{}/", s.other.id),
        );
        assert_eq!(
            post(&app, &other_admin, &foreign).await.0,
            StatusCode::NOT_FOUND,
            "{foreign}"
        );
    }
    let missing = s.path("agent_bots/999999/reset_access_token");
    let (status, body) = post(&app, t, &missing).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body["message"].is_string() || body["error"].is_string(),
        "{body}"
    );
    let widget = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"name": "Site", "channel": {"type": "web_widget", "website_url": "https://example.com"}}),
    )
    .await
    .json();
    let widget_reset = s.path(&format!("inboxes/{}/reset_secret", widget["id"]));
    assert_eq!(post(&app, t, &widget_reset).await.0, StatusCode::NOT_FOUND);

    // The inbox's secret.
    let (status, reset) = post(&app, t, &paths[0]).await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(reset["id"], inbox_id);
    let inbox_secret = reset["secret"].as_str().unwrap().to_owned();
    assert!(
        inbox_secret.len() >= 24 && inbox_secret != old_inbox_secret,
        "{reset}"
    );
    let shown = call(
        &app,
        t,
        Method::GET,
        &s.path(&format!("inboxes/{inbox_id}")),
        json!(null),
    )
    .await;
    assert_eq!(shown.json()["secret"], inbox_secret.as_str());

    // The bot's token: the old one is refused at once, the new one works.
    let (status, reset) = post(&app, t, &paths[1]).await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(reset["id"], bot_id);
    assert_eq!(reset["name"], "Triage");
    let token = reset["access_token"].as_str().unwrap().to_owned();
    assert!(token.len() > 20 && token != old_token, "{reset}");
    assert_eq!(reset["secret"], old_bot_secret.as_str(), "the secret stays");

    // The bot's secret.
    let (status, reset) = post(&app, t, &paths[2]).await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    let bot_secret = reset["secret"].as_str().unwrap().to_owned();
    assert!(
        bot_secret.len() >= 24 && bot_secret != old_bot_secret,
        "{reset}"
    );
    assert_eq!(reset["access_token"], token.as_str(), "the token stays");
    let listed = call(&app, t, Method::GET, &s.path("agent_bots"), json!(null)).await;
    assert_eq!(listed.json()[0]["secret"], bot_secret.as_str());

    // The receiver knows only the new secrets; everything sent from now on verifies.
    rx.expect_secret("inbox", &inbox_secret);
    rx.expect_secret("bot", &bot_secret);
    let contact = call(
        &app,
        t,
        Method::POST,
        &s.path("contacts"),
        json!({"name": "Ada"}),
    )
    .await;
    let contact_id = contact.json()["payload"]["contact"]["id"].as_i64().unwrap();
    let conversation = call(
        &app,
        t,
        Method::POST,
        &s.path("conversations"),
        json!({"inbox_id": inbox_id, "contact_id": contact_id}),
    )
    .await;
    assert_eq!(conversation.status, StatusCode::OK, "{}", conversation.body);
    let display = conversation.json()["id"].as_i64().unwrap();
    let messages = s.path(&format!("conversations/{display}/messages"));
    let body = json!({"content": "Hello from the bot"});
    let refused = call(&app, &old_token, Method::POST, &messages, body.clone()).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    let answered = call(&app, &token, Method::POST, &messages, body).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert_eq!(
        answered.json()["sender"]["type"],
        "agent_bot",
        "{}",
        answered.body
    );

    let got = rx
        .wait_for(WAIT, |got| {
            events(got, "inbox").contains(&"message_created".to_owned())
                && events(got, "bot").contains(&"message_created".to_owned())
        })
        .await;
    assert!(
        events(&got, "inbox").contains(&"conversation_created".to_owned()),
        "{got:#?}"
    );
    assert!(
        got.iter().all(|r| r.verified),
        "signed with the new secrets: {got:#?}"
    );
}

#[tokio::test]
async fn resets_take_effect_at_once_sqlite() {
    resets(Backend::Sqlite).await;
}

#[tokio::test]
async fn resets_take_effect_at_once_postgres() {
    resets(Backend::Postgres).await;
}
