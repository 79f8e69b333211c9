//! Agents' availability (`PATCH /api/v1/profile`, Chatwoot's `POST /api/v1/profile/availability`),
//! presence (`auto_offline`), and what the widget's header says about the inbox's agents.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Setup, agent, online_agent, setup};
use crate::app_test;
use crate::support::{TestApp, TestResponse};

async fn profile(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> TestResponse {
    app.browser()
        .json(method, path, &[("api_access_token", token)], body)
        .await
}

/// The widget page's HTML.
async fn widget_page(app: &TestApp, s: &Setup) -> String {
    let page = app
        .browser()
        .get(&format!("/widget?website_token={}", s.website_token))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
}

app_test!(
    agents_set_their_availability_and_presence_decides_what_others_see,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let changed = profile(
            &app,
            &s.token,
            Method::PATCH,
            "/api/v1/profile",
            json!({"availability": "online"}),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        let account = &changed.json()["accounts"][0];
        assert_eq!(account["availability"], "online");
        // auto_offline (the default) and no dashboard open: others see offline.
        assert_eq!(account["auto_offline"], true);
        assert_eq!(account["availability_status"], "offline");
        let user = changed.json()["id"].as_i64().unwrap();
        app.services()
            .touch_presence(s.account.id, oxidesk_domain::UserId(user))
            .await
            .unwrap();
        let mut client = app.browser();
        let agents = agent(&mut client, &s, Method::GET, "/agents", json!(null))
            .await
            .json();
        assert_eq!(agents[0]["availability_status"], "online", "{agents}");

        // Chatwoot's own route, wrapped in `profile`, with the account.
        let busy = profile(
            &app,
            &s.token,
            Method::POST,
            "/api/v1/profile/availability",
            json!({"profile": {"availability": "busy", "account_id": s.account.id}}),
        )
        .await;
        assert_eq!(busy.status, StatusCode::OK, "{}", busy.body);
        assert_eq!(busy.json()["accounts"][0]["availability"], "busy");
        assert_eq!(busy.json()["accounts"][0]["availability_status"], "busy");
        // PUT does the same; "available" is Chatwoot's documents' word for online.
        let put = profile(
            &app,
            &s.token,
            Method::PUT,
            "/api/v1/profile",
            json!({"availability": "available"}),
        )
        .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
        assert_eq!(put.json()["accounts"][0]["availability"], "online");

        let wrong = profile(
            &app,
            &s.token,
            Method::PATCH,
            "/api/v1/profile",
            json!({"availability": "away"}),
        )
        .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.body
        );
        assert!(wrong.body.contains("availability"), "{}", wrong.body);
        let other = app.services().create_account("Other").await.unwrap();
        let foreign = profile(
            &app,
            &s.token,
            Method::PATCH,
            "/api/v1/profile",
            json!({"availability": "offline", "account_id": other.id}),
        )
        .await;
        assert_eq!(
            foreign.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            foreign.body
        );
        assert_eq!(foreign.json()["errors"][0]["field"], "account_id");
        let missing = profile(
            &app,
            &s.token,
            Method::POST,
            "/api/v1/profile/availability",
            json!({}),
        )
        .await;
        assert_eq!(
            missing.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            missing.body
        );
        assert_eq!(missing.json()["errors"][0]["field"], "availability");
    }
);

app_test!(
    the_widget_header_says_whether_an_agent_of_the_inbox_is_online,
    |app| async move {
        let s = setup(&app, json!({"reply_time": "in_a_few_hours"})).await;
        let mut client = app.browser();
        let kim = online_agent(&app, &s).await;

        // Kim is online but not an agent of the inbox yet.
        let page = widget_page(&app, &s).await;
        assert!(page.contains("We are away at the moment"), "{page}");
        assert!(!page.contains("Typically replies"));

        let joined = agent(
            &mut client,
            &s,
            Method::POST,
            "/inbox_members",
            json!({"inbox_id": s.inbox_id, "user_ids": [kim]}),
        )
        .await;
        assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
        let page = widget_page(&app, &s).await;
        assert!(page.contains("We are online"), "{page}");
        assert!(page.contains("Typically replies in a few hours"));
        assert!(page.contains("aria-label=\"Kim Lee\">KL</span>"), "{page}");
        assert!(page.contains("data-online=\"true\""));

        // Outside business hours the out-of-office message shows, even with Kim online.
        let closed: Vec<Value> = (0..7)
            .map(|d| json!({"day_of_week": d, "closed_all_day": true}))
            .collect();
        let saved = agent(
            &mut client,
            &s,
            Method::PATCH,
            &format!("/inboxes/{}", s.inbox_id),
            json!({"working_hours_enabled": true, "working_hours": closed,
                   "out_of_office_message": "Back on <Monday>"}),
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let page = widget_page(&app, &s).await;
        assert!(page.contains("Back on &#60;Monday&#62;"), "{page}");
        assert!(page.contains("data-online=\"false\""));

        // Inside the hours again, but Kim is busy: away.
        let open: Vec<Value> = (0..7)
            .map(|d| json!({"day_of_week": d, "open_all_day": true}))
            .collect();
        agent(
            &mut client,
            &s,
            Method::PATCH,
            &format!("/inboxes/{}", s.inbox_id),
            json!({"working_hours": open}),
        )
        .await;
        let busy = agent(
            &mut client,
            &s,
            Method::PATCH,
            &format!("/agents/{kim}"),
            json!({"availability": "busy"}),
        )
        .await;
        assert_eq!(busy.status, StatusCode::OK, "{}", busy.body);
        let page = widget_page(&app, &s).await;
        assert!(page.contains("We are away at the moment"), "{page}");
        assert!(!page.contains("KL</span>"));
    }
);
