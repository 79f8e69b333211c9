//! The maintained count rows against a real `COUNT(*)` of the conversations: both
//! `conversation_counts` (per status, inbox, team and assignee) and its rollup
//! `conversation_assignee_counts` (per status and assignee, migration 0025), after concurrent
//! changes of status, assignee, inbox and team, new conversations, deletions one at a time and
//! many at once; and the tab counts of every filter they serve.

use oxidesk_domain::{ContactId, InboxId, TeamId, UserId};
use oxidesk_store::ConversationFilter;

use super::counting::{Lcg, tabs};

use super::*;

/// `(account, status, assignee or 0, n)` rows.
type Rolled = Vec<(i64, String, i64, i64)>;
/// `(account, status, inbox, team or 0, assignee or 0, n)` rows.
type Fine = Vec<(i64, String, i64, i64, i64, i64)>;

/// The rows of `sql` (no parameters), run past the store.
async fn rows<T>(db: &Store, url: &str, sql: &str) -> Vec<T>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
{
    match db.postgres_pool() {
        Some(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
        None => {
            let pool = sqlx::SqlitePool::connect(url).await.unwrap();
            let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows
        }
    }
}

/// The counts of `filter` by `COUNT(*)` over the conversations themselves.
async fn counted(
    db: &Store,
    url: &str,
    account: AccountId,
    filter: &ConversationFilter,
    me: UserId,
) -> [i64; 4] {
    let mut clause = format!("account_id = {}", account.get());
    if let Some(status) = filter.status {
        clause += &format!(" AND status = '{}'", status.as_str());
    }
    if let Some(inbox) = filter.inbox_id {
        clause += &format!(" AND inbox_id = {}", inbox.get());
    }
    if let Some(team) = filter.team_id {
        clause += &format!(" AND team_id = {}", team.get());
    }
    let sql = format!(
        "SELECT COUNT(*), \
                COUNT(CASE WHEN assignee_id = {} THEN 1 END), \
                COUNT(CASE WHEN assignee_id IS NULL THEN 1 END), \
                COUNT(assignee_id) \
         FROM conversations WHERE {clause}",
        me.get()
    );
    let [(all, mine, unassigned, assigned)]: [(i64, i64, i64, i64); 1] =
        rows(db, url, &sql).await.try_into().unwrap();
    [all, mine, unassigned, assigned]
}

store_test!(
    count_rows_match_the_conversations_after_concurrent_changes,
    |db, url| async move {
        let acme = account(&db, "Acme").await;
        let globex = account(&db, "Globex").await;
        let agents = [
            agent(&db, acme.id, "a@x.com").await.id,
            agent(&db, acme.id, "b@x.com").await.id,
            agent(&db, acme.id, "c@x.com").await.id,
        ];
        let inboxes = [
            inbox(&db, acme.id, "web").await,
            inbox(&db, acme.id, "app").await,
            inbox(&db, acme.id, "api").await,
        ];
        let mut teams = Vec::new();
        for name in ["billing", "sales"] {
            teams.push(
                db.create_team(acme.id, name, "", true, at(0))
                    .await
                    .unwrap()
                    .id,
            );
        }
        let mut contacts = Vec::new();
        for i in 0..6 {
            contacts.push(contact(&db, acme.id, &format!("C{i}"), None).await);
        }
        let mut ids = Vec::new();
        for i in 0..48 {
            let (_, c) = conversation(&db, &inboxes[i % 3], &contacts[i % 6], i as i64).await;
            ids.push(c.id);
        }
        // Another account's conversations stay out of Acme's rows.
        let elsewhere = inbox(&db, globex.id, "globex-web").await;
        let stranger = contact(&db, globex.id, "S", None).await;
        for i in 0..3 {
            conversation(&db, &elsewhere, &stranger, i).await;
        }
        // Eight writers at once: statuses, assignees, teams, inboxes, activity, new
        // conversations and deletions one at a time; beside them a contact deleted with its
        // conversations and an agent removed from the account (their conversations
        // unassigned), each one statement over many conversations.
        let mut tasks = Vec::new();
        for w in 0..8_u64 {
            let db = db.clone();
            let ids = ids.clone();
            let inboxes = inboxes.clone();
            let teams = teams.clone();
            let contacts = contacts.clone();
            let url = url.clone();
            tasks.push(tokio::spawn(async move {
                let mut rng = Lcg(w + 11);
                for step in 0..40 {
                    let id = ids[rng.below(ids.len() as u64) as usize];
                    let Ok(mut c) = db.conversation(id).await else {
                        continue; // deleted
                    };
                    match rng.below(7) {
                        0 | 1 => {
                            c.status = ConversationStatus::ALL
                                [rng.below(ConversationStatus::ALL.len() as u64) as usize];
                        }
                        2 => {
                            c.assignee_id =
                                [None, Some(agents[0]), Some(agents[1]), Some(agents[2])]
                                    [rng.below(4) as usize];
                        }
                        3 => {
                            c.team_id =
                                [None, Some(teams[0]), Some(teams[1])][rng.below(3) as usize];
                        }
                        4 => {
                            // No store call moves a conversation to another inbox.
                            let to: InboxId = inboxes[rng.below(3) as usize].id;
                            let sql = format!(
                                "UPDATE conversations SET inbox_id = {} WHERE id = {} RETURNING id",
                                to.get(),
                                c.id.get()
                            );
                            let _: Vec<(i64,)> = rows(&db, &url, &sql).await;
                            continue;
                        }
                        5 if step % 4 == 0 => {
                            match db.delete_conversation(c.account_id, c.display_id).await {
                                Ok(()) | Err(StoreError::NotFound) => {}
                                Err(e) => panic!("delete: {e}"),
                            }
                            continue;
                        }
                        _ => c.last_activity_at = at(1_000 + step),
                    }
                    match db.save_conversation(&c).await {
                        Ok(()) | Err(StoreError::NotFound) => {}
                        Err(e) => panic!("save: {e}"),
                    }
                    if rng.below(5) == 0 {
                        let person = &contacts[rng.below(5) as usize + 1];
                        conversation(&db, &inboxes[rng.below(3) as usize], person, 2_000).await;
                    }
                }
            }));
        }
        let doomed: ContactId = contacts[0].id;
        let many = {
            let db = db.clone();
            tokio::spawn(async move {
                db.delete_contact(acme.id, doomed).await.unwrap();
                db.remove_member(acme.id, agents[2]).await.unwrap();
            })
        };
        for t in tasks {
            t.await.unwrap();
        }
        many.await.unwrap();

        // The rows, against `COUNT(*)` (rows at 0 are kept: a bucket emptied, not deleted).
        let rolled: Rolled = rows(
            &db,
            &url,
            "SELECT account_id, status, assignee_id, n FROM conversation_assignee_counts \
             WHERE n <> 0 ORDER BY account_id, status, assignee_id",
        )
        .await;
        let recounted: Rolled = rows(
            &db,
            &url,
            "SELECT account_id, status, COALESCE(assignee_id, 0) AS a, COUNT(*) FROM conversations \
             GROUP BY account_id, status, COALESCE(assignee_id, 0) ORDER BY account_id, status, a",
        )
        .await;
        assert_eq!(rolled, recounted, "conversation_assignee_counts");
        let fine: Fine = rows(
            &db,
            &url,
            "SELECT account_id, status, inbox_id, team_id, assignee_id, n FROM conversation_counts \
             WHERE n <> 0 ORDER BY account_id, status, inbox_id, team_id, assignee_id",
        )
        .await;
        let recounted: Fine = rows(
            &db,
            &url,
            "SELECT account_id, status, inbox_id, COALESCE(team_id, 0) AS t, \
                    COALESCE(assignee_id, 0) AS a, COUNT(*) FROM conversations \
             GROUP BY account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0) \
             ORDER BY account_id, status, inbox_id, t, a",
        )
        .await;
        assert_eq!(fine, recounted, "conversation_counts");
        let negative: Vec<(i64,)> = rows(
            &db,
            &url,
            "SELECT n FROM conversation_assignee_counts WHERE n < 0 \
             UNION ALL SELECT n FROM conversation_counts WHERE n < 0",
        )
        .await;
        assert!(negative.is_empty(), "no count below zero: {negative:?}");

        // Every exact filter's tabs: the rollup (no inbox, no team) and the full rows.
        let mut filters = Vec::new();
        let statuses = ConversationStatus::ALL.iter().copied().map(Some);
        for status in std::iter::once(None).chain(statuses) {
            let base = ConversationFilter {
                status,
                ..ConversationFilter::default()
            };
            filters.push(base.clone());
            for inbox in &inboxes {
                filters.push(ConversationFilter {
                    inbox_id: Some(inbox.id),
                    ..base.clone()
                });
            }
            for team in &teams {
                let team: TeamId = *team;
                filters.push(ConversationFilter {
                    team_id: Some(team),
                    ..base.clone()
                });
            }
        }
        for filter in &filters {
            for me in agents {
                let got = db.count_conversations(acme.id, filter, me).await.unwrap();
                assert_eq!(got.limit, None, "exact counts for {filter:?}");
                let want = counted(&db, &url, acme.id, filter, me).await;
                assert_eq!(tabs(got), want, "{filter:?} for {me:?}");
            }
        }
        let all = counted(
            &db,
            &url,
            acme.id,
            &ConversationFilter::default(),
            agents[0],
        )
        .await;
        assert!(all[0] > 30, "the writers left conversations: {all:?}");
    }
);
