//! The widget's feature flags.

use crate::ValidationErrors;

/// The widget's optional features (Chatwoot's `feature_flags` bits, served as
/// `selected_feature_flags`).
pub const FEATURE_FLAGS: [&str; 5] = [
    "attachments",
    "emoji_picker",
    "end_conversation",
    "use_inbox_avatar_for_bot",
    "allow_mobile_webview",
];

/// Chatwoot's default feature flags (bitmask 7).
pub fn default_feature_flags() -> Vec<String> {
    FEATURE_FLAGS[..3].iter().map(|f| (*f).to_owned()).collect()
}

/// Checks feature flags against [`FEATURE_FLAGS`]; the valid ones, deduplicated, in the
/// canonical order.
pub fn check_feature_flags(flags: &[String], errors: &mut ValidationErrors) -> Vec<String> {
    for flag in flags {
        if !FEATURE_FLAGS.contains(&flag.as_str()) {
            errors.push(
                "channel.selected_feature_flags",
                format!("{flag:?} is not one of {}", FEATURE_FLAGS.join(", ")),
            );
        }
    }
    FEATURE_FLAGS
        .iter()
        .filter(|f| flags.iter().any(|g| g == *f))
        .map(|f| (*f).to_owned())
        .collect()
}
