//! Dashboard apps: an app is a title and one or more frames (URLs) shown beside conversations.

use serde::{Deserialize, Serialize};

use crate::{AccountId, AppSettings, Timestamp, UserId, ValidationErrors, validate};

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
    /// Origins besides those of the frames that the app may move to and still receive its
    /// context (an app that redirects to a login page on another origin, say). Normalised
    /// origins (`scheme://host[:port]`), without duplicates.
    pub allowed_origins: Vec<String>,
    /// Scopes, withheld data, visibility, placements, lifecycle.
    pub settings: AppSettings,
    /// How many loads failed in agents' browsers.
    pub load_failures: i64,
    /// The last failure's reason and when it happened.
    pub last_failure: Option<(String, Timestamp)>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl DashboardApp {
    /// Every origin the app may show: the origins of its frames' URLs, then its extra allowed
    /// origins, without duplicates, in that order. The conversation page posts the context
    /// only to these origins and lists them in its CSP `frame-src`.
    pub fn origins(&self) -> Vec<String> {
        let mut origins: Vec<String> = Vec::new();
        let frames = self.content.iter().filter_map(|f| origin_of(&f.url));
        let extra = self.allowed_origins.iter().filter_map(|o| origin_of(o));
        for origin in frames.chain(extra) {
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        origins
    }
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

impl From<&AppFrame> for AppFrameInput {
    /// A saved frame as input again (to validate an app whose other parts change).
    fn from(frame: &AppFrame) -> Self {
        Self {
            kind: Some(frame.kind.clone()),
            url: Some(frame.url.clone()),
        }
    }
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

/// The most extra allowed origins an app may have.
pub const MAX_ALLOWED_ORIGINS: usize = 10;

/// The longest entry of an app's extra allowed origins, as typed.
const MAX_ORIGIN_INPUT: usize = 2048;

/// Checks an app's extra allowed origins (`allowed_origins`): each must be an absolute
/// `http(s)` URL; only its origin is kept (`https://login.example.com/sso?x` becomes
/// `https://login.example.com`), duplicates are dropped. At most [`MAX_ALLOWED_ORIGINS`].
/// `javascript:`, `data:`, `file:` and relative URLs are refused with a message naming the
/// entry (`allowed_origins[1]`).
pub fn validate_allowed_origins(items: &[String]) -> Result<Vec<String>, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if items.len() > MAX_ALLOWED_ORIGINS {
        errors.push(
            "allowed_origins",
            format!(
                "can list at most {MAX_ALLOWED_ORIGINS} origins (got {})",
                items.len()
            ),
        );
        return Err(errors);
    }
    let mut origins: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("allowed_origins[{i}]");
        let item = item.trim();
        if item.is_empty() {
            errors.push(
                field,
                "must be an origin such as https://login.example.com (got an empty value)",
            );
            continue;
        }
        let origin = (item.chars().count() <= MAX_ORIGIN_INPUT)
            .then(|| validate::http_url(&field, item).ok())
            .flatten()
            .and_then(|url| origin_of(&url));
        match origin {
            Some(origin) => {
                if !origins.contains(&origin) {
                    origins.push(origin);
                }
            }
            None => {
                let shown: String = item.chars().take(60).collect();
                let more = if shown.len() < item.len() { "…" } else { "" };
                errors.push(
                    field,
                    format!(
                        "must be an origin starting with https:// or http://, such as \
                         https://login.example.com (got '{shown}{more}')"
                    ),
                );
            }
        }
    }
    errors.into_result()?;
    Ok(origins)
}

/// Whether a URL is plain `http` to another machine: allowed (an app under development), but
/// its traffic is not encrypted, so the settings show a warning.
pub fn insecure_remote(url: &str) -> bool {
    origin_of(url).is_some_and(|origin| origin.starts_with("http://")) && !is_local(url)
}

/// The origin (`scheme://host[:port]`, lower-cased, default port dropped) of an absolute
/// http(s) URL; `None` for anything else.
pub fn origin_of(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    // A backslash ends the authority too: browsers read `https://a.example\@b.example` as
    // host `a.example`.
    let authority = rest.split(['/', '?', '#', '\\']).next()?;
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

    fn app(urls: &[&str], allowed: &[&str]) -> DashboardApp {
        DashboardApp {
            id: DashboardAppId(1),
            account_id: AccountId(1),
            user_id: None,
            title: "CRM".into(),
            content: urls
                .iter()
                .map(|u| AppFrame {
                    kind: "frame".into(),
                    url: (*u).into(),
                })
                .collect(),
            allowed_origins: allowed.iter().map(|o| (*o).to_owned()).collect(),
            settings: AppSettings::default(),
            load_failures: 0,
            last_failure: None,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn an_apps_origins_are_its_frames_then_its_extra_origins_without_duplicates() {
        let crm = app(
            &[
                "https://crm.example.com/app?x=1",
                "https://CRM.example.com:443/other",
                "http://localhost:8080/orders",
            ],
            &["https://login.example.com", "http://localhost:8080"],
        );
        assert_eq!(
            crm.origins(),
            strings(&[
                "https://crm.example.com",
                "http://localhost:8080",
                "https://login.example.com",
            ])
        );
        assert_eq!(
            app(&["https://a.example/x"], &[]).origins(),
            strings(&["https://a.example"])
        );
        // Whatever got stored, only origins come out.
        assert_eq!(
            app(&["javascript:alert(1)"], &["data:text/html,x"]).origins(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn allowed_origins_keep_only_the_origin_of_each_url() {
        let origins = validate_allowed_origins(&strings(&[
            " https://Login.Example.com/sso?next=/app ",
            "http://localhost:3000",
            "https://login.example.com:443",
            "https://auth.example.com:8443/",
        ]))
        .unwrap_or_default();
        assert_eq!(
            origins,
            strings(&[
                "https://login.example.com",
                "http://localhost:3000",
                "https://auth.example.com:8443",
            ])
        );
        assert_eq!(validate_allowed_origins(&[]), Ok(vec![]));
    }

    #[test]
    fn bad_allowed_origins_name_their_entry() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "/relative",
            "//evil.example",
            "login.example.com",
            "ftp://example.com",
            "https://",
            "",
        ] {
            let errors = validate_allowed_origins(&strings(&["https://ok.example", bad]))
                .err()
                .unwrap_or_default();
            assert_eq!(errors.0.len(), 1, "{bad:?} must be refused");
            assert_eq!(errors.0[0].field, "allowed_origins[1]", "{bad:?}");
            assert!(
                errors.0[0].message.starts_with("must be an origin"),
                "{bad:?}: {}",
                errors.0[0].message
            );
        }
        let long = format!("https://{}.example", "a".repeat(3000));
        assert!(validate_allowed_origins(&[long]).is_err());
        let errors = validate_allowed_origins(&strings(&["javascript:alert(1)"]))
            .err()
            .unwrap_or_default();
        assert!(errors.0[0].message.contains("(got 'javascript:alert(1)')"));
    }

    #[test]
    fn at_most_ten_allowed_origins() {
        let ten: Vec<String> = (0..MAX_ALLOWED_ORIGINS)
            .map(|i| format!("https://o{i}.example"))
            .collect();
        assert_eq!(validate_allowed_origins(&ten).map(|o| o.len()), Ok(10));
        let mut eleven = ten;
        eleven.push("https://one-more.example".into());
        let errors = validate_allowed_origins(&eleven).err().unwrap_or_default();
        assert_eq!(errors.0[0].field, "allowed_origins");
        assert!(errors.0[0].message.contains("at most 10"));
    }

    #[test]
    fn plain_http_to_another_machine_is_insecure() {
        assert!(insecure_remote("http://crm.example.com/app"));
        assert!(insecure_remote("HTTP://crm.example.com"));
        assert!(!insecure_remote("https://crm.example.com"));
        assert!(!insecure_remote("http://localhost:8080/app"));
        assert!(!insecure_remote("http://127.0.0.1:3000"));
        assert!(!insecure_remote("http://app.localhost"));
        assert!(!insecure_remote("http://[::1]:8080"));
        assert!(insecure_remote("http://localhost.evil.example"));
        assert!(!insecure_remote("javascript:alert(1)"));
    }

    #[test]
    fn a_backslash_ends_the_host_as_in_browsers() {
        assert_eq!(
            origin_of("https://a.example\\@b.example/").as_deref(),
            Some("https://a.example")
        );
    }
}
