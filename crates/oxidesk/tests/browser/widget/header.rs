//! The widget's header follows the team live: the agent signs in (their dashboard opens) and
//! the open widget says "We are online" with their initials; they turn busy and it says "We are
//! away at the moment", without a reload (the availability picked in the dashboard's top bar).

use serde_json::json;

use super::LIVE_WITHIN;
use crate::browser_test;
use crate::server::ADMIN;

const ONLINE: &str = "document.getElementById('widget-team').dataset.online";
const LINE: &str = "document.getElementById('widget-availability').textContent";

browser_test!(
    the_open_widgets_header_follows_the_agents_availability,
    |desk| async move {
        let api = desk.api().await;
        let inbox = api
            .post(
                "/api/v1/accounts/1/inboxes",
                json!({"name": "Header website", "channel": {"type": "web_widget",
                   "website_url": "https://shop.example"}}),
            )
            .await;
        let website_token = inbox["website_token"].as_str().unwrap().to_owned();
        let me = api.get("/api/v1/profile").await;
        api.post(
            "/api/v1/accounts/1/inbox_members",
            json!({"inbox_id": inbox["id"], "user_ids": [me["id"]]}),
        )
        .await;
        // Online by choice, but with auto_offline and no dashboard open: away.
        api.put("/api/v1/profile", json!({"availability": "online"}))
            .await;

        let visitor = desk.tab().await;
        visitor
            .goto(&format!("/widget?website_token={website_token}"))
            .await;
        visitor
            .wait_for("the header", &format!("{ONLINE} === 'false'"))
            .await;
        assert_eq!(
            visitor.eval::<String>(LINE).await,
            "We are away at the moment"
        );

        // The agent signs in: the dashboard's live stream records their presence.
        let agent = desk.signed_in(ADMIN).await;
        agent.wait_for_response("/live").await;
        visitor
            .wait_for_within(
                "online after the agent signed in",
                &format!("{ONLINE} === 'true'"),
                LIVE_WITHIN,
            )
            .await;
        assert_eq!(visitor.eval::<String>(LINE).await, "We are online");
        assert_eq!(
            visitor
                .eval::<String>("document.getElementById('widget-reply-time').textContent")
                .await,
            "Typically replies in a few minutes"
        );
        let name = me["available_name"]
            .as_str()
            .or(me["name"].as_str())
            .unwrap()
            .to_owned();
        assert_eq!(
            visitor
                .eval::<String>(
                    "document.querySelector('#widget-team .team-avatars [aria-label]').getAttribute('aria-label')"
                )
                .await,
            name
        );

        // The agent picks Busy in the dashboard's top bar: away again, live.
        agent
            .eval::<bool>("(document.getElementById('my-availability').value = 'busy', true)")
            .await;
        agent.click(".availability-form button[type=submit]").await;
        agent
            .wait_for(
                "the top bar showing busy",
                "document.getElementById('my-availability')?.value === 'busy'",
            )
            .await;
        visitor
            .wait_for_within(
                "away after the agent turned busy",
                &format!("{ONLINE} === 'false'"),
                LIVE_WITHIN,
            )
            .await;
        assert_eq!(
            visitor.eval::<String>(LINE).await,
            "We are away at the moment"
        );
        assert!(
            visitor
                .eval::<bool>("document.getElementById('widget-reply-time') === null")
                .await
        );
    }
);
