//! Dashboard apps: frames and extra allowed origins round trip as JSON text, per account.

use oxidesk_domain::{AppFrame, DashboardAppId};

use super::*;

fn frames(urls: &[&str]) -> Vec<AppFrame> {
    urls.iter()
        .map(|u| AppFrame {
            kind: "frame".into(),
            url: (*u).into(),
        })
        .collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Runs `sql` (with `$1` bound to `account`) straight on the database.
async fn raw(db: &Store, url: &str, sql: &str, account: i64) {
    match db.postgres_pool() {
        Some(pool) => {
            sqlx::query(sql).bind(account).execute(pool).await.unwrap();
        }
        None => {
            let pool = sqlx::SqlitePool::connect(url).await.unwrap();
            sqlx::query(sql).bind(account).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

store_test!(
    dashboard_apps_round_trip_with_their_allowed_origins,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let admin = agent(&db, acme.id, "admin@acme.test").await;
        let crm = db
            .create_dashboard_app(
                acme.id,
                Some(admin.id),
                "CRM",
                &frames(&["https://crm.example.com/app"]),
                &strings(&["https://login.example.com", "http://localhost:3000"]),
                at(1),
            )
            .await
            .unwrap();
        assert_eq!(crm.account_id, acme.id);
        assert_eq!(crm.user_id, Some(admin.id));
        assert_eq!(crm.title, "CRM");
        assert_eq!(crm.content, frames(&["https://crm.example.com/app"]));
        assert_eq!(
            crm.allowed_origins,
            strings(&["https://login.example.com", "http://localhost:3000"])
        );
        assert_eq!((crm.created_at, crm.updated_at), (at(1), at(1)));
        assert_eq!(db.dashboard_app(acme.id, crm.id).await.unwrap(), crm);
        assert_not_found(db.dashboard_app(globex.id, crm.id).await);

        let orders = db
            .create_dashboard_app(
                acme.id,
                None,
                "Orders",
                &frames(&["http://localhost:8080/orders"]),
                &[],
                at(2),
            )
            .await
            .unwrap();
        assert!(orders.allowed_origins.is_empty());
        assert_eq!(
            db.list_dashboard_apps(acme.id, None, 10).await.unwrap(),
            vec![crm.clone(), orders.clone()]
        );
        assert_eq!(
            db.list_dashboard_apps(acme.id, Some(crm.id), 10)
                .await
                .unwrap(),
            vec![orders.clone()]
        );
        assert!(
            db.list_dashboard_apps(globex.id, None, 10)
                .await
                .unwrap()
                .is_empty()
        );

        let changed = db
            .update_dashboard_app(
                acme.id,
                crm.id,
                "CRM 2",
                &frames(&["https://crm2.example.com"]),
                &strings(&["https://sso.example.com"]),
                at(5),
            )
            .await
            .unwrap();
        assert_eq!(changed.title, "CRM 2");
        assert_eq!(
            changed.allowed_origins,
            strings(&["https://sso.example.com"])
        );
        assert_eq!((changed.created_at, changed.updated_at), (at(1), at(5)));
        let cleared = db
            .update_dashboard_app(acme.id, crm.id, "CRM 2", &changed.content, &[], at(6))
            .await
            .unwrap();
        assert!(cleared.allowed_origins.is_empty());
        assert_eq!(db.dashboard_app(acme.id, crm.id).await.unwrap(), cleared);

        assert_not_found(
            db.update_dashboard_app(globex.id, crm.id, "x", &cleared.content, &[], at(7))
                .await,
        );
        assert_not_found(db.delete_dashboard_app(globex.id, crm.id).await);
        db.delete_dashboard_app(acme.id, crm.id).await.unwrap();
        assert_not_found(db.dashboard_app(acme.id, crm.id).await);
        assert_not_found(db.delete_dashboard_app(acme.id, crm.id).await);
        assert_not_found(db.dashboard_app(acme.id, DashboardAppId(9_999)).await);
    }
);

store_test!(
    apps_written_without_allowed_origins_read_as_none,
    |db, url| async move {
        let acme = account(&db, "Acme").await;
        // A row as it was before migration 0005 (or written by anything that omits the column).
        raw(
            &db,
            &url,
            "INSERT INTO dashboard_apps (account_id, title, content, created_at, updated_at) \
             VALUES ($1, 'Old', '[{\"type\":\"frame\",\"url\":\"https://old.example\"}]', 0, 0)",
            acme.id.get(),
        )
        .await;
        let apps = db.list_dashboard_apps(acme.id, None, 10).await.unwrap();
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].title, "Old");
        assert!(apps[0].allowed_origins.is_empty());
        assert_eq!(apps[0].origins(), strings(&["https://old.example"]));

        // A value the code cannot read is an error, not a panic.
        raw(
            &db,
            &url,
            "UPDATE dashboard_apps SET allowed_origins = 'not json' WHERE account_id = $1",
            acme.id.get(),
        )
        .await;
        match db.dashboard_app(acme.id, apps[0].id).await {
            Err(StoreError::Corrupt(message)) => {
                assert!(message.contains("allowed_origins"), "{message}");
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
);
