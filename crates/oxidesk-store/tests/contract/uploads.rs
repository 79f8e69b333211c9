//! Direct uploads: recorded, put once, forgotten, listed for the sweeper oldest first.

use oxidesk_store::NewDirectUpload;

use super::*;

fn upload(uuid: &str, user: &User, account: Option<AccountId>) -> NewDirectUpload {
    NewDirectUpload {
        uuid: uuid.into(),
        user_id: user.id,
        account_id: account,
        file_name: "photo.png".into(),
        content_type: "image/png".into(),
        byte_size: 1234,
        checksum: "1B2M2Y8AsgTpgAmY7PhCfg==".into(),
        storage_key: format!("uploads/{uuid}"),
    }
}

store_test!(direct_uploads_are_put_once_and_swept, |db| async move {
    let acme = account(&db, "Acme").await;
    let ada = user(&db, "ada@example.com").await;
    let first = db
        .insert_direct_upload(&upload("u1", &ada, Some(acme.id)), at(10))
        .await
        .unwrap();
    let second = db
        .insert_direct_upload(&upload("u2", &ada, None), at(20))
        .await
        .unwrap();
    assert_eq!(first.account_id, Some(acme.id.get()));
    assert_eq!(second.account_id, None);
    assert!(!first.uploaded);
    assert_eq!(first.byte_size, 1234);
    assert_eq!(db.direct_upload("u1").await.unwrap(), first);
    assert_not_found(db.direct_upload("u9").await);
    assert_conflict(
        db.insert_direct_upload(&upload("u1", &ada, None), at(30))
            .await,
        "uuid",
    );

    assert!(db.mark_direct_upload_put(first.id).await.unwrap());
    assert!(!db.mark_direct_upload_put(first.id).await.unwrap(), "once");
    assert!(db.direct_upload("u1").await.unwrap().uploaded);

    let old = db.direct_uploads_before(at(25), 10).await.unwrap();
    assert_eq!(
        old.iter().map(|u| u.uuid.as_str()).collect::<Vec<_>>(),
        ["u1", "u2"]
    );
    assert_eq!(db.direct_uploads_before(at(15), 10).await.unwrap().len(), 1);
    assert_eq!(
        db.direct_uploads_before(at(25), 1).await.unwrap()[0].uuid,
        "u1"
    );
    assert!(db.delete_direct_upload(first.id).await.unwrap());
    assert!(!db.delete_direct_upload(first.id).await.unwrap());
    assert_not_found(db.direct_upload("u1").await);
});
