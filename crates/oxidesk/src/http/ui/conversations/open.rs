//! The open conversation: header (status actions, assignee, team, labels), the Messages tab
//! with the thread and the composer, and the contact panel; and the fragments that refresh
//! each part.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use oxidesk_domain::{Conversation, ConversationStatus, MessageType, Timestamp};
use serde::Deserialize;

use super::apps::{self, AppTab};
use super::filters::{Filters, RawParams};
use super::list::{self, ListView};
use super::panel::{self, PanelView};
use super::{Choice, When, avatar_class, contact_name, display_id, initials, picture};
use crate::http::assets::asset_url;
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::ServiceError;
use crate::views::{ConversationView, MessageView};

/// The most messages a thread shows (the latest ones).
const THREAD_LIMIT: i64 = 200;

/// `/app/accounts/{account_id}/conversations/{display_id}[/…]`.
#[derive(Debug, Deserialize)]
pub(super) struct OpenPath {
    pub(super) display_id: String,
}

/// The header of the open conversation.
#[derive(Debug, Clone)]
pub(super) struct HeaderView {
    display_id: i64,
    contact: String,
    initials: String,
    avatar_class: String,
    avatar_url: Option<String>,
    inbox: String,
    status: &'static str,
    snoozed_until: Option<When>,
    priority: Option<String>,
    can_resolve: bool,
    can_reopen: bool,
    can_pending: bool,
    can_snooze: bool,
    assignees: Vec<Choice>,
    teams: Vec<Choice>,
    labels: Vec<String>,
    addable_labels: Vec<String>,
}

/// One message of the thread.
#[derive(Debug, Clone)]
pub(super) struct MessageItem {
    id: i64,
    /// `incoming`, `outgoing`, `activity` or `template`.
    kind: &'static str,
    private: bool,
    sender: String,
    /// The dashboard app that wrote it for the agent (`content_attributes.dashboard_app`).
    via_app: Option<String>,
    content: String,
    deleted: bool,
    failed: bool,
    when: When,
    /// Its files.
    files: Vec<super::files::FileItem>,
    /// What an interactive message asked and was answered.
    interactive: Option<super::interactive::InteractiveView>,
}

/// The thread.
#[derive(Debug, Clone)]
pub(super) struct ThreadView {
    messages: Vec<MessageItem>,
    /// Older messages exist that are not shown.
    truncated: bool,
}

fn status_of(c: &Conversation) -> &'static str {
    match c.status {
        ConversationStatus::Open => "open",
        ConversationStatus::Resolved => "resolved",
        ConversationStatus::Pending => "pending",
        ConversationStatus::Snoozed => "snoozed",
    }
}

/// Builds the header of `conversation`, whose view is `view`.
async fn header(
    state: &AppState,
    member: &Member,
    conversation: &Conversation,
    view: &ConversationView,
) -> Result<HeaderView, PageError> {
    let account = member.account_id();
    let services = &state.services;
    let agents = services.agents(account).await?;
    let teams = services.teams(account).await?;
    let labels = services.labels(account).await?;
    let inbox = services
        .inbox(account, conversation.inbox_id)
        .await
        .map(|i| i.name)
        .unwrap_or_default();
    let contact = contact_name(&view.meta.sender.name);
    let status = status_of(conversation);
    let mut assignees = vec![Choice::new(
        "",
        "Unassigned",
        conversation.assignee_id.is_none(),
    )];
    assignees.extend(agents.iter().map(|a| {
        let me = if a.user.id == member.user().id {
            " (you)"
        } else {
            ""
        };
        Choice::new(
            a.user.id.get().to_string(),
            format!("{}{me}", a.user.available_name()),
            conversation.assignee_id == Some(a.user.id),
        )
    }));
    let mut team_choices = vec![Choice::new("", "No team", conversation.team_id.is_none())];
    team_choices.extend(teams.iter().map(|t| {
        Choice::new(
            t.id.get().to_string(),
            t.name.clone(),
            conversation.team_id == Some(t.id),
        )
    }));
    Ok(HeaderView {
        display_id: conversation.display_id.get(),
        initials: initials(&contact),
        contact,
        avatar_class: avatar_class(view.meta.sender.id),
        avatar_url: picture(&view.meta.sender.thumbnail),
        inbox,
        status,
        snoozed_until: conversation
            .snoozed_until
            .map(|t| When::new(t, Timestamp::now())),
        priority: conversation.priority.map(|p| p.as_str().to_owned()),
        can_resolve: status != "resolved",
        can_reopen: status != "open",
        can_pending: status == "open",
        can_snooze: status == "open" || status == "pending",
        assignees,
        teams: team_choices,
        addable_labels: labels
            .iter()
            .map(|l| l.title.clone())
            .filter(|t| !conversation.labels.contains(t))
            .collect(),
        labels: conversation.labels.clone(),
    })
}

fn message_item(m: &MessageView, contact: &str, now: Timestamp) -> MessageItem {
    let kind = match MessageType::from_code(m.message_type) {
        Some(MessageType::Incoming) => "incoming",
        Some(MessageType::Activity) => "activity",
        Some(MessageType::Template) => "template",
        _ => "outgoing",
    };
    let sender = match (&m.sender, kind) {
        (_, "activity") => String::new(),
        (Some(s), _) if s.kind == "user" => {
            s.available_name.clone().unwrap_or_else(|| s.name.clone())
        }
        (Some(s), _) => contact_name(&s.name),
        (None, "incoming") => contact.to_owned(),
        (None, _) => "Bot".to_owned(),
    };
    MessageItem {
        id: m.id,
        kind,
        private: m.private,
        sender,
        via_app: m
            .content_attributes
            .get("dashboard_app")
            .and_then(|app| app.get("title"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
        content: m.content.clone().unwrap_or_default(),
        deleted: m
            .content_attributes
            .get("deleted")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        failed: m.status == "failed",
        when: When::new(Timestamp(m.created_at), now),
        files: m
            .attachments
            .iter()
            .map(super::files::FileItem::from)
            .collect(),
        interactive: super::interactive::interactive(&m.content_type, &m.content_attributes),
    }
}

/// Builds the thread of `conversation`: its latest messages, oldest first.
async fn thread(
    state: &AppState,
    conversation: &Conversation,
    contact: &str,
) -> Result<ThreadView, PageError> {
    let services = &state.services;
    let messages = services
        .store
        .messages_before(conversation.id, None, THREAD_LIMIT)
        .await
        .map_err(ServiceError::from)?;
    let truncated = messages.len() as i64 >= THREAD_LIMIT;
    let views = services.message_views(conversation, &messages).await?;
    let now = Timestamp::now();
    Ok(ThreadView {
        messages: views
            .iter()
            .map(|m| message_item(m, contact, now))
            .collect(),
        truncated,
    })
}

#[derive(Template)]
#[template(path = "pages/conversation.html")]
struct ConversationPage {
    shell: Shell,
    list: ListView,
    conv: HeaderView,
    thread: ThreadView,
    panel: PanelView,
    script: String,
    back_href: String,
    apps: Vec<AppTab>,
    /// The apps in the side column.
    side_apps: Vec<AppTab>,
    /// The `appContext` data (JSON), empty without apps.
    app_context: String,
    /// Its tokens (JSON `{tokens, expires_at}`), empty without apps.
    app_tokens: String,
}

/// `GET /app/accounts/{id}/conversations/{display_id}`: the list plus the open conversation.
/// Opening it marks it read (`mark_seen_by_agent`), before the list is built so that its
/// unread badge already shows zero.
pub(super) async fn get_conversation_page(
    State(state): State<AppState>,
    member: Member,
    Path(path): Path<OpenPath>,
    Query(params): Query<RawParams>,
) -> Result<Response, PageError> {
    let id = display_id(&path.display_id)?;
    let account = member.account_id();
    let services = &state.services;
    let conversation = services
        .mark_seen_by_agent(account, id, member.user().id)
        .await?;
    let view = services.conversation_view(account, &conversation).await?;
    let conv = header(&state, &member, &conversation, &view).await?;
    let thread = thread(&state, &conversation, &conv.contact).await?;
    let panel = panel::build(&state, &member, &conversation, &view).await?;
    let apps = apps::build(&state, &member, &conversation, &view).await?;
    let filters = Filters::from_params(&params);
    let list = list::build(&state, &member, &filters, Some(id)).await?;
    let back_query = params
        .iter()
        .filter(|(k, _)| k != "after" && k != "open")
        .cloned()
        .collect::<Vec<_>>();
    let back_href = match serde_urlencoded::to_string(&back_query) {
        Ok(q) if !q.is_empty() => format!("{}?{q}", member.shell.url("/conversations")),
        _ => member.shell.url("/conversations"),
    };
    let page = render(&ConversationPage {
        shell: member.shell.at("conversations"),
        list,
        conv,
        thread,
        panel,
        script: asset_url("js/conversation.js"),
        back_href,
        apps: apps.tabs,
        side_apps: apps.side,
        app_context: apps.context,
        app_tokens: apps.tokens,
    })?;
    Ok(apps::with_csp(page, &apps.frame_origins))
}

#[derive(Template)]
#[template(path = "partials/conversation_thread.html")]
struct ThreadPartial {
    thread: ThreadView,
}

/// `GET …/conversations/{display_id}/thread`: the thread's messages. The agent is looking at
/// them, so unread messages are marked read, unless `?mark=0` (the page is in a background tab).
pub(super) async fn get_thread(
    State(state): State<AppState>,
    member: Member,
    Path(path): Path<OpenPath>,
    Query(params): Query<RawParams>,
) -> Result<Html<String>, PageError> {
    let id = display_id(&path.display_id)?;
    let account = member.account_id();
    let services = &state.services;
    let mut conversation = services.conversation(account, id).await?;
    let mark = !params.iter().any(|(k, v)| k == "mark" && v == "0");
    let unread = if mark {
        services
            .store
            .unread_counts(&[conversation.id])
            .await
            .map_err(ServiceError::from)?
    } else {
        Default::default()
    };
    if unread.values().any(|n| *n > 0) {
        conversation = services
            .mark_seen_by_agent(account, id, member.user().id)
            .await?;
    }
    let contact = services
        .store
        .contact(account, conversation.contact_id)
        .await
        .map(|c| contact_name(&c.name))
        .unwrap_or_default();
    render(&ThreadPartial {
        thread: thread(&state, &conversation, &contact).await?,
    })
}

#[derive(Template)]
#[template(path = "partials/conversation_header.html")]
struct HeaderPartial {
    conv: HeaderView,
}

/// `GET …/conversations/{display_id}/header`: the header.
pub(super) async fn get_header(
    State(state): State<AppState>,
    member: Member,
    Path(path): Path<OpenPath>,
) -> Result<Html<String>, PageError> {
    let id = display_id(&path.display_id)?;
    let account = member.account_id();
    let conversation = state.services.conversation(account, id).await?;
    let view = state
        .services
        .conversation_view(account, &conversation)
        .await?;
    render(&HeaderPartial {
        conv: header(&state, &member, &conversation, &view).await?,
    })
}

#[derive(Template)]
#[template(path = "partials/contact_panel.html")]
struct PanelPartial {
    shell: Shell,
    panel: PanelView,
}

/// `GET …/conversations/{display_id}/contact`: the contact panel.
pub(super) async fn get_contact_panel(
    State(state): State<AppState>,
    member: Member,
    Path(path): Path<OpenPath>,
) -> Result<Html<String>, PageError> {
    let id = display_id(&path.display_id)?;
    let account = member.account_id();
    let conversation = state.services.conversation(account, id).await?;
    let view = state
        .services
        .conversation_view(account, &conversation)
        .await?;
    render(&PanelPartial {
        shell: member.shell.clone(),
        panel: panel::build(&state, &member, &conversation, &view).await?,
    })
}
