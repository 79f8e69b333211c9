//! The account-setup API: teams and team members.

use axum::http::{Method, StatusCode};
use oxidesk_domain::Role;
use serde_json::{Value, json};

use crate::api_setup::{Setup, assert_invalid, call};
use crate::{app_test, snapshot};

fn ids(agents: &Value) -> Vec<i64> {
    agents
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

app_test!(
    teams_are_created_read_changed_and_deleted,
    |app| async move {
        let s = Setup::new(&app).await;
        let t = &s.admin_token;
        let created = call(
        &app,
        t,
        Method::POST,
        &s.path("teams"),
        json!({"name": "Billing Team", "description": " Money matters ", "allow_auto_assign": false}),
    )
    .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        snapshot!("team_created", created.json());
        let id = created.json()["id"].as_i64().unwrap();
        call(
            &app,
            t,
            Method::POST,
            &s.path("teams"),
            json!({"name": "sales"}),
        )
        .await;

        // The caller joins one team: `is_member` says so, for them only.
        app.services()
            .add_team_members(s.account.id, oxidesk_domain::TeamId(id), &[s.agent.id])
            .await
            .unwrap();
        let for_agent = call(
            &app,
            &s.agent_token,
            Method::GET,
            &s.path("teams"),
            json!(null),
        )
        .await;
        assert_eq!(for_agent.status, StatusCode::OK);
        snapshot!("team_list_for_a_member", for_agent.json());
        let for_admin = call(&app, t, Method::GET, &s.path("teams"), json!(null)).await;
        assert!(
            for_admin
                .json()
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["is_member"] == false)
        );
        let one = call(
            &app,
            &s.agent_token,
            Method::GET,
            &s.path(&format!("teams/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(one.json(), for_agent.json()[0]);

        let updated = call(
            &app,
            t,
            Method::PATCH,
            &s.path(&format!("teams/{id}")),
            json!({"name": "Accounts", "allow_auto_assign": true}),
        )
        .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        snapshot!("team_updated", updated.json());

        let deleted = call(
            &app,
            t,
            Method::DELETE,
            &s.path(&format!("teams/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(deleted.status, StatusCode::OK);
        assert_eq!(deleted.json(), json!({}));
        let gone = call(
            &app,
            t,
            Method::GET,
            &s.path(&format!("teams/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        let left = call(&app, t, Method::GET, &s.path("teams"), json!(null)).await;
        assert_eq!(left.json().as_array().unwrap().len(), 1);
    }
);

app_test!(team_names_are_required_and_unique, |app| async move {
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    call(
        &app,
        t,
        Method::POST,
        &s.path("teams"),
        json!({"name": "billing"}),
    )
    .await;
    let sales = call(
        &app,
        t,
        Method::POST,
        &s.path("teams"),
        json!({"name": "sales"}),
    )
    .await;
    let duplicate = call(
        &app,
        t,
        Method::POST,
        &s.path("teams"),
        json!({"name": "Billing"}),
    )
    .await;
    assert_invalid(&duplicate, "name");
    assert!(
        duplicate.json()["message"]
            .as_str()
            .unwrap()
            .contains("already used")
    );
    let renamed = call(
        &app,
        t,
        Method::PATCH,
        &s.path(&format!("teams/{}", sales.json()["id"])),
        json!({"name": "BILLING"}),
    )
    .await;
    assert_invalid(&renamed, "name");
    let blank = call(
        &app,
        t,
        Method::POST,
        &s.path("teams"),
        json!({"name": "  "}),
    )
    .await;
    assert_invalid(&blank, "name");
    // The same name in another account is fine.
    let theirs = app
        .services()
        .create_team(s.other.id, "billing", "", &[])
        .await;
    assert!(theirs.is_ok());
});

app_test!(
    team_members_are_added_replaced_and_removed,
    |app| async move {
        let s = Setup::new(&app).await;
        let t = &s.admin_token;
        let kim = app.member(&s.account, "kim@acme.test", Role::Agent).await;
        let team = call(
            &app,
            t,
            Method::POST,
            &s.path("teams"),
            json!({"name": "support"}),
        )
        .await;
        let members = s.path(&format!("teams/{}/team_members", team.json()["id"]));

        let added = call(
            &app,
            t,
            Method::POST,
            &members,
            json!({"user_ids": [s.agent.id]}),
        )
        .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
        snapshot!("team_members_added", added.json());
        let again = call(
            &app,
            t,
            Method::POST,
            &members,
            json!({"user_ids": [s.agent.id, kim.id]}),
        )
        .await;
        assert_eq!(
            ids(&again.json()),
            vec![kim.id.get()],
            "POST answers who joined"
        );
        let listed = call(&app, &s.agent_token, Method::GET, &members, json!(null)).await;
        assert_eq!(ids(&listed.json()), vec![s.agent.id.get(), kim.id.get()]);

        let replaced = call(
            &app,
            t,
            Method::PATCH,
            &members,
            json!({"user_ids": [s.admin.id, kim.id]}),
        )
        .await;
        assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
        assert_eq!(ids(&replaced.json()), vec![s.admin.id.get(), kim.id.get()]);

        let outsider = call(
            &app,
            t,
            Method::POST,
            &members,
            json!({"user_ids": [s.other_admin.id]}),
        )
        .await;
        assert_invalid(&outsider, "user_ids");
        let missing = call(&app, t, Method::PATCH, &members, json!({})).await;
        assert_invalid(&missing, "user_ids");

        let removed = call(
            &app,
            t,
            Method::DELETE,
            &members,
            json!({"user_ids": [kim.id]}),
        )
        .await;
        assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
        assert_eq!(removed.json(), json!({}));
        let after = call(&app, t, Method::GET, &members, json!(null)).await;
        assert_eq!(ids(&after.json()), vec![s.admin.id.get()]);
    }
);
