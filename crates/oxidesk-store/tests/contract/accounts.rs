//! Accounts, users and memberships: creation, email uniqueness, roles, availability, the
//! agent list's keyset pages, and what removing a member clears.

use oxidesk_domain::{Agent, Availability, Role, UserId};
use oxidesk_store::NewUser;

use super::*;

store_test!(
    accounts_are_created_counted_and_found_by_name,
    |db| async move {
        assert_eq!(db.count_accounts().await.unwrap(), 0);
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        assert_ne!(acme.id, globex.id);
        assert_eq!(acme.name, "Acme");
        assert_eq!(acme.locale, "en");
        assert_eq!(acme.created_at, at(0));
        assert_eq!(db.count_accounts().await.unwrap(), 2);
        assert_eq!(db.account(globex.id).await.unwrap(), globex);
        assert_eq!(db.account_by_name("Acme").await.unwrap(), Some(acme));
        assert_eq!(db.account_by_name("acme").await.unwrap(), None);
        assert_not_found(db.account(AccountId(9_999)).await);
    }
);

store_test!(
    users_round_trip_and_are_found_by_email_in_any_case,
    |db| async move {
        let new = NewUser {
            name: "Samantha Reed",
            display_name: Some("Sam"),
            email: "sam@example.com",
            password_hash: Some("$argon2id$one"),
            confirmed: false,
            avatar_url: Some("https://example.com/sam.png"),
        };
        let sam = db.create_user(&new, at(5)).await.unwrap();
        assert_eq!(sam.name, "Samantha Reed");
        assert_eq!(sam.display_name.as_deref(), Some("Sam"));
        assert_eq!(sam.email, "sam@example.com");
        assert!(!sam.confirmed);
        assert_eq!(
            sam.avatar_url.as_deref(),
            Some("https://example.com/sam.png")
        );
        assert_eq!(sam.created_at, at(5));
        assert_eq!(db.user(sam.id).await.unwrap(), sam);

        let found = db.user_by_email(" SAM@Example.COM ").await.unwrap();
        assert_eq!(found, Some(sam.clone()));
        assert_eq!(db.user_by_email("nobody@example.com").await.unwrap(), None);
        assert_not_found(db.user(UserId(9_999)).await);

        let (user, hash) = db
            .user_credentials("Sam@Example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (user, hash.as_deref()),
            (sam.clone(), Some("$argon2id$one"))
        );
        db.set_password_hash(sam.id, "$argon2id$two", at(6))
            .await
            .unwrap();
        let (_, hash) = db
            .user_credentials("sam@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(hash.as_deref(), Some("$argon2id$two"));
        assert_not_found(db.set_password_hash(UserId(9_999), "x", at(6)).await);
        assert!(db.user_credentials("nobody@x.com").await.unwrap().is_none());
    }
);

store_test!(a_taken_email_is_a_conflict_on_email, |db| async move {
    user(&db, "a@x.com").await;
    let again = NewUser {
        name: "Other A",
        display_name: None,
        email: "a@x.com",
        password_hash: None,
        confirmed: false,
        avatar_url: None,
    };
    let err = db.create_user(&again, at(1)).await.unwrap_err();
    assert!(err.is_conflict_on("email"), "{err:?}");
    assert!(!err.is_conflict_on("name"), "{err:?}");
    // Worded the same on both backends: table and columns, never the value.
    assert!(
        matches!(&err, StoreError::Conflict(what) if what == "users.email"),
        "{err:?}"
    );
    // The failed insert left nothing behind.
    assert_eq!(
        db.user_by_email("a@x.com").await.unwrap().unwrap().name,
        "a"
    );
});

store_test!(memberships_carry_role_and_availability, |db| async move {
    let acme = account(&db, "Acme").await;
    let globex = account(&db, "Globex").await;
    let sam = user(&db, "sam@x.com").await;

    let m = db
        .add_member(acme.id, sam.id, Role::Administrator, at(1))
        .await
        .unwrap();
    assert_eq!(m.account_id, acme.id);
    assert_eq!(m.user_id, sam.id);
    assert_eq!(m.role, Role::Administrator);
    assert_eq!(m.availability, Availability::Offline);
    assert!(m.auto_offline);
    assert_eq!(m.created_at, at(1));
    assert_eq!(db.membership(acme.id, sam.id).await.unwrap(), Some(m));
    assert_eq!(db.membership(globex.id, sam.id).await.unwrap(), None);
    assert!(matches!(
        db.add_member(acme.id, sam.id, Role::Agent, at(2)).await,
        Err(StoreError::Conflict(_))
    ));

    db.add_member(globex.id, sam.id, Role::Agent, at(2))
        .await
        .unwrap();
    let of = db.memberships_of(sam.id).await.unwrap();
    let summary: Vec<_> = of
        .iter()
        .map(|(a, m)| (a.id, m.role, m.created_at))
        .collect();
    assert_eq!(
        summary,
        vec![
            (acme.id, Role::Administrator, at(1)),
            (globex.id, Role::Agent, at(2))
        ]
    );
    assert_eq!(of[0].0, acme);

    db.set_role(globex.id, sam.id, Role::Administrator)
        .await
        .unwrap();
    db.set_availability(globex.id, sam.id, Availability::Busy)
        .await
        .unwrap();
    let agent = db.agent(globex.id, sam.id).await.unwrap();
    assert_eq!(agent.user, sam);
    assert_eq!(agent.membership.role, Role::Administrator);
    assert_eq!(agent.membership.availability, Availability::Busy);
    // The other membership is untouched.
    let acme_m = db.membership(acme.id, sam.id).await.unwrap().unwrap();
    assert_eq!(acme_m.availability, Availability::Offline);

    let stranger = user(&db, "stranger@x.com").await;
    assert_not_found(db.set_role(acme.id, stranger.id, Role::Agent).await);
    assert_not_found(
        db.set_availability(acme.id, stranger.id, Availability::Online)
            .await,
    );
    assert_not_found(db.agent(acme.id, stranger.id).await);
    assert!(db.memberships_of(stranger.id).await.unwrap().is_empty());
});

store_test!(list_agents_pages_by_user_id, |db| async move {
    let acme = account(&db, "Acme").await;
    let globex = account(&db, "Globex").await;
    let mut expected = Vec::new();
    for i in 0..5 {
        expected.push(agent(&db, acme.id, &format!("agent{i}@x.com")).await.id);
        agent(&db, globex.id, &format!("other{i}@x.com")).await;
    }
    let mut seen = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = db.list_agents(acme.id, after, 2).await.unwrap();
        assert!(page.len() <= 2);
        if page.is_empty() {
            break;
        }
        pages += 1;
        assert!(page.iter().all(|a| a.membership.account_id == acme.id));
        after = page.last().map(|a| a.user.id);
        seen.extend(page.into_iter().map(|a| a.user.id));
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, expected);
});

store_test!(
    remove_member_clears_assignments_in_that_account_only,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let sam = agent(&db, acme.id, "sam@x.com").await;
        let kim = agent(&db, acme.id, "kim@x.com").await;
        db.add_member(globex.id, sam.id, Role::Agent, at(0))
            .await
            .unwrap();

        let acme_inbox = inbox(&db, acme.id, "acme").await;
        let globex_inbox = inbox(&db, globex.id, "globex").await;
        db.set_inbox_members(acme.id, acme_inbox.id, &[sam.id, kim.id], at(0))
            .await
            .unwrap();
        db.set_inbox_members(globex.id, globex_inbox.id, &[sam.id], at(0))
            .await
            .unwrap();
        let team = db
            .create_team(acme.id, "billing", "", true, at(0))
            .await
            .unwrap();
        db.add_team_members(acme.id, team.id, &[sam.id, kim.id], at(0))
            .await
            .unwrap();

        let mut assigned = Vec::new();
        for (inbox, who) in [
            (&acme_inbox, sam.id),
            (&acme_inbox, kim.id),
            (&globex_inbox, sam.id),
        ] {
            let person = contact(&db, inbox.account_id, "Customer", None).await;
            let (_, mut c) = conversation(&db, inbox, &person, 0).await;
            c.assignee_id = Some(who);
            c.team_id = (inbox.account_id == acme.id).then_some(team.id);
            db.save_conversation(&c).await.unwrap();
            assigned.push(c.id);
        }

        db.remove_member(acme.id, sam.id).await.unwrap();

        assert_eq!(db.membership(acme.id, sam.id).await.unwrap(), None);
        assert!(db.membership(globex.id, sam.id).await.unwrap().is_some());
        let assignee = |i: usize| {
            let db = db.clone();
            let id = assigned[i];
            async move { db.conversation(id).await.unwrap().assignee_id }
        };
        assert_eq!(
            assignee(0).await,
            None,
            "sam's Acme conversation is unassigned"
        );
        assert_eq!(assignee(1).await, Some(kim.id), "kim keeps hers");
        assert_eq!(assignee(2).await, Some(sam.id), "sam keeps his Globex one");
        let team_of = db.conversation(assigned[0]).await.unwrap().team_id;
        assert_eq!(team_of, Some(team.id), "the team stays");

        let ids = |agents: Vec<Agent>| agents.into_iter().map(|a| a.user.id).collect::<Vec<_>>();
        let inbox_members = db.inbox_members(acme.id, acme_inbox.id).await.unwrap();
        assert_eq!(ids(inbox_members), vec![kim.id]);
        let globex_members = db.inbox_members(globex.id, globex_inbox.id).await.unwrap();
        assert_eq!(ids(globex_members), vec![sam.id]);
        assert_eq!(
            ids(db.team_members(acme.id, team.id).await.unwrap()),
            vec![kim.id]
        );
        assert_eq!(
            ids(db.list_agents(acme.id, None, 10).await.unwrap()),
            vec![kim.id]
        );

        assert_not_found(db.remove_member(acme.id, sam.id).await);
    }
);
