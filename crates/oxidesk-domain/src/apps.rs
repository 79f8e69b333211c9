//! Dashboard apps: an app is a title and one or more frames (URLs) shown beside conversations.

use serde::{Deserialize, Serialize};

use crate::app_url::{check_http_url, check_template};
pub use crate::app_url::{is_local, origin_of};
use crate::{
    AccountId, AppPlacement, AppSettings, InboxId, Role, TeamId, Timestamp, UserId,
    ValidationErrors,
};

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

/// Who looks, and at what: what decides whether an app appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppViewer {
    /// The signed-in member.
    pub user: UserId,
    /// Their role in the account.
    pub role: Role,
    /// The open conversation's inbox and team; `None` on a contact's page.
    pub conversation: Option<(InboxId, Option<TeamId>)>,
}

impl DashboardApp {
    /// Whether the app appears for `viewer`: the member's role is listed (none listed: any
    /// role), in development mode only for its creator, and on a conversation only when the
    /// conversation's inbox and team are listed (none listed: any). An app limited to some
    /// inboxes or teams does not appear where there is no conversation (a contact's page).
    pub fn visible_to(&self, viewer: &AppViewer) -> bool {
        let rules = &self.settings.visibility;
        if !self.shown_to_member(viewer) {
            return false;
        }
        match viewer.conversation {
            Some((inbox, team)) => {
                (rules.inbox_ids.is_empty() || rules.inbox_ids.contains(&inbox.get()))
                    && (rules.team_ids.is_empty()
                        || team.is_some_and(|t| rules.team_ids.contains(&t.get())))
            }
            None => rules.inbox_ids.is_empty() && rules.team_ids.is_empty(),
        }
    }

    /// The rules about the member alone (role, development mode), whatever the conversation.
    pub fn shown_to_member(&self, viewer: &AppViewer) -> bool {
        let rules = &self.settings.visibility;
        (!rules.only_creator || self.user_id == Some(viewer.user))
            && (rules.roles.is_empty() || rules.roles.contains(&viewer.role))
    }

    /// Whether the app is shown at `placement`.
    pub fn placed_at(&self, placement: AppPlacement) -> bool {
        self.settings.placements.contains(&placement)
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
                    Some(url) => match check_http_url(url).and(Ok(check_template(url))) {
                        Ok(Ok(())) => frames.push(AppFrame {
                            kind: "frame".into(),
                            url: url.to_owned(),
                        }),
                        Ok(Err(template)) => errors.push(format!("content[{i}].url"), template),
                        Err(message) => errors.push(format!("content[{i}].url"), message),
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
        let origin = (item.chars().count() <= MAX_ORIGIN_INPUT && !item.contains("{{"))
            .then(|| origin_of(item))
            .flatten();
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

#[cfg(test)]
mod tests;
