//! The demo's website inbox, "Acme Website": a live-chat widget for the site at the server's
//! own address, so that the widget can be tried at once: open `{public_url}/widget?website_token=…`
//! (the address `oxidesk demo` prints), or paste the snippet its settings page shows into any
//! page. The demo conversations that came in through the widget (those with the visitor's
//! browser, page and start time in `additional_attributes`, as the seeds show them) are in it.

use oxidesk_domain::widget::WebWidgetInput;
use oxidesk_domain::{AccountId, ChannelType, Inbox, UserId};

use crate::service::{InboxFields, ServiceError, Services};

/// The website inbox's name.
pub(super) const WEBSITE_INBOX_NAME: &str = "Acme Website";

/// The demo's website inbox, created (with every demo user as its agent) when missing.
pub(super) async fn website_inbox(
    services: &Services,
    account: AccountId,
    public_url: &str,
    agents: &[UserId],
) -> Result<Inbox, ServiceError> {
    let existing = services
        .inboxes(account)
        .await?
        .into_iter()
        .find(|i| i.name == WEBSITE_INBOX_NAME && i.channel.web_widget().is_some());
    if let Some(inbox) = existing {
        return Ok(inbox);
    }
    let fields = InboxFields {
        name: Some(WEBSITE_INBOX_NAME.to_owned()),
        channel_type: Some(ChannelType::WebWidget),
        widget: WebWidgetInput {
            website_url: Some(public_url.trim_end_matches('/').to_owned()),
            widget_color: Some("#1f93ff".to_owned()),
            welcome_title: Some("Hi there! 👋".to_owned()),
            welcome_tagline: Some(
                "We make it simple to connect with us. Ask us anything.".to_owned(),
            ),
            reply_time: Some("in_a_few_minutes".to_owned()),
            greeting_enabled: Some(true),
            greeting_message: Some("Hello! How can we help with your Acme order today?".to_owned()),
            ..WebWidgetInput::default()
        },
        ..InboxFields::default()
    };
    let inbox = services.create_inbox(account, &fields).await?;
    if !agents.is_empty() {
        services
            .set_inbox_members(account, inbox.id, agents)
            .await?;
    }
    Ok(inbox)
}

/// The address of the widget's page for `inbox` (what mobile apps open in a web view).
pub(super) fn widget_url(public_url: &str, inbox: &Inbox) -> String {
    format!(
        "{}/widget?website_token={}",
        public_url.trim_end_matches('/'),
        inbox.inbox_identifier
    )
}
