//! Agents' availability and presence: an agent chooses online, busy or offline (Chatwoot's
//! `availability`); an open dashboard reports its presence, and with `auto_offline` an agent
//! whose dashboard is closed shows as offline (`availability_status`). The website widget's
//! header says whether an agent of its inbox is there.

use oxidesk_domain::{
    AccountId, Agent, Availability, Inbox, Timestamp, User, UserId, ValidationError,
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

    /// Who of a website inbox's agents is there, and whether the widget may say "online".
    pub async fn inbox_presence(&self, inbox: &Inbox) -> Result<InboxPresence, ServiceError> {
        let now = Timestamp::now();
        let in_business_hours = inbox
            .channel
            .web_widget()
            .is_none_or(|w| w.in_business_hours(now));
        let mut agents: Vec<Agent> = self
            .store
            .inbox_members(inbox.account_id, inbox.id)
            .await?
            .into_iter()
            .filter(|a| a.membership.availability_status(now) == Availability::Online)
            .collect();
        agents.truncate(HEADER_AGENTS);
        Ok(InboxPresence {
            online: in_business_hours && !agents.is_empty(),
            agents,
            in_business_hours,
        })
    }
}
