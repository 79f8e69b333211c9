//! The website widget: the inbox type, `sdk.js`, the `/widget` page and its API, and what a
//! visitor must never reach (another visitor's conversation, private notes, other sites).

use axum::http::{Method, StatusCode};
use oxidesk_domain::Account;
use serde_json::{Value, json};

use crate::app_test;
use crate::support::{Browser, TestApp, TestResponse};

mod answers;
mod availability;
mod conversations;
mod csat;
mod end;
mod files;
mod identity;
mod live;
mod page;
mod prechat;
mod presence;
mod safety;
mod settings;

/// An account with an administrator (and their token) and a website inbox.
pub struct Setup {
    pub account: Account,
    pub token: String,
    pub website_token: String,
    pub hmac_token: String,
    pub inbox_id: i64,
}

pub async fn setup(app: &TestApp, channel: Value) -> Setup {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let token = app.token("admin@acme.test").await;
    let mut body = json!({"type": "web_widget", "website_url": "https://shop.example"});
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), channel) {
        body.extend(extra);
    }
    let mut client = app.browser();
    let created = client
        .json(
            Method::POST,
            &format!("/api/v1/accounts/{}/inboxes", account.id),
            &[("api_access_token", &token)],
            json!({"name": "Website", "channel": body}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let inbox = created.json();
    Setup {
        account,
        token,
        website_token: inbox["website_token"].as_str().unwrap().to_owned(),
        hmac_token: inbox["hmac_token"].as_str().unwrap().to_owned(),
        inbox_id: inbox["id"].as_i64().unwrap(),
    }
}

/// A new agent of the account, "Kim Lee", online and without `auto_offline` (online whether
/// or not a dashboard is open): their user id.
pub async fn online_agent(app: &TestApp, s: &Setup) -> i64 {
    let mut client = app.browser();
    let kim = agent(
        &mut client,
        s,
        Method::POST,
        "/agents",
        json!({"name": "Kim Lee", "email": "kim@acme.test", "role": "agent",
               "availability_status": "online", "auto_offline": false}),
    )
    .await;
    assert_eq!(kim.status, StatusCode::OK, "{}", kim.body);
    kim.json()["id"].as_i64().unwrap()
}

/// A widget API call as the widget page makes it, with `visitor` (a token) when given.
pub async fn widget(
    client: &mut Browser<'_>,
    s: &Setup,
    method: Method,
    path: &str,
    visitor: Option<&str>,
    body: Value,
) -> TestResponse {
    let separator = if path.contains('?') { '&' } else { '?' };
    let uri = format!(
        "/widget/api/{path}{separator}website_token={}",
        s.website_token
    );
    let mut headers = vec![(
        "user-agent",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    )];
    if let Some(token) = visitor {
        headers.push(("x-widget-token", token));
    }
    client.json(method, &uri, &headers, body).await
}

/// The visitor sends `content`; returns their token.
pub async fn say(
    client: &mut Browser<'_>,
    s: &Setup,
    visitor: Option<&str>,
    content: &str,
) -> String {
    let sent = widget(
        client,
        s,
        Method::POST,
        "messages",
        visitor,
        json!({"content": content, "referer_url": "https://shop.example/pricing",
               "initiated_at": "Thu Nov 26 2026 21:00:00 GMT+0000 (Coordinated Universal Time)"}),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    sent.json()["token"].as_str().unwrap().to_owned()
}

/// A new visitor says `content`: their token and the id of the conversation it started.
pub async fn start(client: &mut Browser<'_>, s: &Setup, content: &str) -> (String, i64) {
    let token = say(client, s, None, content).await;
    let shown = widget(
        client,
        s,
        Method::GET,
        "messages",
        Some(&token),
        json!(null),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    let id = shown.json()["conversation"]["id"].as_i64().unwrap();
    (token, id)
}

/// An agent API call.
pub async fn agent(
    client: &mut Browser<'_>,
    s: &Setup,
    method: Method,
    rest: &str,
    body: Value,
) -> TestResponse {
    client
        .json(
            method,
            &format!("/api/v1/accounts/{}{rest}", s.account.id),
            &[("api_access_token", &s.token)],
            body,
        )
        .await
}

/// Conversation `id` as the agents' API shows it.
pub async fn shown_to_agents(client: &mut Browser<'_>, s: &Setup, id: i64) -> Value {
    let shown = agent(
        client,
        s,
        Method::GET,
        &format!("/conversations/{id}"),
        json!(null),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    shown.json()
}

/// The status of conversation `id`, as the agents' API shows it.
pub async fn status_of(client: &mut Browser<'_>, s: &Setup, id: i64) -> String {
    shown_to_agents(client, s, id).await["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The survey messages (`input_csat`) the visitor with `token` sees in conversation `id`.
pub async fn surveys(client: &mut Browser<'_>, s: &Setup, token: &str, id: i64) -> Vec<Value> {
    let seen = widget(
        client,
        s,
        Method::GET,
        &format!("messages?conversation_id={id}"),
        Some(token),
        json!(null),
    )
    .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    seen.json()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["content_type"] == "input_csat")
        .cloned()
        .collect()
}

/// Undoes askama's HTML escaping.
pub fn unescape(html: &str) -> String {
    html.replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
}

pub async fn contact_count(app: &TestApp, s: &Setup) -> i64 {
    let mut client = app.browser();
    let list = agent(&mut client, s, Method::GET, "/contacts", json!(null)).await;
    list.json()["meta"]["count"].as_i64().unwrap()
}

app_test!(
    a_website_inbox_is_created_and_shows_its_snippet,
    |app| async move {
        let s = setup(
            &app,
            json!({"widget_color": "#AA3300", "welcome_title": "Hi <b>there</b>",
                               "allowed_domains": "shop.example, *.example.org"}),
        )
        .await;
        let mut client = app.browser();
        let shown = agent(
            &mut client,
            &s,
            Method::GET,
            &format!("/inboxes/{}", s.inbox_id),
            json!(null),
        )
        .await;
        let inbox = shown.json();
        assert_eq!(inbox["channel_type"], "Channel::WebWidget");
        assert_eq!(inbox["widget_color"], "#aa3300");
        assert_eq!(inbox["welcome_title"], "Hi <b>there</b>");
        assert_eq!(inbox["allowed_domains"], "shop.example,*.example.org");
        assert_eq!(inbox["reply_time"], "in_a_few_minutes");
        let script = inbox["web_widget_script"].as_str().unwrap();
        assert!(
            script.contains(&format!("websiteToken: '{}'", s.website_token)),
            "{script}"
        );
        assert!(
            script.contains("g.src=BASE_URL+\"/packs/js/sdk.js\";"),
            "{script}"
        );

        let changed = agent(
            &mut client,
            &s,
            Method::PATCH,
            &format!("/inboxes/{}", s.inbox_id),
            json!({"channel": {"reply_time": "in_a_day", "widget_color": "#123456"}}),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert_eq!(changed.json()["reply_time"], "in_a_day");
        assert_eq!(changed.json()["welcome_title"], "Hi <b>there</b>");

        let refused = agent(
            &mut client,
            &s,
            Method::POST,
            "/inboxes",
            json!({"name": "Site", "channel": {"type": "web_widget", "widget_color": "blue"}}),
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        let fields = refused.error_fields();
        assert_eq!(fields, ["channel.website_url", "channel.widget_color"]);

        // The client API is the API channel's: a website token is no inbox identifier there.
        let public = client
            .get(&format!("/public/api/v1/inboxes/{}", s.website_token))
            .await;
        assert_eq!(public.status, StatusCode::NOT_FOUND);

        // The settings page shows the snippet, escaped.
        client.login("admin@acme.test", "password123").await;
        let page = client
            .get(&format!(
                "/app/accounts/{}/settings/inboxes/{}",
                s.account.id, s.inbox_id
            ))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let start = page
            .body
            .find("<code id=\"widget-snippet\">")
            .expect("the snippet")
            + 26;
        let end = start + page.body[start..].find("</code>").unwrap();
        let shown = &page.body[start..end];
        assert!(!shown.contains('<'), "escaped: {shown}");
        assert_eq!(unescape(shown), script, "the page shows the API's snippet");
    }
);

app_test!(a_visitor_and_an_agent_talk, |app| async move {
    let s = setup(&app, json!({})).await;
    let mut visitor = app.browser();
    let token = say(&mut visitor, &s, None, "Hello <script>alert(1)</script>").await;
    assert_eq!(contact_count(&app, &s).await, 1);

    let mut desk = app.browser();
    let list = agent(
        &mut desk,
        &s,
        Method::GET,
        "/conversations?status=open",
        json!(null),
    )
    .await;
    let conversation = list.json()["data"]["payload"][0].clone();
    let id = conversation["id"].as_i64().unwrap();
    assert_eq!(conversation["inbox_id"], s.inbox_id);
    let attributes = &conversation["additional_attributes"];
    assert_eq!(
        attributes["browser"]["browser_name"], "Chrome",
        "{attributes}"
    );
    assert_eq!(attributes["browser"]["platform_name"], "Linux");
    assert_eq!(attributes["browser"]["browser_version"], "120");
    assert_eq!(attributes["referer"], "https://shop.example/pricing");
    assert_eq!(
        attributes["initiated_at"]["timestamp"],
        "Thu Nov 26 2026 21:00:00 GMT+0000 (Coordinated Universal Time)"
    );
    assert_eq!(conversation["meta"]["channel"], "Channel::WebWidget");

    // The second message goes into the same conversation.
    let again = say(&mut visitor, &s, Some(&token), "Are you there?").await;
    assert_eq!(again, token);

    for (content, private) in [("We are here!", false), ("internal: VIP customer", true)] {
        let reply = agent(
            &mut desk,
            &s,
            Method::POST,
            &format!("/conversations/{id}/messages"),
            json!({"content": content, "private": private}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let resolved = agent(
        &mut desk,
        &s,
        Method::POST,
        &format!("/conversations/{id}/toggle_status"),
        json!({"status": "resolved"}),
    )
    .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);

    let seen = widget(
        &mut visitor,
        &s,
        Method::GET,
        "messages",
        Some(&token),
        json!(null),
    )
    .await;
    let seen = seen.json();
    assert_eq!(seen["conversation"]["id"], id);
    assert_eq!(seen["conversation"]["status"], "resolved");
    let contents: Vec<&str> = seen["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        contents,
        [
            "Hello <script>alert(1)</script>",
            "Are you there?",
            "We are here!"
        ],
        "no private note, no activity line"
    );
    assert_eq!(seen["messages"][2]["message_type"], 1);
    assert!(
        seen["messages"][2]["sender"]["email"].is_null(),
        "no agent email"
    );

    // A message after the resolution reopens the conversation, as in Chatwoot.
    say(&mut visitor, &s, Some(&token), "One more thing").await;
    let shown = agent(
        &mut desk,
        &s,
        Method::GET,
        &format!("/conversations/{id}"),
        json!(null),
    )
    .await;
    assert_eq!(shown.json()["status"], "open");
    let marked = widget(
        &mut visitor,
        &s,
        Method::POST,
        "seen",
        Some(&token),
        json!({}),
    )
    .await;
    assert_eq!(marked.status, StatusCode::NO_CONTENT);
});

app_test!(
    page_attributes_and_labels_reach_the_contact_and_conversation,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut desk = app.browser();
        let label = agent(
            &mut desk,
            &s,
            Method::POST,
            "/labels",
            json!({"title": "pricing"}),
        )
        .await;
        assert_eq!(label.status, StatusCode::OK, "{}", label.body);
        let mut visitor = app.browser();
        // Before the first message there is nobody to write to.
        let early = widget(
            &mut visitor,
            &s,
            Method::POST,
            "labels",
            None,
            json!({"label": "pricing"}),
        )
        .await;
        assert_eq!(early.status, StatusCode::UNAUTHORIZED);

        let token = say(&mut visitor, &s, None, "Hi").await;
        let call = |path: &'static str, body: Value| {
            let token = token.clone();
            let s = &s;
            let app = &app;
            async move {
                let mut client = app.browser();
                let response = widget(&mut client, s, Method::POST, path, Some(&token), body).await;
                assert_eq!(
                    response.status,
                    StatusCode::NO_CONTENT,
                    "{path}: {}",
                    response.body
                );
            }
        };
        call(
            "contact_attributes",
            json!({"custom_attributes": {"plan": "pro", "seats": 3}}),
        )
        .await;
        call(
            "contact_attributes",
            json!({"custom_attributes": {"seats": null}}),
        )
        .await;
        call(
            "conversation_attributes",
            json!({"custom_attributes": {"cart": 42}}),
        )
        .await;
        call("labels", json!({"label": "pricing"})).await;
        call("labels", json!({"label": "undefined-label"})).await;

        let contacts = agent(&mut desk, &s, Method::GET, "/contacts", json!(null)).await;
        assert_eq!(
            contacts.json()["payload"][0]["custom_attributes"],
            json!({"plan": "pro"})
        );
        let list = agent(&mut desk, &s, Method::GET, "/conversations", json!(null)).await;
        let conversation = &list.json()["data"]["payload"][0];
        assert_eq!(conversation["custom_attributes"], json!({"cart": 42}));
        assert_eq!(conversation["labels"], json!(["pricing"]));

        let removed = widget(
            &mut visitor,
            &s,
            Method::DELETE,
            "labels/pricing",
            Some(&token),
            json!(null),
        )
        .await;
        assert_eq!(removed.status, StatusCode::NO_CONTENT);
        let list = agent(&mut desk, &s, Method::GET, "/conversations", json!(null)).await;
        assert_eq!(list.json()["data"]["payload"][0]["labels"], json!([]));
    }
);
