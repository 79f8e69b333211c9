//! The demo's conversations: when each starts and each message is posted (relative to now),
//! and how one is opened, threaded, labelled and closed through the use cases.

use oxidesk_domain::{Attributes, ConversationStatus, MessageType, Sender, Timestamp};
use serde_json::json;

use super::data::{CONVERSATIONS, DemoConversation, Line, Outcome};
use super::{DAY, HOUR, Ids, MINUTE};
use crate::service::{MessageInput, ServiceError, Services, StartConversation};

/// When conversation `index` (0 is the oldest) starts: five hours apart, the newest a little
/// over an hour ago, so that each thread ends before the next conversation starts.
fn started_at(now: Timestamp, index: usize) -> Timestamp {
    let index = index as i64;
    let age = CONVERSATIONS.len() as i64 - 1 - index;
    now.plus_secs(-(age * 5 * HOUR + HOUR + (index * 13 % 40) * MINUTE))
}

/// When message `k` of conversation `index` is posted: two to eight minutes after the one
/// before it (at most seven gaps, so well within the hour before the next conversation).
fn message_at(started: Timestamp, index: usize, k: usize) -> Timestamp {
    let mut at = started.plus_secs(5);
    for j in 0..k {
        let gap = 2 * MINUTE + ((index + 3 * j) % 6) as i64 * MINUTE + (j * 17 % 60) as i64;
        at = at.plus_secs(gap);
    }
    at
}

/// Opens one conversation, posts its thread, labels it and gives it its final status.
pub(super) async fn add_conversation(
    services: &Services,
    ids: &Ids,
    index: usize,
    demo: &DemoConversation,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let started = started_at(now, index);
    let mut additional = Attributes::new();
    if let Some(browser) = demo.browser {
        additional.insert(
            "browser".into(),
            json!({
                "device_name": browser.device,
                "browser_name": browser.browser,
                "platform_name": browser.platform,
                "browser_version": browser.browser_version,
                "platform_version": browser.platform_version,
            }),
        );
        additional.insert(
            "initiated_at".into(),
            json!({ "timestamp": js_date(started) }),
        );
    }
    if let Some(referer) = demo.referer {
        additional.insert("referer".into(), json!(referer));
    }
    let mut custom = Attributes::new();
    if let Some(order_id) = demo.order_id {
        custom.insert("order_id".into(), json!(order_id));
    }
    if let Some(reason) = demo.priority_reason {
        custom.insert("priority_reason".into(), json!(reason));
    }
    let input = StartConversation {
        // The widget's conversations (the visitor's browser is known) are the website's.
        inbox_id: if demo.browser.is_some() {
            ids.website.id
        } else {
            ids.inbox
        },
        contact_id: ids.contact(demo.contact)?,
        source_id: None,
        status: ConversationStatus::Open,
        assignee_id: demo.assignee.map(|p| ids.user(p)).transpose()?,
        team_id: demo.team.map(|t| ids.team(t)).transpose()?,
        priority: demo.priority,
        additional_attributes: additional,
        custom_attributes: custom,
    };
    let conversation = services
        .start_conversation_at(ids.account, &input, started)
        .await?;
    let id = conversation.display_id;
    for (k, line) in demo.thread.iter().enumerate() {
        let message = match line {
            Line::In(text) => MessageInput {
                content: (*text).to_owned(),
                message_type: MessageType::Incoming,
                private: false,
                sender: None,
                source_id: None,
                content_type: oxidesk_domain::ContentType::Text,
                content_attributes: Default::default(),
            },
            Line::Reply(person, text) | Line::Note(person, text) => MessageInput {
                content: (*text).to_owned(),
                message_type: MessageType::Outgoing,
                private: matches!(line, Line::Note(..)),
                sender: Some(Sender::User(ids.user(*person)?)),
                source_id: None,
                content_type: oxidesk_domain::ContentType::Text,
                content_attributes: Default::default(),
            },
        };
        services
            .post_message_at(ids.account, id, &message, message_at(started, index, k))
            .await?;
    }
    if !demo.labels.is_empty() {
        let labels: Vec<String> = demo.labels.iter().map(|l| (*l).to_owned()).collect();
        services.set_labels(ids.account, id, &labels).await?;
    }
    // Last, because a customer's message reopens resolved and snoozed conversations.
    let (status, until) = match demo.outcome {
        Outcome::Open => return Ok(()),
        Outcome::Resolved => (ConversationStatus::Resolved, None),
        Outcome::Pending => (ConversationStatus::Pending, None),
        Outcome::Snoozed(days) => (ConversationStatus::Snoozed, Some(now.plus_secs(days * DAY))),
    };
    // Closed a few minutes after the last message, by the assignee when there is one.
    let closed_at = message_at(started, index, demo.thread.len()).plus_secs(2 * MINUTE);
    services
        .set_status_at(
            ids.account,
            id,
            status,
            until,
            conversation.assignee_id,
            closed_at,
        )
        .await?;
    Ok(())
}

/// A time as JavaScript's `Date.prototype.toString` writes it in UTC, which is what Chatwoot's
/// widget stores as `initiated_at.timestamp`: `Tue Jun 04 2024 10:00:00 GMT+0000 (Coordinated
/// Universal Time)`.
pub(crate) fn js_date(at: Timestamp) -> String {
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = at.secs();
    let days = secs.div_euclid(DAY);
    let of_day = secs.rem_euclid(DAY);
    let (year, month, day) = at.date();
    let weekday = WEEKDAYS
        .get((days + 4).rem_euclid(7) as usize)
        .unwrap_or(&"");
    let month_name = MONTHS.get((month - 1) as usize).unwrap_or(&"");
    format!(
        "{weekday} {month_name} {day:02} {year} {:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
        of_day / HOUR,
        of_day % HOUR / MINUTE,
        of_day % MINUTE
    )
}
