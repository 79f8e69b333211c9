//! Dashboard apps: an app is a title and one or more frames (URLs) shown beside conversations.

use serde::{Deserialize, Serialize};

use crate::{AccountId, Timestamp, UserId, ValidationErrors, validate};

/// A dashboard app's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DashboardAppId(pub i64);

impl DashboardAppId {
    /// The raw integer.
    pub fn get(self) -> i64 {
        self.0
    }
}

/// One item of an app's content. Chatwoot knows only frames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppFrame {
    /// Always `frame`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The absolute `http(s)` URL the frame loads.
    pub url: String,
}

/// A dashboard app of an account.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardApp {
    /// Its id.
    pub id: DashboardAppId,
    /// The account.
    pub account_id: AccountId,
    /// Who created it.
    pub user_id: Option<UserId>,
    /// The tab's name.
    pub title: String,
    /// The frames (at least one).
    pub content: Vec<AppFrame>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// An app's content as a client sent it, before validation: every part optional, so that each
/// missing or wrong part gets its own message.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppFrameInput {
    /// Should be `frame`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Should be an absolute http(s) URL.
    #[serde(default)]
    pub url: Option<String>,
}

/// The longest app title.
pub const MAX_APP_TITLE: usize = 255;

/// Checks an app's title and content; returns them normalised (title trimmed, URLs trimmed).
///
/// The messages say what to fix: "A name is required", "Add at least one frame", "type must be
/// frame", "Enter a full URL starting with https:// or http://". `javascript:`, `data:`,
/// `file:` and relative URLs are refused.
pub fn validate_app(
    title: Option<&str>,
    content: Option<&[AppFrameInput]>,
) -> Result<(String, Vec<AppFrame>), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let title = match title.map(str::trim) {
        None | Some("") => {
            errors.push("title", "A name is required");
            None
        }
        Some(t) if t.chars().count() > MAX_APP_TITLE => {
            errors.push(
                "title",
                format!("A name can be at most {MAX_APP_TITLE} characters"),
            );
            None
        }
        Some(t) => Some(t.to_owned()),
    };
    let mut frames = Vec::new();
    match content {
        None => errors.push(
            "content",
            "is required: give a list with one {\"type\": \"frame\", \"url\": ...}",
        ),
        Some([]) => errors.push(
            "content",
            "Add at least one frame ({\"type\": \"frame\", \"url\": ...})",
        ),
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                match item.kind.as_deref() {
                    Some("frame") => {}
                    Some(other) => errors.push(
                        format!("content[{i}].type"),
                        format!("must be frame (got '{other}')"),
                    ),
                    None => errors.push(
                        format!("content[{i}].type"),
                        "is required and must be frame",
                    ),
                }
                match item.url.as_deref().map(str::trim) {
                    None | Some("") => {
                        errors.push(format!("content[{i}].url"), "Enter the URL of your app")
                    }
                    Some(url) => match validate::http_url(&format!("content[{i}].url"), url) {
                        Ok(url) => frames.push(AppFrame {
                            kind: "frame".into(),
                            url,
                        }),
                        Err(_) => errors.push(
                            format!("content[{i}].url"),
                            "Enter a full URL starting with https:// or http://",
                        ),
                    },
                }
            }
        }
    }
    errors.into_result()?;
    Ok((title.unwrap_or_default(), frames))
}

/// The origin (`scheme://host[:port]`, lower-cased, default port dropped) of an absolute
/// http(s) URL; `None` for anything else.
pub fn origin_of(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    if host_port.is_empty() {
        return None;
    }
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let host_port = host_port.strip_suffix(default_port).unwrap_or(host_port);
    Some(format!("{scheme}://{host_port}"))
}

/// Whether a URL points at this machine (`localhost`, `127.0.0.1`, `[::1]`): plain `http` is
/// normal there while an app is being developed.
pub fn is_local(url: &str) -> bool {
    origin_of(url).is_some_and(|origin| {
        let host = origin.split_once("://").map_or("", |(_, h)| h);
        let host = if host.starts_with('[') {
            host.split(']')
                .next()
                .map(|h| format!("{h}]"))
                .unwrap_or_default()
        } else {
            host.split(':').next().unwrap_or("").to_owned()
        };
        host == "localhost"
            || host.ends_with(".localhost")
            || host == "127.0.0.1"
            || host == "[::1]"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(kind: &str, url: &str) -> AppFrameInput {
        AppFrameInput {
            kind: Some(kind.into()),
            url: Some(url.into()),
        }
    }

    #[test]
    fn a_valid_app_is_normalised() {
        let (title, frames) = validate_app(
            Some("  CRM "),
            Some(&[frame("frame", " https://crm.example.com/app ")]),
        )
        .unwrap_or_default();
        assert_eq!(title, "CRM");
        assert_eq!(
            frames,
            vec![AppFrame {
                kind: "frame".into(),
                url: "https://crm.example.com/app".into()
            }]
        );
    }

    #[test]
    fn each_problem_names_its_field() {
        let errors = validate_app(Some(" "), Some(&[frame("dda", "com")]))
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["title", "content[0].type", "content[0].url"]);
        assert_eq!(errors.0[0].message, "A name is required");
        assert_eq!(
            errors.0[2].message,
            "Enter a full URL starting with https:// or http://"
        );
        let empty = validate_app(Some("x"), Some(&[])).err().unwrap_or_default();
        assert_eq!(empty.0[0].field, "content");
        let missing = validate_app(Some("x"), None).err().unwrap_or_default();
        assert_eq!(missing.0[0].field, "content");
    }

    #[test]
    fn dangerous_schemes_are_refused() {
        for url in [
            "javascript:alert(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "/relative/path",
            "//evil.example",
        ] {
            assert!(
                validate_app(Some("x"), Some(&[frame("frame", url)])).is_err(),
                "{url} must be refused"
            );
        }
        assert!(validate_app(Some("x"), Some(&[frame("frame", "http://localhost:8080")])).is_ok());
    }

    #[test]
    fn origins_and_locality() {
        assert_eq!(
            origin_of("https://CRM.example.com:443/app?x#y").as_deref(),
            Some("https://crm.example.com")
        );
        assert_eq!(
            origin_of("http://localhost:8080/a").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert!(is_local("http://localhost:3000"));
        assert!(is_local("http://127.0.0.1/x"));
        assert!(is_local("http://[::1]:8080/"));
        assert!(!is_local("http://crm.example.com"));
        assert!(!is_local("http://localhost.evil.example"));
    }
}
