//! Interactive messages answered from the widget (`PATCH /widget/api/messages/{id}`), stored
//! as Chatwoot stores them, and the satisfaction survey after a resolution.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{agent, setup, start, widget};
use crate::app_test;

app_test!(the_visitor_answers_interactive_messages, |app| async move {
    let s = setup(&app, json!({})).await;
    let mut visitor = app.browser();
    let (token, id) = start(&mut visitor, &s, "Hi").await;
    let mut desk = app.browser();
    let select = agent(&mut desk, &s, Method::POST, &format!("/conversations/{id}/messages"),
            json!({"content": "Which plan?", "content_type": "input_select",
                   "content_attributes": {"items": [{"title": "Basic", "value": "basic"}, {"title": "Pro", "value": "pro"}]}})).await;
    let select = select.json()["id"].as_i64().unwrap();

    let answered = widget(&mut visitor, &s, Method::PATCH, &format!("messages/{select}"), Some(&token),
            json!({"conversation_id": id, "submitted_values": [{"title": "Pro", "value": "pro", "evil": "x"}]})).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert_eq!(
        answered.json()["content_attributes"]["submitted_values"],
        json!([{"title": "Pro", "value": "pro"}])
    );
    let stored = agent(
        &mut desk,
        &s,
        Method::GET,
        &format!("/conversations/{id}/messages"),
        json!(null),
    )
    .await;
    let stored: Value = stored.json();
    let message = stored["payload"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == select)
        .unwrap()
        .clone();
    assert_eq!(
        message["content_attributes"]["submitted_values"][0]["value"], "pro",
        "{message}"
    );
    assert_eq!(
        message["content_attributes"]["items"][1]["value"], "pro",
        "the items are kept"
    );

    // A survey: Chatwoot's object form, a rating from 1 to 5.
    let survey = agent(
        &mut desk,
        &s,
        Method::POST,
        &format!("/conversations/{id}/messages"),
        json!({"content": "Rate us", "content_type": "input_csat"}),
    )
    .await;
    let survey = survey.json()["id"].as_i64().unwrap();
    let wrong = widget(
        &mut visitor,
        &s,
        Method::PATCH,
        &format!("messages/{survey}"),
        Some(&token),
        json!({"conversation_id": id, "submitted_values": {"csat_survey_response": {"rating": 9}}}),
    )
    .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(
        wrong
            .body
            .contains("submitted_values.csat_survey_response.rating"),
        "{}",
        wrong.body
    );
    let rated = widget(&mut visitor, &s, Method::PATCH, &format!("messages/{survey}"), Some(&token),
            json!({"conversation_id": id, "submitted_values": {"csat_survey_response": {"rating": 5, "feedback_message": "<b>great</b>"}}})).await;
    assert_eq!(rated.status, StatusCode::OK, "{}", rated.body);
    assert_eq!(
        rated.json()["content_attributes"]["submitted_values"],
        json!({"csat_survey_response": {"rating": 5, "feedback_message": "<b>great</b>"}})
    );

    // Bad requests name the field.
    let missing = widget(
        &mut visitor,
        &s,
        Method::PATCH,
        &format!("messages/{survey}"),
        Some(&token),
        json!({"submitted_values": []}),
    )
    .await;
    assert_eq!(
        missing.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        missing.body
    );
    assert!(missing.body.contains("conversation_id"), "{}", missing.body);
    let no_such = widget(
        &mut visitor,
        &s,
        Method::PATCH,
        "messages/999999",
        Some(&token),
        json!({"conversation_id": id, "submitted_values": []}),
    )
    .await;
    assert_eq!(no_such.status, StatusCode::NOT_FOUND, "{}", no_such.body);
    let anonymous = widget(
        &mut visitor,
        &s,
        Method::PATCH,
        &format!("messages/{survey}"),
        None,
        json!({"conversation_id": id, "submitted_values": []}),
    )
    .await;
    assert_eq!(
        anonymous.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.body
    );
});

app_test!(
    an_email_answer_becomes_the_visitors_email,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut visitor = app.browser();
        let (token, id) = start(&mut visitor, &s, "Hi").await;
        let mut desk = app.browser();
        let ask = agent(
            &mut desk,
            &s,
            Method::POST,
            &format!("/conversations/{id}/messages"),
            json!({"content": "Your email, so we can write back?", "content_type": "input_email"}),
        )
        .await;
        let ask = ask.json()["id"].as_i64().unwrap();
        let answer = |value: &str| json!({"conversation_id": id, "submitted_values": [{"name": "email", "title": value, "value": value}]});

        let wrong = widget(
            &mut visitor,
            &s,
            Method::PATCH,
            &format!("messages/{ask}"),
            Some(&token),
            answer("not an email"),
        )
        .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.body
        );
        assert!(
            wrong.body.contains("submitted_values[0].value"),
            "{}",
            wrong.body
        );

        let given = widget(
            &mut visitor,
            &s,
            Method::PATCH,
            &format!("messages/{ask}"),
            Some(&token),
            answer(" Ines.Visitor@Example.com "),
        )
        .await;
        assert_eq!(given.status, StatusCode::OK, "{}", given.body);
        let shown = agent(
            &mut desk,
            &s,
            Method::GET,
            &format!("/conversations/{id}"),
            json!(null),
        )
        .await;
        assert_eq!(
            shown.json()["meta"]["sender"]["email"],
            "ines.visitor@example.com",
            "{}",
            shown.body
        );

        // An email another contact holds stays theirs: the answer is kept, the contact unchanged.
        let other = agent(
            &mut desk,
            &s,
            Method::POST,
            "/contacts",
            json!({"name": "Holder", "email": "taken@example.com"}),
        )
        .await;
        assert_eq!(other.status, StatusCode::OK, "{}", other.body);
        let taken = widget(
            &mut visitor,
            &s,
            Method::PATCH,
            &format!("messages/{ask}"),
            Some(&token),
            answer("taken@example.com"),
        )
        .await;
        assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
        assert_eq!(
            taken.json()["content_attributes"]["submitted_values"][0]["value"],
            "taken@example.com"
        );
        let shown = agent(
            &mut desk,
            &s,
            Method::GET,
            &format!("/conversations/{id}"),
            json!(null),
        )
        .await;
        assert_eq!(
            shown.json()["meta"]["sender"]["email"],
            "ines.visitor@example.com",
            "{}",
            shown.body
        );
    }
);
