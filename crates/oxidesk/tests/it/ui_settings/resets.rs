//! "Reset token" and "Reset secret" on the agent bot's and the API inbox's settings pages: a
//! confirmation, then a new value shown on the page; agents get the 404 page.

use axum::http::StatusCode;
use oxidesk::service::BotFields;

use super::{settings, signed_in};
use crate::api_setup::Setup;
use crate::app_test;

app_test!(
    tokens_and_secrets_are_reset_after_a_confirmation,
    |app| async move {
        let s = Setup::new(&app).await;
        let account = s.account.id;
        let services = app.services();
        let fields = BotFields {
            name: Some("Triage <b>".into()),
            ..BotFields::default()
        };
        let bot = services
            .save_agent_bot(account, None, &fields)
            .await
            .unwrap();
        let before = services.agent_bot_view(&bot, true);
        let inbox = services
            .create_api_inbox(account, "API", None)
            .await
            .unwrap();
        let old_inbox_secret = services
            .inbox_secrets(account)
            .await
            .unwrap()
            .of(inbox.id.get());
        let (mut admin, csrf) = signed_in(&app, "admin@acme.test", account).await;
        let (mut agent, agent_csrf) = signed_in(&app, "agent@acme.test", account).await;

        let bot_page = settings(account, &format!("integrations/agent_bots/{}", bot.id));
        let page = admin.get(&bot_page).await;
        assert!(
            page.body
                .contains(&format!("href=\"{bot_page}/reset_token\"")),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains(&format!("href=\"{bot_page}/reset_secret\""))
        );
        let confirm = admin.get(&format!("{bot_page}/reset_token")).await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(
            confirm
                .body
                .contains("Reset the access token of “Triage &#60;b&#62;”?"),
            "{}",
            confirm.body
        );
        assert!(confirm.body.contains("refused at once"));
        assert!(!confirm.body.contains("<b>"), "escaped");

        for rest in ["reset_token", "reset_secret"] {
            let path = format!("{bot_page}/{rest}");
            assert_eq!(agent.get(&path).await.status, StatusCode::NOT_FOUND);
            let by_agent = agent.post_form(&path, &[("csrf", &agent_csrf)]).await;
            assert_eq!(by_agent.status, StatusCode::NOT_FOUND);
            let forged = admin.post_form(&path, &[("csrf", "forged")]).await;
            assert_eq!(forged.status, StatusCode::FORBIDDEN, "{path}");
        }
        let unchanged = services.agent_bot(account, bot.id).await.unwrap();
        assert_eq!(services.agent_bot_view(&unchanged, true), before);

        let done = admin
            .post_form(&format!("{bot_page}/reset_token"), &[("csrf", &csrf)])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(
            done.location(),
            Some(format!("{bot_page}?saved=1").as_str())
        );
        let after =
            services.agent_bot_view(&services.agent_bot(account, bot.id).await.unwrap(), true);
        assert_ne!(after.access_token, before.access_token);
        assert_eq!(after.secret, before.secret);
        let done = admin
            .post_form(&format!("{bot_page}/reset_secret"), &[("csrf", &csrf)])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let last =
            services.agent_bot_view(&services.agent_bot(account, bot.id).await.unwrap(), true);
        assert_ne!(last.secret, before.secret);
        assert_eq!(last.access_token, after.access_token);
        let page = admin.get(&bot_page).await;
        assert!(page.body.contains(last.access_token.as_deref().unwrap()));
        assert!(page.body.contains(last.secret.as_deref().unwrap()));

        let inbox_page = settings(account, &format!("inboxes/{}", inbox.id));
        let reset = format!("{inbox_page}/reset_secret");
        let page = admin.get(&inbox_page).await;
        assert!(page.body.contains(&old_inbox_secret), "{}", page.body);
        assert!(page.body.contains(&format!("href=\"{reset}\"")));
        let confirm = admin.get(&reset).await;
        assert!(
            confirm.body.contains("Reset the webhook secret of “API”?"),
            "{}",
            confirm.body
        );
        assert_eq!(agent.get(&reset).await.status, StatusCode::NOT_FOUND);
        let by_agent = agent.post_form(&reset, &[("csrf", &agent_csrf)]).await;
        assert_eq!(by_agent.status, StatusCode::NOT_FOUND);
        let done = admin.post_form(&reset, &[("csrf", &csrf)]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let new_secret = services
            .inbox_secrets(account)
            .await
            .unwrap()
            .of(inbox.id.get());
        assert_ne!(new_secret, old_inbox_secret);
        let page = admin.get(&inbox_page).await;
        assert!(page.body.contains(&new_secret));
        assert!(!page.body.contains(&old_inbox_secret));
        // Another account's inbox id is not there for this administrator.
        let foreign = services
            .create_api_inbox(s.other.id, "Theirs", None)
            .await
            .unwrap();
        let theirs = settings(account, &format!("inboxes/{}/reset_secret", foreign.id));
        assert_eq!(
            admin.post_form(&theirs, &[("csrf", &csrf)]).await.status,
            StatusCode::NOT_FOUND
        );
    }
);
