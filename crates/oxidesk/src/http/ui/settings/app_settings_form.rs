//! The part of the dashboard app form about its settings: the actions it may take (scopes),
//! the data withheld from it, for whom it appears (inboxes, teams, roles, only me), where
//! (placements) and whether its frame is kept across conversations (lifecycle). Checkbox lists,
//! so the form arrives as repeated fields.

use oxidesk_domain::app_settings::{AppSettingsInput, AppVisibilityInput};
use oxidesk_domain::{
    AppLifecycle, AppPlacement, AppScope, AppSettings, Inbox, Role, Team, Withheld,
};

/// The settings as the form holds them (what was typed, before validation).
#[derive(Debug, Clone, Default)]
pub(super) struct SettingsForm {
    /// The form had the settings' fields (its hidden `settings` field): without it (a form of
    /// an older page, a script that posts name and URL only) the settings stay as they are.
    present: bool,
    scopes: Vec<String>,
    withheld: Vec<String>,
    inbox_ids: Vec<String>,
    team_ids: Vec<String>,
    roles: Vec<String>,
    only_creator: bool,
    placements: Vec<String>,
    lifecycle: String,
}

/// One checkbox or radio button.
#[derive(Debug, Clone)]
pub(super) struct Check {
    pub value: String,
    pub label: String,
    /// A one-line explanation (may be empty).
    pub hint: &'static str,
    pub checked: bool,
}

/// Every choice the form shows, ticked as the form holds them.
#[derive(Debug, Clone, Default)]
pub(super) struct SettingsChoices {
    pub scopes: Vec<Check>,
    pub withheld: Vec<Check>,
    pub inboxes: Vec<Check>,
    pub teams: Vec<Check>,
    pub roles: Vec<Check>,
    pub only_creator: bool,
    pub placements: Vec<Check>,
    pub lifecycles: Vec<Check>,
}

fn scope_hint(scope: AppScope) -> &'static str {
    match scope {
        AppScope::ReplyInsert => "Put text into the reply box; the agent still presses Send.",
        AppScope::NoteCreate => "Add private notes, shown as written by the app for the agent.",
        AppScope::LabelsWrite => "Add and remove the conversation's labels.",
        AppScope::StatusWrite => "Resolve, reopen, snooze or set the conversation pending.",
        AppScope::ConversationAttributesWrite => "Set the conversation's custom attributes.",
        AppScope::ContactAttributesWrite => "Set the contact's custom attributes.",
    }
}

fn withheld_label(part: Withheld) -> &'static str {
    match part {
        Withheld::MessageContent => "Message texts",
        Withheld::ContactEmail => "The contact's email",
        Withheld::ContactPhone => "The contact's phone number",
    }
}

fn placement_label(placement: AppPlacement) -> (&'static str, &'static str) {
    match placement {
        AppPlacement::ConversationTab => (
            "A tab in each conversation",
            "Beside Messages, as Chatwoot shows apps.",
        ),
        AppPlacement::ConversationSidebar => (
            "A panel in the conversation's side column",
            "Under the contact's details, always in view.",
        ),
        AppPlacement::ContactTab => (
            "A tab on the contact's page",
            "Receives the contact and the agent, without a conversation.",
        ),
    }
}

fn lifecycle_label(lifecycle: AppLifecycle) -> (&'static str, &'static str) {
    match lifecycle {
        AppLifecycle::PerConversation => (
            "A fresh frame for each conversation",
            "The app loads again with every conversation (as in Chatwoot).",
        ),
        AppLifecycle::Persistent => (
            "Keep one frame across conversations",
            "The app stays loaded (its state kept) while the agent moves between conversations, and receives each new conversation's context.",
        ),
    }
}

impl SettingsForm {
    /// The settings of a saved app.
    pub(super) fn of(settings: &AppSettings) -> Self {
        Self {
            present: true,
            scopes: settings.scopes.iter().map(|s| s.as_str().into()).collect(),
            withheld: settings
                .withheld
                .iter()
                .map(|s| s.as_str().into())
                .collect(),
            inbox_ids: settings
                .visibility
                .inbox_ids
                .iter()
                .map(i64::to_string)
                .collect(),
            team_ids: settings
                .visibility
                .team_ids
                .iter()
                .map(i64::to_string)
                .collect(),
            roles: settings
                .visibility
                .roles
                .iter()
                .map(|r| r.as_str().into())
                .collect(),
            only_creator: settings.visibility.only_creator,
            placements: settings
                .placements
                .iter()
                .map(|p| p.as_str().into())
                .collect(),
            lifecycle: settings.lifecycle.as_str().into(),
        }
    }

    /// Takes one submitted field; `false` when it is not one of the settings'.
    pub(super) fn take(&mut self, key: &str, value: &str) -> bool {
        let list = match key {
            "scopes" => &mut self.scopes,
            "withheld" => &mut self.withheld,
            "inbox_ids" => &mut self.inbox_ids,
            "team_ids" => &mut self.team_ids,
            "roles" => &mut self.roles,
            "placements" => &mut self.placements,
            "settings" => {
                self.present = true;
                return true;
            }
            "only_creator" => {
                self.only_creator = value == "1";
                return true;
            }
            "lifecycle" => {
                value.clone_into(&mut self.lifecycle);
                return true;
            }
            _ => return false,
        };
        list.push(value.to_owned());
        true
    }

    /// The settings to save (every part given: an unticked list is empty), if the form had
    /// them. An id that is not a number becomes 0, which the service refuses as an inbox or
    /// team of no account.
    pub(super) fn input(&self) -> Option<AppSettingsInput> {
        self.present.then(|| self.parts())
    }

    fn parts(&self) -> AppSettingsInput {
        let ids = |items: &[String]| items.iter().map(|i| i.parse().unwrap_or(0)).collect();
        AppSettingsInput {
            scopes: Some(self.scopes.clone()),
            withheld: Some(self.withheld.clone()),
            visibility: Some(AppVisibilityInput {
                inbox_ids: Some(ids(&self.inbox_ids)),
                team_ids: Some(ids(&self.team_ids)),
                roles: Some(self.roles.clone()),
                only_creator: Some(self.only_creator),
            }),
            placements: Some(self.placements.clone()),
            lifecycle: Some(if self.lifecycle.is_empty() {
                AppLifecycle::PerConversation.as_str().into()
            } else {
                self.lifecycle.clone()
            }),
        }
    }

    /// The choices to show, ticked as in this form.
    pub(super) fn choices(&self, inboxes: &[Inbox], teams: &[Team]) -> SettingsChoices {
        let check = |value: String, label: String, hint, list: &[String]| Check {
            checked: list.contains(&value),
            value,
            label,
            hint,
        };
        SettingsChoices {
            scopes: AppScope::ALL
                .iter()
                .map(|s| {
                    check(
                        s.as_str().into(),
                        s.as_str().into(),
                        scope_hint(*s),
                        &self.scopes,
                    )
                })
                .collect(),
            withheld: Withheld::ALL
                .iter()
                .map(|w| {
                    check(
                        w.as_str().into(),
                        withheld_label(*w).into(),
                        "",
                        &self.withheld,
                    )
                })
                .collect(),
            inboxes: inboxes
                .iter()
                .map(|i| check(i.id.get().to_string(), i.name.clone(), "", &self.inbox_ids))
                .collect(),
            teams: teams
                .iter()
                .map(|t| check(t.id.get().to_string(), t.name.clone(), "", &self.team_ids))
                .collect(),
            roles: Role::ALL
                .iter()
                .map(|r| {
                    let label = match r {
                        Role::Administrator => "Administrators",
                        Role::Agent => "Agents",
                    };
                    check(r.as_str().into(), label.into(), "", &self.roles)
                })
                .collect(),
            only_creator: self.only_creator,
            placements: AppPlacement::ALL
                .iter()
                .map(|p| {
                    let (label, hint) = placement_label(*p);
                    check(p.as_str().into(), label.into(), hint, &self.placements)
                })
                .collect(),
            lifecycles: AppLifecycle::ALL
                .iter()
                .map(|l| {
                    let (label, hint) = lifecycle_label(*l);
                    let chosen = if self.lifecycle.is_empty() {
                        vec![AppLifecycle::PerConversation.as_str().to_owned()]
                    } else {
                        vec![self.lifecycle.clone()]
                    };
                    check(l.as_str().into(), label.into(), hint, &chosen)
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_reads_back_as_the_settings_it_was_made_of() {
        let settings = AppSettings {
            scopes: vec![AppScope::NoteCreate],
            placements: vec![AppPlacement::ConversationSidebar, AppPlacement::ContactTab],
            ..AppSettings::default()
        };
        let form = SettingsForm::of(&settings);
        let input = form.input().unwrap_or_default();
        let back = oxidesk_domain::app_settings::apply_settings(&AppSettings::default(), &input);
        assert_eq!(back.ok(), Some(settings));
    }

    #[test]
    fn fields_are_taken_one_by_one() {
        let mut form = SettingsForm::default();
        assert!(
            form.input().is_none(),
            "a form without the settings keeps them"
        );
        for (k, v) in [
            ("settings", "1"),
            ("scopes", "labels.write"),
            ("inbox_ids", "3"),
            ("only_creator", "1"),
            ("title", "x"),
        ] {
            let _ = form.take(k, v);
        }
        assert!(!form.take("title", "x"));
        let input = form.input().unwrap_or_default();
        assert_eq!(input.scopes, Some(vec!["labels.write".to_owned()]));
        assert_eq!(input.visibility.and_then(|v| v.inbox_ids), Some(vec![3]));
        assert_eq!(
            input.placements,
            Some(vec![]),
            "no placement ticked is an error to show"
        );
    }
}
