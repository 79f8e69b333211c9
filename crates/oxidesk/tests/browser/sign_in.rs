//! Signing in and the conversation list.

use crate::browser_test;
use crate::desk::sign_in;
use crate::server::ADMIN;

browser_test!(
    a_wrong_password_is_refused_then_the_right_one_signs_in,
    |desk| async move {
        let tab = desk.tab().await;
        tab.goto("/app").await;
        tab.wait_for(
        "the login page when signed out",
        "location.pathname === '/app/login' && document.querySelector('#email') && document.querySelector('#password')",
    )
    .await;
        tab.type_into("#email", ADMIN.0).await;
        tab.type_into("#password", "not-the-password").await;
        tab.click("form button[type=submit]").await;
        tab.wait_for(
            "an error on the login page",
            "location.pathname === '/app/login' && document.querySelector('[role=alert]') !== null",
        )
        .await;
        assert_eq!(
            tab.eval::<String>("document.querySelector('#email').value")
                .await,
            ADMIN.0,
            "the email is kept"
        );

        sign_in(&tab, ADMIN).await;
        assert!(
            tab.eval::<String>("document.title")
                .await
                .contains("Oxidesk"),
            "the brand is in the title"
        );
        assert!(tab.exists("nav#app-nav").await);
    }
);

browser_test!(the_list_shows_the_demo_conversations, |desk| async move {
    let tab = desk.signed_in(ADMIN).await;
    tab.wait_for(
        "conversations in the list",
        "document.querySelectorAll('ul#conversation-list > li.conversation-item[data-conversation-id]').length > 0",
    )
    .await;
    // Every row names its conversation and links to it.
    let rows: Vec<(String, String)> = tab
        .eval(
            "[...document.querySelectorAll('ul#conversation-list > li.conversation-item')]\
               .map(li => [li.dataset.conversationId || '', (li.querySelector('a[href]') || {}).pathname || ''])",
        )
        .await;
    for (id, link) in &rows {
        assert!(id.parse::<i64>().is_ok(), "data-conversation-id {id:?}");
        assert_eq!(
            link,
            &format!("/app/accounts/1/conversations/{id}"),
            "row {id} links to its conversation"
        );
    }
    let ids: Vec<i64> = rows.iter().map(|(id, _)| id.parse().unwrap()).collect();
    let mut newest_first = ids.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(
        ids, newest_first,
        "newest activity first (the demo's order)"
    );

    // A contact's name from the demo shows in its row.
    let api = desk.api().await;
    let first = api.conversation(ids[0]).await;
    let name = first["meta"]["sender"]["name"].as_str().unwrap().to_owned();
    let row_text: String = tab
        .eval(&format!(
            "document.querySelector('li.conversation-item[data-conversation-id=\"{}\"]').textContent",
            ids[0]
        ))
        .await;
    assert!(row_text.contains(&name), "{name:?} in {row_text:?}");
});
