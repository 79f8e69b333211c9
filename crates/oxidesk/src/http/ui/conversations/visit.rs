//! The visit of a website conversation, from its `additional_attributes` as the widget wrote
//! them: the page the visitor wrote from (`referer`), their browser and system (`browser`),
//! their language and when they opened the chat (`initiated_at`). Shown as text, never as a link:
//! the visitor's browser supplied all of it.

use oxidesk_domain::Attributes;
use serde_json::Value;

use super::panel::Detail;

/// The keys shown as the visit (left out of the generic attribute list).
pub(super) const VISIT_KEYS: [&str; 4] = ["referer", "browser", "browser_language", "initiated_at"];

fn field<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.starts_with("Unknown") && *s != "0")
}

/// "Chrome 120 on macOS 14.1 (iPhone)".
fn browser_text(browser: &Value) -> Option<String> {
    let name = field(browser, "browser_name");
    let platform = field(browser, "platform_name");
    let joined = |a: Option<&str>, b: Option<&str>| match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (a, _) => a.map(str::to_owned),
    };
    let browser_part = joined(name, field(browser, "browser_version"));
    let platform_part = joined(platform, field(browser, "platform_version"));
    let mut text = match (browser_part, platform_part) {
        (Some(b), Some(p)) => format!("{b} on {p}"),
        (Some(b), None) => b,
        (None, Some(p)) => p,
        (None, None) => return None,
    };
    if let Some(device) = field(browser, "device_name") {
        text.push_str(&format!(" ({device})"));
    }
    Some(text)
}

/// The visit's details, in order; empty for a conversation that did not start in the widget.
pub(super) fn visit(additional: &Attributes) -> Vec<Detail> {
    let mut out = Vec::new();
    let mut push = |label: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.push(Detail {
                label: label.to_owned(),
                value,
                href: None,
            });
        }
    };
    push(
        "Page",
        additional
            .get("referer")
            .and_then(Value::as_str)
            .map(str::to_owned),
    );
    push("Browser", additional.get("browser").and_then(browser_text));
    push(
        "Language",
        additional
            .get("browser_language")
            .and_then(Value::as_str)
            .map(str::to_owned),
    );
    let initiated = additional.get("initiated_at").and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        other => other
            .get("timestamp")
            .and_then(Value::as_str)
            .map(str::to_owned),
    });
    push("Started", initiated);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_visit_reads_as_text() {
        let additional = json!({
            "referer": "https://shop.example/pricing?x=<b>",
            "browser": {"browser_name": "Chrome", "browser_version": "120", "platform_name": "Linux",
                        "platform_version": "0", "device_name": "Unknown"},
            "browser_language": "de",
            "initiated_at": {"timestamp": "Thu Nov 26 2026 21:00:00 GMT+0000"}
        });
        let details = visit(additional.as_object().expect("object"));
        let shown: Vec<(&str, &str)> = details
            .iter()
            .map(|d| (d.label.as_str(), d.value.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("Page", "https://shop.example/pricing?x=<b>"),
                ("Browser", "Chrome 120 on Linux"),
                ("Language", "de"),
                ("Started", "Thu Nov 26 2026 21:00:00 GMT+0000"),
            ]
        );
        assert!(details.iter().all(|d| d.href.is_none()));
        assert!(visit(&Attributes::new()).is_empty());
    }
}
