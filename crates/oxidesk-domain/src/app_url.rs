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
mod tests;
