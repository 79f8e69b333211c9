//! What every page of an account shares: who is looking, in which account, the navigation, the
//! assets and the CSRF token.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use oxidesk_domain::{Account, AccountId, Membership, Role, User};

use crate::http::assets::asset_url;
use crate::http::session::SignedIn;
use crate::http::{AppState, PageError};
use crate::service::ServiceError;

/// The data of the page frame (`templates/layouts/app.html`).
#[derive(Debug, Clone)]
pub struct Shell {
    /// The product name.
    pub brand: String,
    /// The stylesheet's URL.
    pub css: String,
    /// The entry script's URL.
    pub js: String,
    /// The CSRF token forms and scripts send back.
    pub csrf: String,
    /// The account.
    pub account_id: i64,
    /// The account's name.
    pub account_name: String,
    /// The signed-in person's name.
    pub user_name: String,
    /// The signed-in person's id.
    pub user_id: i64,
    /// `agent` or `administrator`.
    pub role: &'static str,
    /// Whether the person administers the account (sees settings).
    pub is_admin: bool,
    /// The person's chosen availability here: `online`, `busy` or `offline`.
    pub availability: &'static str,
    /// The navigation entry to highlight: `conversations`, `contacts` or `settings`.
    pub active: &'static str,
}

impl Shell {
    /// The same shell with another navigation entry highlighted.
    pub fn at(&self, active: &'static str) -> Shell {
        Shell {
            active,
            ..self.clone()
        }
    }

    /// `/app/accounts/{id}` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("/app/accounts/{}{path}", self.account_id)
    }
}

/// A signed-in member of the account in the path (`/app/accounts/{account_id}/...`).
/// Without a session: a redirect to the login. Not a member: a 404 page (no hint that the
/// account exists).
#[derive(Debug, Clone)]
pub struct Member {
    /// The session.
    pub signed_in: SignedIn,
    /// The account.
    pub account: Account,
    /// The membership.
    pub membership: Membership,
    /// The page frame.
    pub shell: Shell,
}

impl Member {
    /// The person.
    pub fn user(&self) -> &User {
        &self.signed_in.user
    }

    /// The account's id.
    pub fn account_id(&self) -> AccountId {
        self.account.id
    }

    /// Refuses agents with a 404 page: settings pages do not exist for them.
    pub fn require_admin(&self) -> Result<(), PageError> {
        if self.membership.role == Role::Administrator {
            Ok(())
        } else {
            Err(PageError::new(
                StatusCode::NOT_FOUND,
                "This page does not exist.",
            ))
        }
    }
}

impl FromRequestParts<AppState> for Member {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        let not_found = || {
            PageError::new(
                StatusCode::NOT_FOUND,
                "This account does not exist or is not yours.",
            )
            .into_response()
        };
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        let account_id = params
            .iter()
            .find(|(name, _)| *name == "account_id")
            .and_then(|(_, v)| v.parse::<i64>().ok())
            .map(AccountId)
            .ok_or_else(not_found)?;
        let store = &state.services.store;
        let failed =
            |e: oxidesk_store::StoreError| PageError::from(ServiceError::from(e)).into_response();
        let membership = store
            .membership(account_id, signed_in.user.id)
            .await
            .map_err(failed)?
            .ok_or_else(not_found)?;
        let account = store.account(account_id).await.map_err(failed)?;
        let shell = Shell {
            brand: state.config.brand.name.clone(),
            css: asset_url("css/app.css"),
            js: asset_url("js/app.js"),
            csrf: signed_in.csrf_token.clone(),
            account_id: account.id.get(),
            account_name: account.name.clone(),
            user_name: signed_in.user.available_name().to_owned(),
            user_id: signed_in.user.id.get(),
            role: membership.role.as_str(),
            is_admin: membership.role == Role::Administrator,
            availability: membership.availability.as_str(),
            active: "conversations",
        };
        Ok(Member {
            signed_in,
            account,
            membership,
            shell,
        })
    }
}
