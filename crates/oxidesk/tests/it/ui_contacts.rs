//! The contact pages: list, search, keyset pages, the contact page, its edit and label forms,
//! escaping of everything customers wrote, links built only from safe parts.

use axum::http::StatusCode;
use oxidesk::service::{AttributeInput, ContactInput, StartConversation};
use oxidesk_domain::{
    AccountId, AttributeDisplayType, AttributeModel, ContactId, ConversationStatus, Role,
};
use serde_json::json;

use crate::api_setup::Setup;
use crate::app_test;
use crate::support::{Browser, TestApp};

const XSS: &str = "<script>alert(1)</script>";
const ESCAPED: &str = "&#60;script&#62;alert(1)&#60;/script&#62;";

fn contacts(account: AccountId, rest: &str) -> String {
    format!("/app/accounts/{account}/contacts{rest}")
}

async fn signed_in<'a>(app: &'a TestApp, email: &str, account: AccountId) -> (Browser<'a>, String) {
    let mut browser = app.browser();
    browser.login(email, "password123").await;
    let csrf = browser.csrf_of(&contacts(account, "")).await;
    (browser, csrf)
}

/// The `href` of the link whose attributes end with `marker` (e.g. `rel="next"`), unescaped.
fn link_before(html: &str, marker: &str) -> Option<String> {
    let end = html.find(marker)?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    let stop = html[start..].find('"')? + start;
    Some(html[start..stop].replace("&#38;", "&"))
}

/// A contact with every kind of detail, a conversation and a label.
async fn rich_contact(app: &TestApp, s: &Setup) -> (ContactId, i64) {
    let services = app.services();
    let account = s.account.id;
    services
        .create_attribute_definition(
            account,
            &AttributeInput {
                key: "plan",
                display_name: "Plan",
                display_type: AttributeDisplayType::Text,
                model: AttributeModel::Contact,
                description: "",
                values: vec![],
            },
        )
        .await
        .unwrap();
    services
        .create_attribute_definition(
            account,
            &AttributeInput {
                key: "homepage",
                display_name: "Homepage",
                display_type: AttributeDisplayType::Link,
                model: AttributeModel::Contact,
                description: "",
                values: vec![],
            },
        )
        .await
        .unwrap();
    let contact = services
        .create_contact(
            account,
            &ContactInput {
                name: Some("Maria Gonzalez".into()),
                email: Some("maria@brightlane.test".into()),
                phone_number: Some("+34612345678".into()),
                identifier: Some("cus_1001".into()),
                additional_attributes: json!({
                    "company_name": "Brightlane Café", "city": "Madrid", "country": "Spain",
                    "description": "Owner of a café", "browser_language": "es",
                    "social_profiles": {"github": "mariag", "twitter": "@maria_cafe",
                        "linkedin": "javascript:alert(1)", "facebook": "https://evil.test/x"}
                })
                .as_object()
                .cloned()
                .unwrap(),
                custom_attributes:
                    json!({"plan": "pro", "homepage": "javascript:alert(2)", "orders": 12})
                        .as_object()
                        .cloned()
                        .unwrap(),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    services
        .set_contact_labels(account, contact.id, &["vip".into()])
        .await
        .unwrap();
    services
        .create_label(account, "billing", "", "#00aa00")
        .await
        .unwrap();
    let inbox = services
        .create_api_inbox(account, "Website", None)
        .await
        .unwrap();
    let conversation = services
        .start_conversation(
            account,
            &StartConversation {
                inbox_id: inbox.id,
                contact_id: contact.id,
                source_id: None,
                status: ConversationStatus::Pending,
                assignee_id: Some(s.agent.id),
                team_id: None,
                priority: None,
                additional_attributes: Default::default(),
                custom_attributes: Default::default(),
            },
        )
        .await
        .unwrap();
    (contact.id, conversation.display_id.get())
}

app_test!(the_list_searches_and_pages, |app| async move {
    let s = Setup::new(&app).await;
    let account = s.account.id;
    for i in 0..30 {
        app.services()
            .create_contact(
                account,
                &ContactInput {
                    name: Some(format!("Customer {i:02}")),
                    email: Some(format!("c{i}@shop.test")),
                    additional_attributes: json!({"company_name": format!("Company {i}")})
                        .as_object()
                        .cloned()
                        .unwrap(),
                    ..ContactInput::default()
                },
            )
            .await
            .unwrap();
    }
    app.services()
        .create_contact(
            account,
            &ContactInput {
                name: Some("Ada Lovelace".into()),
                phone_number: Some("+14155550123".into()),
                identifier: Some("ada-1".into()),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    let (mut agent, _) = signed_in(&app, "agent@acme.test", account).await;
    let first = agent.get(&contacts(account, "")).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("31 contacts"), "{}", first.body);
    assert!(first.body.contains("aria-current=\"page\">Contacts"));
    assert_eq!(first.body.matches("class=\"person\"").count(), 25);
    assert!(first.body.contains("Ada Lovelace") && first.body.contains("+14155550123"));
    assert!(first.body.contains("Company 29") && first.body.contains("c29@shop.test"));
    assert!(first.body.contains(">AL</span>"), "initials");
    let next = link_before(&first.body, "rel=\"next\"").expect("a next page");
    let second = agent.get(&next).await;
    assert_eq!(
        second.body.matches("class=\"person\"").count(),
        6,
        "{}",
        second.body
    );
    assert!(second.body.contains("Customer 00") && !second.body.contains("Customer 29"));
    assert!(link_before(&second.body, "rel=\"next\"").is_none());
    assert!(second.body.contains(">First page</a>"));

    for (q, hit) in [
        ("lovelace", "Ada Lovelace"),
        ("+1415", "Ada Lovelace"),
        ("ADA-1", "Ada Lovelace"),
        ("c7@shop", "Customer 07"),
    ] {
        let found = agent
            .get(&contacts(account, &format!("?q={}", q.replace('+', "%2B"))))
            .await;
        assert!(
            found.body.contains("1 contact matching"),
            "{q}: {}",
            found.body
        );
        assert!(found.body.contains(hit), "{q}");
    }
    let many = agent.get(&contacts(account, "?q=customer")).await;
    assert!(many.body.contains("30 contacts matching"));
    let next = link_before(&many.body, "rel=\"next\"").unwrap();
    assert!(
        next.contains("q=customer&after="),
        "the search stays on the next page: {next}"
    );
    assert_eq!(
        agent
            .get(&next)
            .await
            .body
            .matches("class=\"person\"")
            .count(),
        5
    );
    let none = agent
        .get(&contacts(account, "?q=nobody&after=garbage"))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body.contains("No contact matches your search."));
});

app_test!(
    a_search_that_found_more_than_it_keeps_says_so,
    |app| async move {
        let s = Setup::new(&app).await;
        let limit = oxidesk_store::SEARCH_LIMIT;
        for i in 0..limit {
            app.services()
                .create_contact(
                    s.account.id,
                    &ContactInput {
                        name: Some(format!("Sam {i:03}")),
                        ..ContactInput::default()
                    },
                )
                .await
                .unwrap();
        }
        let (mut agent, _) = signed_in(&app, "agent@acme.test", s.account.id).await;
        let many = agent.get(&contacts(s.account.id, "?q=sam")).await;
        assert!(
            many.body.contains(&format!(
                "{limit}+ contacts matching “sam” (the {limit} newest are listed"
            )),
            "{}",
            many.body
        );
        assert!(many.body.contains(&format!("Sam {:03}", limit - 1)));
        let one = agent.get(&contacts(s.account.id, "?q=sam%20007")).await;
        assert!(one.body.contains("1 contact matching"), "{}", one.body);
        assert!(!one.body.contains("newest are listed"));
    }
);

app_test!(the_contact_page_shows_everything_known, |app| async move {
    let s = Setup::new(&app).await;
    let (contact, display_id) = rich_contact(&app, &s).await;
    let (mut agent, _) = signed_in(&app, "agent@acme.test", s.account.id).await;
    let page = agent
        .get(&contacts(s.account.id, &format!("/{contact}")))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    for text in [
        "Maria Gonzalez",
        "href=\"mailto:maria@brightlane.test\"",
        "href=\"tel:+34612345678\"",
        "cus_1001",
        "Brightlane Café",
        "Madrid",
        "Spain",
        "Owner of a café",
        "Browser language",
        "href=\"https://github.com/mariag\"",
        "href=\"https://x.com/maria_cafe\"",
        "<dt>Plan</dt><dd>pro</dd>",
        "<dt>Orders</dt><dd>12</dd>",
        "<span class=\"label\">vip</span>",
        "value=\"billing\"",
        "Website",
        "pending",
        "Test User",
        &format!(
            "href=\"/app/accounts/{}/conversations/{display_id}\"",
            s.account.id
        ),
        "value=\"+34612345678\"",
        "value=\"Brightlane Café\"",
    ] {
        assert!(body.contains(text), "lacks {text}: {body}");
    }
    assert!(
        !body.contains("href=\"javascript:"),
        "no customer-given scheme is linked"
    );
    assert!(
        !body.contains("href=\"https://evil.test"),
        "no customer-given URL is linked"
    );
    assert!(body.contains("javascript:alert(2)"), "shown as text");
    assert!(!body.contains(" style="));

    let (mut other, _) = signed_in(&app, "admin@globex.test", s.other.id).await;
    let foreign = other
        .get(&contacts(s.other.id, &format!("/{contact}")))
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::NOT_FOUND,
        "another account's contact"
    );
    assert_eq!(
        other.get(&contacts(s.account.id, "")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        agent.get(&contacts(s.account.id, "/nope")).await.status,
        StatusCode::NOT_FOUND
    );
});

app_test!(
    the_edit_form_saves_and_shows_field_errors,
    |app| async move {
        let s = Setup::new(&app).await;
        let account = s.account.id;
        let (contact, _) = rich_contact(&app, &s).await;
        app.services()
            .create_contact(
                account,
                &ContactInput {
                    email: Some("taken@shop.test".into()),
                    ..ContactInput::default()
                },
            )
            .await
            .unwrap();
        let (mut agent, csrf) = signed_in(&app, "agent@acme.test", account).await;
        let path = contacts(account, &format!("/{contact}"));
        let form = |name: &'static str, email: &'static str, phone: &'static str| {
            vec![
                ("name", name),
                ("email", email),
                ("phone_number", phone),
                ("identifier", "cus_1001"),
                ("company_name", "Typed Co"),
                ("city", ""),
                ("country", "Spain"),
            ]
        };
        let mut invalid = form("Maria G", "not-an-email", "12");
        invalid.push(("csrf", &csrf));
        let shown = agent.post_form(&path, &invalid).await;
        assert_eq!(shown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            shown
                .body
                .contains("&#39;not-an-email&#39; is not a valid email address")
                || shown
                    .body
                    .contains("'not-an-email' is not a valid email address"),
            "{}",
            shown.body
        );
        assert!(
            shown
                .body
                .contains("Phone number must be in international format"),
            "{}",
            shown.body
        );
        assert!(
            shown.body.contains("value=\"Maria G\"") && shown.body.contains("value=\"Typed Co\""),
            "typed values kept"
        );
        assert!(
            shown
                .body
                .contains("aria-describedby=\"contact-email-error\"")
        );

        let mut taken = form("Maria G", "TAKEN@shop.test", "");
        taken.push(("csrf", &csrf));
        let shown = agent.post_form(&path, &taken).await;
        assert!(
            shown
                .body
                .contains("Email is already used by another contact"),
            "{}",
            shown.body
        );

        let mut good = form("Maria G", "maria.g@brightlane.test", "+34 612 345 679");
        good.push(("csrf", &csrf));
        let saved = agent.post_form(&path, &good).await;
        assert_eq!(
            saved.location(),
            Some(format!("{path}?saved=1").as_str()),
            "{}",
            saved.body
        );
        let after = app.services().contact(account, contact).await.unwrap();
        assert_eq!(after.name, "Maria G");
        assert_eq!(after.email.as_deref(), Some("maria.g@brightlane.test"));
        assert_eq!(after.phone_number.as_deref(), Some("+34612345679"));
        assert_eq!(after.additional_attributes["company_name"], "Typed Co");
        assert!(
            after.additional_attributes.get("city").is_none(),
            "a blank field clears it"
        );
        assert_eq!(
            after.additional_attributes["social_profiles"]["github"], "mariag",
            "other attributes stay"
        );
        assert_eq!(after.custom_attributes["plan"], "pro");
        assert!(
            agent
                .get(&format!("{path}?saved=1"))
                .await
                .body
                .contains("Saved.")
        );

        let labelled = agent
            .post_form(
                &format!("{path}/labels"),
                &[("csrf", &csrf), ("labels", "billing"), ("labels", "vip")],
            )
            .await;
        assert_eq!(labelled.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.services()
                .contact_labels(account, contact)
                .await
                .unwrap(),
            ["billing", "vip"]
        );
        agent
            .post_form(&format!("{path}/labels"), &[("csrf", &csrf)])
            .await;
        assert!(
            app.services()
                .contact_labels(account, contact)
                .await
                .unwrap()
                .is_empty()
        );

        let before = app.services().contact(account, contact).await.unwrap();
        let forged = agent
            .post_form(&path, &form("Eve", "eve@evil.test", ""))
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let forged = agent
            .post_form(&format!("{path}/labels"), &[("labels", "x")])
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.services().contact(account, contact).await.unwrap(),
            before
        );
        assert!(
            app.services()
                .contact_labels(account, contact)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

app_test!(
    customer_text_is_escaped_on_contact_pages,
    |app| async move {
        let s = Setup::new(&app).await;
        let account = s.account.id;
        let contact = app
            .services()
            .create_contact(
                account,
                &ContactInput {
                    name: Some(XSS.into()),
                    identifier: Some(XSS.into()),
                    avatar_url: Some("http://tracker.test/pixel.png".into()),
                    additional_attributes:
                        json!({"company_name": XSS, "city": XSS, "description": XSS,
                "social_profiles": {"github": XSS}, XSS: XSS})
                        .as_object()
                        .cloned()
                        .unwrap(),
                    custom_attributes: json!({"note": XSS}).as_object().cloned().unwrap(),
                    ..ContactInput::default()
                },
            )
            .await
            .unwrap();
        app.services()
            .set_contact_labels(account, contact.id, &["x-y".into()])
            .await
            .unwrap();
        app.member(&s.account, "viewer@acme.test", Role::Agent)
            .await;
        let (mut agent, _) = signed_in(&app, "viewer@acme.test", account).await;
        for path in [
            contacts(account, ""),
            contacts(account, &format!("/{}", contact.id)),
            contacts(account, "?q=script"),
        ] {
            let page = agent.get(&path).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                !page.body.contains("<script>alert"),
                "{path}: {}",
                page.body
            );
            assert!(page.body.contains(ESCAPED), "{path}: {}", page.body);
            assert!(
                !page.body.contains("tracker.test"),
                "{path}: only https pictures are shown"
            );
        }
        let page = agent
            .get(&contacts(account, &format!("/{}", contact.id)))
            .await;
        assert!(
            !page.body.contains("href=\"https://github.com/&#60;"),
            "no link from a hostile handle"
        );
        let search = agent
            .get(&contacts(account, &format!("?q={}", "%3Cscript%3E")))
            .await;
        assert!(
            search.body.contains("value=\"&#60;script&#62;\""),
            "{}",
            search.body
        );
    }
);
