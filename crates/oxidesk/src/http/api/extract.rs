//! Extractors of the API: the caller in an account, JSON bodies and query strings whose
//! errors name the field at fault.

use std::collections::HashMap;
use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxidesk_domain::{AccountId, Role, User, ValidationErrors};
use serde::de::DeserializeOwned;

mod body;
mod cast;
mod parse;

pub use body::{ApiBody, ApiJson, Upload, UploadLimits};
pub use cast::{json_object_or_text, present, unix_time};
pub use parse::parse_json;

use crate::http::session::ApiCaller;
use crate::http::{ApiError, AppState};

/// A signed-in member of the account in the path (`/api/v1/accounts/{account_id}/...`).
/// Not a member: 401, as Chatwoot answers.
#[derive(Debug, Clone)]
pub struct AccountCaller {
    /// Who.
    pub user: User,
    /// The account of the path.
    pub account: AccountId,
    /// Their role there.
    pub role: Role,
}

impl AccountCaller {
    /// Refuses agents: 403 for anything only administrators may do.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.role == Role::Administrator {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Only administrators of this account can do this",
            ))
        }
    }

    /// Whether the caller administers the account.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Administrator
    }
}

impl FromRequestParts<AppState> for AccountCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = ApiCaller::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "not_found", "No such endpoint"))?;
        let account = params
            .iter()
            .find(|(name, _)| *name == "account_id")
            .and_then(|(_, value)| value.parse::<i64>().ok())
            .map(AccountId)
            .ok_or_else(|| {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", "account not found")
            })?;
        let role = state
            .services
            .member_role(account, caller.user.id)
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "You are not authorized to access this account",
                )
            })?;
        Ok(AccountCaller {
            user: caller.user,
            account,
            role,
        })
    }
}

/// A JSON body already serialised (a cached view).
#[derive(Debug, Clone)]
pub struct JsonBytes(pub Bytes);

impl IntoResponse for JsonBytes {
    fn into_response(self) -> Response {
        (
            [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            self.0,
        )
            .into_response()
    }
}

/// An administrator of the account in the path. Agents get 403 before the body is even read,
/// so a write they may not make never reaches validation. Put it before `ApiJson`.
#[derive(Debug, Clone)]
pub struct AdminCaller(pub AccountCaller);

impl FromRequestParts<AppState> for AdminCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = AccountCaller::from_request_parts(parts, state).await?;
        caller.require_admin()?;
        Ok(AdminCaller(caller))
    }
}

impl std::ops::Deref for AdminCaller {
    type Target = AccountCaller;

    fn deref(&self) -> &AccountCaller {
        &self.0
    }
}

/// Path parameters; a value of the wrong type (`/conversations/abc`) is a JSON 404.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|rejection| {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", rejection.body_text())
            })
    }
}

/// The query string, read leniently: unknown parameters are ignored, and typed getters name the
/// parameter in their errors. `labels[]=a&labels[]=b` and `labels=a` both give the list.
#[derive(Debug, Clone, Default)]
pub struct ApiQuery {
    pairs: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for ApiQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("The query string is malformed: {e}"),
            )
        })?;
        // A NUL is refused as in a form body: a 422 naming the parameter.
        parse::nul_in_pairs(pairs.iter().map(|(k, v)| (k, v)), "query")?;
        Ok(Self { pairs })
    }
}

impl ApiQuery {
    /// A query from pairs (tests).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self {
            pairs: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// The last non-empty value of `key`.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// Every value of `key` and `key[]`.
    pub fn list(&self, key: &str) -> Vec<&str> {
        let bracketed = format!("{key}[]");
        self.pairs
            .iter()
            .filter(|(k, v)| (k == key || *k == bracketed) && !v.trim().is_empty())
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// A list's paging: `after` (a page's `next_cursor`) and `page` (1 to 10,000, 1 when
    /// left out), each refused with a 422 naming it when it is not that.
    pub fn paging(&self) -> Result<(Option<oxidesk_store::Cursor>, i64), ApiError> {
        let after = match self.text("after") {
            Some(text) => Some(
                oxidesk_store::Cursor::decode(text)
                    .ok_or_else(|| invalid_param("after", "is not a cursor from next_cursor"))?,
            ),
            None => None,
        };
        let page = self.int("page")?.unwrap_or(1);
        if !(1..=10_000).contains(&page) {
            return Err(invalid_param("page", "must be between 1 and 10000"));
        }
        Ok((after, page))
    }

    /// An integer parameter.
    pub fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        self.parse(key, "must be an integer")
    }

    /// A parameter parsed by `FromStr`; `what` says what was expected.
    pub fn parse<T: FromStr>(&self, key: &str, what: &str) -> Result<Option<T>, ApiError> {
        match self.text(key) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| invalid_param(key, &format!("{what} (got '{v}')"))),
        }
    }

    /// A parameter that must be one of `T`'s values (its error lists them).
    pub fn one_of<T: FromStr<Err = oxidesk_domain::enums::UnknownValue>>(
        &self,
        key: &str,
    ) -> Result<Option<T>, ApiError> {
        match self.text(key) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|e: oxidesk_domain::enums::UnknownValue| {
                    invalid_param(
                        key,
                        &format!("must be one of {} (got '{}')", e.expected, e.value),
                    )
                }),
        }
    }

    /// The pairs as a map of last values (for logging-free inspection in tests).
    pub fn as_map(&self) -> HashMap<&str, &str> {
        self.pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
}

/// A 422 for a bad query parameter.
pub fn invalid_param(key: &str, message: &str) -> ApiError {
    let mut errors = ValidationErrors::new();
    errors.push(key, message);
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid",
        message: format!("{key} {message}"),
        errors,
        retry_after: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Body {
        #[allow(dead_code)]
        content: String,
        #[allow(dead_code)]
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(serde::Deserialize, Debug)]
    struct Item {
        #[allow(dead_code)]
        url: String,
    }

    #[test]
    fn json_errors_name_the_field() {
        let err = parse_json::<Body>(br#"{"content": 5}"#).expect_err("error");
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.errors.0[0].field, "content");
        assert!(
            err.message
                .contains("invalid type: integer `5`, expected a string"),
            "{}",
            err.message
        );
        let err =
            parse_json::<Body>(br#"{"content": "x", "items": [{"url": 1}]}"#).expect_err("error");
        assert_eq!(err.errors.0[0].field, "items[0].url");
        let err = parse_json::<Body>(br#"{}"#).expect_err("error");
        assert!(
            err.message.contains("missing field `content`"),
            "{}",
            err.message
        );
        let err = parse_json::<Body>(b"{nope").expect_err("error");
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        assert!(
            parse_json::<Body>(br#"{"content": "x", "extra": true}"#).is_ok(),
            "unknown fields are ignored"
        );
    }

    #[test]
    fn query_lists_and_typed_values() {
        let q = ApiQuery::from_pairs(&[
            ("labels[]", "billing"),
            ("labels[]", "vip"),
            ("page", "2"),
            ("inbox_id", "x"),
        ]);
        assert_eq!(q.list("labels"), vec!["billing", "vip"]);
        assert_eq!(q.int("page").ok().flatten(), Some(2));
        let err = q.int("inbox_id").expect_err("error");
        assert_eq!(err.errors.0[0].field, "inbox_id");
        let status = ApiQuery::from_pairs(&[("status", "closed")]);
        let err = status
            .one_of::<oxidesk_domain::ConversationStatus>("status")
            .expect_err("error");
        assert!(
            err.message.contains("open, resolved, pending, snoozed"),
            "{}",
            err.message
        );
    }

    /// A list's paging, as the conversation and contact lists read it: defaults, a cursor, and
    /// each bad value refused naming its parameter.
    #[test]
    fn paging_reads_after_and_page_and_names_a_bad_one() {
        let q = |pairs: &[(&str, &str)]| ApiQuery::from_pairs(pairs).paging();
        assert_eq!(q(&[]).ok(), Some((None, 1)));
        let cursor = oxidesk_store::Cursor { key: 5, id: 6 };
        assert_eq!(
            q(&[("after", "5.6"), ("page", "3")]).ok(),
            Some((Some(cursor), 3))
        );
        for (pairs, field) in [
            (&[("after", "nope")][..], "after"),
            (&[("page", "0")][..], "page"),
            (&[("page", "10001")][..], "page"),
            (&[("page", "two")][..], "page"),
        ] {
            let err = q(pairs).expect_err("refused");
            assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY, "{pairs:?}");
            assert!(format!("{err:?}").contains(field), "{pairs:?}: {err:?}");
        }
    }
}
