//! Dashboard Apps in the conversation page: the `appContext` payload (checked against the JSON
//! Schema written from the seeds' payload documents), the tabs and frames, and the page's CSP.

use axum::http::{Method, StatusCode};
use oxidesk::service::{ContactInput, MessageInput, StartConversation};
use oxidesk_domain::{
    Account, ConversationStatus, DisplayId, MessageType, Role, Sender, Timestamp, User,
};
use serde_json::{Value, json};

use crate::app_context_schema::assert_app_context;
use crate::app_test;
use crate::support::{Browser, TestApp};

/// Every key path of the seeds' payload documents (the same in all five), written out from
/// them: `[]` is "each item of the array". `conversation.meta.assignee.*` is checked on an
/// assigned conversation (unassigned, Chatwoot leaves it out).
const SEED_PATHS: &[&str] = &[
    "conversation.meta.sender.additional_attributes.description",
    "conversation.meta.sender.additional_attributes.company_name",
    "conversation.meta.sender.additional_attributes.social_profiles.github",
    "conversation.meta.sender.additional_attributes.social_profiles.twitter",
    "conversation.meta.sender.additional_attributes.social_profiles.facebook",
    "conversation.meta.sender.additional_attributes.social_profiles.linkedin",
    "conversation.meta.sender.availability_status",
    "conversation.meta.sender.email",
    "conversation.meta.sender.id",
    "conversation.meta.sender.name",
    "conversation.meta.sender.phone_number",
    "conversation.meta.sender.identifier",
    "conversation.meta.sender.thumbnail",
    "conversation.meta.sender.custom_attributes",
    "conversation.meta.sender.last_activity_at",
    "conversation.meta.channel",
    "conversation.meta.assignee.id",
    "conversation.meta.assignee.account_id",
    "conversation.meta.assignee.availability_status",
    "conversation.meta.assignee.auto_offline",
    "conversation.meta.assignee.confirmed",
    "conversation.meta.assignee.email",
    "conversation.meta.assignee.available_name",
    "conversation.meta.assignee.name",
    "conversation.meta.assignee.role",
    "conversation.meta.assignee.thumbnail",
    "conversation.meta.hmac_verified",
    "conversation.id",
    "conversation.messages[].id",
    "conversation.messages[].content",
    "conversation.messages[].inbox_id",
    "conversation.messages[].conversation_id",
    "conversation.messages[].message_type",
    "conversation.messages[].content_type",
    "conversation.messages[].content_attributes",
    "conversation.messages[].created_at",
    "conversation.messages[].private",
    "conversation.messages[].source_id",
    "conversation.messages[].sender.additional_attributes.description",
    "conversation.messages[].sender.additional_attributes.company_name",
    "conversation.messages[].sender.additional_attributes.social_profiles.github",
    "conversation.messages[].sender.additional_attributes.social_profiles.twitter",
    "conversation.messages[].sender.additional_attributes.social_profiles.facebook",
    "conversation.messages[].sender.additional_attributes.social_profiles.linkedin",
    "conversation.messages[].sender.custom_attributes",
    "conversation.messages[].sender.email",
    "conversation.messages[].sender.id",
    "conversation.messages[].sender.identifier",
    "conversation.messages[].sender.name",
    "conversation.messages[].sender.phone_number",
    "conversation.messages[].sender.thumbnail",
    "conversation.messages[].sender.type",
    "conversation.account_id",
    "conversation.additional_attributes.browser.device_name",
    "conversation.additional_attributes.browser.browser_name",
    "conversation.additional_attributes.browser.platform_name",
    "conversation.additional_attributes.browser.browser_version",
    "conversation.additional_attributes.browser.platform_version",
    "conversation.additional_attributes.referer",
    "conversation.additional_attributes.initiated_at.timestamp",
    "conversation.agent_last_seen_at",
    "conversation.assignee_last_seen_at",
    "conversation.can_reply",
    "conversation.contact_last_seen_at",
    "conversation.custom_attributes",
    "conversation.inbox_id",
    "conversation.labels",
    "conversation.muted",
    "conversation.snoozed_until",
    "conversation.status",
    "conversation.timestamp",
    "conversation.unread_count",
    "conversation.allMessagesLoaded",
    "conversation.dataFetched",
    "contact.additional_attributes.description",
    "contact.additional_attributes.company_name",
    "contact.additional_attributes.social_profiles.github",
    "contact.additional_attributes.social_profiles.twitter",
    "contact.additional_attributes.social_profiles.facebook",
    "contact.additional_attributes.social_profiles.linkedin",
    "contact.availability_status",
    "contact.email",
    "contact.id",
    "contact.name",
    "contact.phone_number",
    "contact.identifier",
    "contact.thumbnail",
    "contact.custom_attributes",
    "contact.last_activity_at",
    "currentAgent.email",
    "currentAgent.id",
    "currentAgent.name",
];

/// The paths of `SEED_PATHS` missing from `data`. Messages without a sender (activity
/// messages, which have none in Chatwoot either) are not asked for a sender.
fn missing_paths(data: &Value) -> Vec<String> {
    fn walk(value: &Value, parts: &[&str], path: &str, missing: &mut Vec<String>) {
        let Some((first, rest)) = parts.split_first() else {
            return;
        };
        if let Some(array) = first.strip_suffix("[]") {
            match value.get(array).and_then(Value::as_array) {
                Some(items) if !items.is_empty() => {
                    for (i, item) in items.iter().enumerate() {
                        if rest.first() == Some(&"sender") && item.get("sender").is_none() {
                            continue;
                        }
                        walk(item, rest, &format!("{path}.{array}[{i}]"), missing);
                    }
                }
                _ => missing.push(format!("{path}.{array}[] (no items)")),
            }
            return;
        }
        match value.get(*first) {
            Some(next) => walk(next, rest, &format!("{path}.{first}"), missing),
            None => missing.push(format!("{path}.{first}")),
        }
    }
    let mut missing = Vec::new();
    for path in SEED_PATHS {
        let parts: Vec<&str> = path.split('.').collect();
        walk(data, &parts, "data", &mut missing);
    }
    missing
}

/// The endpoint's data as the dashboard posts it.
fn as_posted(data: &Value) -> Value {
    let mut data = data.clone();
    data["theme"] = json!("light");
    json!({"event": "appContext", "data": data})
}

struct Fixture {
    account: Account,
    agent: User,
    /// 25 messages: incoming, replies, a private note.
    long: i64,
    /// Two messages, unassigned.
    short: i64,
    token: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    let (account, admin) = app.account_with_admin("Acme", "admin@acme.test").await;
    let agent = app.member(&account, "agent@acme.test", Role::Agent).await;
    let services = app.services();
    let inbox = services
        .create_api_inbox(account.id, "Website", None)
        .await
        .unwrap();
    services
        .create_label(account.id, "vip", "", "#ffc53d")
        .await
        .unwrap();
    let mut input = ContactInput {
        name: Some("Ada Lovelace".into()),
        email: Some("ada@example.com".into()),
        phone_number: Some("+447700900123".into()),
        identifier: Some("cus_ada".into()),
        additional_attributes: json!({
            "company_name": "Analytical Engines",
            "description": "Mathematician",
            "city": "London",
            "social_profiles": {"github": "ada", "twitter": "ada_l", "facebook": "", "linkedin": "ada"},
        })
        .as_object()
        .cloned()
        .unwrap(),
        ..ContactInput::default()
    };
    input.custom_attributes = json!({"plan": "enterprise"}).as_object().cloned().unwrap();
    let ada = services.create_contact(account.id, &input).await.unwrap();
    let grace = services
        .create_contact(
            account.id,
            &ContactInput {
                name: Some("Grace".into()),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    let start = |contact| StartConversation::new(inbox.id, contact);
    let base = Timestamp::now().secs() - 10_000;
    let long = services
        .start_conversation_at(account.id, &start(ada.id), Timestamp(base))
        .await
        .unwrap()
        .display_id;
    for i in 0..25 {
        let (message_type, private, sender) = match i % 3 {
            0 => (MessageType::Incoming, false, None),
            1 => (MessageType::Outgoing, false, Some(Sender::User(admin.id))),
            _ => (MessageType::Outgoing, true, Some(Sender::User(agent.id))),
        };
        services
            .post_message_at(
                account.id,
                long,
                &MessageInput {
                    content: format!("message {i}"),
                    message_type,
                    private,
                    sender,
                    source_id: None,
                    content_type: oxidesk_domain::ContentType::Text,
                    content_attributes: Default::default(),
                },
                Timestamp(base + 10 + i),
            )
            .await
            .unwrap();
    }
    let short = services
        .start_conversation_at(account.id, &start(grace.id), Timestamp(base + 100))
        .await
        .unwrap()
        .display_id;
    services
        .post_message_at(
            account.id,
            short,
            &MessageInput {
                content: "Hi".into(),
                message_type: MessageType::Incoming,
                private: false,
                sender: None,
                source_id: None,
                content_type: oxidesk_domain::ContentType::Text,
                content_attributes: Default::default(),
            },
            Timestamp(base + 110),
        )
        .await
        .unwrap();
    let token = app.token("admin@acme.test").await;
    Fixture {
        account,
        agent,
        long: long.get(),
        short: short.get(),
        token,
    }
}

async fn agent_browser(app: &TestApp) -> Browser<'_> {
    let mut browser = app.browser();
    let signed_in = browser.login("agent@acme.test", "password123").await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    browser
}

async fn context(browser: &mut Browser<'_>, f: &Fixture, id: i64) -> Value {
    let response = browser
        .get(&format!(
            "/app/accounts/{}/conversations/{id}/context",
            f.account.id.get()
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert!(
        response
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"))
    );
    response.json()["data"].clone()
}

app_test!(payload_has_every_seed_field, |app| async move {
    let f = fixture(&app).await;
    // The context is served only where an app is shown.
    create_app(&app, &f, "Orders", "https://orders.example/app").await;
    let mut browser = agent_browser(&app).await;
    let data = context(&mut browser, &f, f.long).await;
    assert_app_context(&as_posted(&data));
    // Unassigned: every seed key but the assignee's, for contact and agent senders alike.
    let missing: Vec<String> = missing_paths(&data)
        .into_iter()
        .filter(|p| !p.starts_with("data.conversation.meta.assignee"))
        .collect();
    assert!(
        missing.is_empty(),
        "keys of the seeds missing: {missing:#?}"
    );

    let conversation = &data["conversation"];
    assert_eq!(conversation["id"], json!(f.long), "id is the display id");
    assert_eq!(conversation["account_id"], json!(f.account.id.get()));
    assert_eq!(conversation["meta"]["channel"], "Channel::Api");
    assert_eq!(conversation["meta"]["sender"]["name"], "Ada Lovelace");
    assert!(
        conversation["meta"].get("assignee").is_none(),
        "unassigned: no assignee, as in Chatwoot"
    );
    assert_eq!(conversation["snoozed_until"], Value::Null);
    assert_eq!(conversation["dataFetched"], json!(true));

    // The latest 20 of 25 messages, oldest first, private notes included.
    let messages = conversation["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 20);
    assert_eq!(conversation["allMessagesLoaded"], json!(false));
    let contents: Vec<&str> = messages
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(contents.first(), Some(&"message 5"));
    assert_eq!(contents.last(), Some(&"message 24"));
    let ids: Vec<i64> = messages.iter().map(|m| m["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "oldest first: {ids:?}");
    assert!(messages.iter().any(|m| m["private"] == json!(true)));
    for m in messages {
        assert_eq!(m["conversation_id"], json!(f.long));
        let kind = m["sender"]["type"].as_str();
        match m["message_type"].as_i64() {
            Some(0) => assert_eq!(kind, Some("contact"), "{m}"),
            Some(1) => assert_eq!(kind, Some("user"), "{m}"),
            other => panic!("unexpected message_type {other:?}"),
        }
    }

    let contact = &data["contact"];
    assert_eq!(contact["email"], "ada@example.com");
    assert_eq!(contact["identifier"], "cus_ada");
    assert_eq!(contact["phone_number"], "+447700900123");
    assert_eq!(
        contact["additional_attributes"]["company_name"],
        "Analytical Engines"
    );
    assert_eq!(contact["custom_attributes"]["plan"], "enterprise");
    assert!(contact["last_activity_at"].is_i64());
    assert_eq!(
        data["currentAgent"],
        json!({"id": f.agent.id.get(), "name": f.agent.name, "email": "agent@acme.test"}),
        "currentAgent is exactly {{id, name, email}} of the signed-in agent"
    );
    assert!(data["customAttributes"].is_array());
});

app_test!(payload_follows_the_conversation, |app| async move {
    let f = fixture(&app).await;
    // The context is served only where an app is shown.
    create_app(&app, &f, "Orders", "https://orders.example/app").await;
    let mut browser = agent_browser(&app).await;
    let data = context(&mut browser, &f, f.short).await;
    assert_app_context(&as_posted(&data));
    let conversation = &data["conversation"];
    assert_eq!(conversation["allMessagesLoaded"], json!(true));
    assert_eq!(conversation["messages"].as_array().unwrap().len(), 1);
    assert!(
        data["contact"]["last_activity_at"].as_i64().is_some(),
        "a time even for a contact with no recorded activity"
    );

    // Assign, label, snooze: the next context says so.
    let services = app.services();
    let account = f.account.id;
    services
        .assign_agent(account, DisplayId(f.short), Some(f.agent.id), None)
        .await
        .unwrap();
    services
        .set_labels(account, DisplayId(f.short), &["vip".into()])
        .await
        .unwrap();
    let until = Timestamp::now().secs() + 3600;
    services
        .set_status(
            account,
            DisplayId(f.short),
            ConversationStatus::Snoozed,
            Some(Timestamp(until)),
            None,
        )
        .await
        .unwrap();
    let data = context(&mut browser, &f, f.short).await;
    assert_app_context(&as_posted(&data));
    let missing = missing_paths(&data);
    assert!(
        missing.is_empty(),
        "keys of the seeds missing: {missing:#?}"
    );
    let conversation = &data["conversation"];
    assert_eq!(
        conversation["meta"]["assignee"]["id"],
        json!(f.agent.id.get())
    );
    assert_eq!(conversation["meta"]["assignee"]["role"], "agent");
    assert_eq!(conversation["labels"], json!(["vip"]));
    assert_eq!(conversation["status"], "snoozed");
    assert_eq!(conversation["snoozed_until"], json!(until));
    // The status change is recorded as an activity message, which has no sender.
    let last = conversation["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["message_type"], json!(2), "{last}");
});

app_test!(context_is_scoped_to_the_account, |app| async move {
    let f = fixture(&app).await;
    let (_other, _) = app.account_with_admin("Other", "boss@other.test").await;
    let mut outsider = app.browser();
    outsider.login("boss@other.test", "password123").await;
    let path = format!(
        "/app/accounts/{}/conversations/{}/context",
        f.account.id.get(),
        f.long
    );
    let response = outsider.get(&path).await;
    assert!(
        !response.status.is_success() && !response.body.contains("Ada"),
        "{} {}",
        response.status,
        response.body
    );
    let mut anonymous = app.browser();
    let response = anonymous.get(&path).await;
    assert!(!response.status.is_success());
    assert!(!response.body.contains("Ada"));
    let mut browser = agent_browser(&app).await;
    // An agent who sees no app in the conversation gets no context either.
    let none = browser.get(&path).await;
    assert_eq!(none.status, StatusCode::FORBIDDEN, "{}", none.body);
    assert!(!none.body.contains("Ada"), "{}", none.body);
    let missing = browser
        .get(&format!(
            "/app/accounts/{}/conversations/9999/context",
            f.account.id.get()
        ))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
});

app_test!(
    context_only_for_agents_who_see_an_app_there,
    |app| async move {
        let f = fixture(&app).await;
        let mut api = app.browser();
        let response = api
        .json(
            Method::POST,
            &format!("/api/v1/accounts/{}/dashboard_apps", f.account.id.get()),
            &[("api_access_token", &f.token)],
            json!({"title": "Admins only", "content": [{"type": "frame", "url": "https://admins.example/"}],
                   "settings": {"visibility": {"roles": ["administrator"]}}}),
        )
        .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        let path = format!(
            "/app/accounts/{}/conversations/{}/context",
            f.account.id.get(),
            f.long
        );
        // The agent sees no app in the conversation: refused, nothing of the conversation shown.
        let mut agent = agent_browser(&app).await;
        let refused = agent.get(&path).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(!refused.body.contains("Ada"), "{}", refused.body);
        // The simulator's parameter is for administrators only.
        let previewing = agent.get(&format!("{path}?preview=1")).await;
        assert_eq!(
            previewing.status,
            StatusCode::FORBIDDEN,
            "{}",
            previewing.body
        );
        // The administrator sees it: the context, with a token for that app only.
        let mut admin = app.browser();
        admin.login("admin@acme.test", "password123").await;
        let given = admin.get(&path).await;
        assert_eq!(given.status, StatusCode::OK, "{}", given.body);
        let json = given.json();
        assert!(json["data"]["conversation"].is_object(), "{json}");
        assert_eq!(
            json["tokens"].as_object().map(|t| t.len()),
            Some(1),
            "{json}"
        );
    }
);

async fn create_app(app: &TestApp, f: &Fixture, title: &str, url: &str) -> Value {
    let mut api = app.browser();
    let response = api
        .json(
            Method::POST,
            &format!("/api/v1/accounts/{}/dashboard_apps", f.account.id.get()),
            &[("api_access_token", &f.token)],
            json!({"title": title, "content": [{"type": "frame", "url": url}]}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

app_test!(page_shows_one_tab_per_app, |app| async move {
    let f = fixture(&app).await;
    let mut browser = agent_browser(&app).await;
    let page_path = format!(
        "/app/accounts/{}/conversations/{}",
        f.account.id.get(),
        f.long
    );

    // Without apps: no frames allowed, no context embedded.
    let page = browser.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.header("content-security-policy").unwrap().to_owned();
    assert!(csp.contains("frame-src 'none'"), "{csp}");
    assert!(!page.body.contains("id=\"app-context\""));

    let orders = create_app(
        &app,
        &f,
        "Customer Orders",
        "https://orders.example.com/app?x=1&y=2",
    )
    .await;
    let hostile = create_app(
        &app,
        &f,
        "<img src=x onerror=alert(1)>",
        "http://localhost:4000/panel",
    )
    .await;
    let page = browser.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;

    // ARIA tabs named by the apps' titles, after Messages, escaped.
    let orders_id = orders["id"].as_i64().unwrap();
    let hostile_id = hostile["id"].as_i64().unwrap();
    assert!(body.contains(&format!(
        "<button type=\"button\" role=\"tab\" id=\"tab-app-{orders_id}\" aria-selected=\"false\" aria-controls=\"panel-app-{orders_id}\" tabindex=\"-1\">Customer Orders</button>"
    )), "{body}");
    assert!(
        body.contains("&#60;img src=x onerror=alert(1)&#62;"),
        "the title is escaped"
    );
    assert!(!body.contains("<img src=x onerror"));
    let messages_tab = body.find("id=\"tab-messages\"").unwrap();
    assert!(messages_tab < body.find(&format!("id=\"tab-app-{orders_id}\"")).unwrap());
    assert!(
        body.find(&format!("id=\"tab-app-{orders_id}\"")).unwrap()
            < body.find(&format!("id=\"tab-app-{hostile_id}\"")).unwrap(),
        "apps in the order they were added"
    );

    // Frames: lazily created from a template, sandboxed, clipboard allowed, URL escaped.
    let panel = &body[body.find(&format!("id=\"panel-app-{orders_id}\"")).unwrap()..];
    assert!(panel.contains("role=\"tabpanel\""));
    let template = &panel[panel.find("<template>").unwrap()..panel.find("</template>").unwrap()];
    assert!(
        template.contains("src=\"https://orders.example.com/app?x=1&#38;y=2\""),
        "{template}"
    );
    assert!(
        template.contains(
            "sandbox=\"allow-scripts allow-same-origin allow-forms allow-modals allow-popups \
             allow-popups-to-escape-sandbox allow-downloads allow-storage-access-by-user-activation\""
        ),
        "{template}"
    );
    assert!(!template.contains("allow-top-navigation"));
    assert!(template.contains("allow=\"clipboard-write\""));
    assert!(panel.contains("Loading Customer Orders"));
    assert!(
        panel.contains("data-origins=\"[&#34;https://orders.example.com&#34;]\""),
        "{}",
        &panel[..400]
    );

    // The CSP frames exactly the apps' origins.
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("; frame-src https://orders.example.com http://localhost:4000;"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("script-src 'self'"));

    // The context embedded in the page is the same payload, escaped into an attribute.
    assert!(body.contains("id=\"app-context\" hidden data-context=\"{"));
    assert!(
        !body.contains("data-context=\"{\"conversation"),
        "quotes are escaped"
    );

    // Other pages still frame nothing.
    let list = browser
        .get(&format!(
            "/app/accounts/{}/conversations",
            f.account.id.get()
        ))
        .await;
    assert!(
        list.header("content-security-policy")
            .unwrap()
            .contains("frame-src 'none'")
    );
});
