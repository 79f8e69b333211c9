//! Access tokens, sessions and login throttling: found by hash, expired, counted in windows.

use oxidesk_domain::UserId;

use super::*;

store_test!(
    access_tokens_are_found_by_hash_and_record_use,
    |db| async move {
        let sam = user(&db, "sam@x.com").await;
        let kim = user(&db, "kim@x.com").await;
        let token = db
            .create_access_token(sam.id, "CRM sync", "hash-sam", "oxd_ab", at(0))
            .await
            .unwrap();
        assert_eq!(token.user_id, sam.id);
        assert_eq!(token.name, "CRM sync");
        assert_eq!(token.prefix, "oxd_ab");
        assert_eq!(token.created_at, at(0));
        assert_eq!(token.last_used_at, None);
        db.create_access_token(kim.id, "kim", "hash-kim", "oxd_cd", at(0))
            .await
            .unwrap();

        assert_eq!(
            db.user_by_token_hash("hash-sam", at(100)).await.unwrap(),
            Some(sam.clone())
        );
        assert_eq!(
            db.user_by_token_hash("hash-nope", at(100)).await.unwrap(),
            None
        );
        assert_eq!(
            db.user_by_token_hash("HASH-SAM", at(100)).await.unwrap(),
            None
        );

        let last_used = |user: UserId| {
            let db = db.clone();
            async move { db.list_access_tokens(user).await.unwrap()[0].last_used_at }
        };
        assert_eq!(last_used(sam.id).await, Some(at(100)));
        assert_eq!(
            last_used(kim.id).await,
            None,
            "only the used token is stamped"
        );
        // Uses within a minute are not written again; later ones are.
        db.user_by_token_hash("hash-sam", at(130)).await.unwrap();
        assert_eq!(last_used(sam.id).await, Some(at(100)));
        db.user_by_token_hash("hash-sam", at(200)).await.unwrap();
        assert_eq!(last_used(sam.id).await, Some(at(200)));
    }
);

store_test!(
    access_tokens_are_listed_newest_first_and_revoked_by_owner,
    |db| async move {
        let sam = user(&db, "sam@x.com").await;
        let kim = user(&db, "kim@x.com").await;
        let first = db
            .create_access_token(sam.id, "one", "h1", "p1", at(0))
            .await
            .unwrap();
        let second = db
            .create_access_token(sam.id, "two", "h2", "p2", at(1))
            .await
            .unwrap();
        let listed = db.list_access_tokens(sam.id).await.unwrap();
        assert_eq!(listed, vec![second.clone(), first.clone()]);
        assert!(db.list_access_tokens(kim.id).await.unwrap().is_empty());

        assert_not_found(db.delete_access_token(kim.id, first.id).await);
        assert!(db.user_by_token_hash("h1", at(5)).await.unwrap().is_some());
        db.delete_access_token(sam.id, first.id).await.unwrap();
        assert_eq!(db.user_by_token_hash("h1", at(5)).await.unwrap(), None);
        assert_not_found(db.delete_access_token(sam.id, first.id).await);
        assert_eq!(db.list_access_tokens(sam.id).await.unwrap().len(), 1);

        assert!(matches!(
            db.create_access_token(kim.id, "dup", "h2", "p3", at(2))
                .await,
            Err(StoreError::Conflict(_))
        ));
    }
);

store_test!(sessions_live_until_they_expire, |db| async move {
    let sam = user(&db, "sam@x.com").await;
    db.create_session(sam.id, "s1", "csrf-1", at(0), at(100))
        .await
        .unwrap();
    let live = db.session("s1", at(99)).await.unwrap().unwrap();
    assert_eq!(live.user, sam);
    assert_eq!(live.csrf_token, "csrf-1");
    assert_eq!(live.expires_at, at(100));
    assert_eq!(
        db.session("s1", at(100)).await.unwrap(),
        None,
        "expired at expires_at"
    );
    assert_eq!(db.session("s1", at(500)).await.unwrap(), None);
    assert_eq!(db.session("unknown", at(0)).await.unwrap(), None);

    db.delete_session("s1").await.unwrap();
    assert_eq!(db.session("s1", at(50)).await.unwrap(), None);
    db.delete_session("s1").await.unwrap();
});

store_test!(expired_sessions_are_deleted, |db| async move {
    let sam = user(&db, "sam@x.com").await;
    let kim = user(&db, "kim@x.com").await;
    for (hash, expires) in [("old", 50), ("edge", 100), ("new", 200)] {
        db.create_session(sam.id, hash, "c", at(0), at(expires))
            .await
            .unwrap();
    }
    db.create_session(kim.id, "kim", "c", at(0), at(300))
        .await
        .unwrap();
    assert_eq!(db.delete_expired_sessions(at(100)).await.unwrap(), 2);
    assert_eq!(db.delete_expired_sessions(at(100)).await.unwrap(), 0);
    assert!(db.session("new", at(150)).await.unwrap().is_some());
    // Still there, though expired at this later time: only `session` hides it.
    assert_eq!(db.delete_expired_sessions(at(250)).await.unwrap(), 1);

    db.create_session(sam.id, "again", "c", at(0), at(400))
        .await
        .unwrap();
    db.delete_sessions_of(sam.id).await.unwrap();
    assert_eq!(db.session("again", at(1)).await.unwrap(), None);
    assert!(db.session("kim", at(1)).await.unwrap().is_some());
});

store_test!(
    login_failures_are_counted_within_a_window,
    |db| async move {
        const WINDOW: i64 = 300;
        let record = |key: &'static str, t: i64| {
            let db = db.clone();
            async move {
                db.record_login_failure(key, at(t), at(t - WINDOW))
                    .await
                    .unwrap()
            }
        };
        let count = |key: &'static str, t: i64| {
            let db = db.clone();
            async move { db.login_failures(key, at(t - WINDOW)).await.unwrap() }
        };
        assert_eq!(count("sam", 0).await, 0);
        record("sam", 0).await;
        record("sam", 10).await;
        record("sam", 20).await;
        record("kim", 20).await;
        assert_eq!(count("sam", 20).await, 3);
        assert_eq!(count("kim", 20).await, 1);
        assert_eq!(count("sam", WINDOW - 1).await, 3, "the window still holds");

        // Once the window that started at 0 is over, the count is zero and the next failure
        // starts a new window.
        assert_eq!(count("sam", WINDOW).await, 0);
        record("sam", WINDOW + 50).await;
        assert_eq!(count("sam", WINDOW + 50).await, 1);
        record("sam", WINDOW + 60).await;
        assert_eq!(count("sam", WINDOW + 60).await, 2);
        assert_eq!(
            count("sam", 2 * WINDOW + 49).await,
            2,
            "the new window runs from its first failure"
        );

        db.clear_login_failures("sam").await.unwrap();
        assert_eq!(count("sam", WINDOW + 60).await, 0);
        assert_eq!(count("kim", 20).await, 1, "other keys are kept");
    }
);
