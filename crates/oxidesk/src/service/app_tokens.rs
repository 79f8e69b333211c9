//! The signed token beside every `appContext` (`docs/dashboard-apps.md`, "Verify the
//! context"): a JWS (EdDSA) whose claims bind the issuer, the app, the account, the agent, the
//! conversation and the contact, and hash the exact `data` the app receives.
//!
//! The dashboard adds `theme` to `data` in the browser, so each app gets two tokens, one per
//! theme, and the page posts the one matching what it sends.

use std::collections::BTreeMap;

use oxidesk_domain::{
    AccountId, AppSettings, Conversation, DashboardApp, Timestamp, User, Withheld,
};
use serde::Serialize;
use serde_json::Value;

use super::{ServiceError, Services};
use crate::signing::{jcs, sha256_b64url};
use crate::views::AppContextView;

/// How long a token is valid: five minutes. The dashboard fetches fresh ones before posting a
/// context whose tokens are about to expire.
pub const APP_TOKEN_SECS: i64 = 300;

/// The claims of an app-context token.
#[derive(Debug, Clone, Serialize)]
pub struct AppContextClaims {
    /// The issuer: Oxidesk's public URL.
    pub iss: String,
    /// The audience: the origins the app's frames may be at (an app checks that its own
    /// origin is one of them).
    pub aud: Vec<String>,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// A unique id.
    pub jti: String,
    /// The dashboard app's id.
    pub app_id: i64,
    /// The account.
    pub account_id: i64,
    /// The signed-in agent (`currentAgent.id`).
    pub agent_id: i64,
    /// The conversation's number in the account (`conversation.id`).
    pub conversation_id: i64,
    /// The contact (`contact.id`).
    pub contact_id: i64,
    /// The SHA-256, base64url, of the RFC 8785 canonical JSON of `data` (theme included).
    pub data_sha256: String,
}

/// One app's tokens, by theme.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ThemeTokens {
    /// For `data` with `"theme": "light"`.
    pub light: String,
    /// For `data` with `"theme": "dark"`.
    pub dark: String,
}

/// The tokens of every app of a context.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AppTokens {
    /// By app id (as a string: a JSON object key).
    pub tokens: BTreeMap<String, ThemeTokens>,
    /// The `data` (less `theme`) of each app from which an administrator withholds something,
    /// by app id; an app not listed gets the shared `data`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<String, Value>,
    /// When they expire (Unix seconds).
    pub expires_at: i64,
    /// Seconds from now until they expire (for a browser whose clock may differ).
    pub expires_in: i64,
}

/// The `data_sha256` claim of `data` (less `theme`) posted with `theme`.
pub fn data_hash(data: &AppContextView, theme: &str) -> Result<String, ServiceError> {
    Ok(value_hash(&context_value(data)?, theme))
}

/// [`data_hash`] of `data` already as JSON.
pub fn value_hash(data: &Value, theme: &str) -> String {
    let mut value = data.clone();
    if let Value::Object(map) = &mut value {
        map.insert("theme".into(), Value::String(theme.into()));
    }
    sha256_b64url(&jcs::canonical(&value))
}

/// The context as JSON.
pub fn context_value(data: &AppContextView) -> Result<Value, ServiceError> {
    serde_json::to_value(data).map_err(|e| ServiceError::Internal(format!("context: {e}")))
}

/// `data` less what `settings` withholds (`None`: nothing is withheld, send `data` as it is).
/// Withheld values are removed, not emptied: message `content` (every message's and the last
/// message's), the contact's `email` and `phone_number` (as `contact`, as the conversation's
/// `meta.sender`, and as the sender of each of its messages).
pub fn withhold(data: &Value, settings: &AppSettings) -> Option<Value> {
    if settings.withheld.is_empty() {
        return None;
    }
    let mut data = data.clone();
    let remove = |value: &mut Value, key: &str| {
        if let Value::Object(map) = value {
            map.remove(key);
        }
    };
    if settings.withholds(Withheld::MessageContent) {
        if let Some(Value::Array(messages)) = data.pointer_mut("/conversation/messages") {
            for message in messages {
                remove(message, "content");
                // Files are content too (their signed links would open them).
                remove(message, "attachments");
            }
        }
        if let Some(last) = data.pointer_mut("/conversation/last_non_activity_message") {
            remove(last, "content");
            remove(last, "attachments");
        }
    }
    for (part, key) in [
        (Withheld::ContactEmail, "email"),
        (Withheld::ContactPhone, "phone_number"),
    ] {
        if !settings.withholds(part) {
            continue;
        }
        for path in ["/contact", "/conversation/meta/sender"] {
            if let Some(contact) = data.pointer_mut(path) {
                remove(contact, key);
            }
        }
        // Each message's sender, when it is the contact.
        let mut senders: Vec<&mut Value> = Vec::new();
        if let Some(conversation) = data.get_mut("conversation") {
            let conversation = conversation.as_object_mut();
            if let Some(conversation) = conversation {
                for (name, value) in conversation.iter_mut() {
                    match (name.as_str(), value) {
                        ("messages", Value::Array(messages)) => {
                            senders.extend(messages.iter_mut().filter_map(|m| m.get_mut("sender")));
                        }
                        ("last_non_activity_message", last) => {
                            senders.extend(last.get_mut("sender"));
                        }
                        _ => {}
                    }
                }
            }
        }
        for sender in senders {
            if sender.get("type").and_then(Value::as_str) == Some("contact") {
                remove(sender, key);
            }
        }
    }
    Some(data)
}

impl Services {
    /// Signs `data` (the context of `conversation` for `agent`) for each of `apps`, as
    /// `issuer`.
    pub async fn app_context_tokens(
        &self,
        issuer: &str,
        account: AccountId,
        conversation: &Conversation,
        agent: &User,
        apps: &[DashboardApp],
        data: &AppContextView,
    ) -> Result<AppTokens, ServiceError> {
        let shared = context_value(data)?;
        self.sign_for_apps(apps, &shared, |app, iat, exp, data_sha256| {
            AppContextClaims {
                iss: issuer.trim_end_matches('/').to_owned(),
                aud: app.origins(),
                iat,
                exp,
                jti: uuid::Uuid::new_v4().to_string(),
                app_id: app.id.get(),
                account_id: account.get(),
                agent_id: agent.id.get(),
                conversation_id: conversation.display_id.get(),
                contact_id: conversation.contact_id.get(),
                data_sha256: data_sha256.to_owned(),
            }
        })
        .await
    }

    /// Signs `shared` (a context as JSON) for each of `apps`: per app, what it may see (less
    /// what its settings withhold, kept in `views` when anything is), hashed per theme, and the
    /// claims `claims(app, iat, exp, data_sha256)` signed for each theme.
    pub(crate) async fn sign_for_apps<C: Serialize>(
        &self,
        apps: &[DashboardApp],
        shared: &Value,
        claims: impl Fn(&DashboardApp, i64, i64, &str) -> C,
    ) -> Result<AppTokens, ServiceError> {
        let iat = Timestamp::now().secs();
        let exp = iat + APP_TOKEN_SECS;
        let shared_hashes = (value_hash(shared, "light"), value_hash(shared, "dark"));
        let mut tokens = BTreeMap::new();
        let mut views = BTreeMap::new();
        for app in apps {
            let (light, dark) = match withhold(shared, &app.settings) {
                None => shared_hashes.clone(),
                Some(view) => {
                    let hashes = (value_hash(&view, "light"), value_hash(&view, "dark"));
                    views.insert(app.id.get().to_string(), view);
                    hashes
                }
            };
            let sign = |hash: &str| {
                let claims = claims(app, iat, exp, hash);
                async move {
                    self.keys
                        .sign(&self.store, &claims)
                        .await
                        .map_err(signing_failed)
                }
            };
            let pair = ThemeTokens {
                light: sign(&light).await?,
                dark: sign(&dark).await?,
            };
            tokens.insert(app.id.get().to_string(), pair);
        }
        Ok(AppTokens {
            tokens,
            views,
            expires_at: exp,
            expires_in: APP_TOKEN_SECS,
        })
    }

    /// The JWK set of `/.well-known/jwks.json`.
    pub async fn jwks(&self) -> Result<Value, ServiceError> {
        self.keys
            .jwks(&self.store, Timestamp::now().secs())
            .await
            .map_err(signing_failed)
    }

    /// Retires the signing key and starts a new one (`oxidesk signing-key rotate`): the new
    /// key's id, and the retired one's.
    pub async fn rotate_signing_key(&self) -> Result<(String, Option<String>), ServiceError> {
        self.keys
            .rotate(&self.store, Timestamp::now().secs())
            .await
            .map_err(signing_failed)
    }
}

fn signing_failed(error: crate::signing::SigningError) -> ServiceError {
    match error {
        crate::signing::SigningError::Store(e) => ServiceError::from(e),
        other => ServiceError::Internal(other.to_string()),
    }
}
