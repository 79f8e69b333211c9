//! Who is asking: browser sessions (cookie + CSRF token) and API tokens (`api_access_token`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use oxidesk_domain::User;

use super::{ApiError, AppState};
use crate::secrets;

/// The session cookie's name. Its value is a random id; the database keeps only its hash.
pub const SESSION_COOKIE: &str = "oxidesk_session";
/// The cookie that anchors CSRF tokens of forms shown before signing in.
pub const CSRF_COOKIE: &str = "oxidesk_csrf";
/// The header carrying an API token (Chatwoot's name).
pub const TOKEN_HEADER: &str = "api_access_token";
/// The header carrying the session's CSRF token on script requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of cookie `name`, if sent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` header: HttpOnly, `Path=/`, the given SameSite, Secure over https.
/// `max_age` 0 deletes the cookie.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age: i64,
    same_site: &str,
    secure: bool,
) -> (header::HeaderName, HeaderValue) {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
    );
    (
        header::SET_COOKIE,
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("")),
    )
}

/// The client's IP address, for throttling.
pub fn client_ip(parts_extensions: &axum::http::Extensions) -> String {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// False when the request says it comes from another site (`Origin` not matching `Host`).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
    origin != "null" && !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

/// A signed-in person, for pages. Without a session the page redirects to the login.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Who.
    pub user: User,
    /// The CSRF token their forms carry.
    pub csrf_token: String,
    /// The session id (to sign out).
    pub session_token: String,
}

impl SignedIn {
    /// Checks a submitted form's CSRF token.
    pub fn check_csrf(&self, headers: &HeaderMap, submitted: &str) -> Result<(), super::PageError> {
        if same_origin(headers) && constant_eq(submitted, &self.csrf_token) {
            Ok(())
        } else {
            Err(super::PageError::new(
                StatusCode::FORBIDDEN,
                "This form has expired. Reload the page and try again.",
            ))
        }
    }
}

async fn load_session(parts: &Parts, state: &AppState) -> Result<Option<SignedIn>, ApiError> {
    let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let session = state.services.session(&token).await?;
    Ok(session.map(|s| SignedIn {
        user: s.user,
        csrf_token: s.csrf_token,
        session_token: token,
    }))
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match load_session(parts, state).await {
            Ok(Some(signed_in)) => Ok(signed_in),
            Ok(None) => Err(Redirect::to("/app/login").into_response()),
            Err(e) => Err(super::PageError::new(e.status, e.message).into_response()),
        }
    }
}

/// A session if there is one; never rejects.
#[derive(Debug, Clone)]
pub struct MaybeSignedIn(pub Option<SignedIn>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match load_session(parts, state).await {
            Ok(found) => Ok(MaybeSignedIn(found)),
            Err(e) => Err(super::PageError::new(e.status, e.message).into_response()),
        }
    }
}

/// The caller of an API endpoint: by `api_access_token`, or by the browser session (then
/// state-changing requests must carry the `x-csrf-token` header).
#[derive(Debug, Clone)]
pub struct ApiCaller {
    /// Who.
    pub user: User,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(token) = token_header(&parts.headers) {
            let token = token.to_str().unwrap_or("");
            let user = state.services.user_for_token(token).await?;
            return Ok(ApiCaller { user });
        }
        let Some(signed_in) = load_session(parts, state).await? else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "You need to sign in or send an api_access_token header",
            ));
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !same_origin(&parts.headers) || !constant_eq(sent, &signed_in.csrf_token) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "Missing or wrong x-csrf-token header",
                ));
            }
        }
        Ok(ApiCaller {
            user: signed_in.user,
        })
    }
}

/// The `api_access_token` header in any spelling: header names are case-insensitive, and Rails
/// reads `Api-Access-Token` and `api_access_token` alike.
pub fn token_header(headers: &HeaderMap) -> Option<&HeaderValue> {
    headers.get(TOKEN_HEADER).or_else(|| {
        headers.iter().find_map(|(name, value)| {
            let name = name.as_str();
            (name.len() == TOKEN_HEADER.len()
                && name
                    .bytes()
                    .zip(TOKEN_HEADER.bytes())
                    .all(|(a, b)| a == b || (a == b'-' && b == b'_')))
            .then_some(value)
        })
    })
}

/// The CSRF token for a form shown before signing in: an HMAC of the `oxidesk_csrf` cookie,
/// which is set (returned here) when the browser has none yet.
pub fn anonymous_csrf(
    state: &AppState,
    headers: &HeaderMap,
) -> (String, Option<(header::HeaderName, HeaderValue)>) {
    match cookie(headers, CSRF_COOKIE) {
        Some(anchor) => (secrets::hmac_hex(&state.services.secret_key, &anchor), None),
        None => {
            let anchor = secrets::random_token(24);
            let cookie = set_cookie(
                CSRF_COOKIE,
                &anchor,
                7 * 24 * 3600,
                "Strict",
                state.config.is_https(),
            );
            (
                secrets::hmac_hex(&state.services.secret_key, &anchor),
                Some(cookie),
            )
        }
    }
}

/// Checks the CSRF token of a form posted before signing in.
pub fn check_anonymous_csrf(state: &AppState, headers: &HeaderMap, submitted: &str) -> bool {
    same_origin(headers)
        && cookie(headers, CSRF_COOKIE).is_some_and(|anchor| {
            secrets::hmac_verify(&state.services.secret_key, &anchor, submitted)
        })
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; oxidesk_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn session_cookies_are_http_only_and_lax() {
        let (_, value) = set_cookie(SESSION_COOKIE, "t", 60, "Lax", true);
        let text = value.to_str().unwrap_or("");
        assert!(
            text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.contains("Secure"),
            "{text}"
        );
        let (_, plain) = set_cookie(SESSION_COOKIE, "t", 60, "Lax", false);
        assert!(!plain.to_str().unwrap_or("").contains("Secure"));
    }

    #[test]
    fn cross_site_origins_are_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("help.example.com"));
        assert!(
            same_origin(&headers),
            "no Origin header: a same-site navigation or a non-browser client"
        );
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://help.example.com"),
        );
        assert!(same_origin(&headers));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&headers));
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_eq("abc", "abc"));
        assert!(!constant_eq("abc", "abd"));
        assert!(!constant_eq("abc", "ab"));
    }
}
