//! The website widget's use cases: a visitor of a website inbox, known by a signed visitor
//! token, sends messages, reads the replies and tells who they are (`setUser`).
//!
//! Nothing is created before the visitor acts: the first message (or the site's `setUser`)
//! creates the contact, its identity in the inbox (`contact_inbox`, whose `source_id` is a new
//! random UUID) and the token `v1.<inbox id>.<source id>.<signature>`, where the signature is
//! the hex HMAC-SHA256, under the instance's secret key, of `widget_visitor:<inbox id>:<source
//! id>`. The widget keeps it in its own `localStorage`; a token of another inbox, or one whose
//! signature does not match, is refused before any lookup. A token expires after
//! [`VISITOR_TOKEN_IDLE_DAYS`] without use; each use renews it (`contact_inboxes.token_used_at`,
//! written at most hourly).
//!
//! A visitor sees only the conversations of its own identity (the newest is the widget's), or,
//! once `setUser` proved the identifier with a valid `identifier_hash`, every conversation of
//! its contact in the inbox ([`PublicIdentity::may_see`], the client API's rule).

mod conversations;
mod csat;
mod identity;
mod prechat;

use oxidesk_domain::{Attributes, Inbox, InboxId, Timestamp, WebWidget, validate};
use serde_json::{Value, json};

use super::{PublicContactInput, PublicIdentity, ServiceError, Services};
use crate::secrets;

pub use conversations::WidgetSend;
pub use identity::{WidgetUser, additional_attributes as identity_additional};

/// The longest message a visitor may send, in characters (Chatwoot has no limit; a chat
/// message longer than this is a paste accident or abuse).
pub const MAX_WIDGET_MESSAGE: usize = 10_000;
/// Why a visitor token is refused (the web layer gives it its own error code, so the widget
/// forgets the token only then, not on a refused `identifier_hash`).
pub const TOKEN_REFUSED: &str = "the visitor token is not valid";
/// Why a visitor token unused for [`VISITOR_TOKEN_IDLE_DAYS`] is refused (the same code as a
/// refused token: the widget starts afresh).
pub const TOKEN_EXPIRED: &str =
    "the visitor token expired (unused for 90 days): the widget starts a new visit";
/// How long a visitor token lives without being used; every use renews it (sliding expiry).
pub const VISITOR_TOKEN_IDLE_DAYS: i64 = 90;
/// A use renews the token at most this often (one write an hour per visitor, not per request).
pub const TOKEN_RENEW_SECS: i64 = 3600;
/// Messages the widget loads at once.
pub const WIDGET_MESSAGE_LIMIT: i64 = 50;

/// Chatwoot's embed snippet, exactly as its documentation prints it, for `website_token` on
/// the server at `base_url`.
pub fn snippet(base_url: &str, website_token: &str) -> String {
    let base_url = base_url.trim_end_matches('/');
    format!(
        r#"<script>
  (function(d,t) {{
    var BASE_URL="{base_url}";
    var g=d.createElement(t),s=d.getElementsByTagName(t)[0];
    g.src=BASE_URL+"/packs/js/sdk.js";
    g.defer = true;
    g.async = true;
    s.parentNode.insertBefore(g,s);
    g.onload=function(){{
      window.chatwootSDK.run({{
        websiteToken: '{website_token}',
        baseUrl: BASE_URL
      }})
    }}
  }})(document,"script");
</script>"#
    )
}

/// What the widget tells about the visit with the first message (the conversation's
/// `additional_attributes`).
#[derive(Debug, Clone, Default)]
pub struct Visit {
    /// The embedding page's URL.
    pub referer: Option<String>,
    /// When the visitor opened the chat, as the browser wrote it (`Date.toString()`).
    pub initiated_at: Option<String>,
    /// The browser's `User-Agent`.
    pub user_agent: String,
    /// The first language of `Accept-Language`.
    pub browser_language: Option<String>,
}

/// A website inbox and, once the visitor acted, their identity there.
#[derive(Debug, Clone)]
pub struct WidgetVisitor {
    /// The inbox of the `website_token`.
    pub inbox: Inbox,
    /// The visitor, when their token is known.
    pub identity: Option<PublicIdentity>,
}

impl WidgetVisitor {
    /// The widget's settings.
    pub fn widget(&self) -> Result<&WebWidget, ServiceError> {
        self.inbox
            .channel
            .web_widget()
            .ok_or(ServiceError::NotFound("inbox"))
    }
}

/// The token's signature.
fn signature(secret: &[u8], inbox: InboxId, source_id: &str) -> String {
    secrets::hmac_hex(
        secret,
        &format!("widget_visitor:{}:{source_id}", inbox.get()),
    )
}

impl Services {
    /// The website inbox of `website_token`; 404 for an unknown token or another channel.
    pub async fn widget_inbox(&self, website_token: &str) -> Result<Inbox, ServiceError> {
        self.store
            .inbox_by_identifier(website_token)
            .await?
            .filter(|inbox| inbox.channel.web_widget().is_some())
            .ok_or(ServiceError::NotFound("inbox"))
    }

    /// The visitor token of an identity.
    pub fn visitor_token(&self, identity: &PublicIdentity) -> String {
        let inbox = identity.inbox.id;
        let source = &identity.contact_inbox.source_id;
        format!(
            "v1.{}.{source}.{}",
            inbox.get(),
            signature(&self.secret_key, inbox, source)
        )
    }

    /// The inbox of `website_token` and the visitor of `token` (none when absent). A token that
    /// is not this inbox's, forged, or whose identity is gone is refused (401): the widget
    /// then forgets it.
    pub async fn widget_visitor(
        &self,
        website_token: &str,
        token: Option<&str>,
    ) -> Result<WidgetVisitor, ServiceError> {
        let inbox = self.widget_inbox(website_token).await?;
        let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(WidgetVisitor {
                inbox,
                identity: None,
            });
        };
        let refused = || ServiceError::Unauthorized(TOKEN_REFUSED);
        let mut parts = token.split('.');
        let (Some("v1"), Some(inbox_id), Some(source), Some(sig), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(refused());
        };
        if inbox_id != inbox.id.get().to_string()
            || !secrets::hmac_verify(
                &self.secret_key,
                &format!("widget_visitor:{inbox_id}:{source}"),
                sig,
            )
        {
            return Err(refused());
        }
        let (contact_inbox, used_at) = self
            .store
            .visitor_identity(inbox.id, source)
            .await?
            .ok_or_else(refused)?;
        let now = Timestamp::now();
        let idle = now.secs() - used_at.secs();
        if idle > VISITOR_TOKEN_IDLE_DAYS * 86_400 {
            return Err(ServiceError::Unauthorized(TOKEN_EXPIRED));
        }
        if idle > TOKEN_RENEW_SECS {
            self.store.visitor_token_used(contact_inbox.id, now).await?;
        }
        let contact = self
            .store
            .contact(inbox.account_id, contact_inbox.contact_id)
            .await
            .map_err(|_| refused())?;
        Ok(WidgetVisitor {
            identity: Some(PublicIdentity {
                inbox: inbox.clone(),
                contact_inbox,
                contact,
            }),
            inbox,
        })
    }

    /// The visitor's identity, created (with an anonymous contact) when they have none yet.
    pub(crate) async fn widget_identity(
        &self,
        visitor: &WidgetVisitor,
    ) -> Result<PublicIdentity, ServiceError> {
        match &visitor.identity {
            Some(identity) => Ok(identity.clone()),
            None => {
                self.create_identity(visitor.inbox.clone(), &PublicContactInput::default())
                    .await
            }
        }
    }

    /// Merges `values` into the widget conversation's custom attributes (a `null` removes the
    /// key); nothing when the visitor has no conversation yet.
    pub async fn widget_conversation_attributes(
        &self,
        identity: &PublicIdentity,
        values: &Attributes,
    ) -> Result<(), ServiceError> {
        if let Some(conversation) = self.widget_conversation(identity).await? {
            self.set_conversation_attributes(
                identity.inbox.account_id,
                conversation.display_id,
                values,
            )
            .await?;
        }
        Ok(())
    }

    /// Adds (or removes) a label of the account on the widget's conversation; a label the
    /// account does not define, or no conversation yet, changes nothing (as in Chatwoot).
    pub async fn widget_label(
        &self,
        identity: &PublicIdentity,
        label: &str,
        add: bool,
    ) -> Result<(), ServiceError> {
        let account = identity.inbox.account_id;
        let Some(conversation) = self.widget_conversation(identity).await? else {
            return Ok(());
        };
        let title = validate::label_title("label", label)?;
        if !self.labels(account).await?.iter().any(|l| l.title == title) {
            return Ok(());
        }
        let mut labels = conversation.labels.clone();
        labels.retain(|l| *l != title);
        if add {
            labels.push(title);
        }
        if labels != conversation.labels {
            self.set_labels(account, conversation.display_id, &labels)
                .await?;
        }
        Ok(())
    }
}

/// Whether the visitor may send files (the `attachments` feature of the widget's settings).
pub fn uploads_allowed(widget: &WebWidget) -> bool {
    widget.feature("attachments")
}

/// Whether a message into a resolved conversation reopens it (`allow_messages_after_resolved`).
pub fn messages_after_resolved(widget: &WebWidget) -> bool {
    widget.allow_messages_after_resolved
}

/// Whether a resolution asks the visitor for a rating (`csat_survey_enabled`).
pub fn csat_enabled(widget: &WebWidget) -> bool {
    widget.csat_survey_enabled
}

/// A conversation's `additional_attributes` from the visit, in the seeds' shape.
pub(super) fn visit_attributes(visit: &Visit) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert(
        "browser".into(),
        oxidesk_domain::widget::browser_of(&visit.user_agent),
    );
    if let Some(referer) = visit.referer.as_deref().filter(|r| !r.is_empty()) {
        let referer: String = referer.chars().take(2048).collect();
        attributes.insert("referer".into(), Value::String(referer));
    }
    let timestamp: String = visit
        .initiated_at
        .clone()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| Timestamp::now().secs().to_string())
        .chars()
        .take(120)
        .collect();
    attributes.insert("initiated_at".into(), json!({ "timestamp": timestamp }));
    if let Some(language) = &visit.browser_language {
        attributes.insert("browser_language".into(), Value::String(language.clone()));
    }
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_is_chatwoots() {
        let s = snippet("https://desk.example/", "tok123");
        assert!(s.contains(r#"var BASE_URL="https://desk.example";"#));
        assert!(s.contains("websiteToken: 'tok123',"));
        assert!(s.contains(r#"g.src=BASE_URL+"/packs/js/sdk.js";"#));
    }
}
