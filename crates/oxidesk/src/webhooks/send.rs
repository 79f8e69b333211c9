//! The sender: claims due deliveries, posts them, records the outcome.
//!
//! Each request has `webhooks.timeout_secs` to connect and answer; a claim lasts twice that
//! plus ten seconds, so a delivery whose sender died (or was killed) is claimed again by any
//! instance once the lease runs out. Any 2xx is success. Otherwise the delivery is due again
//! after `first_retry_secs`, doubling per failure up to an hour, until a day after its event;
//! then it is `failed`. A refused address fails at once (retrying would not help).

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use oxidesk_domain::Timestamp;
use oxidesk_store::{AttemptOutcome, Delivery};
use tokio::sync::Notify;

use super::guard::{self, Guard};
use super::secret;
use crate::config::WebhooksConfig;
use crate::service::Services;

/// Deliveries claimed at once (and sent concurrently).
const CLAIM: i64 = 16;
/// How long deliveries are retried after their event.
pub const GIVE_UP_SECS: i64 = 24 * 3600;
/// The longest wait between two attempts.
const MAX_BACKOFF_SECS: i64 = 3600;

/// The signature headers of a body sent at `timestamp`: `sha256=` and the hex HMAC-SHA256 of
/// `"{timestamp}.{body}"` under the secret, as Chatwoot signs.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    format!(
        "sha256={}",
        crate::secrets::hmac_hex(secret.as_bytes(), &format!("{timestamp}.{body}"))
    )
}

/// The wait after the `failures`-th failed attempt (1 for the first).
pub fn backoff(first_retry_secs: u64, failures: i64) -> i64 {
    let first = i64::try_from(first_retry_secs).unwrap_or(MAX_BACKOFF_SECS);
    let shift = u32::try_from((failures - 1).clamp(0, 20)).unwrap_or(20);
    first.saturating_mul(1 << shift).min(MAX_BACKOFF_SECS)
}

/// The HTTP client: the guarded resolver, no proxies, no redirects, the timeout.
pub fn client(config: &WebhooksConfig) -> reqwest::Client {
    let timeout = Duration::from_secs(config.timeout_secs);
    reqwest::Client::builder()
        .dns_resolver(Arc::new(Guard {
            allow_private: config.allow_private_networks,
        }))
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout)
        .timeout(timeout)
        .user_agent(concat!("Oxidesk-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// Runs until aborted: sends whatever is due, then waits for the dispatcher or a second.
pub async fn run(services: Services, config: WebhooksConfig, wake: Arc<Notify>) {
    let client = client(&config);
    let lease_secs = i64::try_from(config.timeout_secs * 2 + 10).unwrap_or(60);
    loop {
        let now = Timestamp::now();
        let lease_until = now.secs() + lease_secs;
        match services
            .store
            .claim_deliveries(now, lease_until, CLAIM)
            .await
        {
            Ok(batch) if !batch.is_empty() => {
                let sends = batch
                    .iter()
                    .map(|d| attempt(&services, &client, &config, d, lease_until));
                join_all(sends).await;
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "cannot claim webhook deliveries"),
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// Whether the failure can never turn into success by retrying.
enum Failure {
    Retry(Option<i64>, String),
    Final(String),
}

async fn attempt(
    services: &Services,
    client: &reqwest::Client,
    config: &WebhooksConfig,
    d: &Delivery,
    lease_until: i64,
) {
    let result = post(services, client, config, d).await;
    let now = Timestamp::now();
    let outcome = match result {
        Ok(code) => AttemptOutcome {
            status: "delivered",
            next_attempt_at: now.secs(),
            response_code: Some(code),
            error: None,
        },
        Err(Failure::Final(error)) => AttemptOutcome {
            status: "failed",
            next_attempt_at: now.secs(),
            response_code: None,
            error: Some(error),
        },
        Err(Failure::Retry(code, error)) => {
            let next = now.secs() + backoff(config.first_retry_secs, d.attempts + 1);
            let status = if next > d.created_at + GIVE_UP_SECS {
                "failed"
            } else {
                "pending"
            };
            AttemptOutcome {
                status,
                next_attempt_at: next,
                response_code: code,
                error: Some(error),
            }
        }
    };
    if outcome.status != "delivered" {
        tracing::info!(delivery = d.id, event = %d.event, status = outcome.status,
            error = outcome.error.as_deref().unwrap_or(""), "webhook delivery failed");
    }
    if let Err(error) = services
        .store
        .finish_attempt(d.id, lease_until, &outcome, now)
        .await
    {
        tracing::warn!(%error, delivery = d.id, "cannot record a webhook attempt");
    }
}

async fn post(
    services: &Services,
    client: &reqwest::Client,
    config: &WebhooksConfig,
    d: &Delivery,
) -> Result<i64, Failure> {
    let url = reqwest::Url::parse(&d.url).map_err(|e| Failure::Final(format!("bad URL: {e}")))?;
    guard::check_url(&url, config.allow_private_networks).map_err(Failure::Final)?;
    let secret = secret::open(&services.secret_key, &d.secret).ok_or_else(|| {
        Failure::Final("the secret cannot be opened (secret key changed?)".into())
    })?;
    let timestamp = Timestamp::now().secs();
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .header(
            "x-chatwoot-signature",
            signature(&secret, timestamp, &d.body),
        )
        .header("x-chatwoot-timestamp", timestamp.to_string())
        .header("x-chatwoot-delivery", &d.uuid)
        .body(d.body.clone())
        .send()
        .await
        .map_err(|e| {
            let text = describe(&e);
            if text.contains("refused: ") {
                Failure::Final(text)
            } else {
                Failure::Retry(None, text)
            }
        })?;
    let code = i64::from(response.status().as_u16());
    if response.status().is_success() {
        Ok(code)
    } else {
        Err(Failure::Retry(Some(code), format!("HTTP {code}")))
    }
}

/// The error with its causes (reqwest's own text is only the outermost).
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(30, 1), 30);
        assert_eq!(backoff(30, 2), 60);
        assert_eq!(backoff(30, 5), 480);
        assert_eq!(backoff(30, 30), 3600);
    }

    #[test]
    fn signs_as_chatwoot() {
        let sig = signature("secret", 1_700_000_000, "{\"a\":1}");
        let expected = crate::secrets::hmac_hex(b"secret", "1700000000.{\"a\":1}");
        assert_eq!(sig, format!("sha256={expected}"));
    }
}
