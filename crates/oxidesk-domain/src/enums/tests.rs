use super::*;

#[test]
fn message_type_codes_match_chatwoot() {
    assert_eq!(MessageType::Incoming.code(), 0);
    assert_eq!(MessageType::Outgoing.code(), 1);
    assert_eq!(MessageType::Activity.code(), 2);
    assert_eq!(MessageType::Template.code(), 3);
    for t in MessageType::ALL {
        assert_eq!(MessageType::from_code(t.code()), Some(*t));
        assert_eq!(t.as_str().parse::<MessageType>(), Ok(*t));
    }
    assert_eq!(MessageType::from_code(4), None);
    assert_eq!(
        serde_json::to_value(MessageType::Activity).ok(),
        Some(serde_json::json!(2))
    );
}

#[test]
fn string_enums_round_trip_and_reject_unknown_values() {
    for s in ConversationStatus::ALL {
        assert_eq!(s.as_str().parse::<ConversationStatus>(), Ok(*s));
    }
    let err = "closed".parse::<ConversationStatus>().err();
    assert_eq!(
        err.map(|e| e.to_string()).as_deref(),
        Some("'closed' is not one of: open, resolved, pending, snoozed")
    );
    assert!(
        "Agent".parse::<Role>().is_err(),
        "enum names are case-sensitive"
    );
    let parsed: Result<Availability, _> = serde_json::from_str("\"busy\"");
    assert_eq!(parsed.ok(), Some(Availability::Busy));
    assert!(serde_json::from_str::<Availability>("\"away\"").is_err());
}

#[test]
fn priority_accepts_none() {
    assert_eq!(parse_priority("none"), Ok(None));
    assert_eq!(parse_priority(""), Ok(None));
    assert_eq!(parse_priority("urgent"), Ok(Some(Priority::Urgent)));
    let err = parse_priority("critical").err().map(|e| e.expected);
    assert_eq!(err.as_deref(), Some("low, medium, high, urgent, none"));
}

#[test]
fn channel_names_match_chatwoot_classes() {
    assert_eq!(ChannelType::Api.chatwoot_name(), "Channel::Api");
    assert_eq!(AttributeModel::Contact.as_str(), "contact_attribute");
}
