//! The maintained count rows against a real `COUNT(*)` of the conversations: both
//! `conversation_counts` (per status, inbox, team and assignee) and its rollup
//! `conversation_assignee_counts` (per status and assignee, migration 0025), after concurrent
//! changes of status, assignee, inbox and team, new conversations, deletions one at a time and
//! many at once; and the tab counts of every filter they serve.

use oxidesk_domain::{ContactId, TeamId, UserId};
use oxidesk_store::ConversationFilter;

use super::counting::tabs;
use super::writers::{Scene, Writers, assert_count_rows_match, rows};

use super::*;

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
        let scene = Scene::new(&db, 3, &["web", "app", "api"]).await;
        let globex = account(&db, "Globex").await;
        let (acme, inboxes, teams, contacts) = (
            scene.acme.clone(),
            &scene.inboxes,
            scene.teams.clone(),
            &scene.contacts,
        );
        let agents = [scene.agents[0], scene.agents[1], scene.agents[2]];
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
        // (Every move, a status twice as often as the others.)
        let tasks = Writers {
            seed: 11,
            steps: 40,
            new_one_in: 5,
            ..scene.writers(&db, &url, ids)
        }
        .spawn(8);
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

        // The rows, against `COUNT(*)`.
        assert_count_rows_match(&db, &url).await;

        // Every exact filter's tabs: the rollup (no inbox, no team) and the full rows.
        let mut filters = Vec::new();
        let statuses = ConversationStatus::ALL.iter().copied().map(Some);
        for status in std::iter::once(None).chain(statuses) {
            let base = ConversationFilter {
                status,
                ..ConversationFilter::default()
            };
            filters.push(base.clone());
            for inbox in inboxes {
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
