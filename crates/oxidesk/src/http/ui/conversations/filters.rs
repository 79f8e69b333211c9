//! The list's filters, read leniently from the query string, and the links that carry them.

use oxidesk_domain::{ConversationStatus, InboxId, TeamId, UserId};
use oxidesk_store::{AssigneeFilter, ConversationFilter, Cursor};

/// The query string of the list, each parameter taken once (the first wins).
pub(super) type RawParams = Vec<(String, String)>;

/// Whose conversations: the assignee tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tab {
    /// Assigned to the signed-in person.
    Mine,
    /// Assigned to nobody.
    Unassigned,
    /// Everyone's.
    All,
}

impl Tab {
    pub(super) fn key(self) -> &'static str {
        match self {
            Tab::Mine => "me",
            Tab::Unassigned => "unassigned",
            Tab::All => "all",
        }
    }
}

/// The list's filters, read leniently from the query string (a value that makes no sense is
/// ignored: this is a page, not the API).
#[derive(Debug, Clone)]
pub(super) struct Filters {
    /// One status, or all of them (`None`). Open by default.
    pub(super) status: Option<ConversationStatus>,
    pub(super) tab: Tab,
    pub(super) inbox_id: Option<i64>,
    pub(super) team_id: Option<i64>,
    pub(super) label: Option<String>,
    pub(super) q: String,
    pub(super) after: Option<Cursor>,
}

pub(super) fn param<'a>(params: &'a RawParams, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        // Unreadable values are ignored, as an unknown status is; a NUL is in no stored text.
        .filter(|v| !v.is_empty() && !v.contains('\0'))
}

impl Filters {
    /// The filters of a query string.
    pub(super) fn from_params(params: &RawParams) -> Self {
        let status = match param(params, "status") {
            Some("all") => None,
            Some(s) => Some(s.parse().unwrap_or(ConversationStatus::Open)),
            None => Some(ConversationStatus::Open),
        };
        let tab = match param(params, "assignee_type") {
            Some("me" | "mine") => Tab::Mine,
            Some("unassigned") => Tab::Unassigned,
            _ => Tab::All,
        };
        let id = |name| {
            param(params, name)
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|n| *n > 0)
        };
        Self {
            status,
            tab,
            inbox_id: id("inbox_id"),
            team_id: id("team_id"),
            label: param(params, "label").map(str::to_lowercase),
            q: param(params, "q").unwrap_or_default().to_owned(),
            after: param(params, "after").and_then(Cursor::decode),
        }
    }

    pub(super) fn store_filter(&self, me: UserId) -> ConversationFilter {
        ConversationFilter {
            status: self.status,
            assignee: match self.tab {
                Tab::Mine => AssigneeFilter::Me(me),
                Tab::Unassigned => AssigneeFilter::Unassigned,
                Tab::All => AssigneeFilter::All,
            },
            inbox_id: self.inbox_id.map(InboxId),
            team_id: self.team_id.map(TeamId),
            label: self.label.clone(),
            contact_id: None,
            search: Some(self.q.clone()).filter(|q| !q.is_empty()),
        }
    }

    /// `?k=v&…` of the values that differ from the defaults, with this tab and page; empty
    /// when everything is default.
    pub(super) fn query(&self, tab: Tab, after: Option<Cursor>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        match self.status {
            Some(ConversationStatus::Open) => {}
            Some(s) => pairs.push(("status", s.as_str().to_owned())),
            None => pairs.push(("status", "all".to_owned())),
        }
        if tab != Tab::All {
            pairs.push(("assignee_type", tab.key().to_owned()));
        }
        if let Some(id) = self.inbox_id {
            pairs.push(("inbox_id", id.to_string()));
        }
        if let Some(id) = self.team_id {
            pairs.push(("team_id", id.to_string()));
        }
        if let Some(label) = &self.label {
            pairs.push(("label", label.clone()));
        }
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(cursor) = after {
            pairs.push(("after", cursor.encode()));
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!(
                "?{}",
                serde_urlencoded::to_string(&pairs).unwrap_or_default()
            )
        }
    }

    pub(super) fn is_filtered(&self) -> bool {
        self.status != Some(ConversationStatus::Open)
            || self.inbox_id.is_some()
            || self.team_id.is_some()
            || self.label.is_some()
            || !self.q.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> RawParams {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_are_open_and_everyone() {
        let f = Filters::from_params(&params(&[]));
        assert_eq!(f.status, Some(ConversationStatus::Open));
        assert_eq!(f.tab, Tab::All);
        assert_eq!(f.query(Tab::All, None), "");
        assert_eq!(f.query(Tab::Mine, None), "?assignee_type=me");
    }

    #[test]
    fn nonsense_is_ignored_and_values_round_trip() {
        let f = Filters::from_params(&params(&[
            ("status", "closed"),
            ("inbox_id", "x"),
            ("label", "VIP"),
            ("q", "a&b"),
            ("after", "5.6"),
            ("status", "resolved"),
        ]));
        assert_eq!(f.status, Some(ConversationStatus::Open));
        assert_eq!(f.inbox_id, None);
        assert_eq!(
            f.query(Tab::Unassigned, f.after),
            "?assignee_type=unassigned&label=vip&q=a%26b&after=5.6"
        );
        let all = Filters::from_params(&params(&[("status", "all")]));
        assert_eq!(all.status, None);
        assert_eq!(all.query(Tab::All, None), "?status=all");
    }
}
