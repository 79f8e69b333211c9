//! Signing in and out: password checks with throttling, and browser sessions.

use oxidesk_domain::{Timestamp, User};
use oxidesk_store::Session;

use super::{ServiceError, Services};
use crate::secrets;

/// How long a browser session lasts.
pub const SESSION_DAYS: i64 = 14;
/// The window over which failed sign-ins are counted.
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;
/// Failed sign-ins allowed per email address in a window.
pub const MAX_FAILURES_PER_EMAIL: i64 = 5;
/// Failed sign-ins allowed per client IP address in a window.
pub const MAX_FAILURES_PER_IP: i64 = 20;

/// A successful sign-in.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// Who signed in.
    pub user: User,
    /// The session id for the cookie (only its hash is stored).
    pub session_token: String,
    /// When the session ends.
    pub expires_at: Timestamp,
}

impl Services {
    /// Checks an email and password and starts a session. After too many failures for the
    /// email or from the IP address, refuses without checking.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        ip: &str,
    ) -> Result<LoginOutcome, ServiceError> {
        let email = email.trim().to_lowercase();
        let now = Timestamp::now();
        let window_start = now.plus_secs(-THROTTLE_WINDOW_SECS);
        let email_key = format!("email:{email}");
        let ip_key = format!("ip:{ip}");
        let too_many = self.store.login_failures(&email_key, window_start).await?
            >= MAX_FAILURES_PER_EMAIL
            || self.store.login_failures(&ip_key, window_start).await? >= MAX_FAILURES_PER_IP;
        if too_many {
            return Err(ServiceError::TooManyAttempts {
                retry_after: THROTTLE_WINDOW_SECS,
            });
        }
        let credentials = self.store.user_credentials(&email).await?;
        let hash = credentials
            .as_ref()
            .and_then(|(_, hash)| hash.clone())
            .unwrap_or_else(|| secrets::dummy_password_hash().to_owned());
        let password = password.to_owned();
        let matches =
            tokio::task::spawn_blocking(move || secrets::verify_password(&password, &hash))
                .await
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let user = match credentials {
            Some((user, Some(_))) if matches => user,
            _ => {
                self.store
                    .record_login_failure(&email_key, now, window_start)
                    .await?;
                self.store
                    .record_login_failure(&ip_key, now, window_start)
                    .await?;
                return Err(ServiceError::Unauthorized("Invalid email or password"));
            }
        };
        self.store.clear_login_failures(&email_key).await?;
        let session_token = secrets::random_token(32);
        let csrf_token = secrets::random_token(32);
        let expires_at = now.plus_secs(SESSION_DAYS * 24 * 3600);
        self.store
            .create_session(
                user.id,
                &secrets::sha256_hex(&session_token),
                &csrf_token,
                now,
                expires_at,
            )
            .await?;
        Ok(LoginOutcome {
            user,
            session_token,
            expires_at,
        })
    }

    /// The live session with this id (cached, see [`super::ReadCache`]).
    pub async fn session(&self, session_token: &str) -> Result<Option<Session>, ServiceError> {
        let hash = secrets::sha256_hex(session_token);
        let now = Timestamp::now();
        let generation = self.events.generations().auth();
        if let Some(session) = self.cache.session(&hash, generation) {
            if session.expires_at > now {
                return Ok(Some(session));
            }
        }
        let session = self.store.session(&hash, now).await?;
        if let Some(session) = &session {
            self.cache.put_session(hash, generation, session.clone());
        }
        Ok(session)
    }

    /// Ends the session with this id: at once on this instance, and on the others sharing the
    /// database when they hear the `session.ended` event (published in each of the user's
    /// accounts, naming only the user).
    pub async fn logout(&self, session_token: &str) -> Result<(), ServiceError> {
        let hash = secrets::sha256_hex(session_token);
        let user = self
            .store
            .session(&hash, Timestamp::now())
            .await?
            .map(|s| s.user.id);
        self.store.delete_session(&hash).await?;
        self.cache.forget_session(&hash);
        if let Some(user) = user {
            // Signed out: no longer "online" for the website widgets (another open dashboard
            // of theirs records its presence again within 30 seconds).
            self.store.clear_presence(user).await?;
            for (account, _) in self.store.memberships_of(user).await? {
                self.events.publish(
                    account.id,
                    "session.ended",
                    serde_json::json!({"user_id": user}),
                );
            }
        }
        Ok(())
    }
}
