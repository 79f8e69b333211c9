//! The conversation screens as served: the list (tabs, counts, filters, pages), the open
//! conversation (header, thread, composer, contact panel), the live-refresh fragments, escaping,
//! tenancy and read marks.

use axum::http::StatusCode;
use oxidesk::service::{AttributeInput, ContactInput, MessageInput, StartConversation};
use oxidesk_domain::{
    Account, AttributeDisplayType, AttributeModel, ConversationStatus, DisplayId, InboxId,
    MessageType, Role, Sender, Timestamp, User,
};
use serde_json::json;

use crate::app_test;
use crate::support::TestApp;

/// An account with conversations of every kind (times fixed in the past, so that the order is
/// known: `hostile` is the newest, `old` the oldest).
struct Fixture {
    account: Account,
    admin: User,
    agent: User,
    /// Ada's open conversation: assigned to the agent, team billing, label vip; an incoming
    /// message, a reply, a private note and activity messages.
    ada: i64,
    /// Grace's open, unassigned conversation with one unread message (an XSS attempt).
    grace: i64,
    /// Ada's earlier, resolved conversation.
    old: i64,
    /// A pending conversation in the second inbox, from a contact with a hostile name.
    hostile: i64,
    shop_inbox: i64,
    team: i64,
}

const XSS_MESSAGE: &str = "<img src=x onerror=alert(1)>";
const XSS_NAME: &str = "<script>alert(1)</script>";

fn at(offset: i64) -> Timestamp {
    Timestamp(Timestamp::now().secs() - 86_400 + offset)
}

async fn start(app: &TestApp, account: &Account, inbox: InboxId, contact: i64, when: i64) -> i64 {
    let start = StartConversation::new(inbox, oxidesk_domain::ContactId(contact));
    app.services()
        .start_conversation_at(account.id, &start, at(when))
        .await
        .unwrap()
        .display_id
        .get()
}

async fn say(app: &TestApp, account: &Account, id: i64, text: &str, kind: Say, when: i64) {
    let (message_type, private, sender) = match kind {
        Say::Customer => (MessageType::Incoming, false, None),
        Say::Reply(user) => (MessageType::Outgoing, false, Some(Sender::User(user))),
        Say::Note(user) => (MessageType::Outgoing, true, Some(Sender::User(user))),
    };
    app.services()
        .post_message_at(
            account.id,
            DisplayId(id),
            &MessageInput {
                content: text.into(),
                message_type,
                private,
                sender,
                source_id: None,
                content_type: oxidesk_domain::ContentType::Text,
                content_attributes: Default::default(),
            },
            at(when),
        )
        .await
        .unwrap();
}

enum Say {
    Customer,
    Reply(oxidesk_domain::UserId),
    Note(oxidesk_domain::UserId),
}

async fn fixture(app: &TestApp) -> Fixture {
    let (account, admin) = app.account_with_admin("Acme", "admin@acme.test").await;
    let agent = app.member(&account, "agent@acme.test", Role::Agent).await;
    let services = app.services();
    let website = services
        .create_api_inbox(account.id, "Website", None)
        .await
        .unwrap();
    let shop = services
        .create_api_inbox(account.id, "Shop", None)
        .await
        .unwrap();
    let team = services
        .create_team(account.id, "Billing", "", &[agent.id])
        .await
        .unwrap();
    services
        .create_label(account.id, "vip", "", "#ffc53d")
        .await
        .unwrap();
    services
        .create_label(account.id, "refund", "", "#0090ff")
        .await
        .unwrap();
    services
        .create_attribute_definition(
            account.id,
            &AttributeInput {
                key: "plan",
                display_name: "Plan",
                display_type: AttributeDisplayType::Text,
                model: AttributeModel::Contact,
                description: "",
                values: Vec::new(),
            },
        )
        .await
        .unwrap();
    let contact = |name: &str, email: Option<&str>, extra: serde_json::Value| ContactInput {
        name: Some(name.into()),
        email: email.map(Into::into),
        additional_attributes: extra.as_object().cloned().unwrap_or_default(),
        ..ContactInput::default()
    };
    let mut ada_input = contact(
        "Ada Lovelace",
        Some("ada@example.com"),
        json!({
            "company_name": "Analytical Engines",
            "city": "London",
            "country": "United Kingdom",
            "favourite_number": 42,
            "social_profiles": {"github": "ada", "twitter": "@ada_l", "linkedin": "javascript:alert(1)"},
        }),
    );
    ada_input.phone_number = Some("+447700900123".into());
    ada_input.identifier = Some("cus_ada".into());
    ada_input.custom_attributes = json!({"plan": "enterprise", "seats": 12})
        .as_object()
        .cloned()
        .unwrap_or_default();
    let ada = services
        .create_contact(account.id, &ada_input)
        .await
        .unwrap();
    let grace = services
        .create_contact(
            account.id,
            &contact("Grace Hopper", Some("grace@example.com"), json!({})),
        )
        .await
        .unwrap();
    let hostile = services
        .create_contact(account.id, &contact(XSS_NAME, None, json!({})))
        .await
        .unwrap();

    let old = start(app, &account, website.id, ada.id.get(), 0).await;
    say(app, &account, old, "An old question", Say::Customer, 10).await;
    services
        .set_status_at(
            account.id,
            DisplayId(old),
            ConversationStatus::Resolved,
            None,
            Some(admin.id),
            at(20),
        )
        .await
        .unwrap();

    let ada_c = start(app, &account, website.id, ada.id.get(), 100).await;
    say(
        app,
        &account,
        ada_c,
        "Hello from Ada\nSecond line",
        Say::Customer,
        110,
    )
    .await;
    say(
        app,
        &account,
        ada_c,
        "Hi Ada, looking into it",
        Say::Reply(admin.id),
        120,
    )
    .await;
    say(
        app,
        &account,
        ada_c,
        "Internal: check the invoice",
        Say::Note(agent.id),
        130,
    )
    .await;
    services
        .assign_agent(account.id, DisplayId(ada_c), Some(agent.id), Some(admin.id))
        .await
        .unwrap();
    services
        .assign_team(account.id, DisplayId(ada_c), Some(team.id), Some(admin.id))
        .await
        .unwrap();
    services
        .set_labels(account.id, DisplayId(ada_c), &["vip".into()])
        .await
        .unwrap();

    let grace_c = start(app, &account, website.id, grace.id.get(), 200).await;
    say(app, &account, grace_c, XSS_MESSAGE, Say::Customer, 210).await;

    let hostile_c = start(app, &account, shop.id, hostile.id.get(), 300).await;
    say(
        app,
        &account,
        hostile_c,
        "I am harmless",
        Say::Customer,
        310,
    )
    .await;
    services
        .set_status_at(
            account.id,
            DisplayId(hostile_c),
            ConversationStatus::Pending,
            None,
            None,
            at(320),
        )
        .await
        .unwrap();

    Fixture {
        account,
        admin,
        agent,
        ada: ada_c,
        grace: grace_c,
        old,
        hostile: hostile_c,
        shop_inbox: shop.id.get(),
        team: team.id.get(),
    }
}

impl Fixture {
    fn url(&self, path: &str) -> String {
        format!("/app/accounts/{}/conversations{path}", self.account.id)
    }
}

/// The display ids of the list rows, in page order.
fn rows(html: &str) -> Vec<i64> {
    html.split("<li class=\"conversation-item")
        .skip(1)
        .map(|piece| {
            let start = piece.find("data-conversation-id=\"").unwrap() + 22;
            let end = piece[start..].find('"').unwrap() + start;
            piece[start..end].parse().unwrap()
        })
        .collect()
}

/// The HTML of the row of conversation `id`.
fn row(html: &str, id: i64) -> &str {
    let start = html
        .find(&format!("data-conversation-id=\"{id}\""))
        .unwrap_or_else(|| panic!("no row {id}"));
    let end = html[start..].find("</li>").unwrap() + start;
    &html[start..end]
}

/// The unread badge's number in the row of conversation `id`.
fn unread(html: &str, id: i64) -> i64 {
    let row = row(html, id);
    let start = row.find("class=\"unread-count\"").expect("an unread badge");
    let text = &row[start..];
    let open = text.find('>').unwrap() + 1;
    let close = text.find("</span>").unwrap();
    text[open..close].trim().parse().unwrap()
}

/// The count of assignee tab `key` (`me`, `unassigned`, `all`).
fn tab_count(html: &str, key: &str) -> i64 {
    let start = html
        .find(&format!("data-tab=\"{key}\""))
        .unwrap_or_else(|| panic!("no tab {key}"));
    let text = &html[start..];
    let count = text.find("class=\"count\">").unwrap() + 14;
    let end = text[count..].find('<').unwrap() + count;
    text[count..end].parse().unwrap()
}

async fn signed_in<'a>(app: &'a TestApp, email: &str) -> crate::support::Browser<'a> {
    let mut browser = app.browser();
    let response = browser.login(email, "password123").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    browser
}

app_test!(the_list_shows_rows_with_counts_and_tabs, |app| async move {
    let f = fixture(&app).await;
    let mut admin = signed_in(&app, "admin@acme.test").await;
    let page = admin.get(&f.url("")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(html.contains("<ul id=\"conversation-list\""), "{html}");
    // Open conversations, newest activity first.
    assert_eq!(rows(html), vec![f.grace, f.ada]);
    let ada = row(html, f.ada);
    assert!(
        ada.contains(&format!(
            "<a href=\"/app/accounts/{}/conversations/{}\"",
            f.account.id, f.ada
        )),
        "{ada}"
    );
    assert!(ada.contains("Ada Lovelace"));
    assert!(
        ada.contains("class=\"avatar avatar-c"),
        "initials avatar: {ada}"
    );
    assert!(ada.contains(">AL<"), "{ada}");
    assert!(ada.contains("Website"), "the inbox: {ada}");
    assert!(
        ada.contains("Internal: check the invoice"),
        "last message: {ada}"
    );
    assert!(ada.contains("Note:"), "a note is marked: {ada}");
    assert!(ada.contains("Test User"), "the assignee: {ada}");
    assert!(ada.contains("vip"), "labels: {ada}");
    assert!(ada.contains("<time datetime=\""), "{ada}");
    assert_eq!(unread(html, f.ada), 1);
    assert_eq!(unread(html, f.grace), 1);
    assert!(row(html, f.grace).contains("Unassigned"));
    // Counts with the status filter (open), per tab.
    assert_eq!(tab_count(html, "all"), 2);
    assert_eq!(tab_count(html, "unassigned"), 1);
    assert_eq!(tab_count(html, "me"), 0, "nothing is the administrator's");
    assert!(html.contains("role=\"tablist\" aria-label=\"Assignee\""));
    // The page loads its script as a module from /assets (no inline script).
    assert!(html.contains("<script type=\"module\" src=\"/assets/js/conversation.js?v="));
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains("style="), "no inline style");

    let mut agent = signed_in(&app, "agent@acme.test").await;
    let mine = agent.get(&f.url("?assignee_type=me")).await.body;
    assert_eq!(rows(&mine), vec![f.ada]);
    assert_eq!(tab_count(&mine, "me"), 1);
    assert!(
        mine.contains("data-tab=\"me\" aria-selected=\"true\""),
        "{mine}"
    );
    let unassigned = agent.get(&f.url("?assignee_type=unassigned")).await.body;
    assert_eq!(rows(&unassigned), vec![f.grace]);
});

app_test!(filters_narrow_the_list, |app| async move {
    let f = fixture(&app).await;
    let mut browser = signed_in(&app, "admin@acme.test").await;
    let mut ids = async |query: &str| rows(&browser.get(&f.url(query)).await.body);
    assert_eq!(ids("?status=resolved").await, vec![f.old]);
    assert_eq!(ids("?status=pending").await, vec![f.hostile]);
    assert_eq!(
        ids("?status=all").await,
        vec![f.hostile, f.grace, f.ada, f.old]
    );
    assert_eq!(ids("?status=nonsense").await, vec![f.grace, f.ada], "open");
    assert_eq!(ids("?status=all&label=vip").await, vec![f.ada]);
    assert_eq!(ids("?status=all&label=VIP").await, vec![f.ada]);
    assert_eq!(ids("?status=all&q=grace").await, vec![f.grace]);
    assert_eq!(ids("?status=all&q=ada%40example").await, vec![f.ada, f.old]);
    assert_eq!(
        ids(&format!("?status=all&q=%23{}", f.old)).await,
        vec![f.old]
    );
    assert_eq!(
        ids(&format!("?status=all&inbox_id={}", f.shop_inbox)).await,
        vec![f.hostile]
    );
    assert_eq!(ids(&format!("?team_id={}", f.team)).await, vec![f.ada]);
    assert_eq!(
        ids("?inbox_id=&team_id=&label=&q=").await,
        vec![f.grace, f.ada]
    );

    // The form shows the filters in force and keeps the tab.
    let page = browser
        .get(&f.url("?status=all&label=vip&assignee_type=unassigned&q=a%22b"))
        .await
        .body;
    assert!(page.contains("<form class=\"filters\" method=\"get\""));
    assert!(page.contains("<option value=\"all\" selected>"), "{page}");
    assert!(page.contains("<option value=\"vip\" selected>"), "{page}");
    assert!(page.contains("name=\"assignee_type\" value=\"unassigned\""));
    assert!(
        page.contains("value=\"a&#34;b\""),
        "the search, escaped: {page}"
    );
    assert!(page.contains("No conversations match these filters."));
    // Tab links keep the filters.
    assert!(
        page.contains("?status=all&#38;label=vip&#38;q=a%22b"),
        "{page}"
    );
});

app_test!(pages_go_older_with_a_cursor, |app| async move {
    let f = fixture(&app).await;
    let website = app.services().inboxes(f.account.id).await.unwrap()[0].id;
    let contact = app
        .services()
        .create_contact(
            f.account.id,
            &ContactInput {
                name: Some("Many".into()),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    let mut made = Vec::new();
    for i in 0..30 {
        made.push(start(&app, &f.account, website, contact.id.get(), 1000 + i).await);
    }
    let mut browser = signed_in(&app, "admin@acme.test").await;
    let first = browser.get(&f.url("")).await.body;
    let first_ids = rows(&first);
    assert_eq!(first_ids.len(), 25);
    assert_eq!(first_ids[0], *made.last().unwrap(), "newest first");
    let next = first.find("\" rel=\"next\"").expect("an Older link");
    let href = first[..next].rfind("href=\"").unwrap() + 6;
    let older = first[href..next].replace("&#38;", "&");
    assert!(older.contains("?after="), "{older}");
    assert!(first.contains(">Older</a>"));
    let second = browser.get(&older).await;
    assert_eq!(second.status, StatusCode::OK);
    let second_ids = rows(&second.body);
    assert_eq!(second_ids.len(), 7, "5 more of the new ones and grace, ada");
    assert!(second_ids.iter().all(|id| !first_ids.contains(id)));
    assert_eq!(&second_ids[5..], &[f.grace, f.ada]);
    assert!(!second.body.contains(">Older</a>"));
    assert!(second.body.contains(">Newest</a>"));
    // A broken cursor is the first page.
    assert_eq!(
        rows(&browser.get(&f.url("?after=x.y")).await.body),
        first_ids
    );
});

app_test!(
    the_conversation_page_follows_the_dom_contract,
    |app| async move {
        let f = fixture(&app).await;
        let mut browser = signed_in(&app, "agent@acme.test").await;
        let page = browser.get(&f.url(&format!("/{}", f.ada))).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = &page.body;
        // The list beside it, with the open one marked.
        assert_eq!(rows(html), vec![f.grace, f.ada]);
        assert!(row(html, f.ada).contains("aria-current=\"page\""));
        assert!(html.contains("class=\"back-link\""));
        // Header.
        assert!(
            html.contains("id=\"conversation-title\">Ada Lovelace</h2>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"conv-inbox\">Website</span>"));
        assert!(html.contains("data-action=\"resolve\""));
        assert!(html.contains("data-action=\"pending\""));
        assert!(!html.contains("data-action=\"reopen\""), "it is open");
        assert!(html.contains("data-action=\"snooze\""));
        assert!(html.contains("type=\"datetime-local\" name=\"snoozed_until\""));
        assert!(html.contains("<select id=\"assignee-select\">"));
        assert!(html.contains("<label for=\"assignee-select\">"));
        assert!(html.contains(&format!(
            "<option value=\"{}\" selected>Test User (you)</option>",
            f.agent.id
        )));
        assert!(html.contains(&format!(
            "<option value=\"{}\">Test User</option>",
            f.admin.id
        )));
        assert!(html.contains("<select id=\"team-select\">"));
        assert!(html.contains(&format!(
            "<option value=\"{}\" selected>billing</option>",
            f.team
        )));
        assert!(html.contains("id=\"labels\""));
        assert!(html.contains("data-label=\"vip\""));
        assert!(html.contains("aria-label=\"Remove label vip\""));
        assert!(
            html.contains("<option value=\"refund\">refund</option>"),
            "labels to add"
        );
        // The tab bar, ready for app tabs.
        assert!(
            html.contains("<div class=\"conv-tabs\" role=\"tablist\" aria-label=\"Conversation\">")
        );
        assert!(html.contains(
        "<button type=\"button\" role=\"tab\" id=\"tab-messages\" aria-selected=\"true\" aria-controls=\"panel-messages\">Messages</button>"
    ));
        assert!(html.contains("<div role=\"tabpanel\" id=\"panel-messages\""));
        // The thread: each kind of message, marked.
        assert!(html.contains("<section id=\"thread\""));
        let thread_start = html.find("<section id=\"thread\"").unwrap();
        let thread =
            &html[thread_start..html[thread_start..].find("</section>").unwrap() + thread_start];
        let kinds: Vec<(&str, &str)> = thread
            .split("<article class=\"message")
            .skip(1)
            .map(|a| {
                let kind = a
                    .split("data-message-type=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                let private = a
                    .split("data-private=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                (kind, private)
            })
            .collect();
        assert_eq!(
            &kinds[..3],
            &[
                ("incoming", "false"),
                ("outgoing", "false"),
                ("outgoing", "true")
            ]
        );
        assert!(
            kinds[3..].iter().all(|k| *k == ("activity", "false")),
            "{kinds:?}"
        );
        assert!(kinds.len() >= 5, "assignment activities: {kinds:?}");
        assert!(thread.contains("data-message-id=\""));
        assert!(
            thread.contains("<div class=\"message-content\">Hello from Ada\nSecond line</div>")
        );
        assert!(thread.contains("class=\"message message-outgoing message-private\""));
        assert!(thread.contains("<span class=\"note-tag\">Private note</span>"));
        assert!(thread.contains("class=\"message message-activity\""));
        assert!(thread.contains("<span class=\"message-sender\">Ada Lovelace</span>"));
        assert!(thread.contains("<span class=\"message-sender\">Test User</span>"));
        assert!(thread.contains("<time datetime=\""));
        // The composer.
        assert!(html.contains("<form id=\"composer\""));
        assert!(html.contains("<textarea name=\"content\" aria-label=\"Message\""));
        assert!(
            html.contains("<button type=\"button\" data-mode=\"reply\" aria-pressed=\"true\">")
        );
        assert!(
            html.contains("<button type=\"button\" data-mode=\"note\" aria-pressed=\"false\">")
        );
        // The contact panel.
        let panel_start = html
            .find("<aside id=\"contact-panel\"")
            .expect("the contact panel");
        let panel = &html[panel_start..];
        for text in [
            "ada@example.com",
            "href=\"mailto:ada@example.com\"",
            "+447700900123",
            "cus_ada",
            "Analytical Engines",
            "London, United Kingdom",
            "<dt>Plan</dt><dd>enterprise</dd>",
            "<dt>Seats</dt><dd>12</dd>",
            "<dt>Favourite number</dt><dd>42</dd>",
            "href=\"https://github.com/ada\" rel=\"noopener noreferrer\"",
            "href=\"https://x.com/ada_l\" rel=\"noopener noreferrer\"",
        ] {
            assert!(panel.contains(text), "{text} in the panel: {panel}");
        }
        assert!(
            !panel.contains("href=\"javascript:"),
            "a given URL is never linked"
        );
        assert!(panel.contains("javascript:alert(1)"), "but shown as text");
        assert!(panel.contains(&format!(
            "<a href=\"/app/accounts/{}/conversations/{}\">#{}</a>",
            f.account.id, f.old, f.old
        )));

        // A resolved one offers to reopen; a pending one to resolve or reopen.
        let resolved = browser.get(&f.url(&format!("/{}", f.old))).await.body;
        assert!(resolved.contains("data-action=\"reopen\""));
        assert!(!resolved.contains("data-action=\"resolve\""));
        assert!(!resolved.contains("data-action=\"snooze\""));
        let pending = browser.get(&f.url(&format!("/{}", f.hostile))).await.body;
        assert!(
            pending.contains("data-action=\"reopen\"")
                && pending.contains("data-action=\"resolve\"")
        );
    }
);

app_test!(customer_text_renders_as_text, |app| async move {
    let f = fixture(&app).await;
    let mut browser = signed_in(&app, "admin@acme.test").await;
    let escaped_message = "&#60;img src=x onerror=alert(1)&#62;";
    let escaped_name = "&#60;script&#62;alert(1)&#60;/script&#62;";
    for path in [
        "?status=all".to_owned(),
        format!("/{}", f.grace),
        format!("/{}?status=all", f.hostile),
        format!("/{}/thread", f.grace),
        format!("/{}/header", f.hostile),
        format!("/{}/contact", f.hostile),
        "/list?status=all".to_owned(),
    ] {
        let page = browser.get(&f.url(&path)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains(XSS_MESSAGE), "{path}: {}", page.body);
        assert!(!page.body.contains(XSS_NAME), "{path}: {}", page.body);
        assert!(!page.body.contains("<img src=x"), "{path}");
        assert!(
            page.body.contains(escaped_message) || page.body.contains(escaped_name),
            "{path}: {}",
            page.body
        );
    }
    let grace = browser.get(&f.url(&format!("/{}", f.grace))).await.body;
    assert!(grace.contains(&format!(
        "<div class=\"message-content\">{escaped_message}</div>"
    )));
    let hostile = browser.get(&f.url(&format!("/{}", f.hostile))).await.body;
    assert!(hostile.contains(&format!(
        "<h2 id=\"conversation-title\">{escaped_name}</h2>"
    )));
    assert!(
        hostile.contains(&format!("<title>{escaped_name} · #")),
        "the title too"
    );
});

app_test!(
    other_accounts_conversations_are_not_found,
    |app| async move {
        let f = fixture(&app).await;
        let (globex, _) = app.account_with_admin("Globex", "admin@globex.test").await;
        let mut outsider = signed_in(&app, "admin@globex.test").await;
        for path in [
            format!("/{}", f.ada),
            format!("/{}/thread", f.ada),
            format!("/{}/header", f.ada),
            format!("/{}/contact", f.ada),
            "/list".to_owned(),
        ] {
            let page = outsider.get(&f.url(&path)).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
            assert!(!page.body.contains("Ada Lovelace"), "{path}");
        }
        // In their own account, Acme's display ids do not exist.
        let own = outsider
            .get(&format!(
                "/app/accounts/{}/conversations/{}",
                globex.id, f.ada
            ))
            .await;
        assert_eq!(own.status, StatusCode::NOT_FOUND);
        assert!(!own.body.contains("Ada Lovelace"));
        let mut member = signed_in(&app, "agent@acme.test").await;
        for path in ["/999", "/abc", "/0", "/999/thread", "/-1/header"] {
            assert_eq!(
                member.get(&f.url(path)).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let mut anonymous = app.browser();
        let redirect = anonymous.get(&f.url(&format!("/{}", f.ada))).await;
        assert_eq!(redirect.location(), Some("/app/login"));
        let fragment = anonymous.get(&f.url("/list")).await;
        assert_eq!(fragment.location(), Some("/app/login"));
    }
);

app_test!(fragments_render_the_parts_alone, |app| async move {
    let f = fixture(&app).await;
    let mut browser = signed_in(&app, "agent@acme.test").await;
    let list = browser.get(&f.url("/list")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("<html"), "a fragment, not a page");
    assert!(list.body.contains("<ul id=\"conversation-list\""));
    assert_eq!(rows(&list.body), vec![f.grace, f.ada]);
    assert_eq!(tab_count(&list.body, "me"), 1);
    let filtered = browser
        .get(&f.url(&format!("/list?status=all&assignee_type=me&open={}", f.ada)))
        .await
        .body;
    assert_eq!(rows(&filtered), vec![f.ada]);
    assert!(row(&filtered, f.ada).contains("aria-current=\"page\""));
    // Links of the fragment lead back to the open conversation with the same filters.
    assert!(
        filtered.contains(&format!(
            "href=\"/app/accounts/{}/conversations/{}?status=all&#38;assignee_type=me\"",
            f.account.id, f.ada
        )),
        "{filtered}"
    );

    let thread = browser.get(&f.url(&format!("/{}/thread", f.ada))).await;
    assert_eq!(thread.status, StatusCode::OK);
    assert!(!thread.body.contains("<html"));
    assert!(
        thread
            .body
            .trim_start()
            .starts_with("<article class=\"message"),
        "{}",
        thread.body
    );
    assert!(thread.body.contains("Hello from Ada"));

    let header = browser.get(&f.url(&format!("/{}/header", f.ada))).await;
    assert_eq!(header.status, StatusCode::OK);
    assert!(!header.body.contains("<html"));
    assert!(header.body.contains("<select id=\"assignee-select\">"));
    assert!(header.body.contains("data-label=\"vip\""));

    let contact = browser.get(&f.url(&format!("/{}/contact", f.ada))).await;
    assert_eq!(contact.status, StatusCode::OK);
    assert!(!contact.body.contains("<html"));
    assert!(contact.body.contains("ada@example.com"));

    // After a change, the fragments show it.
    app.services()
        .set_status(
            f.account.id,
            DisplayId(f.ada),
            ConversationStatus::Resolved,
            None,
            Some(f.agent.id),
        )
        .await
        .unwrap();
    let header = browser
        .get(&f.url(&format!("/{}/header", f.ada)))
        .await
        .body;
    assert!(header.contains("data-status=\"resolved\""));
    assert!(header.contains("data-action=\"reopen\""));
    let thread = browser
        .get(&f.url(&format!("/{}/thread", f.ada)))
        .await
        .body;
    assert!(thread.matches("message-activity").count() >= 3, "{thread}");
    assert_eq!(
        rows(&browser.get(&f.url("/list")).await.body),
        vec![f.grace]
    );
});

app_test!(opening_a_conversation_marks_it_read, |app| async move {
    let f = fixture(&app).await;
    let mut browser = signed_in(&app, "agent@acme.test").await;
    let list = browser.get(&f.url("")).await.body;
    assert_eq!(unread(&list, f.grace), 1);
    let mut events = app.services().events.subscribe();
    let page = browser.get(&f.url(&format!("/{}", f.grace))).await.body;
    assert_eq!(
        unread(&page, f.grace),
        0,
        "the list beside it already shows it read"
    );
    assert!(row(&page, f.grace).contains("class=\"unread-count\" title=\"0 unread\" hidden"));
    assert_eq!(unread(&browser.get(&f.url("")).await.body, f.grace), 0);
    assert_eq!(
        unread(&browser.get(&f.url("")).await.body, f.ada),
        1,
        "others stay unread"
    );
    let seen = crate::support::settled(&mut events).await;
    assert!(
        seen.iter()
            .any(|e| e.name == "conversation.read" && e.data["id"] == f.grace),
        "{seen:?}"
    );

    // A message arriving while the conversation is open: the thread fragment marks it read.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    say(
        &app,
        &f.account,
        f.grace,
        "Are you there?",
        Say::Customer,
        86_400,
    )
    .await;
    assert_eq!(unread(&browser.get(&f.url("/list")).await.body, f.grace), 1);
    // In a background tab the thread is shown but not marked read.
    let hidden = browser
        .get(&f.url(&format!("/{}/thread?mark=0", f.grace)))
        .await
        .body;
    assert!(hidden.contains("Are you there?"));
    assert_eq!(unread(&browser.get(&f.url("/list")).await.body, f.grace), 1);
    let thread = browser
        .get(&f.url(&format!("/{}/thread", f.grace)))
        .await
        .body;
    assert!(thread.contains("Are you there?"));
    assert_eq!(unread(&browser.get(&f.url("/list")).await.body, f.grace), 0);
});

app_test!(agents_do_not_see_the_settings_link, |app| async move {
    let f = fixture(&app).await;
    let mut agent = signed_in(&app, "agent@acme.test").await;
    for path in ["".to_owned(), format!("/{}", f.ada)] {
        let page = agent.get(&f.url(&path)).await.body;
        assert!(page.contains("id=\"app-nav\""));
        assert!(!page.contains("/settings/inboxes"), "{path}");
    }
    let mut admin = signed_in(&app, "admin@acme.test").await;
    let page = admin.get(&f.url(&format!("/{}", f.ada))).await.body;
    assert!(page.contains("/settings/inboxes\""));
});
