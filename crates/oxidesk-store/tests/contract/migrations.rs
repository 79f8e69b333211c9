//! Migrations: a fresh database gets every migration once, and running them again is a no-op.

use oxidesk_store::StoreOptions;
use oxidesk_store::testing::postgres_test_url;

use super::*;

store_test!(
    migrating_a_migrated_database_applies_nothing,
    |db| async move {
        assert_eq!(db.migrate().await.unwrap(), 0);
        assert_eq!(db.migrate().await.unwrap(), 0);
        db.ping().await.unwrap();
        // The schema is still whole and usable.
        let acme = account(&db, "Acme").await;
        assert_eq!(db.account(acme.id).await.unwrap(), acme);
    }
);

/// Migrates `store` twice: the first run applies every version, the second none.
async fn migrate_fresh(store: &Store) {
    let (versions, _) = oxidesk_store::migration_versions();
    assert_eq!(store.migrate().await.unwrap(), versions.len());
    assert_eq!(store.migrate().await.unwrap(), 0);
    assert_eq!(store.count_accounts().await.unwrap(), 0);
}

#[tokio::test]
async fn a_fresh_sqlite_file_gets_every_migration_once() {
    let dir = std::env::temp_dir().join(format!("oxidesk_contract_{}", std::process::id()));
    let path = dir.join("nested").join("fresh.db");
    let store = Store::connect(
        &format!("sqlite://{}", path.display()),
        &StoreOptions::default(),
    )
    .await
    .unwrap();
    migrate_fresh(&store).await;
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_fresh_postgres_schema_gets_every_migration_once() {
    let Some(url) = postgres_test_url() else {
        return;
    };
    let schema = format!("oxt_fresh_{}", std::process::id());
    let options = StoreOptions {
        max_connections: 2,
        schema: Some(schema.clone()),
        ..StoreOptions::default()
    };
    let store = Store::connect(&url, &options).await.unwrap();
    migrate_fresh(&store).await;
    if let Some(pool) = store.postgres_pool() {
        sqlx::query(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
            .execute(pool)
            .await
            .unwrap();
    }
    store.close().await;
}
