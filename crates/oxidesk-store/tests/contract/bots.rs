//! Canned responses and agent bots: search with literal `%`/`_`, short codes unique per
//! account, bot lookup by token hash, one bot per inbox, cascades.

use oxidesk_domain::{AgentBotId, CannedResponseId};
use oxidesk_store::BotKeys;

use super::*;

fn keys(n: u8) -> BotKeys {
    BotKeys {
        token_hash: format!("hash-{n}"),
        sealed_token: format!("sealed-token-{n}"),
        sealed_secret: format!("sealed-secret-{n}"),
    }
}

store_test!(
    canned_responses_search_and_stay_in_their_account,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let refund = db
            .insert_canned_response(acme.id, "refund", "Refunds take 5 days", at(1))
            .await
            .unwrap();
        let pct = db
            .insert_canned_response(acme.id, "discount", "100% off_today", at(2))
            .await
            .unwrap();
        db.insert_canned_response(acme.id, "ship", "Your refund ships", at(3))
            .await
            .unwrap();
        assert_conflict(
            db.insert_canned_response(acme.id, "refund", "again", at(4))
                .await,
            "short_code",
        );
        db.insert_canned_response(globex.id, "refund", "theirs", at(4))
            .await
            .unwrap();

        let codes = |list: Vec<oxidesk_domain::bots::CannedResponse>| {
            list.into_iter().map(|c| c.short_code).collect::<Vec<_>>()
        };
        let all = db.canned_responses(acme.id, None).await.unwrap();
        assert_eq!(codes(all), ["discount", "refund", "ship"]);
        // Short codes starting with the term first, then other matches.
        let found = db.canned_responses(acme.id, Some("REF")).await.unwrap();
        assert_eq!(codes(found), ["refund", "ship"]);
        assert_eq!(
            codes(db.canned_responses(acme.id, Some("%")).await.unwrap()),
            ["discount"]
        );
        assert_eq!(
            codes(db.canned_responses(acme.id, Some("f_t")).await.unwrap()),
            ["discount"]
        );
        assert!(
            db.canned_responses(acme.id, Some("o_f"))
                .await
                .unwrap()
                .is_empty()
        );

        let changed = db
            .update_canned_response(acme.id, pct.id, "promo", "10% off", at(9))
            .await
            .unwrap();
        assert_eq!(changed.short_code, "promo");
        assert_eq!(changed.created_at, at(2));
        assert_eq!(changed.updated_at, at(9));
        assert_not_found(db.canned_response(globex.id, refund.id).await);
        assert_not_found(db.delete_canned_response(globex.id, refund.id).await);
        db.delete_canned_response(acme.id, refund.id).await.unwrap();
        assert_not_found(
            db.canned_response(acme.id, CannedResponseId(refund.id.get()))
                .await,
        );
    }
);

store_test!(
    agent_bots_serve_one_inbox_each_and_cascade,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let web = inbox(&db, acme.id, "web").await;
        let triage = db
            .insert_agent_bot(
                acme.id,
                "Triage",
                "",
                "https://bot.example/a",
                &keys(1),
                at(1),
            )
            .await
            .unwrap();
        let other = db
            .insert_agent_bot(acme.id, "Other", "d", "", &keys(2), at(2))
            .await
            .unwrap();
        assert_eq!(db.agent_bot_by_token_hash("hash-1").await.unwrap(), triage);
        assert_eq!(triage.sealed_token, "sealed-token-1");
        assert_not_found(db.agent_bot_by_token_hash("hash-9").await);
        assert_not_found(db.agent_bot(globex.id, triage.id).await);

        assert_eq!(db.inbox_agent_bot(acme.id, web.id).await.unwrap(), None);
        db.set_inbox_agent_bot(acme.id, web.id, Some(triage.id), at(3))
            .await
            .unwrap();
        db.set_inbox_agent_bot(acme.id, web.id, Some(other.id), at(4))
            .await
            .unwrap();
        assert_eq!(
            db.inbox_agent_bot(acme.id, web.id).await.unwrap(),
            Some(other.clone())
        );
        assert_eq!(
            db.agent_bot_inboxes(acme.id).await.unwrap(),
            [(web.id, other.id)]
        );
        assert_eq!(db.inbox_agent_bot(globex.id, web.id).await.unwrap(), None);

        let renamed = db
            .update_agent_bot(acme.id, other.id, "Renamed", "", "https://x.example", at(5))
            .await
            .unwrap();
        assert_eq!(renamed.sealed_secret, "sealed-secret-2", "keys stay");
        db.delete_agent_bot(acme.id, other.id).await.unwrap();
        assert_eq!(db.inbox_agent_bot(acme.id, web.id).await.unwrap(), None);
        assert_not_found(
            db.delete_agent_bot(acme.id, AgentBotId(other.id.get()))
                .await,
        );
        assert_eq!(db.agent_bots(acme.id).await.unwrap(), [triage]);
    }
);

store_test!(
    bot_keys_and_inbox_secrets_reset_in_their_account,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let bot = db
            .insert_agent_bot(acme.id, "Triage", "", "", &keys(1), at(1))
            .await
            .unwrap();
        let reset = db
            .reset_agent_bot_token(acme.id, bot.id, "hash-new", "sealed-token-new", at(2))
            .await
            .unwrap();
        assert_eq!(reset.sealed_token, "sealed-token-new");
        assert_eq!(reset.sealed_secret, "sealed-secret-1", "the secret stays");
        assert_not_found(db.agent_bot_by_token_hash("hash-1").await);
        assert_eq!(db.agent_bot_by_token_hash("hash-new").await.unwrap(), reset);
        let resealed = db
            .reset_agent_bot_secret(acme.id, bot.id, "sealed-secret-new", at(3))
            .await
            .unwrap();
        assert_eq!(resealed.sealed_secret, "sealed-secret-new");
        assert_eq!(resealed.sealed_token, "sealed-token-new", "the token stays");
        assert_not_found(
            db.reset_agent_bot_token(globex.id, bot.id, "hash-x", "x", at(4))
                .await,
        );
        assert_not_found(
            db.reset_agent_bot_secret(globex.id, bot.id, "x", at(4))
                .await,
        );

        let web = inbox(&db, acme.id, "web").await;
        let other = inbox(&db, acme.id, "other").await;
        assert_eq!(
            db.inbox_webhook_secret(acme.id, web.id).await.unwrap(),
            None
        );
        assert!(db.inbox_webhook_secrets(acme.id).await.unwrap().is_empty());
        db.set_inbox_webhook_secret(acme.id, web.id, "sealed-inbox", at(5))
            .await
            .unwrap();
        assert_eq!(
            db.inbox_webhook_secret(acme.id, web.id).await.unwrap(),
            Some("sealed-inbox".to_owned())
        );
        assert_eq!(
            db.inbox_webhook_secret(acme.id, other.id).await.unwrap(),
            None
        );
        assert_eq!(
            db.inbox_webhook_secrets(acme.id).await.unwrap(),
            [(web.id, "sealed-inbox".to_owned())]
        );
        assert!(
            db.inbox_webhook_secrets(globex.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_not_found(db.inbox_webhook_secret(globex.id, web.id).await);
        assert_not_found(
            db.set_inbox_webhook_secret(globex.id, web.id, "x", at(6))
                .await,
        );
    }
);
