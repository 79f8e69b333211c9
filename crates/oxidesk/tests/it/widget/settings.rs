//! The website inbox's settings: Chatwoot's defaults for old and new inboxes, every setting
//! through the API and back, errors naming their field, the widget page's configuration, and
//! the settings page (administrators only).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Setup, agent, setup, unescape};
use crate::app_test;
use crate::support::{Browser, TestApp};

pub(super) async fn update(
    client: &mut Browser<'_>,
    s: &Setup,
    body: Value,
) -> crate::support::TestResponse {
    agent(
        client,
        s,
        Method::PATCH,
        &format!("/inboxes/{}", s.inbox_id),
        body,
    )
    .await
}

/// The `data-config` of the widget page.
pub(super) async fn page_config(app: &TestApp, s: &Setup) -> Value {
    let page = app
        .browser()
        .get(&format!("/widget?website_token={}", s.website_token))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let start = page.body.find("data-config=\"").expect("data-config") + 13;
    let end = page.body[start..].find('"').expect("end") + start;
    serde_json::from_str(&unescape(&page.body[start..end])).expect("config JSON")
}

app_test!(
    a_new_website_inbox_has_chatwoots_defaults,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut client = app.browser();
        let inbox = agent(
            &mut client,
            &s,
            Method::GET,
            &format!("/inboxes/{}", s.inbox_id),
            json!(null),
        )
        .await
        .json();
        assert_eq!(inbox["pre_chat_form_enabled"], false);
        assert_eq!(
            inbox["pre_chat_form_options"]["pre_chat_message"],
            "Share your queries or comments here."
        );
        let fields = inbox["pre_chat_form_options"]["pre_chat_fields"]
            .as_array()
            .unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["emailAddress", "fullName", "phoneNumber"]);
        assert_eq!(fields[0]["type"], "email");
        assert_eq!(fields[0]["required"], true);
        assert_eq!(fields[0]["field_type"], "standard");
        assert!(fields.iter().all(|f| f["enabled"] == false));
        assert_eq!(
            inbox["selected_feature_flags"],
            json!(["attachments", "emoji_picker", "end_conversation"])
        );
        assert_eq!(inbox["csat_survey_enabled"], false);
        assert_eq!(inbox["working_hours_enabled"], false);
        assert_eq!(inbox["timezone"], "UTC");
        assert_eq!(inbox["allow_messages_after_resolved"], true);
        assert_eq!(inbox["continuity_via_email"], true);
        let hours = inbox["working_hours"].as_array().unwrap();
        assert_eq!(hours.len(), 7);
        assert_eq!(hours[0]["closed_all_day"], true);
        assert_eq!(hours[1]["open_hour"], 9);
        assert_eq!(hours[1]["close_hour"], 17);
        // The widget page says the same, with only the enabled pre-chat fields.
        let config = page_config(&app, &s).await;
        assert_eq!(config["pre_chat_form_enabled"], false);
        assert_eq!(
            config["pre_chat_form_options"]["pre_chat_fields"],
            json!([])
        );
        assert_eq!(config["in_business_hours"], true);
        assert_eq!(config["enabled_features"][0], "attachments");
    }
);

app_test!(
    every_widget_setting_round_trips_through_the_api,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut client = app.browser();
        let closed: Vec<Value> = (0..7)
            .map(|d| json!({"day_of_week": d, "closed_all_day": true}))
            .collect();
        let body = json!({
            "channel": {
                "pre_chat_form_enabled": true,
                "pre_chat_form_options": {"pre_chat_message": "Tell us <who> you are",
                    "pre_chat_fields": [
                        {"name": "emailAddress", "label": "Email", "type": "email",
                         "field_type": "standard", "required": true, "enabled": true,
                         "placeholder": "you@example.com"},
                        {"name": "plan", "label": "Plan", "type": "list",
                         "field_type": "contact_attribute", "required": false,
                         "enabled": true, "placeholder": "", "values": ["free", "pro"]}]},
                "selected_feature_flags": ["emoji_picker"],
                "continuity_via_email": false,
                "hmac_mandatory": true,
                "allowed_domains": "shop.example"
            },
            "csat_survey_enabled": true,
            "allow_messages_after_resolved": false,
            "working_hours_enabled": true,
            "out_of_office_message": "We are away <b>now</b>",
            "timezone": "Europe/Berlin",
            "working_hours": closed,
        });
        let saved = update(&mut client, &s, body).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let inbox = agent(
            &mut client,
            &s,
            Method::GET,
            &format!("/inboxes/{}", s.inbox_id),
            json!(null),
        )
        .await
        .json();
        assert_eq!(inbox["pre_chat_form_enabled"], true);
        assert_eq!(
            inbox["pre_chat_form_options"]["pre_chat_message"],
            "Tell us <who> you are"
        );
        assert_eq!(
            inbox["pre_chat_form_options"]["pre_chat_fields"][1]["values"],
            json!(["free", "pro"])
        );
        assert_eq!(inbox["selected_feature_flags"], json!(["emoji_picker"]));
        assert_eq!(inbox["continuity_via_email"], false);
        assert_eq!(inbox["hmac_mandatory"], true);
        assert_eq!(inbox["csat_survey_enabled"], true);
        assert_eq!(inbox["allow_messages_after_resolved"], false);
        assert_eq!(inbox["working_hours_enabled"], true);
        assert_eq!(inbox["out_of_office_message"], "We are away <b>now</b>");
        assert_eq!(inbox["timezone"], "Europe/Berlin");
        assert_eq!(inbox["working_hours"][3]["closed_all_day"], true);
        assert_eq!(inbox["allowed_domains"], "shop.example");

        // A partial update keeps the rest.
        let partial = update(&mut client, &s, json!({"csat_survey_enabled": false})).await;
        assert_eq!(partial.status, StatusCode::OK, "{}", partial.body);
        assert_eq!(partial.json()["timezone"], "Europe/Berlin");
        assert_eq!(partial.json()["pre_chat_form_enabled"], true);

        // The widget page: closed all week, so outside business hours.
        let config = page_config(&app, &s).await;
        assert_eq!(config["in_business_hours"], false);
        assert_eq!(config["working_hours_enabled"], true);
        assert_eq!(config["out_of_office_message"], "We are away <b>now</b>");
        assert_eq!(config["allow_messages_after_resolved"], false);
        assert_eq!(config["enabled_features"], json!(["emoji_picker"]));
        assert_eq!(
            config["pre_chat_form_options"]["pre_chat_fields"][1]["name"],
            "plan"
        );

        // Open every day all day: inside.
        let open: Vec<Value> = (0..7)
            .map(|d| json!({"day_of_week": d, "open_all_day": true}))
            .collect();
        let saved = update(&mut client, &s, json!({"working_hours": open})).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(page_config(&app, &s).await["in_business_hours"], true);
    }
);

app_test!(invalid_widget_settings_name_their_field, |app| async move {
    let s = setup(&app, json!({})).await;
    let mut client = app.browser();
    let bad = update(
        &mut client,
        &s,
        json!({
            "channel": {
                "selected_feature_flags": ["teleport"],
                "pre_chat_form_options": {"pre_chat_fields": [
                    {"name": "", "type": "email"},
                    {"name": "x", "type": "colour", "field_type": "somewhere"}]}
            },
            "timezone": "Mars/Olympus",
            "working_hours": [
                {"day_of_week": 1, "open_hour": 25, "close_hour": 17},
                {"day_of_week": 2, "open_hour": 9},
                {"day_of_week": 9, "closed_all_day": true}
            ]
        }),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let fields = bad.error_fields();
    assert_eq!(
        fields,
        [
            "channel.pre_chat_form_options.pre_chat_fields[0].name",
            "channel.pre_chat_form_options.pre_chat_fields[1].type",
            "channel.pre_chat_form_options.pre_chat_fields[1].field_type",
            "channel.selected_feature_flags",
            "channel.working_hours[0].open_hour",
            "channel.working_hours[1].open_hour",
            "channel.working_hours[2].day_of_week",
            "channel.timezone",
        ],
        "{}",
        bad.body
    );
    // A wrong JSON type is a 422 too, never a 500.
    let wrong = update(
        &mut client,
        &s,
        json!({"working_hours": [{"day_of_week": "monday"}]}),
    )
    .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    // Nothing was saved.
    let inbox = agent(
        &mut client,
        &s,
        Method::GET,
        &format!("/inboxes/{}", s.inbox_id),
        json!(null),
    )
    .await
    .json();
    assert_eq!(inbox["timezone"], "UTC");
});

/// Signs in `email` and returns the CSRF token of the widget settings page, with its path.
pub(super) async fn settings_page(
    client: &mut Browser<'_>,
    s: &Setup,
    email: &str,
) -> (String, String) {
    let login = client.login(email, "password123").await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    let path = format!(
        "/app/accounts/{}/settings/inboxes/{}/widget",
        s.account.id, s.inbox_id
    );
    let csrf = client.csrf_of(&path).await;
    (path, csrf)
}

app_test!(
    the_settings_page_saves_every_setting_and_shows_errors,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut client = app.browser();
        let (path, csrf) = settings_page(&mut client, &s, "admin@acme.test").await;
        let page = client.get(&path).await;
        assert!(
            page.body.contains(&s.hmac_token),
            "the HMAC token is shown to administrators"
        );
        assert!(
            page.body.contains("/packs/js/sdk.js"),
            "the snippet is shown"
        );
        let mut form: Vec<(&str, &str)> = vec![
            ("csrf", &csrf),
            ("website_url", "https://shop.example"),
            ("widget_color", "#112233"),
            ("welcome_title", "Hello <there>"),
            ("welcome_tagline", "We answer fast"),
            ("reply_time", "in_a_day"),
            ("greeting_enabled", "1"),
            ("greeting_message", "Welcome!"),
            ("pre_chat_form_enabled", "1"),
            ("pre_chat_message", "Who are you?"),
            ("pf_name", "emailAddress"),
            ("pf_type", "email"),
            ("pf_field_type", "standard"),
            ("pf_label", "Your email"),
            ("pf_placeholder", "me@example.com"),
            ("pf_enabled", "emailAddress"),
            ("pf_required", "emailAddress"),
            ("pf_name", "fullName"),
            ("pf_type", "text"),
            ("pf_field_type", "standard"),
            ("pf_label", "Name"),
            ("pf_placeholder", ""),
            ("working_hours_enabled", "1"),
            ("timezone", "America/New_York"),
            ("out_of_office_message", "Back tomorrow"),
            ("feature", "attachments"),
            ("csat_survey_enabled", "1"),
            ("hmac_mandatory", "1"),
            ("allowed_domains", "shop.example, *.shop.example"),
        ];
        let days: Vec<(String, String)> = (0..7)
            .flat_map(|d| {
                let mode = if d == 6 {
                    "closed"
                } else if d == 0 {
                    "all_day"
                } else {
                    "hours"
                };
                [
                    (format!("day_{d}_mode"), mode.to_owned()),
                    (format!("day_{d}_open"), "08:30".to_owned()),
                    (
                        format!("day_{d}_close"),
                        if d == 5 { "01:00" } else { "18:00" }.to_owned(),
                    ),
                ]
            })
            .collect();
        form.extend(days.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let saved = client.post_form(&path, &form).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

        let inbox = agent(
            &mut client,
            &s,
            Method::GET,
            &format!("/inboxes/{}", s.inbox_id),
            json!(null),
        )
        .await
        .json();
        assert_eq!(inbox["widget_color"], "#112233");
        assert_eq!(inbox["welcome_title"], "Hello <there>");
        assert_eq!(inbox["reply_time"], "in_a_day");
        assert_eq!(inbox["greeting_enabled"], true);
        assert_eq!(inbox["pre_chat_form_enabled"], true);
        let fields = &inbox["pre_chat_form_options"]["pre_chat_fields"];
        assert_eq!(
            fields.as_array().unwrap().len(),
            2,
            "phoneNumber was not submitted"
        );
        assert_eq!(fields[0]["label"], "Your email");
        assert_eq!(fields[0]["enabled"], true);
        assert_eq!(fields[1]["enabled"], false);
        assert_eq!(inbox["timezone"], "America/New_York");
        assert_eq!(inbox["working_hours"][0]["open_all_day"], true);
        assert_eq!(inbox["working_hours"][1]["open_hour"], 8);
        assert_eq!(inbox["working_hours"][1]["open_minutes"], 30);
        assert_eq!(inbox["working_hours"][5]["close_hour"], 1);
        assert_eq!(inbox["working_hours"][6]["closed_all_day"], true);
        assert_eq!(inbox["selected_feature_flags"], json!(["attachments"]));
        assert_eq!(inbox["csat_survey_enabled"], true);
        assert_eq!(inbox["allow_messages_after_resolved"], false);
        assert_eq!(inbox["continuity_via_email"], false);
        assert_eq!(inbox["hmac_mandatory"], true);
        assert_eq!(inbox["allowed_domains"], "shop.example,*.shop.example");

        // The page shows the saved values (escaped).
        let page = client.get(&format!("{path}?saved=1")).await;
        assert!(page.body.contains("Hello &#60;there&#62;"), "{}", page.body);
        assert!(page.body.contains("value=\"America/New_York\""));
        assert!(page.body.contains("value=\"08:30\""));

        // Errors are shown next to their fields, with the typed values kept.
        let bad = client
            .post_form(
                &path,
                &[
                    ("csrf", &csrf),
                    ("website_url", "https://shop.example"),
                    ("widget_color", "#112233"),
                    ("reply_time", "in_a_day"),
                    ("timezone", "Nowhere/Town"),
                    ("day_1_mode", "hours"),
                    ("day_1_open", "nine"),
                    ("day_1_close", "17:00"),
                    ("day_2_mode", "hours"),
                    ("day_2_open", "09:00"),
                    ("day_2_close", "09:00"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(
            bad.body.contains("Opening time must be a time like 09:00"),
            "{}",
            bad.body
        );
        let bad = client
            .post_form(
                &path,
                &[
                    ("csrf", &csrf),
                    ("website_url", "https://shop.example"),
                    ("widget_color", "#112233"),
                    ("reply_time", "in_a_day"),
                    ("timezone", "Nowhere/Town"),
                    ("day_2_mode", "hours"),
                    ("day_2_open", "09:00"),
                    ("day_2_close", "09:00"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(
            bad.body.contains("is not a known IANA time zone"),
            "{}",
            bad.body
        );
        assert!(
            bad.body
                .contains("Close hour must differ from the opening time"),
            "{}",
            bad.body
        );
        assert!(bad.body.contains("value=\"Nowhere/Town\""));
        let inbox = agent(
            &mut client,
            &s,
            Method::GET,
            &format!("/inboxes/{}", s.inbox_id),
            json!(null),
        )
        .await
        .json();
        assert_eq!(inbox["timezone"], "America/New_York", "nothing saved");
    }
);

app_test!(
    custom_attributes_join_the_pre_chat_form_and_agents_cannot_open_the_page,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut client = app.browser();
        let created = agent(
            &mut client,
            &s,
            Method::POST,
            "/custom_attribute_definitions",
            json!({"attribute_display_name": "Order number", "attribute_key": "order_number",
                   "attribute_display_type": "number", "attribute_model": "conversation_attribute"}),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let (path, csrf) = settings_page(&mut client, &s, "admin@acme.test").await;
        let page = client.get(&path).await;
        assert!(
            page.body
                .contains("value=\"conversation_attribute:order_number\"")
        );
        let saved = client
            .post_form(
                &path,
                &[
                    ("csrf", &csrf),
                    ("website_url", "https://shop.example"),
                    ("widget_color", "#1f93ff"),
                    ("reply_time", "in_a_few_minutes"),
                    ("timezone", "UTC"),
                    ("pf_add", "conversation_attribute:order_number"),
                    ("feature", "attachments"),
                    ("feature", "end_conversation"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let inbox = agent(
            &mut client,
            &s,
            Method::GET,
            &format!("/inboxes/{}", s.inbox_id),
            json!(null),
        )
        .await
        .json();
        let field = &inbox["pre_chat_form_options"]["pre_chat_fields"][0];
        assert_eq!(field["name"], "order_number");
        assert_eq!(field["type"], "number");
        assert_eq!(field["field_type"], "conversation_attribute");
        assert_eq!(field["enabled"], true);
        assert_eq!(
            inbox["selected_feature_flags"],
            json!(["attachments", "end_conversation"])
        );

        app.member(&s.account, "agent@acme.test", oxidesk_domain::Role::Agent)
            .await;
        let mut agent_client = app.browser();
        agent_client.login("agent@acme.test", "password123").await;
        let denied = agent_client.get(&path).await;
        assert_eq!(denied.status, StatusCode::NOT_FOUND);
        let denied = agent_client.post_form(&path, &[("csrf", &csrf)]).await;
        assert_eq!(denied.status, StatusCode::NOT_FOUND);
    }
);
