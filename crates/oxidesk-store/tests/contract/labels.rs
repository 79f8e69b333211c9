//! Account labels: unique titles per account, keyset lists, deletion.

use oxidesk_domain::LabelId;

use super::*;

store_test!(
    labels_round_trip_and_titles_are_unique_per_account,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let vip = db
            .create_label(acme.id, "vip", "Important people", "#ff8800", false, at(4))
            .await
            .unwrap();
        assert_eq!(vip.account_id, acme.id);
        assert_eq!(vip.title, "vip");
        assert_eq!(vip.description, "Important people");
        assert_eq!(vip.color, "#ff8800");
        assert!(!vip.show_on_sidebar);
        assert_eq!(vip.created_at, at(4));
        assert_eq!(db.label(acme.id, vip.id).await.unwrap(), vip);

        assert_conflict(
            db.create_label(acme.id, "vip", "", "#000000", true, at(5))
                .await,
            "title",
        );
        let theirs = db
            .create_label(globex.id, "vip", "", "#000000", true, at(5))
            .await
            .unwrap();
        assert_ne!(theirs.id, vip.id);
        assert_not_found(db.label(acme.id, LabelId(9_999)).await);
    }
);

store_test!(labels_are_listed_by_id_and_deleted, |db| async move {
    let acme = account(&db, "Acme").await;
    let globex = account(&db, "Globex").await;
    let mut labels = Vec::new();
    for title in ["billing", "refund", "vip", "bug"] {
        labels.push(
            db.create_label(acme.id, title, "", "#123456", true, at(0))
                .await
                .unwrap(),
        );
        db.create_label(globex.id, title, "", "#123456", true, at(0))
            .await
            .unwrap();
    }
    assert_eq!(db.list_labels(acme.id, None, 10).await.unwrap(), labels);
    let first = db.list_labels(acme.id, None, 3).await.unwrap();
    assert_eq!(first, labels[..3]);
    let rest = db.list_labels(acme.id, Some(first[2].id), 3).await.unwrap();
    assert_eq!(rest, labels[3..]);

    // Conversations keep a deleted label's title.
    let web = inbox(&db, acme.id, "web").await;
    let alice = contact(&db, acme.id, "Alice", None).await;
    let (_, c) = conversation(&db, &web, &alice, 0).await;
    db.set_conversation_labels(c.id, &["refund".to_owned()])
        .await
        .unwrap();

    db.delete_label(acme.id, labels[1].id).await.unwrap();
    assert_not_found(db.label(acme.id, labels[1].id).await);
    assert_not_found(db.delete_label(acme.id, labels[1].id).await);
    let titles: Vec<_> = db
        .list_labels(acme.id, None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.title)
        .collect();
    assert_eq!(titles, ["billing", "vip", "bug"]);
    assert_eq!(db.list_labels(globex.id, None, 10).await.unwrap().len(), 4);
    assert_eq!(db.conversation(c.id).await.unwrap().labels, ["refund"]);
    // The title is free again.
    db.create_label(acme.id, "refund", "", "#123456", true, at(1))
        .await
        .unwrap();
});
