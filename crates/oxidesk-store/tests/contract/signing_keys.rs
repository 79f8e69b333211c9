//! Signing keys: one active key, rotation in one transaction, the retired key published.

use oxidesk_store::signing_keys::SigningKeyRecord;

fn key(kid: &str, at: i64) -> SigningKeyRecord {
    SigningKeyRecord {
        kid: kid.into(),
        algorithm: "EdDSA".into(),
        public_key: format!("pub-{kid}"),
        private_key: format!("secret-{kid}"),
        created_at: at,
        retired_at: None,
    }
}

store_test!(
    one_active_key_rotation_keeps_the_old_one_published,
    |store| async move {
        let store = &store;
        assert_eq!(store.active_signing_key().await.unwrap(), None);
        assert!(
            store
                .insert_first_signing_key(&key("a", 100))
                .await
                .unwrap()
        );
        // A second instance racing to create the first key loses, and uses the winner's.
        assert!(
            !store
                .insert_first_signing_key(&key("b", 101))
                .await
                .unwrap()
        );
        assert_eq!(
            store.active_signing_key().await.unwrap(),
            Some(key("a", 100))
        );

        let retired = store.rotate_signing_key(&key("c", 200)).await.unwrap();
        assert_eq!(retired.as_deref(), Some("a"));
        assert_eq!(
            store.active_signing_key().await.unwrap(),
            Some(key("c", 200))
        );
        let published = store.published_signing_keys(150).await.unwrap();
        let kids: Vec<&str> = published.iter().map(|k| k.kid.as_str()).collect();
        assert_eq!(kids, ["c", "a"]);
        // The retired key's private part is gone; its public part stays.
        assert_eq!(published[1].private_key, "");
        assert_eq!(published[1].public_key, "pub-a");
        assert_eq!(published[1].retired_at, Some(200));
        // Past its publication window it is no longer listed.
        let kids: Vec<String> = store
            .published_signing_keys(201)
            .await
            .unwrap()
            .into_iter()
            .map(|k| k.kid)
            .collect();
        assert_eq!(kids, ["c"]);
    }
);
