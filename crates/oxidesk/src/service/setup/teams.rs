//! Teams and their members.

use oxidesk_domain::{AccountId, Agent, Team, TeamId, Timestamp, UserId, validate};
use serde_json::json;

use super::{MAX_LIST, distinct, members_only};
use crate::service::{ServiceError, Services, found, unique};

/// A team's fields as a request gives them: `None` keeps the current value (or takes the
/// default when creating).
#[derive(Debug, Clone, Default)]
pub struct TeamFields {
    /// The name, lower-cased as in Chatwoot (required when creating).
    pub name: Option<String>,
    /// What the team does (default empty).
    pub description: Option<String>,
    /// Whether conversations given to the team go to its members automatically (default true).
    pub allow_auto_assign: Option<bool>,
}

impl Services {
    /// The account's teams, oldest first.
    pub async fn teams(&self, account: AccountId) -> Result<Vec<Team>, ServiceError> {
        Ok(self.store.list_teams(account, None, MAX_LIST).await?)
    }

    /// One team of the account.
    pub async fn team(&self, account: AccountId, id: TeamId) -> Result<Team, ServiceError> {
        found(self.store.team(account, id).await, "team")
    }

    /// The teams of the account that `user` belongs to.
    pub async fn teams_of(
        &self,
        account: AccountId,
        user: UserId,
    ) -> Result<Vec<TeamId>, ServiceError> {
        Ok(self.store.teams_of_member(account, user).await?)
    }

    /// Creates a team (its name lower-cased, as in Chatwoot) with members.
    pub async fn create_team(
        &self,
        account: AccountId,
        name: &str,
        description: &str,
        members: &[UserId],
    ) -> Result<Team, ServiceError> {
        let fields = TeamFields {
            name: Some(name.to_owned()),
            description: Some(description.to_owned()),
            allow_auto_assign: None,
        };
        let team = self.create_team_with(account, &fields).await?;
        if !members.is_empty() {
            self.add_team_members(account, team.id, members).await?;
        }
        Ok(team)
    }

    /// Creates a team from a request's fields.
    pub async fn create_team_with(
        &self,
        account: AccountId,
        fields: &TeamFields,
    ) -> Result<Team, ServiceError> {
        let name = validate::required_text("name", fields.name.as_deref().unwrap_or(""))?;
        let team = unique(
            self.store
                .create_team(
                    account,
                    &name.to_lowercase(),
                    fields.description.as_deref().unwrap_or("").trim(),
                    fields.allow_auto_assign.unwrap_or(true),
                    Timestamp::now(),
                )
                .await,
            "name",
            "name",
            "is already used by another team",
        )?;
        self.events
            .publish(account, "team.created", json!({"id": team.id}));
        Ok(team)
    }

    /// Changes a team.
    pub async fn update_team(
        &self,
        account: AccountId,
        id: TeamId,
        fields: &TeamFields,
    ) -> Result<Team, ServiceError> {
        let team = self.team(account, id).await?;
        let name = validate::required_text("name", fields.name.as_deref().unwrap_or(&team.name))?;
        let description = fields.description.as_deref().unwrap_or(&team.description);
        let result = self
            .store
            .update_team(
                account,
                id,
                &name.to_lowercase(),
                description.trim(),
                fields.allow_auto_assign.unwrap_or(team.allow_auto_assign),
            )
            .await;
        let team = unique(result, "name", "name", "is already used by another team")?;
        self.events
            .publish(account, "team.updated", json!({"id": team.id}));
        Ok(team)
    }

    /// Deletes a team; its conversations lose the team and keep their assignee.
    pub async fn delete_team(&self, account: AccountId, id: TeamId) -> Result<(), ServiceError> {
        found(self.store.delete_team(account, id).await, "team")?;
        self.events
            .publish(account, "team.deleted", json!({"id": id}));
        Ok(())
    }

    /// The members of a team, by user id.
    pub async fn team_members(
        &self,
        account: AccountId,
        team: TeamId,
    ) -> Result<Vec<Agent>, ServiceError> {
        self.team(account, team).await?;
        Ok(self.store.team_members(account, team).await?)
    }

    /// Adds `users` to a team; answers the members who were not in it before (as Chatwoot).
    pub async fn add_team_members(
        &self,
        account: AccountId,
        team: TeamId,
        users: &[UserId],
    ) -> Result<Vec<Agent>, ServiceError> {
        let before = self.team_members(account, team).await?;
        self.store
            .add_team_members(account, team, &distinct(users), Timestamp::now())
            .await
            .map_err(members_only)?;
        self.events
            .publish(account, "team.members_updated", json!({"id": team}));
        let mut after = self.store.team_members(account, team).await?;
        after.retain(|a| !before.iter().any(|b| b.user.id == a.user.id));
        Ok(after)
    }

    /// Makes `users` the members of a team (the others leave it); answers the members.
    pub async fn set_team_members(
        &self,
        account: AccountId,
        team: TeamId,
        users: &[UserId],
    ) -> Result<Vec<Agent>, ServiceError> {
        self.team(account, team).await?;
        self.store
            .set_team_members(account, team, &distinct(users), Timestamp::now())
            .await
            .map_err(members_only)?;
        self.events
            .publish(account, "team.members_updated", json!({"id": team}));
        self.team_members(account, team).await
    }

    /// Takes `users` out of a team.
    pub async fn remove_team_members(
        &self,
        account: AccountId,
        team: TeamId,
        users: &[UserId],
    ) -> Result<(), ServiceError> {
        self.team(account, team).await?;
        found(
            self.store
                .remove_team_members(account, team, &distinct(users))
                .await,
            "team",
        )?;
        self.events
            .publish(account, "team.members_updated", json!({"id": team}));
        Ok(())
    }
}
