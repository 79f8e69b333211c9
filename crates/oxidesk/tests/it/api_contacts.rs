//! The contacts API: create, show, update, delete (this module); lists and search ([`lists`]);
//! labels, inboxes and conversations ([`related`]); validation, permissions, tenancy and events
//! ([`rules`]).

/// `snapshot!` for the submodules: into `tests/it/snapshots` with every other snapshot.
macro_rules! nested_snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "../snapshots"}, {
            $crate::snapshot!($name, $value)
        })
    };
}

mod lists;
mod related;
mod rules;

use axum::http::{Method, StatusCode};
use oxidesk::service::{ContactInput, StartConversation};
use oxidesk_domain::{Account, ContactId, Inbox};
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse};
use crate::{app_test, snapshot};

/// An account with an administrator, their token and an API inbox.
pub struct Setup {
    pub account: Account,
    pub token: String,
    pub inbox: Inbox,
}

pub async fn setup(app: &TestApp) -> Setup {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let token = app.token("admin@acme.test").await;
    let inbox = app
        .services()
        .create_api_inbox(account.id, "Website", None)
        .await
        .unwrap();
    Setup {
        account,
        token,
        inbox,
    }
}

impl Setup {
    /// `/api/v1/accounts/{account}/contacts{rest}`.
    pub fn url(&self, rest: &str) -> String {
        format!("/api/v1/accounts/{}/contacts{rest}", self.account.id)
    }
}

/// Sends a JSON request with the token.
pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Value,
) -> TestResponse {
    app.browser()
        .json(method, path, &[("api_access_token", token)], body)
        .await
}

/// A contact made through the service.
pub async fn contact(app: &TestApp, account: &Account, name: &str, email: Option<&str>) -> i64 {
    app.services()
        .create_contact(
            account.id,
            &ContactInput {
                name: Some(name.into()),
                email: email.map(Into::into),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap()
        .id
        .get()
}

/// Asserts a 422 whose first error names `field`.
#[track_caller]
pub fn assert_invalid(response: &TestResponse, field: &str) {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert_eq!(
        response.json()["errors"][0]["field"],
        field,
        "{}",
        response.body
    );
}

app_test!(
    creates_shows_updates_and_deletes_a_contact,
    |app| async move {
        let s = setup(&app).await;
        let created = send(
            &app,
            Method::POST,
            &s.url(""),
            &s.token,
            json!({
                "inbox_id": s.inbox.id,
                "source_id": "visitor-1",
                "name": "Alice Doe",
                "email": "Alice@Example.COM",
                "phone_number": "+1 415 555 0123",
                "identifier": "crm-1",
                "avatar_url": "https://example.com/alice.png",
                "additional_attributes": {"company_name": "Acme", "city": "Lyon"},
                "custom_attributes": {"plan": "pro"}
            }),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        snapshot!("created", created.json());
        let id = created.json()["payload"]["contact"]["id"].as_i64().unwrap();
        assert_eq!(
            created.json()["payload"]["contact"]["email"],
            "alice@example.com"
        );

        let shown = send(
            &app,
            Method::GET,
            &s.url(&format!("/{id}")),
            &s.token,
            json!(null),
        )
        .await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        snapshot!("shown", shown.json());

        let updated = send(
            &app,
            Method::PUT,
            &s.url(&format!("/{id}")),
            &s.token,
            json!({
                "name": "Alice Martin",
                "phone_number": null,
                "blocked": true,
                "additional_attributes": {"city": "Paris", "country": "France"},
                "custom_attributes": {"plan": null, "seats": 3}
            }),
        )
        .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        snapshot!("updated", updated.json());
        let contact = &updated.json()["payload"];
        assert_eq!(
            contact["email"], "alice@example.com",
            "untouched fields stay"
        );
        assert_eq!(contact["identifier"], "crm-1");
        assert_eq!(contact["phone_number"], Value::Null, "null clears");
        assert_eq!(contact["blocked"], true);
        assert_eq!(
            contact["additional_attributes"],
            json!({"company_name": "Acme", "city": "Paris", "country": "France"}),
            "additional attributes are merged, as Chatwoot does"
        );
        assert_eq!(
            contact["custom_attributes"],
            json!({"seats": 3}),
            "null removes a key"
        );

        let patched = send(
            &app,
            Method::PATCH,
            &s.url(&format!("/{id}")),
            &s.token,
            json!({"email": "", "blocked": false}),
        )
        .await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
        assert_eq!(
            patched.json()["payload"]["email"],
            Value::Null,
            "blank clears"
        );
        assert_eq!(patched.json()["payload"]["name"], "Alice Martin");
        assert_eq!(patched.json()["payload"]["blocked"], false);

        let conversation = app
            .services()
            .start_conversation(
                s.account.id,
                &StartConversation::new(s.inbox.id, ContactId(id)),
            )
            .await
            .unwrap();
        let deleted = send(
            &app,
            Method::DELETE,
            &s.url(&format!("/{id}")),
            &s.token,
            json!(null),
        )
        .await;
        assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
        let gone = send(
            &app,
            Method::GET,
            &s.url(&format!("/{id}")),
            &s.token,
            json!(null),
        )
        .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        assert_eq!(gone.json()["message"], "contact not found");
        let conversation_gone = send(
            &app,
            Method::GET,
            &format!(
                "/api/v1/accounts/{}/conversations/{}",
                s.account.id, conversation.display_id
            ),
            &s.token,
            json!(null),
        )
        .await;
        assert_eq!(
            conversation_gone.status,
            StatusCode::NOT_FOUND,
            "its conversations go too"
        );
    }
);

app_test!(
    a_contact_without_an_inbox_and_with_a_made_up_source_id,
    |app| async move {
        let s = setup(&app).await;
        let bare = send(
            &app,
            Method::POST,
            &s.url(""),
            &s.token,
            json!({"name": "Bob"}),
        )
        .await;
        assert_eq!(bare.status, StatusCode::OK, "{}", bare.body);
        snapshot!("without_inbox", bare.json());
        let made_up = send(
            &app,
            Method::POST,
            &s.url(""),
            &s.token,
            json!({"name": "Carol", "inbox_id": s.inbox.id}),
        )
        .await;
        assert_eq!(made_up.status, StatusCode::OK, "{}", made_up.body);
        let source = made_up.json()["payload"]["contact_inbox"]["source_id"].clone();
        assert_eq!(source.as_str().map(str::len), Some(36), "a UUID: {source}");
        assert_eq!(
            made_up.json()["payload"]["contact"]["contact_inboxes"][0]["source_id"],
            source
        );
    }
);
