//! Settings are for administrators: an agent has no Settings link and gets a 404 page there
//! (Dashboard apps included, and the dashboard apps API refuses their writes); the administrator
//! has both, and the inbox settings show the API inbox's identifier.

use crate::browser_test;
use crate::server::{ADMIN, AGENT};

const SETTINGS_LINK: &str = "nav#app-nav a[href$=\"/settings/inboxes\"]";
const SETTINGS: &str = "/app/accounts/1/settings/inboxes";
const DASHBOARD_APPS: &str = "/app/accounts/1/settings/integrations/dashboard_apps";

browser_test!(an_agent_does_not_see_settings, |desk| async move {
    let tab = desk.signed_in(AGENT).await;
    assert!(tab.exists("nav#app-nav").await, "{}", tab.describe().await);
    assert!(
        !tab.exists(SETTINGS_LINK).await,
        "no Settings link for an agent\n{}",
        tab.describe().await
    );

    tab.goto(SETTINGS).await;
    let page = tab.wait_for_response(SETTINGS).await;
    assert_eq!(page.status, 404, "{page:?}");
    assert!(page.document);
    let text: String = tab.eval("document.body.innerText").await;
    assert!(
        !text.contains(&desk_inbox_identifier(desk).await),
        "nothing of the settings shows: {text}"
    );
    // The same for every settings page.
    for path in ["agents", "teams", "labels", "attributes"] {
        let status: i64 = tab
            .eval_async(&format!(
                "fetch('/app/accounts/1/settings/{path}').then(r => r.status)"
            ))
            .await;
        assert_eq!(status, 404, "settings/{path} for an agent");
    }
});

browser_test!(
    an_agent_cannot_reach_the_dashboard_apps_settings,
    |desk| async move {
        let tab = desk.signed_in(AGENT).await;
        // The agent's own session and CSRF token (from the page they are on) change nothing.
        let csrf: String = tab
            .eval("document.querySelector('meta[name=csrf-token]')?.content ?? ''")
            .await;
        assert!(!csrf.is_empty(), "{}", tab.describe().await);
        let status: i64 = tab
            .eval_async(&format!(
                "fetch('{DASHBOARD_APPS}', {{method: 'POST', body: new URLSearchParams(\
                 {{csrf: '{csrf}', title: 'Hijack', url: 'https://evil.example'}})}})\
                 .then(r => r.status)"
            ))
            .await;
        assert_eq!(status, 404, "POST {DASHBOARD_APPS} for an agent");
        // The write API answers 403 to the agent's session; reading stays allowed.
        let status: i64 = tab
            .eval_async(&format!(
                "fetch('/api/v1/accounts/1/dashboard_apps', {{method: 'POST', \
                 headers: {{'content-type': 'application/json', 'x-csrf-token': '{csrf}'}}, \
                 body: JSON.stringify({{title: 'Hijack', \
                 content: [{{type: 'frame', url: 'https://evil.example'}}]}})}})\
                 .then(r => r.status)"
            ))
            .await;
        assert_eq!(status, 403, "POST the dashboard apps API as an agent");
        let status: i64 = tab
            .eval_async("fetch('/api/v1/accounts/1/dashboard_apps').then(r => r.status)")
            .await;
        assert_eq!(
            status, 200,
            "an agent reads the apps (for the conversation tabs)"
        );

        tab.goto(DASHBOARD_APPS).await;
        let page = tab.wait_for_response(DASHBOARD_APPS).await;
        assert_eq!(page.status, 404, "{page:?}");
        assert!(page.document);
        let text: String = tab.eval("document.body.innerText").await;
        assert!(
            !text.contains("Add new dashboard app"),
            "nothing of the settings shows: {text}"
        );
        for path in ["/new", "/1", "/1/delete"] {
            let status: i64 = tab
                .eval_async(&format!(
                    "fetch('{DASHBOARD_APPS}{path}').then(r => r.status)"
                ))
                .await;
            assert_eq!(status, 404, "GET {DASHBOARD_APPS}{path} for an agent");
        }
    }
);

browser_test!(
    an_administrator_opens_the_inbox_settings,
    |desk| async move {
        let identifier = desk_inbox_identifier(desk).await;
        let tab = desk.signed_in(ADMIN).await;
        tab.click(SETTINGS_LINK).await;
        tab.wait_for(
            "the inbox settings",
            &format!("location.pathname === '{SETTINGS}' && document.readyState === 'complete'"),
        )
        .await;
        assert_eq!(tab.wait_for_response(SETTINGS).await.status, 200);
        tab.wait_for(
            "the API inbox's identifier on the page",
            &format!("document.body.innerText.includes('{identifier}')"),
        )
        .await;
        // The pages an agent gets a 404 for exist for the administrator.
        for path in [
            "agents",
            "teams",
            "labels",
            "attributes",
            "integrations/dashboard_apps",
            "integrations/dashboard_apps/new",
        ] {
            let status: i64 = tab
                .eval_async(&format!(
                    "fetch('/app/accounts/1/settings/{path}').then(r => r.status)"
                ))
                .await;
            assert_eq!(status, 200, "settings/{path} for the administrator");
        }
    }
);

async fn desk_inbox_identifier(desk: &crate::desk::Desk) -> String {
    desk.api().await.inbox_identifier
}
