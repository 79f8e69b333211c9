//! The messages of a generated conversation: who writes what, and when.

use oxidesk_domain::{Conversation, ConversationStatus, MessageType, Sender, Timestamp};
use oxidesk_store::BulkMessage;
use rand::Rng;
use rand::rngs::StdRng;

use super::super::words::{AGENT, CUSTOMER, NOTES, TOPICS};
use super::super::{DAY, HOUR, pick};
use super::{ContactRef, Threads};

impl Threads {
    /// The `k` messages of a conversation opened at `t0` that ends with `status`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn thread(
        &mut self,
        conversation: &Conversation,
        contact: &ContactRef,
        assignee: Option<usize>,
        team: Option<usize>,
        status: ConversationStatus,
        k: usize,
        t0: Timestamp,
    ) -> Vec<BulkMessage> {
        let topic = *pick(&mut self.rng, TOPICS);
        let closing = status != ConversationStatus::Open && k >= 2;
        let body = k - usize::from(closing);
        let mut out: Vec<BulkMessage> = Vec::with_capacity(k);
        let mut at = t0.plus_secs(5);
        let push = |out: &mut Vec<BulkMessage>, message_type, content, private, sender, at| {
            out.push(BulkMessage {
                message_type,
                content,
                private,
                sender,
                created_at: at,
            });
        };
        let customer = Some(Sender::Contact(conversation.contact_id));
        let opening = self.text(&CUSTOMER[..4], topic, "");
        push(
            &mut out,
            MessageType::Incoming,
            opening,
            false,
            customer,
            at,
        );
        if body >= 3 && self.rng.gen_bool(0.3) {
            let actor = self.agent();
            let actor = self.name(actor);
            let text = match (assignee, team) {
                (Some(a), _) => Some(format!("Assigned to {} by {actor}", self.name(a))),
                (None, Some(t)) => self
                    .world
                    .teams
                    .get(t)
                    .map(|(_, name)| format!("Assigned to team {name} by {actor}")),
                (None, None) => None,
            };
            if let Some(text) = text {
                at = at.plus_secs(self.rng.gen_range(10..600));
                push(&mut out, MessageType::Activity, text, false, None, at);
            }
        }
        let mut last_public = MessageType::Incoming;
        while out.len() < body {
            let replier = match assignee {
                Some(a) if self.rng.gen_bool(0.9) => a,
                _ => self.agent(),
            };
            let agent = self.world.agents.get(replier).map(|a| Sender::User(a.id));
            if last_public == MessageType::Incoming || self.rng.gen_bool(0.15) {
                if self.rng.gen_bool(0.1) {
                    at = at.plus_secs(log_uniform(&mut self.rng, 10, 1800));
                    let note = (*pick(&mut self.rng, NOTES)).to_owned();
                    push(&mut out, MessageType::Outgoing, note, true, agent, at);
                } else {
                    at = at.plus_secs(log_uniform(&mut self.rng, 30, 8 * HOUR));
                    let greeting = if out.len() < 3 && self.rng.gen_bool(0.6) {
                        format!("Hi {}, ", contact.first_name)
                    } else {
                        String::new()
                    };
                    let reply = self.text(AGENT, topic, &greeting);
                    push(&mut out, MessageType::Outgoing, reply, false, agent, at);
                    last_public = MessageType::Outgoing;
                }
            } else {
                at = at.plus_secs(log_uniform(&mut self.rng, 20, 2 * DAY));
                let text = self.text(CUSTOMER, topic, "");
                push(&mut out, MessageType::Incoming, text, false, customer, at);
                last_public = MessageType::Incoming;
            }
        }
        if closing {
            at = at.plus_secs(log_uniform(&mut self.rng, 60, 2 * HOUR));
            let text = match status {
                ConversationStatus::Resolved => "Conversation was marked resolved",
                ConversationStatus::Pending => "Conversation was marked pending",
                ConversationStatus::Snoozed => "Conversation was snoozed",
                ConversationStatus::Open => "Conversation was reopened",
            };
            let text = match assignee {
                Some(a) => format!("{text} by {}", self.name(a)),
                None => text.to_owned(),
            };
            push(&mut out, MessageType::Activity, text, false, None, at);
        }
        fit_before(&mut out, self.world.now.plus_secs(-60));
        out
    }

    fn name(&self, agent: usize) -> String {
        self.world
            .agents
            .get(agent)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    }

    /// One to a few sentences from `pool` (now and then a paragraph), about `topic`.
    fn text(&mut self, pool: &[&str], topic: &str, prefix: &str) -> String {
        let sentences = match self.rng.gen_range(0..10) {
            0..4 => 1,
            4..7 => 2,
            7..9 => 3,
            _ => self.rng.gen_range(4..=7),
        };
        let mut out = prefix.to_owned();
        for s in 0..sentences {
            if s > 0 {
                out.push(' ');
            }
            out.push_str(&pick(&mut self.rng, pool).replace("{}", topic));
        }
        out
    }
}

/// Moves a thread's times closer together (keeping their order, a second apart at least) so
/// that it ends by `limit`: a conversation opened an hour ago has had an hour.
fn fit_before(messages: &mut [BulkMessage], limit: Timestamp) {
    let (Some(first), Some(last)) = (messages.first(), messages.last()) else {
        return;
    };
    let (first, last) = (first.created_at.secs(), last.created_at.secs());
    if last <= limit.secs() || last == first {
        return;
    }
    let room = (limit.secs() - first).max(0) as f64;
    let factor = room / (last - first) as f64;
    let mut previous = first;
    let mut before = first;
    for message in messages.iter_mut().skip(1) {
        let gap = message.created_at.secs() - before;
        before = message.created_at.secs();
        previous += ((gap as f64 * factor) as i64).max(1);
        message.created_at = Timestamp(previous);
    }
}

/// A draw between `low` and `high` seconds, evenly spread over orders of magnitude.
fn log_uniform(rng: &mut StdRng, low: i64, high: i64) -> i64 {
    let (a, b) = ((low as f64).ln(), (high as f64).ln());
    rng.gen_range(a..b).exp() as i64
}
