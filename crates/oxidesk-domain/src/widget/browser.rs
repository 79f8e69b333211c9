//! What a visitor's browser says about itself: `additional_attributes.browser`, read from its
//! `User-Agent`.

use serde_json::{Value, json};

/// `additional_attributes.browser` from a `User-Agent` header, in the shape the seeds show
/// (`device_name`, `browser_name`, `platform_name`, `browser_version`, `platform_version`).
/// A small reading of the common browsers; anything else is "Unknown".
pub fn browser_of(user_agent: &str) -> Value {
    let ua = user_agent;
    let version_after = |marker: &str| -> Option<String> {
        let start = ua.find(marker)? + marker.len();
        let version: String = ua[start..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '_')
            .collect();
        (!version.is_empty()).then(|| version.replace('_', "."))
    };
    let (browser, version) = if let Some(v) = version_after("Edg/") {
        ("Microsoft Edge", Some(v))
    } else if let Some(v) = version_after("OPR/") {
        ("Opera", Some(v))
    } else if let Some(v) = version_after("Firefox/") {
        ("Firefox", Some(v))
    } else if let Some(v) = version_after("Chrome/") {
        ("Chrome", Some(v))
    } else if ua.contains("Safari/") {
        ("Safari", version_after("Version/"))
    } else {
        ("Unknown Browser", None)
    };
    let (platform, platform_version) = if ua.contains("Android") {
        ("Android", version_after("Android "))
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        ("iOS", version_after("OS "))
    } else if ua.contains("Windows") {
        ("Windows", version_after("Windows NT "))
    } else if ua.contains("Mac OS X") {
        ("macOS", version_after("Mac OS X "))
    } else if ua.contains("Linux") {
        ("Linux", None)
    } else {
        ("Unknown Platform", None)
    };
    let device = if ua.contains("iPhone") {
        "iPhone"
    } else if ua.contains("iPad") {
        "iPad"
    } else if ua.contains("Android") {
        "Android"
    } else {
        "Unknown"
    };
    let major = |v: Option<String>| {
        v.map(|v| v.split('.').next().unwrap_or_default().to_owned())
            .unwrap_or_else(|| "0".to_owned())
    };
    json!({
        "device_name": device,
        "browser_name": browser,
        "platform_name": platform,
        "browser_version": major(version),
        "platform_version": platform_version.unwrap_or_else(|| "0".to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_read_from_the_user_agent() {
        let chrome = browser_of(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/120.0.6099.71 Safari/537.36",
        );
        assert_eq!(chrome["browser_name"], "Chrome");
        assert_eq!(chrome["browser_version"], "120");
        assert_eq!(chrome["platform_name"], "Linux");
        let iphone = browser_of(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
        );
        assert_eq!(iphone["browser_name"], "Safari");
        assert_eq!(iphone["platform_name"], "iOS");
        assert_eq!(iphone["platform_version"], "17.1");
        assert_eq!(iphone["device_name"], "iPhone");
        assert_eq!(browser_of("")["browser_name"], "Unknown Browser");
    }
}
