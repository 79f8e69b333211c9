//! The settings forms of inboxes, agents and teams: creating, changing, staffing and deleting,
//! with the errors shown next to the fields.

use axum::http::StatusCode;
use oxidesk_domain::Role;

use super::{settings, signed_in};
use crate::api_setup::Setup;
use crate::app_test;

app_test!(
    inboxes_are_added_changed_staffed_and_deleted,
    |app| async move {
        let s = Setup::new(&app).await;
        let (mut admin, csrf) = signed_in(&app, "admin@acme.test", s.account.id).await;
        let account = s.account.id;
        let created = admin
            .post_form(
                &settings(account, "inboxes"),
                &[("csrf", &csrf), ("name", "Website"), ("webhook_url", "")],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let inbox = app
            .services()
            .inboxes(account)
            .await
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(inbox.name, "Website");
        let path = settings(account, &format!("inboxes/{}", inbox.id));
        assert_eq!(created.location(), Some(path.as_str()));

        let bad = admin
            .post_form(
                &path,
                &[
                    ("csrf", &csrf),
                    ("name", "Web shop"),
                    ("webhook_url", "javascript:alert(1)"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body
                .contains("Webhook URL must be a full URL starting with https:// or http://"),
            "{}",
            bad.body
        );
        assert!(
            bad.body.contains("value=\"Web shop\""),
            "typed values are kept"
        );
        assert!(bad.body.contains("aria-invalid=\"true\""));

        let saved = admin
            .post_form(
                &path,
                &[
                    ("csrf", &csrf),
                    ("name", "Web shop"),
                    ("webhook_url", "https://hooks.test/x"),
                    ("hmac_mandatory", "1"),
                ],
            )
            .await;
        assert_eq!(saved.location(), Some(format!("{path}?saved=1").as_str()));
        assert!(
            admin
                .get(&format!("{path}?saved=1"))
                .await
                .body
                .contains("Saved.")
        );
        let inbox = app.services().inbox(account, inbox.id).await.unwrap();
        assert_eq!(inbox.name, "Web shop");
        let oxidesk_domain::Channel::Api {
            webhook_url,
            hmac_mandatory,
            ..
        } = &inbox.channel
        else {
            panic!("an API inbox");
        };
        assert_eq!(webhook_url.as_deref(), Some("https://hooks.test/x"));
        assert!(hmac_mandatory);
        assert!(
            !inbox.enable_auto_assignment,
            "an unticked box turns the switch off"
        );

        let agent = s.agent.id.get().to_string();
        let staffed = admin
            .post_form(
                &format!("{path}/members"),
                &[
                    ("csrf", &csrf),
                    ("user_ids", &agent),
                    ("user_ids", &s.admin.id.get().to_string()),
                ],
            )
            .await;
        assert_eq!(staffed.status, StatusCode::SEE_OTHER, "{}", staffed.body);
        assert_eq!(
            app.services()
                .inbox_members(account, inbox.id)
                .await
                .unwrap()
                .len(),
            2
        );
        let stranger = s.other_admin.id.get().to_string();
        let refused = admin
            .post_form(
                &format!("{path}/members"),
                &[("csrf", &csrf), ("user_ids", &stranger)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("must all be members of the account"),
            "{}",
            refused.body
        );
        assert_eq!(
            app.services()
                .inbox_members(account, inbox.id)
                .await
                .unwrap()
                .len(),
            2
        );

        let confirm = admin.get(&format!("{path}/delete")).await;
        assert!(confirm.body.contains("Delete inbox"), "{}", confirm.body);
        let deleted = admin
            .post_form(&format!("{path}/delete"), &[("csrf", &csrf)])
            .await;
        assert_eq!(
            deleted.location(),
            Some(settings(account, "inboxes").as_str())
        );
        assert!(app.services().inboxes(account).await.unwrap().is_empty());
        assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND);
    }
);

app_test!(
    agents_are_added_given_a_role_and_removed,
    |app| async move {
        let s = Setup::new(&app).await;
        let (mut admin, csrf) = signed_in(&app, "admin@acme.test", s.account.id).await;
        let account = s.account.id;
        let list = settings(account, "agents");
        let invalid = admin
            .post_form(
                &list,
                &[
                    ("csrf", &csrf),
                    ("name", "Kim Lee"),
                    ("email", "agent@acme.test"),
                    ("role", "agent"),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            invalid
                .body
                .contains("Password is too short (at least 8 characters)"),
            "{}",
            invalid.body
        );
        assert!(invalid.body.contains("value=\"Kim Lee\""));
        assert!(
            !invalid.body.contains("value=\"short\""),
            "passwords are never sent back"
        );

        let added = admin
            .post_form(
                &list,
                &[
                    ("csrf", &csrf),
                    ("name", "Kim Lee"),
                    ("email", "kim@acme.test"),
                    ("role", "agent"),
                    ("password", "kims-password"),
                ],
            )
            .await;
        assert_eq!(added.location(), Some(list.as_str()), "{}", added.body);
        let duplicate = admin
            .post_form(
                &list,
                &[
                    ("csrf", &csrf),
                    ("name", "Kim"),
                    ("email", "kim@acme.test"),
                    ("role", "agent"),
                    ("password", ""),
                ],
            )
            .await;
        assert!(
            duplicate
                .body
                .contains("Email is already a member of this account"),
            "{}",
            duplicate.body
        );
        let mut kim = app.browser();
        assert_eq!(
            kim.login("kim@acme.test", "kims-password").await.status,
            StatusCode::SEE_OTHER
        );
        let kim_id = app
            .services()
            .agents(account)
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.user.email == "kim@acme.test")
            .unwrap()
            .user
            .id;

        let promoted = admin
            .post_form(
                &settings(account, &format!("agents/{kim_id}")),
                &[("csrf", &csrf), ("role", "administrator")],
            )
            .await;
        assert_eq!(promoted.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.services()
                .agent(account, kim_id)
                .await
                .unwrap()
                .membership
                .role,
            Role::Administrator
        );
        assert_eq!(
            kim.get(&settings(account, "labels")).await.status,
            StatusCode::OK,
            "now an administrator"
        );

        let lone = app.services().create_account("Solo").await.unwrap();
        let solo_admin = app
            .member(&lone, "solo@acme.test", Role::Administrator)
            .await;
        let (mut solo, solo_csrf) = signed_in(&app, "solo@acme.test", lone.id).await;
        let last = solo
            .post_form(
                &settings(lone.id, &format!("agents/{}", solo_admin.id)),
                &[("csrf", &solo_csrf), ("role", "agent")],
            )
            .await;
        assert_eq!(last.status, StatusCode::CONFLICT);
        assert!(
            last.body
                .contains("The account needs at least one administrator"),
            "{}",
            last.body
        );
        let myself = solo
            .post_form(
                &settings(lone.id, &format!("agents/{}/delete", solo_admin.id)),
                &[("csrf", &solo_csrf)],
            )
            .await;
        assert!(
            myself.body.contains("You cannot remove yourself"),
            "{}",
            myself.body
        );

        let path = settings(account, &format!("agents/{kim_id}/delete"));
        assert!(
            admin
                .get(&path)
                .await
                .body
                .contains("Remove Kim Lee from Acme?")
        );
        let removed = admin.post_form(&path, &[("csrf", &csrf)]).await;
        assert_eq!(removed.location(), Some(list.as_str()));
        assert!(app.services().agent(account, kim_id).await.is_err());
    }
);

app_test!(
    teams_are_created_renamed_staffed_and_deleted,
    |app| async move {
        let s = Setup::new(&app).await;
        let (mut admin, csrf) = signed_in(&app, "admin@acme.test", s.account.id).await;
        let account = s.account.id;
        let empty = admin
            .post_form(
                &settings(account, "teams"),
                &[("csrf", &csrf), ("name", " "), ("description", "Kept")],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty.body.contains("Name is required") && empty.body.contains(">Kept</textarea>"),
            "{}",
            empty.body
        );
        let created = admin
            .post_form(
                &settings(account, "teams"),
                &[
                    ("csrf", &csrf),
                    ("name", "Billing"),
                    ("description", "Invoices"),
                ],
            )
            .await;
        let team = app.services().teams(account).await.unwrap().pop().unwrap();
        assert_eq!(
            (team.name.as_str(), team.description.as_str()),
            ("billing", "Invoices")
        );
        let path = settings(account, &format!("teams/{}", team.id));
        assert_eq!(created.location(), Some(path.as_str()));
        app.services()
            .create_team(account, "sales", "", &[])
            .await
            .unwrap();
        let taken = admin
            .post_form(
                &path,
                &[("csrf", &csrf), ("name", "Sales"), ("description", "")],
            )
            .await;
        assert!(
            taken.body.contains("Name is already used by another team"),
            "{}",
            taken.body
        );
        admin
            .post_form(
                &path,
                &[
                    ("csrf", &csrf),
                    ("name", "Accounts"),
                    ("description", "Money"),
                ],
            )
            .await;
        assert_eq!(
            app.services().team(account, team.id).await.unwrap().name,
            "accounts"
        );
        let agent = s.agent.id.get().to_string();
        admin
            .post_form(
                &format!("{path}/members"),
                &[("csrf", &csrf), ("user_ids", &agent)],
            )
            .await;
        let members = app.services().team_members(account, team.id).await.unwrap();
        assert_eq!(
            members.iter().map(|m| m.user.id).collect::<Vec<_>>(),
            vec![s.agent.id]
        );
        admin
            .post_form(&format!("{path}/members"), &[("csrf", &csrf)])
            .await;
        assert!(
            app.services()
                .team_members(account, team.id)
                .await
                .unwrap()
                .is_empty(),
            "none ticked: none left"
        );
        let deleted = admin
            .post_form(&format!("{path}/delete"), &[("csrf", &csrf)])
            .await;
        assert_eq!(
            deleted.location(),
            Some(settings(account, "teams").as_str())
        );
        assert!(app.services().team(account, team.id).await.is_err());
    }
);
