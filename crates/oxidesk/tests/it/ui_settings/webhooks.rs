//! Settings > Integrations > Webhooks: add (events as checkboxes), the secret, edit, the
//! delivery log with "send again", delete after a confirmation; agents get the 404 page.

use axum::http::StatusCode;
use oxidesk_domain::AccountId;

use super::{settings, signed_in};
use crate::api_setup::Setup;
use crate::app_test;

fn hooks_path(account: AccountId, rest: &str) -> String {
    settings(account, &format!("integrations/webhooks{rest}"))
}

app_test!(webhooks_are_managed_in_settings, |app| async move {
    let s = Setup::new(&app).await;
    let account = s.account.id;
    let (mut admin, csrf) = signed_in(&app, "admin@acme.test", account).await;
    let list = hooks_path(account, "");

    let empty = admin.get(&list).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert!(empty.body.contains("No webhooks yet."), "{}", empty.body);
    assert!(
        empty.body.contains(&format!(
            "<a href=\"{list}\" aria-current=\"page\">Webhooks</a>"
        )),
        "{}",
        empty.body
    );
    assert!(empty.body.contains("value=\"message_created\" checked"));

    let bad = admin
        .post_form(
            &list,
            &[("csrf", &csrf), ("url", "ftp://x"), ("name", "CRM")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("field-error"), "{}", bad.body);

    let added = admin
        .post_form(
            &list,
            &[
                ("csrf", &csrf),
                ("url", "https://crm.example.com/<hook>"),
                ("name", "CRM"),
                ("subscriptions", "contact_created"),
                ("subscriptions", "message_created"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let hooks = app.services().webhooks(account).await.unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    assert_eq!(hook.subscriptions, ["contact_created", "message_created"]);
    let page_path = hooks_path(account, &format!("/{}", hook.id));
    assert_eq!(added.location(), Some(page_path.as_str()));

    let page = admin.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&hook.secret),
        "the secret is shown to administrators"
    );
    assert!(page.body.contains("Nothing sent yet."));
    assert!(!page.body.contains("<hook>"), "escaped");

    let saved = admin
        .post_form(
            &page_path,
            &[
                ("csrf", &csrf),
                ("url", "https://crm.example.com/h"),
                ("name", "CRM 2"),
                ("subscriptions", "inbox_created"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let hook = app.services().webhook(account, hook.id).await.unwrap();
    assert_eq!(hook.name, "CRM 2");
    assert_eq!(hook.subscriptions, ["inbox_created"]);

    // A delivery in the log, sent again from the page (no workers run here).
    app.services()
        .create_api_inbox(account, "API", None)
        .await
        .unwrap();
    let mut log = Vec::new();
    for _ in 0..50 {
        oxidesk::webhooks::dispatch::pass(app.services())
            .await
            .unwrap();
        log = app
            .services()
            .webhook_deliveries(account, hook.id)
            .await
            .unwrap();
        if !log.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(log.len(), 1);
    let page = admin.get(&page_path).await;
    assert!(
        page.body.contains("<code>inbox_created</code>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Send again"));
    let again = admin
        .post_form(
            &format!("{page_path}/deliveries/{}/redeliver", log[0].id),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);

    let (mut agent, agent_csrf) = signed_in(&app, "agent@acme.test", account).await;
    assert_eq!(agent.get(&list).await.status, StatusCode::NOT_FOUND);
    assert_eq!(agent.get(&page_path).await.status, StatusCode::NOT_FOUND);
    let by_agent = agent
        .post_form(&format!("{page_path}/delete"), &[("csrf", &agent_csrf)])
        .await;
    assert_eq!(by_agent.status, StatusCode::NOT_FOUND);

    let confirm = admin.get(&format!("{page_path}/delete")).await;
    assert!(
        confirm
            .body
            .contains("Delete the webhook to https://crm.example.com/h?"),
        "{}",
        confirm.body
    );
    let deleted = admin
        .post_form(&format!("{page_path}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(app.services().webhooks(account).await.unwrap().is_empty());
});
