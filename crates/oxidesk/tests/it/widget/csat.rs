//! The survey's configuration (Chatwoot's `csat_config`): through the API and the settings
//! page, errors naming their field, the widget page's configuration, the survey's text, and
//! the survey rules (labels) choosing which resolved conversations are asked.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::conversations::resolve;
use super::settings::{page_config, settings_page, update as patch};
use super::{Setup, agent, setup, start, surveys, widget};
use crate::app_test;
use crate::support::Browser;

/// The inbox's `csat_config`, as the agents' API shows it.
async fn csat_config(client: &mut Browser<'_>, s: &Setup) -> Value {
    let path = format!("/inboxes/{}", s.inbox_id);
    let shown = agent(client, s, Method::GET, &path, json!(null)).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    shown.json()["csat_config"].clone()
}

app_test!(
    the_survey_config_is_chatwoots_csat_config,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut desk = app.browser();
        assert_eq!(
            csat_config(&mut desk, &s).await,
            json!({"display_type": "emoji", "message": "", "button_text": "", "language": "en",
                   "survey_rules": {"operator": "contains", "values": []}}),
            "Chatwoot's defaults"
        );
        let changed = patch(
            &mut desk,
            &s,
            json!({"csat_survey_enabled": true, "csat_config": {"display_type": "star",
                "message": "How did we do?", "button_text": "Send my rating",
                "survey_rules": {"operator": "contains", "values": ["Support"]}}}),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert_eq!(
            changed.json()["csat_config"],
            json!({"display_type": "star", "message": "How did we do?",
                   "button_text": "Send my rating", "language": "en",
                   "survey_rules": {"operator": "contains", "values": ["support"]}})
        );
        // A key not given is kept.
        let partial = patch(&mut desk, &s, json!({"csat_config": {"language": "fr"}})).await;
        assert_eq!(partial.status, StatusCode::OK, "{}", partial.body);
        assert_eq!(partial.json()["csat_config"]["display_type"], "star");
        assert_eq!(partial.json()["csat_config"]["language"], "fr");

        let bad = patch(
            &mut desk,
            &s,
            json!({"csat_config": {"display_type": "thumbs", "button_text": "x".repeat(300),
                "survey_rules": {"operator": "equals", "values": []}}}),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let mut fields = bad.error_fields();
        fields.sort();
        assert_eq!(
            fields,
            [
                "csat_config.button_text",
                "csat_config.display_type",
                "csat_config.survey_rules.operator"
            ],
            "{}",
            bad.body
        );
        let wrong_shape = patch(&mut desk, &s, json!({"csat_config": {"display_type": 3}})).await;
        assert_eq!(
            wrong_shape.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong_shape.body
        );
        assert!(
            wrong_shape.body.contains("csat_config"),
            "{}",
            wrong_shape.body
        );

        // The widget page gets the look, not the rules.
        let config = page_config(&app, &s).await;
        assert_eq!(
            config["csat_config"],
            json!({"display_type": "star", "message": "How did we do?",
                   "button_text": "Send my rating"})
        );

        // The rules: a conversation without the label is not asked; one with it is, with the
        // inbox's message.
        agent(
            &mut desk,
            &s,
            Method::POST,
            "/labels",
            json!({"title": "support"}),
        )
        .await;
        let mut visitor = app.browser();
        let (token, first) = start(&mut visitor, &s, "No label here").await;
        resolve(&mut desk, &s, first).await;
        assert!(surveys(&mut visitor, &s, &token, first).await.is_empty());
        let mut other = app.browser();
        let (other_token, second) = start(&mut other, &s, "Labelled").await;
        let labelled = agent(
            &mut desk,
            &s,
            Method::POST,
            &format!("/conversations/{second}/labels"),
            json!({"labels": ["support"]}),
        )
        .await;
        assert_eq!(labelled.status, StatusCode::OK, "{}", labelled.body);
        resolve(&mut desk, &s, second).await;
        let asked = surveys(&mut other, &s, &other_token, second).await;
        assert_eq!(asked.len(), 1, "{asked:?}");
        assert_eq!(asked[0]["content"], "How did we do?");

        // does_not_contain: the labelled one is no longer asked after its next resolution.
        patch(
            &mut desk,
            &s,
            json!({"csat_config": {"survey_rules": {"operator": "does_not_contain", "values": ["support"]}}}),
        )
        .await;
        widget(
            &mut other,
            &s,
            Method::POST,
            "messages",
            Some(&other_token),
            json!({"content": "reopening", "conversation_id": second}),
        )
        .await;
        resolve(&mut desk, &s, second).await;
        assert_eq!(surveys(&mut other, &s, &other_token, second).await.len(), 1);
    }
);

app_test!(the_settings_page_sets_the_survey_look, |app| async move {
    let s = setup(&app, json!({})).await;
    let mut client = app.browser();
    let (path, csrf) = settings_page(&mut client, &s, "admin@acme.test").await;
    let page = client.get(&path).await;
    assert!(
        page.body.contains(r#"<option value="emoji" selected>"#),
        "faces by default"
    );
    let base: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("website_url", "https://shop.example"),
        ("widget_color", "#112233"),
        ("reply_time", "in_a_few_minutes"),
        ("timezone", "UTC"),
        ("csat_survey_enabled", "1"),
        ("csat_message", "Rate <us>"),
        ("csat_button_text", "Go"),
        ("csat_rule_operator", "does_not_contain"),
        ("csat_rule_labels", "spam, test"),
    ];
    let mut form = base.clone();
    form.push(("csat_display_type", "star"));
    let saved = client.post_form(&path, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        csat_config(&mut client, &s).await,
        json!({"display_type": "star", "message": "Rate <us>", "button_text": "Go",
                   "language": "en",
                   "survey_rules": {"operator": "does_not_contain", "values": ["spam", "test"]}})
    );
    let page = client.get(&path).await;
    assert!(page.body.contains(r#"<option value="star" selected>"#));
    assert!(page.body.contains("Rate &#60;us&#62;"), "escaped");

    let mut form = base.clone();
    form.push(("csat_display_type", "thumbs"));
    let refused = client.post_form(&path, &form).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("must be one of emoji, star"),
        "the error is shown: {}",
        refused.body
    );
});
