//! What conversations refer to: inboxes, labels, teams and agents. The few inboxes, labels
//! and teams are made through the services (as an administrator would), and only when the
//! account lacks them; agents, who may be thousands, are written in bulk with one shared
//! password hash.

use oxidesk_domain::{AccountId, Availability, InboxId, TeamId, Timestamp, UserId};
use oxidesk_store::{BulkAgent, GenerationMarks};
use rand::Rng;
use rand::rngs::StdRng;

use super::words::{FIRST_NAMES, INBOXES, LABELS, LAST_NAMES, TEAMS};
use super::{DAY, pick};
use crate::service::{ServiceError, Services};

/// The password of every generated agent.
pub const AGENT_PASSWORD: &str = "oxidesk-agent";

/// An agent conversations can be assigned to.
#[derive(Debug, Clone)]
pub(super) struct AgentRef {
    /// Their user id.
    pub id: UserId,
    /// The name activity messages show.
    pub name: String,
}

/// The account's inboxes, labels, teams and agents, as the generator uses them.
#[derive(Debug, Clone)]
pub(super) struct Setup {
    /// Every inbox of the account (the first is the busiest).
    pub inboxes: Vec<InboxId>,
    /// Every label title of the account.
    pub labels: Vec<String>,
    /// Every team of the account, with its name.
    pub teams: Vec<(TeamId, String)>,
    /// The agents (existing members first, then the generated ones).
    pub agents: Vec<AgentRef>,
    /// The emails of the generated agents.
    pub new_agent_emails: Vec<String>,
    /// Inboxes, labels and teams this run created.
    pub created: (usize, usize, usize),
}

/// Makes sure the account has the inboxes, labels and teams, and adds `agents` new agents.
pub(super) async fn prepare(
    services: &Services,
    account: AccountId,
    agents: usize,
    marks: GenerationMarks,
    rng: &mut StdRng,
) -> Result<Setup, ServiceError> {
    let mut created = (0, 0, 0);
    let mut inboxes = services.inboxes(account).await?;
    for name in INBOXES {
        if !inboxes.iter().any(|i| i.name == *name) {
            inboxes.push(services.create_api_inbox(account, name, None).await?);
            created.0 += 1;
        }
    }
    let mut labels: Vec<String> = services
        .labels(account)
        .await?
        .into_iter()
        .map(|l| l.title)
        .collect();
    for (title, description, color) in LABELS {
        if !labels.iter().any(|l| l == title) {
            labels.push(
                services
                    .create_label(account, title, description, color)
                    .await?
                    .title,
            );
            created.1 += 1;
        }
    }
    let mut teams: Vec<(TeamId, String)> = services
        .teams(account)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    for (name, description) in TEAMS {
        if !teams.iter().any(|(_, n)| n == name) {
            let team = services
                .create_team(account, name, description, &[])
                .await?;
            teams.push((team.id, team.name));
            created.2 += 1;
        }
    }

    let mut pool: Vec<AgentRef> = services
        .store
        .list_agents(account, None, 1000)
        .await?
        .into_iter()
        .map(|a| AgentRef {
            id: a.user.id,
            name: a.user.available_name().to_owned(),
        })
        .collect();
    let domain = email_domain(&services.store.account(account).await?.name);
    let new: Vec<BulkAgent> = (0..agents)
        .map(|i| {
            let first = pick(rng, FIRST_NAMES);
            let last = pick(rng, LAST_NAMES);
            let n = marks.max_user_id + i as i64 + 1;
            let roll: f64 = rng.r#gen();
            BulkAgent {
                name: format!("{first} {last}"),
                email: format!(
                    "{}.{}.{n}@{domain}",
                    first.to_lowercase(),
                    last.to_lowercase()
                ),
                availability: if roll < 0.3 {
                    Availability::Online
                } else if roll < 0.4 {
                    Availability::Busy
                } else {
                    Availability::Offline
                },
            }
        })
        .collect();
    if !new.is_empty() {
        let hash = tokio::task::spawn_blocking(|| crate::secrets::hash_password(AGENT_PASSWORD))
            .await
            .map_err(|e| ServiceError::Internal(format!("hashing the agents' password: {e}")))?
            .map_err(|e| ServiceError::Internal(format!("hashing the agents' password: {e}")))?;
        // A year and a day ago: they answer conversations from the first generated day on.
        let joined = Timestamp::now().plus_secs(-366 * DAY);
        let new_ids = services
            .store
            .bulk_insert_agents(account, &new, &hash, joined)
            .await?;
        for (agent, id) in new.iter().zip(&new_ids) {
            pool.push(AgentRef {
                id: *id,
                name: agent.name.clone(),
            });
        }
        // Each new agent joins one team, a third of them a second one, and every inbox.
        let mut members: Vec<Vec<UserId>> = vec![Vec::new(); teams.len()];
        for (i, id) in new_ids.iter().enumerate() {
            if teams.is_empty() {
                break;
            }
            if let Some(team) = members.get_mut(i % teams.len()) {
                team.push(*id);
            }
            if rng.gen_bool(1.0 / 3.0) {
                let other = rng.gen_range(0..teams.len());
                if let Some(team) = members.get_mut(other) {
                    team.push(*id);
                }
            }
        }
        for ((team, _), users) in teams.iter().zip(&members) {
            if !users.is_empty() {
                services.add_team_members(account, *team, users).await?;
            }
        }
        for inbox in &inboxes {
            let mut users: Vec<UserId> = services
                .inbox_members(account, inbox.id)
                .await?
                .into_iter()
                .map(|a| a.user.id)
                .collect();
            users.extend(&new_ids);
            services
                .set_inbox_members(account, inbox.id, &users)
                .await?;
        }
    }
    if pool.is_empty() {
        return Err(ServiceError::Invalid(
            oxidesk_domain::ValidationError::new(
                "agents",
                "must be at least 1: the account has no member to assign conversations to",
            )
            .into(),
        ));
    }
    Ok(Setup {
        inboxes: inboxes.into_iter().map(|i| i.id).collect(),
        labels,
        teams,
        agents: pool,
        new_agent_emails: new.into_iter().map(|a| a.email).collect(),
        created,
    })
}

/// `acme-support.example` for "Acme Support".
fn email_domain(account_name: &str) -> String {
    let slug: String = account_name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "agents.example".to_owned()
    } else {
        format!("{slug}.example")
    }
}
