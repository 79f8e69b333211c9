use super::*;

fn at(text: &str) -> Timestamp {
    let ts: jiff::Timestamp = text.parse().expect("timestamp");
    Timestamp(ts.as_second())
}

fn hours(day: u8, open: (u8, u8), close: (u8, u8)) -> WorkingHours {
    WorkingHours {
        day_of_week: day,
        closed_all_day: false,
        open_all_day: false,
        open_hour: Some(open.0),
        open_minutes: Some(open.1),
        close_hour: Some(close.0),
        close_minutes: Some(close.1),
    }
}

#[test]
fn default_hours_are_weekdays_nine_to_five_in_local_time() {
    let week = default_working_hours();
    // Wednesday 2026-01-14: 08:30 UTC is 09:30 in Berlin (UTC+1).
    assert!(open_at(&week, "Europe/Berlin", at("2026-01-14T08:30:00Z")));
    assert!(!open_at(&week, "Europe/Berlin", at("2026-01-14T07:59:00Z")));
    assert!(open_at(&week, "Europe/Berlin", at("2026-01-14T15:59:00Z")));
    assert!(!open_at(&week, "Europe/Berlin", at("2026-01-14T16:00:00Z")));
    // Saturday is closed; Friday 23:30 UTC is already Saturday in Tokyo.
    assert!(!open_at(&week, "UTC", at("2026-01-17T10:00:00Z")));
    assert!(open_at(&week, "UTC", at("2026-01-16T10:00:00Z")));
    assert!(!open_at(&week, "Asia/Tokyo", at("2026-01-16T16:00:00Z")));
    // Sunday 23:30 UTC is Monday 08:30 in Tokyo: not yet open; 00:30 UTC Monday is 09:30.
    assert!(!open_at(&week, "Asia/Tokyo", at("2026-01-11T23:30:00Z")));
    assert!(open_at(&week, "Asia/Tokyo", at("2026-01-12T00:30:00Z")));
}

#[test]
fn daylight_saving_moves_the_hours_with_the_clock() {
    let week = default_working_hours();
    // Berlin: UTC+1 until Sunday 2026-03-29, UTC+2 from then. Monday 2026-03-30 07:30 UTC
    // is 09:30 local (open); the Monday before, 07:30 UTC was 08:30 local (closed).
    assert!(open_at(&week, "Europe/Berlin", at("2026-03-30T07:30:00Z")));
    assert!(!open_at(&week, "Europe/Berlin", at("2026-03-23T07:30:00Z")));
    // New York: 17:00 local is 21:00 UTC in summer and 22:00 UTC in winter.
    assert!(!open_at(
        &week,
        "America/New_York",
        at("2026-07-01T21:00:00Z")
    ));
    assert!(open_at(
        &week,
        "America/New_York",
        at("2026-12-02T21:00:00Z")
    ));
}

#[test]
fn overnight_hours_close_on_the_next_day() {
    let mut week = check_working_hours(&[hours(5, (22, 0), (2, 30))], &mut ValidationErrors::new());
    // Friday 22:00 to Saturday 02:30.
    assert!(!open_at(&week, "UTC", at("2026-01-16T21:59:00Z")));
    assert!(open_at(&week, "UTC", at("2026-01-16T23:00:00Z")));
    assert!(open_at(&week, "UTC", at("2026-01-17T02:29:00Z")));
    assert!(!open_at(&week, "UTC", at("2026-01-17T02:30:00Z")));
    // Thursday has no hours, so Friday early morning is closed.
    assert!(!open_at(&week, "UTC", at("2026-01-16T01:00:00Z")));
    week[1].open_all_day = true;
    week[1].closed_all_day = false;
    assert!(open_at(&week, "UTC", at("2026-01-12T03:00:00Z")));
}

#[test]
fn invalid_settings_are_named() {
    let mut errors = ValidationErrors::new();
    let mut bad = hours(7, (9, 0), (17, 0));
    check_working_hours(&[bad], &mut errors);
    bad.day_of_week = 1;
    bad.open_hour = Some(24);
    check_working_hours(&[bad, hours(1, (9, 0), (9, 0))], &mut errors);
    check_working_hours(&[hours(2, (9, 0), (9, 0))], &mut errors);
    check_timezone("Mars/Olympus", &mut errors);
    check_feature_flags(&["attachments".into(), "teleport".into()], &mut errors);
    let mut options = PreChatFormOptions::default();
    options.pre_chat_fields[1].kind = "colour".into();
    options.pre_chat_fields[2].name = "emailAddress".into();
    check_pre_chat_options(&options, &mut errors);
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "channel.working_hours[0].day_of_week",
            "channel.working_hours[0].open_hour",
            "channel.working_hours[1].day_of_week",
            "channel.working_hours[0].close_hour",
            "channel.timezone",
            "channel.selected_feature_flags",
            "channel.pre_chat_form_options.pre_chat_fields[1].type",
            "channel.pre_chat_form_options.pre_chat_fields[2].name",
        ]
    );
}

#[test]
fn old_json_takes_chatwoots_defaults() {
    let options: PreChatFormOptions = serde_json::from_str("{}").expect("json");
    assert_eq!(options.pre_chat_message, DEFAULT_PRE_CHAT_MESSAGE);
    let names: Vec<&str> = options
        .pre_chat_fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["emailAddress", "fullName", "phoneNumber"]);
    assert!(options.pre_chat_fields.iter().all(|f| !f.enabled));
    assert!(options.pre_chat_fields[0].required);
    assert_eq!(
        default_feature_flags(),
        ["attachments", "emoji_picker", "end_conversation"]
    );
}
