//! What the widget's header says about the inbox's team: the page renders it, and the
//! visitor's live stream sends it again (`presence` events) whenever it changes.

use oxidesk_domain::{Agent, WebWidget};
use serde::Serialize;

use crate::service::InboxPresence;

/// The header's team line, as the page draws it and the live stream sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    /// An agent of the inbox is online and the inbox is inside its business hours.
    pub online: bool,
    /// Inside the inbox's business hours (always, without hours).
    pub in_business_hours: bool,
    /// "We are online", the out-of-office message or "We are away at the moment".
    pub availability: String,
    /// "Typically replies in a few minutes" (shown only when online).
    pub reply_time: &'static str,
    /// The online agents (at most five).
    pub agents: Vec<HeaderAgent>,
}

/// An agent in the widget's header: their picture or, without one, their initials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderAgent {
    /// The name agents show.
    pub name: String,
    /// An `https` picture, if any.
    pub avatar_url: Option<String>,
    /// Up to two initials.
    pub initials: String,
}

impl HeaderAgent {
    fn new(agent: &Agent) -> Self {
        let name = agent.user.available_name().to_owned();
        let initials = name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .take(2)
            .flat_map(char::to_uppercase)
            .collect();
        Self {
            avatar_url: agent
                .user
                .avatar_url
                .clone()
                .filter(|u| u.starts_with("https://")),
            name,
            initials,
        }
    }
}

impl Header {
    /// The header of `widget` for the team's `presence`.
    pub fn new(widget: &WebWidget, presence: &InboxPresence) -> Self {
        Self {
            online: presence.online,
            in_business_hours: presence.in_business_hours,
            availability: availability_text(widget, presence),
            reply_time: reply_time_text(&widget.reply_time),
            agents: presence.agents.iter().map(HeaderAgent::new).collect(),
        }
    }
}

/// What the header says under the title (Chatwoot's texts).
fn availability_text(widget: &WebWidget, presence: &InboxPresence) -> String {
    if presence.online {
        "We are online".to_owned()
    } else if widget.working_hours_enabled
        && !presence.in_business_hours
        && !widget.out_of_office_message.is_empty()
    {
        widget.out_of_office_message.clone()
    } else {
        "We are away at the moment".to_owned()
    }
}

fn reply_time_text(reply_time: &str) -> &'static str {
    match reply_time {
        "in_a_few_hours" => "Typically replies in a few hours",
        "in_a_day" => "Typically replies in a day",
        _ => "Typically replies in a few minutes",
    }
}
