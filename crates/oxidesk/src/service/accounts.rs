//! Accounts, users, memberships, API tokens, and the first-run onboarding.

use oxidesk_domain::{
    AccessToken, Account, AccountId, Role, Timestamp, User, UserId, ValidationErrors, validate,
};
use oxidesk_store::NewUser;

use super::cache::Memberships;
use super::{ServiceError, Services, found, unique};
use crate::secrets;

/// A person to add to an account.
#[derive(Debug, Clone)]
pub struct NewMember<'a> {
    /// Full name.
    pub name: &'a str,
    /// Email.
    pub email: &'a str,
    /// Password (checked for length, stored hashed).
    pub password: &'a str,
    /// Role in the account.
    pub role: Role,
}

/// The first account and its administrator (onboarding).
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    /// The account's name.
    pub account_name: &'a str,
    /// The administrator.
    pub admin: NewMember<'a>,
}

/// The prefix of every API token, so that leaked tokens are easy to recognise and scan for.
pub const TOKEN_PREFIX: &str = "oxd_";

impl Services {
    /// Creates an account.
    pub async fn create_account(&self, name: &str) -> Result<Account, ServiceError> {
        let name = validate::required_text("name", name)?;
        Ok(self.store.create_account(&name, Timestamp::now()).await?)
    }

    /// Creates a user (or finds the existing one with the same email and password-less
    /// membership is refused) and makes them a member of `account`.
    pub async fn add_member(
        &self,
        account: AccountId,
        member: &NewMember<'_>,
    ) -> Result<User, ServiceError> {
        found(self.store.account(account).await, "account")?;
        let mut errors = ValidationErrors::new();
        let name = errors.check(validate::required_text("name", member.name));
        let email = errors.check(validate::email("email", member.email));
        errors.check(validate::password("password", member.password));
        errors.into_result()?;
        let (Some(name), Some(email)) = (name, email) else {
            return Err(ServiceError::Internal(
                "validation passed without values".into(),
            ));
        };
        if self.store.user_by_email(&email).await?.is_some() {
            return Err(ServiceError::Invalid(
                oxidesk_domain::ValidationError::new("email", format!("{email} is already taken"))
                    .into(),
            ));
        }
        let hash = hash(member.password).await?;
        let now = Timestamp::now();
        let user = unique(
            self.store
                .create_user(
                    &NewUser {
                        name: &name,
                        display_name: None,
                        email: &email,
                        password_hash: Some(&hash),
                        confirmed: true,
                        avatar_url: None,
                    },
                    now,
                )
                .await,
            "email",
            "email",
            "is already taken",
        )?;
        self.store
            .add_member(account, user.id, member.role, now)
            .await?;
        self.cache.forget_memberships(user.id);
        Ok(user)
    }

    /// Onboarding: creates the first account and its administrator. Refused once any account
    /// exists, so the page cannot be used to take over an installed instance.
    pub async fn create_first_account(
        &self,
        input: &NewAccount<'_>,
    ) -> Result<(Account, User), ServiceError> {
        if self.store.count_accounts().await? > 0 {
            return Err(ServiceError::Conflict(
                "Oxidesk is already set up: sign in instead".into(),
            ));
        }
        let mut errors = ValidationErrors::new();
        errors.check(validate::required_text("account_name", input.account_name));
        errors.check(validate::required_text("name", input.admin.name));
        errors.check(validate::email("email", input.admin.email));
        errors.check(validate::password("password", input.admin.password));
        errors.into_result()?;
        let account = self.create_account(input.account_name).await?;
        let user = self
            .add_member(
                account.id,
                &NewMember {
                    role: Role::Administrator,
                    ..input.admin.clone()
                },
            )
            .await?;
        Ok((account, user))
    }

    /// Creates an API access token for the user with this email. Returns the token's record and
    /// its secret, which is shown once and never stored.
    pub async fn create_access_token(
        &self,
        email: &str,
        name: &str,
    ) -> Result<(AccessToken, String), ServiceError> {
        let email = validate::email("email", email)?;
        let user = self
            .store
            .user_by_email(&email)
            .await?
            .ok_or(ServiceError::NotFound("user"))?;
        let name =
            validate::optional_text("name", Some(name))?.unwrap_or_else(|| "API token".into());
        let secret = format!("{TOKEN_PREFIX}{}", secrets::random_token(32));
        let record = self
            .store
            .create_access_token(
                user.id,
                &name,
                &secrets::sha256_hex(&secret),
                &secret[..TOKEN_PREFIX.len() + 6],
                Timestamp::now(),
            )
            .await?;
        Ok((record, secret))
    }

    /// The user an `api_access_token` belongs to (cached, see [`super::ReadCache`]; a use is
    /// recorded when the cache asks the database, which is at most once a minute anyway).
    pub async fn user_for_token(&self, token: &str) -> Result<User, ServiceError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(ServiceError::Unauthorized("missing api_access_token"));
        }
        let hash = secrets::sha256_hex(token);
        let generation = self.events.generations().auth();
        if let Some(user) = self.cache.token(&hash, generation) {
            return Ok(user);
        }
        let user = self
            .store
            .user_by_token_hash(&hash, Timestamp::now())
            .await?
            .ok_or(ServiceError::Unauthorized("invalid api_access_token"))?;
        self.cache.put_token(hash, generation, user.clone());
        Ok(user)
    }

    /// Every account the user belongs to, with their membership, oldest first (cached, see
    /// [`super::ReadCache`]).
    pub async fn memberships_of(&self, user: UserId) -> Result<Memberships, ServiceError> {
        let generation = self.events.generations().auth();
        if let Some(memberships) = self.cache.memberships(user, generation) {
            return Ok(memberships);
        }
        let memberships = std::sync::Arc::new(self.store.memberships_of(user).await?);
        self.cache
            .put_memberships(user, generation, memberships.clone());
        Ok(memberships)
    }

    /// The user's role in the account; `None` if they are not a member (cached, see
    /// [`super::ReadCache`]; only memberships are kept, so a new member is let in at once).
    pub async fn member_role(
        &self,
        account: AccountId,
        user: UserId,
    ) -> Result<Option<Role>, ServiceError> {
        let generation = self.events.generations().auth();
        if let Some(role) = self.cache.role(account, user, generation) {
            return Ok(Some(role));
        }
        let role = self.store.membership(account, user).await?.map(|m| m.role);
        if let Some(role) = role {
            self.cache.put_role(account, user, generation, role);
        }
        Ok(role)
    }
}

/// Changes to one's own profile; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    /// Full name.
    pub name: Option<String>,
    /// Display name (empty clears it).
    pub display_name: Option<String>,
    /// Picture URL (empty clears it).
    pub avatar_url: Option<String>,
    /// A new password; needs `current_password`.
    pub password: Option<String>,
    /// The current password, to change the password.
    pub current_password: Option<String>,
}

impl Services {
    /// Changes the user's own profile. A new password needs the current one.
    pub async fn update_profile(
        &self,
        user: &User,
        changes: &ProfileChanges,
    ) -> Result<User, ServiceError> {
        let mut errors = ValidationErrors::new();
        let name = match &changes.name {
            Some(name) => errors.check(validate::required_text("name", name)),
            None => Some(user.name.clone()),
        };
        let display_name = match &changes.display_name {
            Some(d) => errors
                .check(validate::optional_text("display_name", Some(d)))
                .flatten(),
            None => user.display_name.clone(),
        };
        let avatar_url = match changes.avatar_url.as_deref().map(str::trim) {
            Some("") => None,
            Some(url) => errors.check(validate::http_url("avatar_url", url)),
            None => user.avatar_url.clone(),
        };
        if let Some(password) = &changes.password {
            errors.check(validate::password("password", password));
            let current = changes.current_password.clone().unwrap_or_default();
            let stored = self
                .store
                .user_credentials(&user.email)
                .await?
                .and_then(|(_, hash)| hash);
            let matches = match stored {
                Some(hash) => {
                    tokio::task::spawn_blocking(move || secrets::verify_password(&current, &hash))
                        .await
                        .map_err(|e| ServiceError::Internal(e.to_string()))?
                }
                None => false,
            };
            if !matches {
                errors.push("current_password", "is not your current password");
            }
        }
        errors.into_result()?;
        let now = Timestamp::now();
        let updated = self
            .store
            .update_profile(
                user.id,
                &name.unwrap_or_default(),
                display_name.as_deref(),
                avatar_url.as_deref(),
                now,
            )
            .await?;
        if let Some(password) = &changes.password {
            let hash = hash(password).await?;
            self.store.set_password_hash(user.id, &hash, now).await?;
        }
        // The name and picture show in every account's views, and cached credentials carry them.
        for (account, _) in self.store.memberships_of(user.id).await? {
            self.events.publish(
                account.id,
                "agent.updated",
                serde_json::json!({"id": user.id}),
            );
        }
        Ok(updated)
    }
}

/// Hashes a password off the async threads (argon2 takes tens of milliseconds on purpose).
pub(crate) async fn hash(password: &str) -> Result<String, ServiceError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || secrets::hash_password(&password))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .map_err(|e| ServiceError::Internal(e.to_string()))
}
