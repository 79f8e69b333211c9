//! Dashboard app URLs: parsed as browsers parse them (the WHATWG URL Standard, with IDNA, through
//! the `url` crate), and URL templates (`https://crm.example/c/{{contact.id}}?e={{contact.email}}`)
//! filled in per conversation with every value percent-encoded, so that a value can never leave
//! its parameter.
//!
//! A placeholder may stand only after the origin (in the path, the query or the fragment): the
//! origin of an app is then fixed when it is saved, and the CSP `frame-src`, the `postMessage`
//! targets and the tokens' audience are known before any value is filled in.

use serde_json::Value;
use url::{Host, Url};

/// The placeholders a template may use, besides `contact.custom_attributes.KEY` and
/// `conversation.custom_attributes.KEY`.
pub const PLACEHOLDERS: &[&str] = &[
    "conversation.id",
    "conversation.uuid",
    "conversation.status",
    "contact.id",
    "contact.name",
    "contact.email",
    "contact.phone_number",
    "contact.identifier",
    "agent.id",
    "agent.name",
    "agent.email",
    "account.id",
    "inbox.id",
    "team.id",
];

/// The prefixes of the custom attribute placeholders (followed by the attribute's key).
const ATTRIBUTE_PREFIXES: &[&str] = &[
    "contact.custom_attributes.",
    "conversation.custom_attributes.",
];

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// Splits a template into text and placeholders (`{{ name }}`, spaces inside allowed). `Err`
/// with the text after an unclosed `{{`.
fn pieces(template: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| format!("has a {{{{ that is never closed with }}}} ('{{{{{after}')"))?;
        out.push(Piece::Placeholder(after[..end].trim()));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// Whether `name` is a placeholder templates may use.
pub fn is_known_placeholder(name: &str) -> bool {
    PLACEHOLDERS.contains(&name)
        || ATTRIBUTE_PREFIXES.iter().any(|prefix| {
            name.strip_prefix(prefix).is_some_and(|key| {
                !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
        })
}

/// Whether a URL has placeholders.
pub fn is_template(url: &str) -> bool {
    url.contains("{{")
}

/// Checks a template's placeholders: each known, none before the end of the origin. The
/// message says what to fix.
pub fn check_template(template: &str) -> Result<(), String> {
    let pieces = pieces(template)?;
    for piece in &pieces {
        if let Piece::Placeholder(name) = piece {
            if !is_known_placeholder(name) {
                return Err(format!(
                    "has an unknown placeholder {{{{{name}}}}}: use one of {}, \
                     contact.custom_attributes.KEY, conversation.custom_attributes.KEY",
                    PLACEHOLDERS.join(", ")
                ));
            }
        }
    }
    if let Some(first) = template.find("{{") {
        let prefix = &template[..first];
        let authority = prefix.find("://").map(|i| &prefix[i + 3..]);
        if !authority.is_some_and(|a| a.contains(['/', '\\', '?', '#'])) {
            return Err(
                "can use placeholders only after the host (in the path or the query): \
                 the origin must be fixed"
                    .to_owned(),
            );
        }
    }
    Ok(())
}

/// The template with every placeholder replaced by `0`: a URL to check, whose origin is the
/// template's.
fn sample(template: &str) -> String {
    match pieces(template) {
        Ok(pieces) => pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => *t,
                Piece::Placeholder(_) => "0",
            })
            .collect(),
        Err(_) => template.to_owned(),
    }
}

/// Why an app URL (or its template, placeholders aside) is refused, if it is.
pub fn check_http_url(text: &str) -> Result<Url, &'static str> {
    const FULL: &str = "Enter a full URL starting with https:// or http://";
    let text = text.trim();
    // Browsers silently drop tabs and newlines inside a URL: refuse them, so that what an
    // administrator reads is what the browser loads.
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("Remove the spaces, tabs or line breaks inside the URL");
    }
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let after = if lower.starts_with("https://") {
        &text[8..]
    } else if lower.starts_with("http://") {
        &text[7..]
    } else {
        return Err(FULL);
    };
    if after.is_empty() || after.starts_with(['/', '\\']) {
        return Err(FULL);
    }
    let url = Url::parse(&sample(text)).map_err(|_| FULL)?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(FULL);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "Remove the user name and password (user:pass@) from the URL: browsers \
                    refuse to frame such URLs, and every agent could read them",
        );
    }
    Ok(url)
}

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL or template, as a browser
/// reports it: lower case, the host in punycode, the default port dropped, IPv6 in brackets;
/// `None` for anything else.
pub fn origin_of(url: &str) -> Option<String> {
    check_http_url(url)
        .ok()
        .map(|url| url.origin().ascii_serialization())
}

/// Whether a URL points at this machine (`localhost`, `*.localhost`, a loopback address).
pub fn is_local(url: &str) -> bool {
    check_http_url(url).is_ok_and(|url| match url.host() {
        Some(Host::Domain(host)) => host == "localhost" || host.ends_with(".localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    })
}

/// Percent-encodes everything but the unreserved characters (RFC 3986: letters, digits,
/// `-._~`), so a value cannot end its parameter, path segment or fragment.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A value from `values` as text: strings as they are, numbers and booleans written out,
/// anything else (absent, `null`, an object) empty.
fn lookup(values: &Value, name: &str) -> String {
    let (head, key) = match ATTRIBUTE_PREFIXES.iter().find(|p| name.starts_with(**p)) {
        Some(prefix) => (&prefix[..prefix.len() - 1], Some(&name[prefix.len()..])),
        None => (name, None),
    };
    let mut value = values;
    for part in head.split('.') {
        value = value.get(part).unwrap_or(&Value::Null);
    }
    if let Some(key) = key {
        value = value.get(key).unwrap_or(&Value::Null);
    }
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// Fills a template from `values` (`{"conversation": {...}, "contact": {...}, "agent": {...},
/// "account": {"id"}, "inbox": {"id"}, "team": {"id"}}`), each value percent-encoded. A URL
/// without placeholders comes back unchanged; a placeholder with no value is left empty.
pub fn fill(template: &str, values: &Value) -> String {
    if !is_template(template) {
        return template.to_owned();
    }
    match pieces(template) {
        Ok(pieces) => pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => (*t).to_owned(),
                Piece::Placeholder(name) => encode(&lookup(values, name)),
            })
            .collect(),
        Err(_) => template.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn known_and_unknown_placeholders() {
        assert!(
            check_template("https://a.example/{{conversation.id}}?e={{ contact.email }}").is_ok()
        );
        assert!(
            check_template("https://a.example/x?k={{contact.custom_attributes.plan_2}}").is_ok()
        );
        assert!(
            check_template("https://a.example/#{{conversation.custom_attributes.order-id}}")
                .is_ok()
        );
        let error = check_template("https://a.example/{{contact.password}}")
            .err()
            .unwrap_or_default();
        assert!(error.contains("{{contact.password}}"), "{error}");
        assert!(
            error.contains("agent.email"),
            "lists the known ones: {error}"
        );
        assert!(check_template("https://a.example/{{contact.custom_attributes.}}").is_err());
        assert!(check_template("https://a.example/{{contact.custom_attributes.a/b}}").is_err());
        assert!(check_template("https://a.example/{{contact.id").is_err());
    }

    #[test]
    fn placeholders_only_after_the_origin() {
        for bad in [
            "https://{{contact.id}}.example/",
            "https://a.example:{{contact.id}}/",
            "https://{{contact.email}}@a.example/",
            "{{account.id}}://a.example/",
            "https://a.example{{conversation.id}}",
        ] {
            let error = check_template(bad).err().unwrap_or_default();
            assert!(error.contains("only after the host"), "{bad}: {error}");
        }
        assert!(check_template("https://a.example/{{conversation.id}}").is_ok());
        assert!(check_template("https://a.example?c={{conversation.id}}").is_ok());
        assert!(check_template("https://a.example\\{{conversation.id}}").is_ok());
    }

    #[test]
    fn hostile_values_stay_inside_their_parameter() {
        let values = json!({
            "contact": {"id": 7, "email": "a&b=c#d/e?\"'<x> é@ex.com", "phone_number": null,
                        "custom_attributes": {"plan": "gold & co"}},
            "conversation": {"id": 42},
            "agent": {"id": 1},
            "account": {"id": 3},
        });
        let url = fill(
            "https://a.example/c/{{conversation.id}}?e={{contact.email}}&p={{contact.phone_number}}&k={{contact.custom_attributes.plan}}&a={{account.id}}#{{contact.id}}",
            &values,
        );
        assert_eq!(
            url,
            "https://a.example/c/42?e=a%26b%3Dc%23d%2Fe%3F%22%27%3Cx%3E%20%C3%A9%40ex.com&p=&k=gold%20%26%20co&a=3#7"
        );
        let parsed = Url::parse(&url).ok();
        let pairs: Vec<(String, String)> = parsed
            .iter()
            .flat_map(|u| u.query_pairs().into_owned())
            .collect();
        assert_eq!(pairs[0].1, "a&b=c#d/e?\"'<x> é@ex.com");
        assert_eq!(pairs.len(), 4);
        assert_eq!(
            fill("https://a.example/plain", &values),
            "https://a.example/plain"
        );
    }

    #[test]
    fn tricky_urls_read_as_browsers_read_them() {
        let origin = |u: &str| origin_of(u);
        assert_eq!(
            origin("https://CRM.Example.COM:443/app?x#y").as_deref(),
            Some("https://crm.example.com")
        );
        assert_eq!(
            origin("http://crm.example.com:80/").as_deref(),
            Some("http://crm.example.com")
        );
        assert_eq!(
            origin("https://crm.example.com:8443").as_deref(),
            Some("https://crm.example.com:8443")
        );
        // A backslash ends the host, as in browsers.
        assert_eq!(
            origin("https://a.example\\@b.example/").as_deref(),
            Some("https://a.example")
        );
        // Non-ASCII hosts in punycode, as browsers report origins.
        assert_eq!(
            origin("https://Bücher.example/x").as_deref(),
            Some("https://xn--bcher-kva.example")
        );
        assert_eq!(
            origin("https://xn--bcher-kva.example/").as_deref(),
            Some("https://xn--bcher-kva.example")
        );
        // Percent-encoded hosts are decoded.
        assert_eq!(
            origin("https://%63rm.example.com/").as_deref(),
            Some("https://crm.example.com")
        );
        assert_eq!(origin("https://crm%2Fevil.example/"), None);
        // IPv6.
        assert_eq!(
            origin("http://[::1]:8080/").as_deref(),
            Some("http://[::1]:8080")
        );
        assert_eq!(
            origin("http://[0:0:0:0:0:0:0:1]/").as_deref(),
            Some("http://[::1]")
        );
        // Userinfo: refused (browsers do not frame it, agents could read it).
        assert_eq!(origin("https://user:pass@crm.example.com/"), None);
        assert_eq!(origin("https://user@crm.example.com/"), None);
        assert!(
            check_http_url("https://user:pass@crm.example.com/")
                .err()
                .unwrap_or_default()
                .contains("user name")
        );
        // Tabs and newlines, which browsers drop silently: refused.
        assert_eq!(origin("https://crm.exa\tmple.com/"), None);
        assert_eq!(origin("https://crm.example.com/a\nb"), None);
        assert_eq!(origin("java\tscript:alert(1)"), None);
        // Not http(s), relative, no host.
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "//evil.example",
            "/x",
            "https://",
            "https:///path",
            "https:\\\\evil.example",
            "https:evil.example",
            "ftp://a.example",
        ] {
            assert_eq!(origin(bad), None, "{bad}");
        }
        // A template's origin is fixed.
        assert_eq!(
            origin("https://a.example/{{contact.id}}").as_deref(),
            Some("https://a.example")
        );
    }

    #[test]
    fn locality() {
        assert!(is_local("http://localhost:3000"));
        assert!(is_local("http://LOCALHOST/"));
        assert!(is_local("http://app.localhost/"));
        assert!(is_local("http://127.0.0.1/x"));
        assert!(is_local("http://127.1.2.3/x"));
        assert!(is_local("http://[::1]:8080/"));
        assert!(!is_local("http://crm.example.com"));
        assert!(!is_local("http://localhost.evil.example"));
    }
}
