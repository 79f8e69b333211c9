//! Settings > Integrations: the cards the seeds' instructions lead to (Configure next to
//! Dashboard apps), each with its state; administrators only.

use axum::http::StatusCode;
use oxidesk_domain::Role;

use super::{settings, signed_in};
use crate::app_test;

app_test!(
    the_integrations_page_lists_each_integration_with_configure,
    |app| async move {
        let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
        let (mut admin, _) = signed_in(&app, "admin@acme.test", account.id).await;
        let page = admin.get(&settings(account.id, "integrations")).await;
        assert_eq!(page.status, StatusCode::OK);
        for (id, link) in [
            (
                "integration-dashboard_apps",
                "settings/integrations/dashboard_apps",
            ),
            ("integration-webhooks", "settings/integrations/webhooks"),
        ] {
            let card = page
                .body
                .split(&format!("id=\"{id}\""))
                .nth(1)
                .and_then(|rest| rest.split("</li>").next())
                .unwrap_or_else(|| panic!("no card {id}: {}", page.body));
            assert!(card.contains(">Configure<"), "{card}");
            assert!(card.contains(link), "{card}");
            assert!(card.contains("None configured yet"), "{card}");
        }
        assert!(
            page.body.contains("All integrations"),
            "the menu leads here"
        );

        let frames = vec![oxidesk_domain::apps::AppFrameInput {
            kind: Some("frame".into()),
            url: Some("https://crm.example.com".into()),
        }];
        app.services()
            .create_dashboard_app(
                account.id,
                app.services()
                    .store
                    .list_agents(account.id, None, 10)
                    .await
                    .unwrap()[0]
                    .user
                    .id,
                &oxidesk::service::AppInput {
                    title: Some("CRM"),
                    content: Some(&frames),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let page = admin.get(&settings(account.id, "integrations")).await;
        assert!(page.body.contains("1 configured"), "{}", page.body);

        app.member(&account, "sam@acme.test", Role::Agent).await;
        let (mut agent, _) = signed_in(&app, "sam@acme.test", account.id).await;
        let refused = agent.get(&settings(account.id, "integrations")).await;
        assert_eq!(
            refused.status,
            StatusCode::NOT_FOUND,
            "agents get the 404 page"
        );
    }
);
