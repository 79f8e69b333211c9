//! Dashboard apps: frames, extra allowed origins and settings round trip as JSON text, per
//! account; load failures count; the audit log filters.

use oxidesk_domain::{
    AppActionOutcome, AppFrame, AppPlacement, AppScope, AppSettings, DashboardAppId, Withheld,
};
use oxidesk_store::{AppDraft, AuditFilter, NewAuditEntry};

use super::*;

fn frames(urls: &[&str]) -> Vec<AppFrame> {
    urls.iter()
        .map(|u| AppFrame {
            kind: "frame".into(),
            url: (*u).into(),
        })
        .collect()
}

static DEFAULTS: std::sync::LazyLock<AppSettings> = std::sync::LazyLock::new(AppSettings::default);

fn draft<'a>(title: &'a str, content: &'a [AppFrame], origins: &'a [String]) -> AppDraft<'a> {
    AppDraft {
        title,
        content,
        allowed_origins: origins,
        settings: &DEFAULTS,
    }
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
                &draft(
                    "CRM",
                    &frames(&["https://crm.example.com/app"]),
                    &strings(&["https://login.example.com", "http://localhost:3000"]),
                ),
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
                &draft("Orders", &frames(&["http://localhost:8080/orders"]), &[]),
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
                &draft(
                    "CRM 2",
                    &frames(&["https://crm2.example.com"]),
                    &strings(&["https://sso.example.com"]),
                ),
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
            .update_dashboard_app(
                acme.id,
                crm.id,
                &draft("CRM 2", &changed.content, &[]),
                at(6),
            )
            .await
            .unwrap();
        assert!(cleared.allowed_origins.is_empty());
        assert_eq!(db.dashboard_app(acme.id, crm.id).await.unwrap(), cleared);

        assert_not_found(
            db.update_dashboard_app(globex.id, crm.id, &draft("x", &cleared.content, &[]), at(7))
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

store_test!(
    settings_failures_and_the_audit_log_round_trip_per_account,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let content = frames(&["https://crm.example.com"]);
        let crm = db
            .create_dashboard_app(acme.id, None, &draft("CRM", &content, &[]), at(1))
            .await
            .unwrap();
        assert_eq!(crm.settings, AppSettings::default());
        assert_eq!((crm.load_failures, crm.last_failure.clone()), (0, None));

        let mut settings = AppSettings {
            scopes: vec![AppScope::LabelsWrite, AppScope::NoteCreate],
            withheld: vec![Withheld::ContactEmail],
            placements: vec![AppPlacement::ConversationSidebar],
            ..AppSettings::default()
        };
        settings.visibility.inbox_ids = vec![3, 4];
        let changed = db
            .update_dashboard_app(
                acme.id,
                crm.id,
                &AppDraft {
                    settings: &settings,
                    ..draft("CRM", &content, &[])
                },
                at(2),
            )
            .await
            .unwrap();
        assert_eq!(changed.settings, settings);
        assert_eq!(db.dashboard_app(acme.id, crm.id).await.unwrap(), changed);

        db.record_dashboard_app_failure(acme.id, crm.id, "blocked: https://sso.example", at(3))
            .await
            .unwrap();
        db.record_dashboard_app_failure(acme.id, crm.id, "timeout", at(4))
            .await
            .unwrap();
        assert_not_found(
            db.record_dashboard_app_failure(globex.id, crm.id, "x", at(4))
                .await,
        );
        let failed = db.dashboard_app(acme.id, crm.id).await.unwrap();
        assert_eq!(failed.load_failures, 2);
        assert_eq!(failed.last_failure, Some(("timeout".to_owned(), at(4))));

        let params = serde_json::json!({"labels": ["vip"]});
        let entry = |action, outcome, conversation| NewAuditEntry {
            app_id: crm.id.get(),
            app_title: "CRM",
            user_id: Some(7),
            conversation_id: Some(conversation),
            contact_id: Some(9),
            action,
            params: &params,
            outcome,
            detail: None,
        };
        let first = db
            .insert_app_audit(
                acme.id,
                &entry("labels.add", AppActionOutcome::Done, 1),
                at(5),
            )
            .await
            .unwrap();
        let second = db
            .insert_app_audit(
                acme.id,
                &entry("status.set", AppActionOutcome::Denied, 2),
                at(6),
            )
            .await
            .unwrap();
        db.insert_app_audit(
            globex.id,
            &entry("labels.add", AppActionOutcome::Done, 1),
            at(6),
        )
        .await
        .unwrap();
        let all = db
            .app_audit(acme.id, &AuditFilter::default(), None, 10)
            .await
            .unwrap();
        assert_eq!(
            all.iter().map(|e| e.id).collect::<Vec<_>>(),
            vec![second, first],
            "newest first, this account only"
        );
        assert_eq!(all[1].params, params);
        assert_eq!(all[1].action, "labels.add");
        assert_eq!(all[0].outcome, AppActionOutcome::Denied);
        let denied = AuditFilter {
            outcome: Some(AppActionOutcome::Denied),
            ..AuditFilter::default()
        };
        let found = db.app_audit(acme.id, &denied, None, 10).await.unwrap();
        assert_eq!(found.iter().map(|e| e.id).collect::<Vec<_>>(), vec![second]);
        let by_action = AuditFilter {
            action: Some("labels.add".into()),
            conversation_id: Some(1),
            app_id: Some(crm.id.get()),
            user_id: Some(7),
            ..AuditFilter::default()
        };
        let found = db.app_audit(acme.id, &by_action, None, 10).await.unwrap();
        assert_eq!(found.iter().map(|e| e.id).collect::<Vec<_>>(), vec![first]);
        let older = db
            .app_audit(acme.id, &AuditFilter::default(), Some(second), 10)
            .await
            .unwrap();
        assert_eq!(older.iter().map(|e| e.id).collect::<Vec<_>>(), vec![first]);
    }
);
