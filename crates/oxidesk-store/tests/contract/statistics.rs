//! The planner's statistics refreshed while the store is in use: reads and writes on every
//! connection of the pools, before and after, keep working (on SQLite the first `ANALYZE`
//! creates `sqlite_stat1`, a schema change every connection has to notice).

use super::*;
use oxidesk_store::ConversationQuery;

/// Many writes and reads at once, so that several connections of each pool prepare statements.
async fn busy(db: &Store, account: AccountId, inbox: &Inbox, round: usize) {
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (db, inbox) = (db.clone(), inbox.clone());
        tasks.push(tokio::spawn(async move {
            let name = format!("Busy {round}-{i}");
            let email = format!("busy-{round}-{i}@example.com");
            let c = contact(&db, account, &name, Some(&email)).await;
            conversation(&db, &inbox, &c, i64::from(i)).await;
            db.list_conversations(
                account,
                &ConversationQuery {
                    limit: 25,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            let found = db.find_contacts(account, Some("busy")).await.unwrap();
            assert!(found.is_some());
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

/// On SQLite, how many statistics rows the planner has (`None` on PostgreSQL).
async fn sqlite_statistics(db: &Store, url: &str) -> Option<i64> {
    if db.postgres_pool().is_some() {
        return None;
    }
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let rows = if exists {
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_stat1")
            .fetch_one(&pool)
            .await
            .unwrap()
    } else {
        0
    };
    pool.close().await;
    Some(rows)
}

store_test!(statistics_refresh_while_in_use, |db, url| async move {
    let acme = account(&db, "Acme").await;
    let inbox = inbox(&db, acme.id, "Web").await;
    busy(&db, acme.id, &inbox, 0).await;
    assert!(matches!(sqlite_statistics(&db, &url).await, None | Some(0)));
    db.optimize().await.unwrap();
    if let Some(rows) = sqlite_statistics(&db, &url).await {
        assert!(rows > 0, "no statistics after optimize");
    }
    busy(&db, acme.id, &inbox, 1).await;
    db.optimize().await.unwrap();
    busy(&db, acme.id, &inbox, 2).await;
    let page = db
        .list_conversations(
            acme.id,
            &ConversationQuery {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 36);
});
