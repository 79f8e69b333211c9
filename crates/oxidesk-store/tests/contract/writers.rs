//! Concurrent writers for the counting tests: each picks conversations at random and moves
//! them one at a time (status, assignee, team, inbox, activity, deletion), now and then opening
//! a new one; and the check that the maintained count rows still equal a `COUNT(*)` of the
//! conversations afterwards.

use oxidesk_domain::{ConversationId, TeamId, UserId};
use tokio::task::JoinHandle;

use super::counting::Lcg;
use super::*;

/// The rows of `sql` (no parameters), run past the store.
pub(super) async fn rows<T>(db: &Store, url: &str, sql: &str) -> Vec<T>
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

/// An account to write in: agents `a@x.com`, `b@x.com`…, inboxes, the teams `billing` and
/// `sales`, and six contacts `C0`…`C5`.
pub(super) struct Scene {
    pub(super) acme: Account,
    pub(super) agents: Vec<UserId>,
    pub(super) inboxes: Vec<Inbox>,
    pub(super) teams: Vec<TeamId>,
    pub(super) contacts: Vec<Contact>,
}

impl Scene {
    /// The account `Acme` with `agents` agents and an inbox of each of `inboxes`' names.
    pub(super) async fn new(db: &Store, agents: u8, inboxes: &[&str]) -> Self {
        let acme = account(db, "Acme").await;
        let mut members = Vec::new();
        for letter in (b'a'..).take(usize::from(agents)) {
            let email = format!("{}@x.com", char::from(letter));
            members.push(agent(db, acme.id, &email).await.id);
        }
        let mut boxes = Vec::new();
        for name in inboxes {
            boxes.push(inbox(db, acme.id, name).await);
        }
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
            contacts.push(contact(db, acme.id, &format!("C{i}"), None).await);
        }
        Self {
            acme,
            agents: members,
            inboxes: boxes,
            teams,
            contacts,
        }
    }

    /// Writers over `ids` with all of the scene's agents, teams, inboxes and contacts, every
    /// status and every move (a status twice as often); the tests set what they vary.
    pub(super) fn writers(&self, db: &Store, url: &str, ids: Vec<ConversationId>) -> Writers {
        Writers {
            db: db.clone(),
            url: url.to_owned(),
            ids,
            agents: self.agents.clone(),
            teams: self.teams.clone(),
            inboxes: self.inboxes.clone(),
            contacts: self.contacts.clone(),
            statuses: ConversationStatus::ALL,
            moves: &[
                Move::Status,
                Move::Status,
                Move::Assignee,
                Move::Team,
                Move::Inbox,
                Move::Delete,
                Move::Activity,
            ],
            seed: 1,
            steps: 30,
            new_one_in: 5,
        }
    }
}

/// What a writer's step does to the conversation it picked.
#[derive(Debug, Clone, Copy)]
pub(super) enum Move {
    /// Another of [`Writers::statuses`].
    Status,
    /// Another agent of [`Writers::agents`], or nobody.
    Assignee,
    /// Another team of [`Writers::teams`], or none.
    Team,
    /// Another inbox (raw SQL: no store call moves a conversation to another inbox).
    Inbox,
    /// Deleted, on every fourth step (a new activity time on the others).
    Delete,
    /// A new activity time (no count moves).
    Activity,
}

/// Writers over the conversations `ids`, all at once. A step picks one of `moves` (a move
/// listed twice is picked twice as often) and saves the conversation alone; every
/// `new_one_in` steps on average a writer opens a conversation for a contact other than the
/// first (which the tests delete).
#[derive(Clone)]
pub(super) struct Writers {
    pub(super) db: Store,
    pub(super) url: String,
    pub(super) ids: Vec<ConversationId>,
    pub(super) agents: Vec<UserId>,
    pub(super) teams: Vec<TeamId>,
    pub(super) inboxes: Vec<Inbox>,
    pub(super) contacts: Vec<Contact>,
    pub(super) statuses: &'static [ConversationStatus],
    pub(super) moves: &'static [Move],
    /// Writer `w` draws from `Lcg(seed + w)`.
    pub(super) seed: u64,
    pub(super) steps: i64,
    pub(super) new_one_in: u64,
}

impl Writers {
    /// Starts `count` writers.
    pub(super) fn spawn(&self, count: u64) -> Vec<JoinHandle<()>> {
        (0..count)
            .map(|w| tokio::spawn(self.clone().run(w)))
            .collect()
    }

    async fn run(self, w: u64) {
        let db = &self.db;
        let mut rng = Lcg(self.seed + w);
        let pick = |rng: &mut Lcg, n: usize| rng.below(n as u64) as usize;
        for step in 0..self.steps {
            let id = self.ids[pick(&mut rng, self.ids.len())];
            let Ok(mut c) = db.conversation(id).await else {
                continue; // deleted
            };
            match self.moves[pick(&mut rng, self.moves.len())] {
                Move::Status => c.status = self.statuses[pick(&mut rng, self.statuses.len())],
                Move::Assignee => {
                    c.assignee_id = match pick(&mut rng, self.agents.len() + 1) {
                        0 => None,
                        i => Some(self.agents[i - 1]),
                    };
                }
                Move::Team => {
                    c.team_id = match pick(&mut rng, self.teams.len() + 1) {
                        0 => None,
                        i => Some(self.teams[i - 1]),
                    };
                }
                Move::Inbox => {
                    let to = self.inboxes[pick(&mut rng, self.inboxes.len())].id;
                    let sql = format!(
                        "UPDATE conversations SET inbox_id = {} WHERE id = {} RETURNING id",
                        to.get(),
                        c.id.get()
                    );
                    let _: Vec<(i64,)> = rows(db, &self.url, &sql).await;
                    continue;
                }
                Move::Delete if step % 4 == 0 => {
                    match db.delete_conversation(c.account_id, c.display_id).await {
                        Ok(()) | Err(StoreError::NotFound) => {}
                        Err(e) => panic!("delete: {e}"),
                    }
                    continue;
                }
                Move::Delete | Move::Activity => c.last_activity_at = at(1_000 + step),
            }
            match db.save_conversation(&c).await {
                Ok(()) | Err(StoreError::NotFound) => {}
                Err(e) => panic!("save: {e}"),
            }
            if rng.below(self.new_one_in) == 0 {
                let person = &self.contacts[1 + pick(&mut rng, self.contacts.len() - 1)];
                let inbox = &self.inboxes[pick(&mut rng, self.inboxes.len())];
                conversation(db, inbox, person, 2_000).await;
            }
        }
    }
}

/// `(account, status, assignee or 0, n)` rows.
type Rolled = Vec<(i64, String, i64, i64)>;
/// `(account, status, inbox, team or 0, assignee or 0, n)` rows.
type Fine = Vec<(i64, String, i64, i64, i64, i64)>;

/// Asserts that `conversation_counts` and its rollup `conversation_assignee_counts` hold what a
/// `COUNT(*)` of the conversations gives (rows at 0 are kept: a bucket emptied, not deleted),
/// and no count below zero.
pub(super) async fn assert_count_rows_match(db: &Store, url: &str) {
    let rolled: Rolled = rows(
        db,
        url,
        "SELECT account_id, status, assignee_id, n FROM conversation_assignee_counts \
         WHERE n <> 0 ORDER BY account_id, status, assignee_id",
    )
    .await;
    let recounted: Rolled = rows(
        db,
        url,
        "SELECT account_id, status, COALESCE(assignee_id, 0) AS a, COUNT(*) FROM conversations \
         GROUP BY account_id, status, COALESCE(assignee_id, 0) ORDER BY account_id, status, a",
    )
    .await;
    assert_eq!(rolled, recounted, "conversation_assignee_counts");
    let fine: Fine = rows(
        db,
        url,
        "SELECT account_id, status, inbox_id, team_id, assignee_id, n FROM conversation_counts \
         WHERE n <> 0 ORDER BY account_id, status, inbox_id, team_id, assignee_id",
    )
    .await;
    let recounted: Fine = rows(
        db,
        url,
        "SELECT account_id, status, inbox_id, COALESCE(team_id, 0) AS t, \
                COALESCE(assignee_id, 0) AS a, COUNT(*) FROM conversations \
         GROUP BY account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0) \
         ORDER BY account_id, status, inbox_id, t, a",
    )
    .await;
    assert_eq!(fine, recounted, "conversation_counts");
    let negative: Vec<(i64,)> = rows(
        db,
        url,
        "SELECT n FROM conversation_assignee_counts WHERE n < 0 \
         UNION ALL SELECT n FROM conversation_counts WHERE n < 0",
    )
    .await;
    assert!(negative.is_empty(), "no count below zero: {negative:?}");
}
