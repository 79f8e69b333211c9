//! Generated conversations and their messages.
//!
//! Conversations start evenly over the year (so display ids follow creation time), each with a
//! contact who existed by then. A thread opens with the customer's message and then mostly
//! alternates customer and agent, with a few private notes and activity lines; closed ones end
//! with the status change's activity line. The conversation's columns (last activity, waiting
//! time, first reply, status, snooze) come from the domain's own rules
//! (`Conversation::record_message`, `Conversation::set_status`) applied to its messages in order,
//! as the services apply them.

use oxidesk_domain::{
    AccountId, Attributes, ContactId, ContactInboxId, Conversation, ConversationId,
    ConversationStatus, DisplayId, InboxId, MessageType, Priority, TeamId, Timestamp,
};
use oxidesk_store::BulkConversation;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::index::sample;
use serde_json::json;

mod messages;

use super::setup::AgentRef;
use super::words::{BROWSERS, PRIORITY_REASONS, REFERERS};
use super::{DAY, HOUR, pick, uuid_from};

/// Longest thread.
const MAX_MESSAGES: u64 = 200;

/// A contact conversations can be opened with.
#[derive(Debug, Clone)]
pub(super) struct ContactRef {
    /// Its id.
    pub id: ContactId,
    /// Its identity in its inbox.
    pub contact_inbox_id: ContactInboxId,
    /// That inbox.
    pub inbox_id: InboxId,
    /// Its first name, for greetings.
    pub first_name: String,
}

/// What conversations are made of.
pub(super) struct World {
    /// The time of the run; nothing is later, except snooze ends.
    pub now: Timestamp,
    /// When the first conversation starts.
    pub start: Timestamp,
    /// Seconds over which conversations start.
    pub span: i64,
    /// This run's contacts, oldest first.
    pub contacts: Vec<ContactRef>,
    /// The agents, the busiest first.
    pub agents: Vec<AgentRef>,
    /// The account's teams, with their names.
    pub teams: Vec<(TeamId, String)>,
    /// The account's label titles.
    pub labels: Vec<String>,
}

/// Makes the conversations, in order, in batches.
pub(super) struct Threads {
    world: World,
    rng: StdRng,
    /// Cumulative assignment weights of the agents (a Zipf-like skew: some are busier).
    weights: Vec<f64>,
    next: u64,
    total: u64,
    messages_left: u64,
    /// Per contact, its latest incoming message (0: none).
    last_incoming: Vec<i64>,
}

impl Threads {
    /// `conversations` conversations holding `messages` messages in all (between one and 200
    /// each, so `conversations <= messages <= 200 * conversations`).
    pub fn new(world: World, rng: StdRng, conversations: u64, messages: u64) -> Self {
        let mut total = 0.0;
        let weights = (0..world.agents.len())
            .map(|a| {
                total += 1.0 / ((a + 1) as f64).powf(0.7);
                total
            })
            .collect();
        let last_incoming = vec![0; world.contacts.len()];
        Self {
            world,
            rng,
            weights,
            next: 0,
            total: conversations,
            messages_left: messages,
            last_incoming,
        }
    }

    /// The next `size` conversations (fewer at the end; none when all are made).
    pub fn batch(&mut self, size: usize) -> Vec<BulkConversation> {
        let mut out = Vec::with_capacity(size);
        while out.len() < size && self.next < self.total {
            out.push(self.conversation());
            self.next += 1;
        }
        out
    }

    /// Each contact's latest incoming message, for its `last_activity_at`.
    pub fn contact_activity(&self) -> Vec<(ContactId, Timestamp)> {
        self.world
            .contacts
            .iter()
            .zip(&self.last_incoming)
            .filter(|(_, at)| **at > 0)
            .map(|(c, at)| (c.id, Timestamp(*at)))
            .collect()
    }

    fn agent(&mut self) -> usize {
        let total = self.weights.last().copied().unwrap_or(0.0);
        let roll = self.rng.gen_range(0.0..total.max(f64::MIN_POSITIVE));
        self.weights
            .partition_point(|w| *w <= roll)
            .min(self.world.agents.len().saturating_sub(1))
    }

    fn conversation(&mut self) -> BulkConversation {
        let i = self.next;
        let n = self.total.max(1);
        let slot = (self.world.span / n as i64).max(1);
        let begins = self.world.start.plus_secs(
            i64::try_from(i128::from(self.world.span) * i128::from(i) / i128::from(n)).unwrap_or(0),
        );
        let t0 = begins.plus_secs(self.rng.gen_range(0..slot));

        // A contact created by then: often the newest (a first conversation), else an older one.
        let count = self.world.contacts.len();
        let newest = usize::try_from(u128::from(i) * count as u128 / u128::from(n))
            .unwrap_or(0)
            .min(count.saturating_sub(1));
        let contact_index = if self.rng.gen_bool(0.6) {
            newest
        } else {
            self.rng.gen_range(0..=newest)
        };

        let left = n - i;
        let low = self
            .messages_left
            .saturating_sub(MAX_MESSAGES * (left - 1))
            .max(1);
        let high = (self.messages_left - (left - 1)).min(MAX_MESSAGES);
        let k = geometric(&mut self.rng, self.messages_left as f64 / left as f64).clamp(low, high);
        self.messages_left -= k;

        let status_roll: f64 = self.rng.r#gen();
        let status = if status_roll < 0.25 {
            ConversationStatus::Open
        } else if status_roll < 0.90 {
            ConversationStatus::Resolved
        } else if status_roll < 0.95 {
            ConversationStatus::Pending
        } else {
            ConversationStatus::Snoozed
        };
        let assignee = self.rng.gen_bool(0.7).then(|| self.agent());
        let team = if self.rng.gen_bool(0.5) && !self.world.teams.is_empty() {
            Some(self.rng.gen_range(0..self.world.teams.len()))
        } else {
            None
        };
        let priority = match self.rng.gen_range(0..100) {
            0..60 => None,
            60..75 => Some(Priority::Low),
            75..88 => Some(Priority::Medium),
            88..96 => Some(Priority::High),
            _ => Some(Priority::Urgent),
        };
        let mut labels: Vec<String> = if self.rng.gen_bool(0.4) && !self.world.labels.is_empty() {
            let wanted = self.rng.gen_range(1..=3).min(self.world.labels.len());
            sample(&mut self.rng, self.world.labels.len(), wanted)
                .into_iter()
                .filter_map(|l| self.world.labels.get(l).cloned())
                .collect()
        } else {
            Vec::new()
        };
        labels.sort();

        let contact = self
            .world
            .contacts
            .get(contact_index)
            .cloned()
            .unwrap_or(ContactRef {
                id: ContactId(0),
                contact_inbox_id: ContactInboxId(0),
                inbox_id: InboxId(0),
                first_name: String::new(),
            });
        let mut conversation = Conversation {
            id: ConversationId(0),
            display_id: DisplayId(0),
            uuid: uuid_from(&mut self.rng),
            account_id: AccountId(0),
            inbox_id: contact.inbox_id,
            contact_id: contact.id,
            contact_inbox_id: contact.contact_inbox_id,
            assignee_id: assignee
                .and_then(|a| self.world.agents.get(a))
                .map(|a| a.id),
            team_id: team.and_then(|t| self.world.teams.get(t)).map(|t| t.0),
            status: ConversationStatus::Open,
            snoozed_until: None,
            priority,
            muted: false,
            labels,
            custom_attributes: self.custom_attributes(priority),
            additional_attributes: self.additional_attributes(t0),
            agent_last_seen_at: None,
            assignee_last_seen_at: None,
            contact_last_seen_at: None,
            last_activity_at: t0,
            waiting_since: None,
            first_reply_created_at: None,
            created_at: t0,
            updated_at: t0,
        };
        let messages = self.thread(
            &conversation,
            &contact,
            assignee,
            team,
            status,
            k as usize,
            t0,
        );
        for message in &messages {
            if message.message_type == MessageType::Activity {
                conversation.updated_at = message.created_at;
            } else {
                conversation.record_message(
                    message.message_type,
                    message.private,
                    message.created_at,
                );
            }
        }
        let last_out = messages
            .iter()
            .filter(|m| m.message_type == MessageType::Outgoing)
            .map(|m| m.created_at)
            .next_back();
        let closed_at = messages.last().map_or(t0, |m| m.created_at);
        // A one-message conversation given a status has no activity line (as when opened
        // through the API with that status); longer ones end with it.
        if status != ConversationStatus::Open {
            let until = (status == ConversationStatus::Snoozed)
                .then(|| self.world.now.plus_secs(self.rng.gen_range(HOUR..14 * DAY)));
            if conversation.set_status(status, until, closed_at).is_ok() {
                conversation.updated_at = closed_at;
            }
            // Whoever closed it had read it all.
            conversation.agent_last_seen_at = Some(closed_at);
        } else {
            conversation.agent_last_seen_at = last_out;
        }
        if conversation.assignee_id.is_some() {
            conversation.assignee_last_seen_at = conversation.agent_last_seen_at;
        }
        let last_in = messages
            .iter()
            .filter(|m| m.message_type == MessageType::Incoming)
            .map(|m| m.created_at)
            .next_back();
        if let Some(at) = last_in {
            if let Some(slot) = self.last_incoming.get_mut(contact_index) {
                *slot = (*slot).max(at.secs());
            }
            if self.rng.gen_bool(0.6) {
                conversation.contact_last_seen_at = Some(at);
            }
        }
        BulkConversation {
            uuid: conversation.uuid,
            inbox_id: conversation.inbox_id,
            contact_id: conversation.contact_id,
            contact_inbox_id: conversation.contact_inbox_id,
            assignee_id: conversation.assignee_id,
            team_id: conversation.team_id,
            status: conversation.status,
            snoozed_until: conversation.snoozed_until,
            priority: conversation.priority,
            custom_attributes: json_text(conversation.custom_attributes),
            additional_attributes: json_text(conversation.additional_attributes),
            agent_last_seen_at: conversation.agent_last_seen_at,
            assignee_last_seen_at: conversation.assignee_last_seen_at,
            contact_last_seen_at: conversation.contact_last_seen_at,
            last_activity_at: conversation.last_activity_at,
            waiting_since: conversation.waiting_since,
            first_reply_created_at: conversation.first_reply_created_at,
            created_at: conversation.created_at,
            updated_at: conversation.updated_at,
            labels: conversation.labels,
            messages,
        }
    }

    fn custom_attributes(&mut self, priority: Option<Priority>) -> Attributes {
        let mut custom = Attributes::new();
        if self.rng.gen_bool(0.3) {
            custom.insert(
                "order_id".into(),
                json!(format!("ORD-{}", self.rng.gen_range(10_000..100_000))),
            );
        }
        if matches!(priority, Some(Priority::High | Priority::Urgent)) && self.rng.gen_bool(0.5) {
            custom.insert(
                "priority_reason".into(),
                json!(pick(&mut self.rng, PRIORITY_REASONS)),
            );
        }
        custom
    }

    fn additional_attributes(&mut self, t0: Timestamp) -> Attributes {
        let mut additional = Attributes::new();
        if self.rng.gen_bool(0.6) {
            let (device, browser, version, platform, platform_version) =
                *pick(&mut self.rng, BROWSERS);
            additional.insert(
                "browser".into(),
                json!({
                    "device_name": device,
                    "browser_name": browser,
                    "platform_name": platform,
                    "browser_version": version,
                    "platform_version": platform_version,
                }),
            );
            additional.insert(
                "initiated_at".into(),
                json!({ "timestamp": crate::demo::js_date(t0) }),
            );
        }
        if self.rng.gen_bool(0.5) {
            additional.insert("referer".into(), json!(pick(&mut self.rng, REFERERS)));
        }
        additional
    }
}

/// A geometric draw on 1, 2, 3, … with this mean.
fn geometric(rng: &mut StdRng, mean: f64) -> u64 {
    if mean <= 1.0 {
        return 1;
    }
    let p = 1.0 / mean;
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    1 + (u.ln() / (1.0 - p).ln()).floor() as u64
}

fn json_text(attributes: Attributes) -> String {
    serde_json::Value::Object(attributes).to_string()
}
