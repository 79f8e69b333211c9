//! What an administrator decides about a dashboard app beyond its URL: the actions it may take
//! (scopes), the data withheld from it, for whom and where it appears, and whether its frame is
//! kept across conversations. Stored as one JSON object beside the app; every part has a
//! default that is what an app registered through Chatwoot's API gets (no scopes, nothing
//! withheld, everyone, a conversation tab, a fresh frame per conversation), so such apps work
//! exactly as before.

use serde::{Deserialize, Serialize};

use crate::enums::string_enum;
use crate::{Role, ValidationErrors};

string_enum! {
    /// An action an app may be granted. Each protocol method that changes something needs one.
    AppScope {
        /// Put text into the reply box (the agent still presses send).
        ReplyInsert = "reply.insert",
        /// Add a private note, shown as written by the app on behalf of the agent.
        NoteCreate = "note.create",
        /// Add or remove the conversation's labels.
        LabelsWrite = "labels.write",
        /// Change the conversation's status.
        StatusWrite = "status.write",
        /// Set the conversation's custom attributes.
        ConversationAttributesWrite = "conversation_attributes.write",
        /// Set the contact's custom attributes.
        ContactAttributesWrite = "contact_attributes.write",
    }
}

string_enum! {
    /// A part of the context an administrator can withhold from an app.
    Withheld {
        /// Every message's `content` (and the conversation's last message's).
        MessageContent = "message_content",
        /// The contact's `email`.
        ContactEmail = "contact_email",
        /// The contact's `phone_number`.
        ContactPhone = "contact_phone",
    }
}

string_enum! {
    /// Where an app is shown.
    AppPlacement {
        /// A tab beside the conversation's messages (the seeds' placement).
        ConversationTab = "conversation_tab",
        /// A panel in the conversation's side column.
        ConversationSidebar = "conversation_sidebar",
        /// A tab on the contact's page.
        ContactTab = "contact_tab",
    }
}

string_enum! {
    /// Whether an app's frame is made again for every conversation.
    AppLifecycle {
        /// A fresh frame for every conversation (as Chatwoot does).
        PerConversation = "per_conversation",
        /// One frame kept while the agent moves between conversations; it receives the new
        /// context instead of reloading.
        Persistent = "persistent",
    }
}

string_enum! {
    /// What an app asked the dashboard to do (the audit log's `action`).
    AppAction {
        /// `reply.insert`.
        ReplyInsert = "reply.insert",
        /// `note.create`.
        NoteCreate = "note.create",
        /// `labels.add`.
        LabelsAdd = "labels.add",
        /// `labels.remove`.
        LabelsRemove = "labels.remove",
        /// `status.set`.
        StatusSet = "status.set",
        /// `conversation.attributes.set`.
        ConversationAttributesSet = "conversation.attributes.set",
        /// `contact.attributes.set`.
        ContactAttributesSet = "contact.attributes.set",
    }
}

impl AppAction {
    /// The scope an administrator must grant before the app may take this action.
    pub fn scope(self) -> AppScope {
        match self {
            AppAction::ReplyInsert => AppScope::ReplyInsert,
            AppAction::NoteCreate => AppScope::NoteCreate,
            AppAction::LabelsAdd | AppAction::LabelsRemove => AppScope::LabelsWrite,
            AppAction::StatusSet => AppScope::StatusWrite,
            AppAction::ConversationAttributesSet => AppScope::ConversationAttributesWrite,
            AppAction::ContactAttributesSet => AppScope::ContactAttributesWrite,
        }
    }
}

/// For whom an app appears. An empty list means no restriction on that dimension.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppVisibility {
    /// Only conversations of these inboxes (ids).
    pub inbox_ids: Vec<i64>,
    /// Only conversations of these teams (ids).
    pub team_ids: Vec<i64>,
    /// Only members with these roles.
    pub roles: Vec<Role>,
    /// Development mode: only the administrator who created the app sees it.
    pub only_creator: bool,
}

/// Everything an administrator set about an app besides its title, frames and origins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppSettings {
    /// The actions granted.
    pub scopes: Vec<AppScope>,
    /// The parts of the context withheld.
    pub withheld: Vec<Withheld>,
    /// For whom it appears.
    pub visibility: AppVisibility,
    /// Where it appears (at least one).
    pub placements: Vec<AppPlacement>,
    /// Fresh frame per conversation, or one kept.
    pub lifecycle: AppLifecycle,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            scopes: Vec::new(),
            withheld: Vec::new(),
            visibility: AppVisibility::default(),
            placements: vec![AppPlacement::ConversationTab],
            lifecycle: AppLifecycle::PerConversation,
        }
    }
}

impl AppSettings {
    /// Whether the app was granted `scope`.
    pub fn grants(&self, scope: AppScope) -> bool {
        self.scopes.contains(&scope)
    }

    /// Whether `part` is withheld from the app.
    pub fn withholds(&self, part: Withheld) -> bool {
        self.withheld.contains(&part)
    }
}

/// The settings as a client sent them: each part optional (on update a part not given stays),
/// each list of strings checked value by value so an error names its entry (`scopes[2]`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppSettingsInput {
    /// Scope names.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// Withheld part names.
    #[serde(default)]
    pub withheld: Option<Vec<String>>,
    /// Visibility, as sent.
    #[serde(default)]
    pub visibility: Option<AppVisibilityInput>,
    /// Placement names.
    #[serde(default)]
    pub placements: Option<Vec<String>>,
    /// Lifecycle name.
    #[serde(default)]
    pub lifecycle: Option<String>,
}

/// Visibility as a client sent it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppVisibilityInput {
    /// Inbox ids.
    #[serde(default)]
    pub inbox_ids: Option<Vec<i64>>,
    /// Team ids.
    #[serde(default)]
    pub team_ids: Option<Vec<i64>>,
    /// Role names.
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// Development mode.
    #[serde(default)]
    pub only_creator: Option<bool>,
}

/// Reads a list of names into values, each bad one an error naming `field[i]`; duplicates
/// dropped, order kept.
fn names<T: std::str::FromStr<Err = crate::enums::UnknownValue> + PartialEq>(
    field: &str,
    items: &[String],
    errors: &mut ValidationErrors,
) -> Vec<T> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.trim().parse::<T>() {
            Ok(value) => {
                if !out.contains(&value) {
                    out.push(value);
                }
            }
            Err(e) => errors.push(format!("{field}[{i}]"), e.to_string()),
        }
    }
    out
}

fn ids(items: &[i64]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for id in items {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// Applies `input` over `current`: parts not given stay. Every error at once, each naming its
/// field (`settings.scopes[1]`). Whether listed inboxes and teams exist is for the caller, who
/// can see the account.
pub fn apply_settings(
    current: &AppSettings,
    input: &AppSettingsInput,
) -> Result<AppSettings, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut out = current.clone();
    if let Some(scopes) = &input.scopes {
        out.scopes = names("settings.scopes", scopes, &mut errors);
    }
    if let Some(withheld) = &input.withheld {
        out.withheld = names("settings.withheld", withheld, &mut errors);
    }
    if let Some(placements) = &input.placements {
        out.placements = names("settings.placements", placements, &mut errors);
        if placements.is_empty() {
            errors.push(
                "settings.placements",
                "choose at least one place to show the app: conversation_tab, \
                 conversation_sidebar or contact_tab",
            );
        }
    }
    if let Some(lifecycle) = &input.lifecycle {
        match lifecycle.trim().parse() {
            Ok(value) => out.lifecycle = value,
            Err(e) => errors.push("settings.lifecycle", format!("{e}")),
        }
    }
    if let Some(visibility) = &input.visibility {
        if let Some(inboxes) = &visibility.inbox_ids {
            out.visibility.inbox_ids = ids(inboxes);
        }
        if let Some(teams) = &visibility.team_ids {
            out.visibility.team_ids = ids(teams);
        }
        if let Some(roles) = &visibility.roles {
            out.visibility.roles = names("settings.visibility.roles", roles, &mut errors);
        }
        if let Some(only_creator) = visibility.only_creator {
            out.visibility.only_creator = only_creator;
        }
    }
    errors.into_result()?;
    Ok(out)
}

string_enum! {
    /// How an app's action ended (the audit log's `outcome`).
    AppActionOutcome {
        /// Done.
        Done = "done",
        /// Refused: the app lacks the scope, or the agent may not do it.
        Denied = "denied",
        /// Refused: the parameters were wrong.
        Invalid = "invalid",
    }
}

/// One line of the apps' audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppAuditEntry {
    /// Its id (newest is highest).
    pub id: i64,
    /// The app (it may have been removed since).
    pub app_id: i64,
    /// The app's title when it acted.
    pub app_title: String,
    /// The agent the app acted for.
    pub user_id: Option<i64>,
    /// The conversation's number in the account, when the action was about one.
    pub conversation_id: Option<i64>,
    /// The contact, when the action was about one.
    pub contact_id: Option<i64>,
    /// The protocol method (`labels.add`, ...), as the app sent it.
    pub action: String,
    /// Its parameters (JSON), as the app sent them.
    pub params: serde_json::Value,
    /// How it ended.
    pub outcome: AppActionOutcome,
    /// Why it was refused, or what it did.
    pub detail: Option<String>,
    /// When.
    pub created_at: crate::Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Option<Vec<String>> {
        Some(items.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn the_default_is_what_a_chatwoot_app_gets() {
        let settings: AppSettings = serde_json::from_str("{}").unwrap_or_default();
        assert_eq!(settings, AppSettings::default());
        assert!(settings.scopes.is_empty());
        assert_eq!(settings.placements, vec![AppPlacement::ConversationTab]);
        assert_eq!(settings.lifecycle, AppLifecycle::PerConversation);
    }

    #[test]
    fn parts_not_given_stay_and_duplicates_go() {
        let current = AppSettings {
            withheld: vec![Withheld::ContactEmail],
            ..AppSettings::default()
        };
        let input = AppSettingsInput {
            scopes: strings(&["labels.write", "note.create", "labels.write"]),
            ..AppSettingsInput::default()
        };
        let settings = apply_settings(&current, &input).unwrap_or_default();
        assert_eq!(
            settings.scopes,
            vec![AppScope::LabelsWrite, AppScope::NoteCreate]
        );
        assert_eq!(settings.withheld, vec![Withheld::ContactEmail]);
    }

    #[test]
    fn each_bad_value_names_its_entry() {
        let input = AppSettingsInput {
            scopes: strings(&["note.create", "delete.everything"]),
            withheld: strings(&["contact_ssn"]),
            placements: strings(&[]),
            lifecycle: Some("forever".into()),
            visibility: Some(AppVisibilityInput {
                roles: strings(&["owner"]),
                ..AppVisibilityInput::default()
            }),
        };
        let errors = apply_settings(&AppSettings::default(), &input)
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "settings.scopes[1]",
                "settings.withheld[0]",
                "settings.placements",
                "settings.lifecycle",
                "settings.visibility.roles[0]"
            ]
        );
        assert!(
            errors.0[0].message.contains("note.create"),
            "lists the scopes"
        );
    }

    #[test]
    fn every_action_needs_its_scope() {
        for action in AppAction::ALL {
            let granted = AppSettings {
                scopes: vec![action.scope()],
                ..AppSettings::default()
            };
            assert!(granted.grants(action.scope()));
            assert!(!AppSettings::default().grants(action.scope()));
        }
        assert_eq!(AppAction::LabelsRemove.scope(), AppScope::LabelsWrite);
    }
}
