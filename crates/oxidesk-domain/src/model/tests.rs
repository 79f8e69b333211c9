//! The entities' rules.

use super::*;
use crate::{ChannelType, ConversationId, ConversationStatus, DisplayId, MessageType};

#[test]
fn presence_decides_the_availability_others_see() {
    let mut m = Membership {
        account_id: AccountId(1),
        user_id: UserId(1),
        role: Role::Agent,
        availability: Availability::Busy,
        auto_offline: true,
        created_at: Timestamp(0),
        last_seen_at: None,
    };
    let now = Timestamp(1_000);
    assert_eq!(m.availability_status(now), Availability::Offline);
    m.last_seen_at = Some(Timestamp(1_000 - PRESENCE_SECS));
    assert_eq!(m.availability_status(now), Availability::Busy);
    m.last_seen_at = Some(Timestamp(1_000 - PRESENCE_SECS - 1));
    assert_eq!(m.availability_status(now), Availability::Offline);
    m.auto_offline = false;
    assert_eq!(m.availability_status(now), Availability::Busy);
}

fn conversation(status: ConversationStatus) -> Conversation {
    Conversation {
        id: ConversationId(1),
        display_id: DisplayId(1),
        uuid: "u".into(),
        account_id: AccountId(1),
        inbox_id: InboxId(1),
        contact_id: ContactId(1),
        contact_inbox_id: ContactInboxId(1),
        assignee_id: None,
        team_id: None,
        status,
        snoozed_until: None,
        priority: None,
        muted: false,
        labels: vec![],
        custom_attributes: Attributes::new(),
        additional_attributes: Attributes::new(),
        agent_last_seen_at: None,
        assignee_last_seen_at: None,
        contact_last_seen_at: None,
        last_activity_at: Timestamp(100),
        waiting_since: None,
        first_reply_created_at: None,
        created_at: Timestamp(100),
        updated_at: Timestamp(100),
    }
}

#[test]
fn snoozed_until_is_kept_only_while_snoozed() {
    let mut c = conversation(ConversationStatus::Open);
    let now = Timestamp(1_000);
    assert!(
        c.set_status(ConversationStatus::Snoozed, Some(Timestamp(2_000)), now)
            .is_ok()
    );
    assert_eq!(c.snoozed_until, Some(Timestamp(2_000)));
    assert!(
        c.set_status(ConversationStatus::Open, Some(Timestamp(2_000)), now)
            .is_ok()
    );
    assert_eq!(c.status, ConversationStatus::Open);
    assert_eq!(c.snoozed_until, None);
}

#[test]
fn snoozing_into_the_past_is_refused() {
    let mut c = conversation(ConversationStatus::Open);
    let err = c.set_status(
        ConversationStatus::Snoozed,
        Some(Timestamp(10)),
        Timestamp(1_000),
    );
    assert_eq!(err.err().map(|e| e.field), Some("snoozed_until".to_owned()));
    assert_eq!(
        c.status,
        ConversationStatus::Open,
        "nothing changes on error"
    );
}

#[test]
fn toggle_resolves_open_and_reopens_the_rest() {
    assert_eq!(
        conversation(ConversationStatus::Open).toggled_status(),
        ConversationStatus::Resolved
    );
    for s in [
        ConversationStatus::Resolved,
        ConversationStatus::Pending,
        ConversationStatus::Snoozed,
    ] {
        assert_eq!(conversation(s).toggled_status(), ConversationStatus::Open);
    }
}

#[test]
fn an_incoming_message_reopens_and_starts_waiting() {
    let mut c = conversation(ConversationStatus::Snoozed);
    c.snoozed_until = Some(Timestamp(5_000));
    c.record_message(MessageType::Incoming, false, Timestamp(200));
    assert_eq!(c.status, ConversationStatus::Open);
    assert_eq!(c.snoozed_until, None);
    assert_eq!(c.waiting_since, Some(Timestamp(200)));
    assert_eq!(c.last_activity_at, Timestamp(200));
    // A second incoming message keeps the first waiting time.
    c.record_message(MessageType::Incoming, false, Timestamp(300));
    assert_eq!(c.waiting_since, Some(Timestamp(200)));
    // Pending conversations stay pending (a bot is handling them).
    let mut p = conversation(ConversationStatus::Pending);
    p.record_message(MessageType::Incoming, false, Timestamp(200));
    assert_eq!(p.status, ConversationStatus::Pending);
}

#[test]
fn a_reply_ends_waiting_but_a_private_note_does_not() {
    let mut c = conversation(ConversationStatus::Open);
    c.record_message(MessageType::Incoming, false, Timestamp(200));
    c.record_message(MessageType::Outgoing, true, Timestamp(250));
    assert_eq!(c.waiting_since, Some(Timestamp(200)));
    assert_eq!(c.first_reply_created_at, None);
    c.record_message(MessageType::Outgoing, false, Timestamp(300));
    assert_eq!(c.waiting_since, None);
    assert_eq!(c.first_reply_created_at, Some(Timestamp(300)));
    c.record_message(MessageType::Activity, false, Timestamp(400));
    assert_eq!(
        c.last_activity_at,
        Timestamp(300),
        "activity messages are not activity"
    );
}

#[test]
fn available_name_falls_back_to_name() {
    let mut u = User {
        id: UserId(1),
        name: "Samantha Reed".into(),
        display_name: None,
        email: "sam@example.com".into(),
        confirmed: true,
        avatar_url: None,
        created_at: Timestamp(0),
    };
    assert_eq!(u.available_name(), "Samantha Reed");
    u.display_name = Some("Sam".into());
    assert_eq!(u.available_name(), "Sam");
    u.display_name = Some("  ".into());
    assert_eq!(u.available_name(), "Samantha Reed");
}

#[test]
fn channels_serialize_with_their_type() {
    let channel = Channel::Api {
        webhook_url: None,
        hmac_token: "k".into(),
        hmac_mandatory: false,
    };
    let json = serde_json::to_value(&channel).ok();
    assert_eq!(json.as_ref().and_then(|j| j["type"].as_str()), Some("api"));
    assert_eq!(channel.channel_type(), ChannelType::Api);
}
