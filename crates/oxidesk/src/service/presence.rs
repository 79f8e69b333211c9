//! Agents' availability and presence: an agent chooses online, busy or offline (Chatwoot's
//! `availability`); an open dashboard reports its presence, and with `auto_offline` an agent
//! whose dashboard is closed shows as offline (`availability_status`). The website widget's
//! header says whether an agent of its inbox is there.

use oxidesk_domain::{
    AccountId, Agent, Availability, Inbox, PRESENCE_SECS, Timestamp, User, UserId, ValidationError,
};
use serde_json::json;

use super::{ServiceError, Services};

/// What the website widget's header says about the inbox's team.
#[derive(Debug, Clone)]
pub struct InboxPresence {
    /// The inbox's agents who are online, first (at most five shown).
    pub agents: Vec<Agent>,
    /// An agent of the inbox is online and the inbox is inside its business hours.
    pub online: bool,
    /// Inside the inbox's business hours (always, without hours).
    pub in_business_hours: bool,
    /// When this may change without an event: the next whole minute with business hours (their
    /// boundaries fall on whole minutes), or when an online agent's presence runs out.
    pub next_change: Option<Timestamp>,
}

/// The most agents the widget's header shows.
pub const HEADER_AGENTS: usize = 5;

impl Services {
    /// Sets the caller's own availability in `account` (their first account when `None`).
    pub async fn set_own_availability(
        &self,
        user: &User,
        account: Option<AccountId>,
        availability: Availability,
    ) -> Result<(), ServiceError> {
        let memberships = self.store.memberships_of(user.id).await?;
        let account = match account {
            Some(id) => memberships
                .iter()
                .find(|(a, _)| a.id == id)
                .map(|(a, _)| a.id)
                .ok_or_else(|| ValidationError::new("account_id", "is not one of your accounts"))?,
            None => memberships
                .first()
                .map(|(a, _)| a.id)
                .ok_or(ServiceError::NotFound("account"))?,
        };
        self.store
            .set_availability(account, user.id, availability)
            .await?;
        self.events
            .publish(account, "agent.updated", json!({"id": user.id}));
        Ok(())
    }

    /// Records that `user`'s dashboard of `account` is open.
    pub async fn touch_presence(
        &self,
        account: AccountId,
        user: UserId,
    ) -> Result<(), ServiceError> {
        Ok(self
            .store
            .touch_presence(account, user, Timestamp::now())
            .await?)
    }

    /// The member's dashboard opened: records their presence and, when they were not present
    /// before, says so (`presence.changed`), so that the website widgets' headers follow.
    pub async fn arrive(&self, account: AccountId, user: UserId) -> Result<(), ServiceError> {
        let now = Timestamp::now();
        let was_present = self
            .store
            .memberships_of(user)
            .await?
            .iter()
            .any(|(a, m)| a.id == account && m.present(now));
        self.touch_presence(account, user).await?;
        if !was_present {
            self.events
                .publish(account, "presence.changed", json!({"user_id": user}));
        }
        Ok(())
    }

    /// Who of a website inbox's agents is there, and whether the widget may say "online".
    pub async fn inbox_presence(&self, inbox: &Inbox) -> Result<InboxPresence, ServiceError> {
        let now = Timestamp::now();
        let in_business_hours = inbox
            .channel
            .web_widget()
            .is_none_or(|w| w.in_business_hours(now));
        let members = self.store.inbox_members(inbox.account_id, inbox.id).await?;
        let runs_out = members
            .iter()
            .map(|a| &a.membership)
            .filter(|m| m.auto_offline && m.availability != Availability::Offline && m.present(now))
            .filter_map(|m| m.last_seen_at)
            .map(|seen| seen.plus_secs(PRESENCE_SECS + 1))
            .min();
        let boundary = inbox
            .channel
            .web_widget()
            .filter(|w| w.working_hours_enabled)
            .map(|_| Timestamp(now.secs() - now.secs().rem_euclid(60) + 60));
        let next_change = [runs_out, boundary].into_iter().flatten().min();
        let mut agents: Vec<Agent> = members
            .into_iter()
            .filter(|a| a.membership.availability_status(now) == Availability::Online)
            .collect();
        agents.truncate(HEADER_AGENTS);
        Ok(InboxPresence {
            online: in_business_hours && !agents.is_empty(),
            agents,
            in_business_hours,
            next_change,
        })
    }
}
