//! The agents of an account: adding people, changing their role and availability, removing
//! them.
//!
//! Chatwoot emails an invitation to a new agent. Oxidesk sends no mail yet, so an administrator
//! either gives a password when adding the agent, or adds them without one and sets it later
//! (`PATCH .../agents/{id}` with `password`); until then the agent cannot sign in.

use oxidesk_domain::{
    AccountId, Agent, Availability, Role, Timestamp, UserId, ValidationError, ValidationErrors,
    validate,
};
use oxidesk_store::NewUser;
use serde_json::json;

use super::accounts::hash;
use super::setup::MAX_LIST;
use super::{ServiceError, Services, found, unique};

/// An agent's fields as a request gives them: `None` keeps the current value (or takes the
/// default when adding).
#[derive(Debug, Clone, Default)]
pub struct AgentFields {
    /// Full name (required when adding).
    pub name: Option<String>,
    /// Email (required when adding; cannot be changed here).
    pub email: Option<String>,
    /// Role in the account (required when adding).
    pub role: Option<Role>,
    /// Availability (default offline).
    pub availability: Option<Availability>,
    /// Whether availability turns offline by itself (default true).
    pub auto_offline: Option<bool>,
    /// A password (8 characters or more), for agents who cannot receive an invitation.
    pub password: Option<String>,
}

impl Services {
    /// The account's agents in the order they joined.
    pub async fn agents(&self, account: AccountId) -> Result<Vec<Agent>, ServiceError> {
        Ok(self.store.list_agents(account, None, MAX_LIST).await?)
    }

    /// One agent of the account.
    pub async fn agent(&self, account: AccountId, user: UserId) -> Result<Agent, ServiceError> {
        found(self.store.agent(account, user).await, "agent")
    }

    /// Adds a person to the account. A new email creates a user, with the password if one is
    /// given and without any (unable to sign in) otherwise; the email of an existing user adds
    /// that user, whose password is theirs alone to set.
    pub async fn create_agent(
        &self,
        account: AccountId,
        fields: &AgentFields,
    ) -> Result<Agent, ServiceError> {
        let mut errors = ValidationErrors::new();
        let name = errors.check(validate::required_text(
            "name",
            fields.name.as_deref().unwrap_or(""),
        ));
        let email = errors.check(validate::email(
            "email",
            fields.email.as_deref().unwrap_or(""),
        ));
        if fields.role.is_none() {
            errors.push("role", "is required (agent or administrator)");
        }
        if let Some(password) = &fields.password {
            errors.check(validate::password("password", password));
        }
        errors.into_result()?;
        let (Some(name), Some(email), Some(role)) = (name, email, fields.role) else {
            return Err(ServiceError::Internal(
                "validation passed without values".into(),
            ));
        };
        let now = Timestamp::now();
        let user = match self.store.user_by_email(&email).await? {
            Some(user) => {
                if self.store.membership(account, user.id).await?.is_some() {
                    return Err(ValidationError::new(
                        "email",
                        "is already a member of this account",
                    )
                    .into());
                }
                if fields.password.is_some() {
                    return Err(ValidationError::new(
                        "password",
                        "cannot be set for a person who already has an Oxidesk user",
                    )
                    .into());
                }
                user
            }
            None => {
                let password_hash = match &fields.password {
                    Some(password) => Some(hash(password).await?),
                    None => None,
                };
                let new = NewUser {
                    name: &name,
                    display_name: None,
                    email: &email,
                    password_hash: password_hash.as_deref(),
                    confirmed: password_hash.is_some(),
                    avatar_url: None,
                };
                unique(
                    self.store.create_user(&new, now).await,
                    "email",
                    "email",
                    "is already taken",
                )?
            }
        };
        unique(
            self.store.add_member(account, user.id, role, now).await,
            "user_id",
            "email",
            "is already a member of this account",
        )?;
        self.store
            .update_membership(
                account,
                user.id,
                role,
                fields.availability.unwrap_or(Availability::Offline),
                fields.auto_offline.unwrap_or(true),
            )
            .await?;
        self.events
            .publish(account, "agent.created", json!({"id": user.id}));
        self.agent(account, user.id).await
    }

    /// Changes an agent's name, role, availability, auto-offline or password. The last
    /// administrator stays one; a password can be set only for a user of this account alone
    /// (so that no administrator can take over someone's access to other accounts).
    pub async fn update_agent(
        &self,
        account: AccountId,
        user: UserId,
        fields: &AgentFields,
    ) -> Result<Agent, ServiceError> {
        let agent = self.agent(account, user).await?;
        let mut errors = ValidationErrors::new();
        let name = match &fields.name {
            Some(name) => errors.check(validate::required_text("name", name)),
            None => None,
        };
        if let Some(password) = &fields.password {
            errors.check(validate::password("password", password));
        }
        errors.into_result()?;
        let role = fields.role.unwrap_or(agent.membership.role);
        if agent.membership.role == Role::Administrator
            && role != Role::Administrator
            && self.store.count_administrators(account).await? <= 1
        {
            return Err(ServiceError::Conflict(
                "The account needs at least one administrator: make someone else one first".into(),
            ));
        }
        if let Some(password) = &fields.password {
            if self.store.memberships_of(user).await?.len() > 1 {
                return Err(ValidationError::new(
                    "password",
                    "cannot be set here: this person also belongs to other accounts",
                )
                .into());
            }
            let hash = hash(password).await?;
            self.store
                .set_password_hash(user, &hash, Timestamp::now())
                .await?;
        }
        if let Some(name) = name {
            self.store
                .rename_user(user, &name, Timestamp::now())
                .await?;
        }
        found(
            self.store
                .update_membership(
                    account,
                    user,
                    role,
                    fields.availability.unwrap_or(agent.membership.availability),
                    fields.auto_offline.unwrap_or(agent.membership.auto_offline),
                )
                .await,
            "agent",
        )?;
        self.events
            .publish(account, "agent.updated", json!({"id": user}));
        self.agent(account, user).await
    }

    /// Removes an agent from the account (the user stays, with their other accounts). Their
    /// conversations there are unassigned. Nobody can remove themselves.
    pub async fn remove_agent(
        &self,
        account: AccountId,
        caller: UserId,
        user: UserId,
    ) -> Result<(), ServiceError> {
        if caller == user {
            return Err(ServiceError::Conflict(
                "You cannot remove yourself from the account".into(),
            ));
        }
        found(self.store.remove_member(account, user).await, "agent")?;
        self.events
            .publish(account, "agent.deleted", json!({"id": user}));
        Ok(())
    }
}
