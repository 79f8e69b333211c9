//! Inboxes with their channel settings and members, and teams with theirs.

use oxidesk_domain::{Agent, InboxId, TeamId, UserId};

use super::*;

fn ids(agents: Vec<Agent>) -> Vec<UserId> {
    agents.into_iter().map(|a| a.user.id).collect()
}

store_test!(inboxes_round_trip_with_their_channel, |db| async move {
    let acme = account(&db, "Acme").await;
    let channel = Channel::Api {
        webhook_url: Some("https://crm.example.com/hook?x=1".into()),
        hmac_token: "s3cret-token".into(),
        hmac_mandatory: true,
    };
    let created = db
        .create_inbox(acme.id, "Website API", &channel, "pub-123", at(3))
        .await
        .unwrap();
    assert_eq!(created.account_id, acme.id);
    assert_eq!(created.name, "Website API");
    assert_eq!(created.channel, channel);
    assert_eq!(created.inbox_identifier, "pub-123");
    assert!(created.enable_auto_assignment);
    assert_eq!(created.created_at, at(3));
    assert_eq!(db.inbox(acme.id, created.id).await.unwrap(), created);
    assert_eq!(
        db.inbox_by_identifier("pub-123").await.unwrap(),
        Some(created.clone())
    );
    assert_eq!(db.inbox_by_identifier("pub-999").await.unwrap(), None);

    let changed = api_channel("rotated");
    let updated = db
        .update_inbox(acme.id, created.id, "Renamed", &changed, false, at(9))
        .await
        .unwrap();
    assert_eq!(updated.name, "Renamed");
    assert_eq!(updated.channel, changed);
    assert!(!updated.enable_auto_assignment);
    assert_eq!(
        updated.inbox_identifier, "pub-123",
        "the identifier never changes"
    );
    assert_eq!(db.inbox(acme.id, created.id).await.unwrap(), updated);
    assert_not_found(
        db.update_inbox(acme.id, InboxId(9_999), "x", &changed, true, at(9))
            .await,
    );

    db.delete_inbox(acme.id, created.id).await.unwrap();
    assert_not_found(db.inbox(acme.id, created.id).await);
    assert_eq!(db.inbox_by_identifier("pub-123").await.unwrap(), None);
    assert_not_found(db.delete_inbox(acme.id, created.id).await);
});

store_test!(inbox_identifiers_are_unique, |db| async move {
    let acme = account(&db, "Acme").await;
    let globex = account(&db, "Globex").await;
    inbox(&db, acme.id, "one").await;
    assert_conflict(
        db.create_inbox(globex.id, "x", &api_channel("k"), "ident-one", at(0))
            .await,
        "identifier",
    );
});

store_test!(
    deleting_an_inbox_deletes_its_conversations,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let doomed = inbox(&db, acme.id, "doomed").await;
        let kept = inbox(&db, acme.id, "kept").await;
        let person = contact(&db, acme.id, "Customer", None).await;
        let (_, gone) = conversation(&db, &doomed, &person, 0).await;
        let (_, stays) = conversation(&db, &kept, &person, 0).await;
        db.delete_inbox(acme.id, doomed.id).await.unwrap();
        assert_not_found(db.conversation(gone.id).await);
        assert_eq!(db.conversation(stays.id).await.unwrap().id, stays.id);
        assert!(db.contact_inboxes_of(person.id).await.unwrap().len() == 1);
    }
);

store_test!(list_inboxes_pages_by_id, |db| async move {
    let acme = account(&db, "Acme").await;
    let globex = account(&db, "Globex").await;
    let mut expected = Vec::new();
    for i in 0..5 {
        expected.push(inbox(&db, acme.id, &format!("a{i}")).await.id);
        inbox(&db, globex.id, &format!("g{i}")).await;
    }
    let first = db.list_inboxes(acme.id, None, 3).await.unwrap();
    let rest = db
        .list_inboxes(acme.id, first.last().map(|i| i.id), 3)
        .await
        .unwrap();
    let end = db
        .list_inboxes(acme.id, rest.last().map(|i| i.id), 3)
        .await
        .unwrap();
    assert_eq!((first.len(), rest.len(), end.len()), (3, 2, 0));
    let seen: Vec<_> = first.iter().chain(&rest).map(|i| i.id).collect();
    assert_eq!(seen, expected);
});

store_test!(inbox_members_must_be_account_members, |db| async move {
    let acme = account(&db, "Acme").await;
    let globex = account(&db, "Globex").await;
    let sam = agent(&db, acme.id, "sam@x.com").await;
    let kim = agent(&db, acme.id, "kim@x.com").await;
    let outsider = agent(&db, globex.id, "out@x.com").await;
    let loner = user(&db, "loner@x.com").await;
    let support = inbox(&db, acme.id, "support").await;
    assert!(
        db.inbox_members(acme.id, support.id)
            .await
            .unwrap()
            .is_empty()
    );

    db.set_inbox_members(acme.id, support.id, &[kim.id, sam.id], at(0))
        .await
        .unwrap();
    let members = db.inbox_members(acme.id, support.id).await.unwrap();
    assert_eq!(
        ids(members.clone()),
        vec![sam.id, kim.id],
        "ordered by user id"
    );
    assert!(members.iter().all(|a| a.membership.account_id == acme.id));

    for stranger in [outsider.id, loner.id, UserId(9_999)] {
        assert_not_found(
            db.set_inbox_members(acme.id, support.id, &[sam.id, stranger], at(1))
                .await,
        );
        let unchanged = db.inbox_members(acme.id, support.id).await.unwrap();
        assert_eq!(ids(unchanged), vec![sam.id, kim.id], "nothing changed");
    }

    db.set_inbox_members(acme.id, support.id, &[kim.id], at(2))
        .await
        .unwrap();
    let replaced = db.inbox_members(acme.id, support.id).await.unwrap();
    assert_eq!(ids(replaced), vec![kim.id]);
    db.set_inbox_members(acme.id, support.id, &[], at(3))
        .await
        .unwrap();
    assert!(
        db.inbox_members(acme.id, support.id)
            .await
            .unwrap()
            .is_empty()
    );

    let theirs = inbox(&db, globex.id, "theirs").await;
    assert_not_found(
        db.set_inbox_members(acme.id, theirs.id, &[sam.id], at(4))
            .await,
    );
    assert!(
        db.inbox_members(globex.id, theirs.id)
            .await
            .unwrap()
            .is_empty()
    );
});

store_test!(team_names_are_unique_per_account, |db| async move {
    let acme = account(&db, "Acme").await;
    let globex = account(&db, "Globex").await;
    let billing = db
        .create_team(acme.id, "billing", "Money matters", false, at(2))
        .await
        .unwrap();
    assert_eq!(billing.account_id, acme.id);
    assert_eq!(billing.name, "billing");
    assert_eq!(billing.description, "Money matters");
    assert!(!billing.allow_auto_assign);
    assert_eq!(billing.created_at, at(2));
    assert_eq!(db.team(acme.id, billing.id).await.unwrap(), billing);

    assert_conflict(
        db.create_team(acme.id, "billing", "", true, at(3)).await,
        "name",
    );
    let theirs = db
        .create_team(globex.id, "billing", "", true, at(3))
        .await
        .unwrap();
    assert_ne!(theirs.id, billing.id);

    let sales = db
        .create_team(acme.id, "sales", "", true, at(4))
        .await
        .unwrap();
    let listed = db.list_teams(acme.id, None, 10).await.unwrap();
    assert_eq!(listed, vec![billing.clone(), sales.clone()]);
    let after = db.list_teams(acme.id, Some(billing.id), 10).await.unwrap();
    assert_eq!(after, vec![sales]);
    assert_not_found(db.team(acme.id, TeamId(9_999)).await);
});

store_test!(team_members_must_be_account_members, |db| async move {
    let acme = account(&db, "Acme").await;
    let globex = account(&db, "Globex").await;
    let sam = agent(&db, acme.id, "sam@x.com").await;
    let kim = agent(&db, acme.id, "kim@x.com").await;
    let outsider = agent(&db, globex.id, "out@x.com").await;
    let team = db
        .create_team(acme.id, "support", "", true, at(0))
        .await
        .unwrap();

    assert_not_found(
        db.add_team_members(acme.id, team.id, &[sam.id, outsider.id], at(1))
            .await,
    );
    assert!(db.team_members(acme.id, team.id).await.unwrap().is_empty());

    db.add_team_members(acme.id, team.id, &[kim.id], at(1))
        .await
        .unwrap();
    db.add_team_members(acme.id, team.id, &[sam.id, kim.id], at(2))
        .await
        .unwrap();
    let members = db.team_members(acme.id, team.id).await.unwrap();
    assert_eq!(ids(members), vec![sam.id, kim.id]);

    let theirs = db
        .create_team(globex.id, "support", "", true, at(0))
        .await
        .unwrap();
    assert_not_found(
        db.add_team_members(acme.id, theirs.id, &[sam.id], at(3))
            .await,
    );
    assert!(
        db.team_members(globex.id, theirs.id)
            .await
            .unwrap()
            .is_empty()
    );
});
