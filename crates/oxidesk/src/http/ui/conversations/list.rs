//! The conversation list: assignee tabs with counts, filters (a GET form that works without
//! scripts), rows newest activity first, keyset pages (`after=`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use oxidesk_domain::{DisplayId, Timestamp};
use oxidesk_store::ConversationQuery;

use super::filters::{Filters, RawParams, Tab, param};
use super::{Choice, When, avatar_class, contact_name, initials, picture, truncate};
use crate::http::pages::render;
use crate::http::ui::display::count_label;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::ServiceError;
use crate::views::ConversationView;

/// Conversations per page.
const PAGE_SIZE: i64 = 25;
/// Characters of the last message shown in a row.
const PREVIEW_CHARS: usize = 90;

/// An assignee tab.
#[derive(Debug, Clone)]
pub(super) struct TabLink {
    pub(super) key: &'static str,
    pub(super) label: &'static str,
    /// The count as shown (`12,345`, or `1,000+` when bounded).
    pub(super) count: String,
    /// Explains a bounded count.
    pub(super) count_title: Option<String>,
    pub(super) href: String,
    pub(super) selected: bool,
}

/// One conversation in the list.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) display_id: i64,
    pub(super) href: String,
    pub(super) current: bool,
    pub(super) contact: String,
    pub(super) initials: String,
    pub(super) avatar_class: String,
    pub(super) avatar_url: Option<String>,
    pub(super) inbox: String,
    /// `You`, an agent's name or `Note`, before the preview.
    pub(super) preview_by: Option<String>,
    pub(super) preview: String,
    pub(super) when: When,
    pub(super) unread: i64,
    pub(super) assignee: Option<String>,
    /// Shown when not open.
    pub(super) status: Option<&'static str>,
    pub(super) labels: Vec<String>,
}

/// The list column: the filter form and the region the script refreshes.
#[derive(Debug, Clone)]
pub(super) struct ListView {
    // The form.
    pub(super) action: String,
    pub(super) assignee_type: &'static str,
    pub(super) q: String,
    pub(super) statuses: Vec<Choice>,
    pub(super) inboxes: Vec<Choice>,
    pub(super) teams: Vec<Choice>,
    pub(super) labels: Vec<Choice>,
    pub(super) filtered: bool,
    pub(super) clear_href: String,
    // The region.
    pub(super) tabs: Vec<TabLink>,
    pub(super) rows: Vec<Row>,
    pub(super) older: Option<String>,
    pub(super) newest: Option<String>,
    pub(super) empty: &'static str,
    /// The query string the script sends to the list fragment (filters, page, open).
    pub(super) fragment_query: String,
}

fn status_label(status: &str) -> &'static str {
    match status {
        "resolved" => "resolved",
        "pending" => "pending",
        "snoozed" => "snoozed",
        _ => "open",
    }
}

fn row(
    shell: &Shell,
    view: &ConversationView,
    inboxes: &[(i64, String)],
    link_query: &str,
    open: Option<DisplayId>,
    now: Timestamp,
) -> Row {
    let contact = contact_name(&view.meta.sender.name);
    let (preview_by, preview) = match &view.last_non_activity_message {
        Some(m) => {
            let by = if m.private {
                Some("Note".to_owned())
            } else if m.message_type == 1 {
                Some(match &m.sender {
                    Some(s) if s.kind == "user" && s.id == shell.user_id => "You".to_owned(),
                    Some(s) => s.available_name.clone().unwrap_or_else(|| s.name.clone()),
                    None => "Reply".to_owned(),
                })
            } else {
                None
            };
            (
                by,
                truncate(m.content.as_deref().unwrap_or(""), PREVIEW_CHARS),
            )
        }
        None => (None, String::new()),
    };
    Row {
        display_id: view.id,
        href: format!(
            "{}{link_query}",
            shell.url(&format!("/conversations/{}", view.id))
        ),
        current: open.is_some_and(|o| o.get() == view.id),
        initials: initials(&contact),
        contact,
        avatar_class: avatar_class(view.meta.sender.id),
        avatar_url: picture(&view.meta.sender.thumbnail),
        inbox: inboxes
            .iter()
            .find(|(id, _)| *id == view.inbox_id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default(),
        preview_by,
        preview,
        when: When::new(Timestamp(view.last_activity_at), now),
        unread: view.unread_count,
        assignee: view
            .meta
            .assignee
            .as_ref()
            .map(|a| a.available_name.clone()),
        status: Some(status_label(&view.status)).filter(|s| *s != "open"),
        labels: view.labels.clone(),
    }
}

/// Builds the list column for `filters`; `open` is the conversation shown beside it.
pub(super) async fn build(
    state: &AppState,
    member: &Member,
    filters: &Filters,
    open: Option<DisplayId>,
) -> Result<ListView, PageError> {
    let account = member.account_id();
    let me = member.user().id;
    let services = &state.services;
    let store = &services.store;
    let filter = filters.store_filter(me);
    // A search runs once: the page and the counts share it.
    let found = store
        .find_contacts(account, filter.search.as_deref())
        .await
        .map_err(ServiceError::from)?;
    // The page, what its views need and the counts: one statement.
    let listed = store
        .list_page(
            account,
            &ConversationQuery {
                filter,
                after: filters.after,
                limit: PAGE_SIZE,
            },
            found.as_ref(),
            me,
        )
        .await
        .map_err(ServiceError::from)?;
    let (page, counts) = (listed.page, listed.counts);
    let views = services
        .conversation_views_with(account, page.items, listed.extras)
        .await?;
    let inboxes: Vec<(i64, String)> = services
        .inboxes(account)
        .await?
        .into_iter()
        .map(|i| (i.id.get(), i.name))
        .collect();
    let teams = services.teams(account).await?;
    let labels = services.labels(account).await?;

    let shell = &member.shell;
    let base = match open {
        Some(id) => shell.url(&format!("/conversations/{id}")),
        None => shell.url("/conversations"),
    };
    let link_query = filters.query(filters.tab, None);
    let now = Timestamp::now();
    let rows = views
        .iter()
        .map(|v| row(shell, v, &inboxes, &link_query, open, now))
        .collect();
    let tabs = [
        (Tab::Mine, "Mine", counts.mine),
        (Tab::Unassigned, "Unassigned", counts.unassigned),
        (Tab::All, "All", counts.all),
    ]
    .into_iter()
    .map(|(tab, label, count)| TabLink {
        key: tab.key(),
        label,
        count: count_label(count, counts.limit),
        count_title: counts.limit.filter(|limit| count >= *limit).map(|limit| {
            format!(
                "At least {}: with a label or a search, counting stops there",
                count_label(limit, None)
            )
        }),
        href: format!("{base}{}", filters.query(tab, None)),
        selected: tab == filters.tab,
    })
    .collect();
    let status_value = filters.status.map_or("all", |s| s.as_str());
    let statuses = [
        ("open", "Open"),
        ("pending", "Pending"),
        ("snoozed", "Snoozed"),
        ("resolved", "Resolved"),
        ("all", "All statuses"),
    ]
    .into_iter()
    .map(|(value, label)| Choice::new(value, label, value == status_value))
    .collect();
    let mut inbox_choices = vec![Choice::new("", "All inboxes", filters.inbox_id.is_none())];
    inbox_choices.extend(inboxes.iter().map(|(id, name)| {
        Choice::new(id.to_string(), name.clone(), filters.inbox_id == Some(*id))
    }));
    let mut team_choices = vec![Choice::new("", "All teams", filters.team_id.is_none())];
    team_choices.extend(teams.iter().map(|t| {
        Choice::new(
            t.id.get().to_string(),
            t.name.clone(),
            filters.team_id == Some(t.id.get()),
        )
    }));
    let mut label_choices = vec![Choice::new("", "All labels", filters.label.is_none())];
    label_choices.extend(labels.iter().map(|l| {
        Choice::new(
            l.title.clone(),
            l.title.clone(),
            filters.label.as_deref() == Some(l.title.as_str()),
        )
    }));
    let mut fragment_query = filters.query(filters.tab, filters.after);
    if let Some(id) = open {
        fragment_query.push(if fragment_query.is_empty() { '?' } else { '&' });
        fragment_query.push_str(&format!("open={id}"));
    }
    Ok(ListView {
        action: base.clone(),
        assignee_type: if filters.tab == Tab::All {
            ""
        } else {
            filters.tab.key()
        },
        q: filters.q.clone(),
        statuses,
        inboxes: inbox_choices,
        teams: team_choices,
        labels: label_choices,
        filtered: filters.is_filtered(),
        clear_href: format!(
            "{base}{}",
            Filters::from_params(&Vec::new()).query(filters.tab, None)
        ),
        tabs,
        rows,
        older: page
            .next
            .map(|next| format!("{base}{}", filters.query(filters.tab, Some(next)))),
        newest: filters
            .after
            .map(|_| format!("{base}{}", filters.query(filters.tab, None))),
        empty: if filters.is_filtered() || filters.tab != Tab::All {
            "No conversations match these filters."
        } else {
            "No open conversations. New ones appear here when customers write to one of your inboxes."
        },
        fragment_query,
    })
}

#[derive(Template)]
#[template(path = "pages/conversations.html")]
struct ConversationsPage {
    shell: Shell,
    list: ListView,
    script: String,
}

/// `GET /app/accounts/{id}/conversations`: the inbox.
pub(super) async fn get_list_page(
    State(state): State<AppState>,
    member: Member,
    Query(params): Query<RawParams>,
) -> Result<Html<String>, PageError> {
    let filters = Filters::from_params(&params);
    let list = build(&state, &member, &filters, None).await?;
    render(&ConversationsPage {
        shell: member.shell.at("conversations"),
        list,
        script: crate::http::assets::asset_url("js/conversation.js"),
    })
}

#[derive(Template)]
#[template(path = "partials/conversation_list.html")]
struct ListPartial {
    list: ListView,
}

/// `GET /app/accounts/{id}/conversations/list?…`: the list region (tabs, rows, pager) for the
/// same filters; `open` marks the conversation shown beside it.
pub(super) async fn get_list_fragment(
    State(state): State<AppState>,
    member: Member,
    Query(params): Query<RawParams>,
) -> Result<Html<String>, PageError> {
    let filters = Filters::from_params(&params);
    let open = param(&params, "open")
        .and_then(|v| v.parse::<i64>().ok())
        .map(DisplayId);
    let list = build(&state, &member, &filters, open).await?;
    render(&ListPartial { list })
}
