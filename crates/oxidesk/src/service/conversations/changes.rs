//! Changes to an open conversation: assignment, priority, custom attributes, mute, read marks,
//! typing, and deleting a message.

use oxidesk_domain::{
    AccountId, Attributes, Conversation, DisplayId, Message, Priority, Sender, TeamId, Timestamp,
    UserId, ValidationError,
};
use serde_json::json;

use super::super::{ServiceError, Services, found};
use crate::events::changed_attributes;

impl Services {
    /// Assigns a conversation to an agent (`None` unassigns), as `actor`.
    pub async fn assign_agent(
        &self,
        account: AccountId,
        id: DisplayId,
        assignee: Option<UserId>,
        actor: Option<UserId>,
    ) -> Result<Conversation, ServiceError> {
        let mut conversation = self.conversation(account, id).await?;
        if let Some(user) = assignee {
            self.require_member(account, user, "assignee_id").await?;
        }
        if conversation.assignee_id == assignee {
            return Ok(conversation);
        }
        let changed = changed_attributes(&[(
            "assignee_id",
            json!(conversation.assignee_id),
            json!(assignee),
        )]);
        let now = Timestamp::now();
        conversation.assignee_id = assignee;
        conversation.assignee_last_seen_at = None;
        conversation.updated_at = now;
        // Only these columns: a whole-row save from the read above would undo what others
        // changed meanwhile (a message reopening it, a resolve); likewise below.
        self.store
            .set_conversation_assignee(conversation.id, assignee, now)
            .await?;
        let text = match assignee {
            Some(user) => format!(
                "Assigned to {}",
                self.store.user(user).await?.available_name()
            ),
            None => "Conversation unassigned".to_owned(),
        };
        self.activity(&mut conversation, &text, actor).await?;
        self.events.publish(
            account,
            "assignee.changed",
            json!({"id": conversation.display_id, "changed_attributes": changed}),
        );
        Ok(conversation)
    }

    /// Gives a conversation to a team (`None` removes it), as `actor`.
    pub async fn assign_team(
        &self,
        account: AccountId,
        id: DisplayId,
        team: Option<TeamId>,
        actor: Option<UserId>,
    ) -> Result<Conversation, ServiceError> {
        let mut conversation = self.conversation(account, id).await?;
        let name = match team {
            Some(team) => Some(
                found(self.store.team(account, team).await, "team")
                    .map_err(|_| {
                        ServiceError::from(ValidationError::new(
                            "team_id",
                            "is not a team of this account",
                        ))
                    })?
                    .name,
            ),
            None => None,
        };
        if conversation.team_id == team {
            return Ok(conversation);
        }
        let changed = changed_attributes(&[("team_id", json!(conversation.team_id), json!(team))]);
        conversation.team_id = team;
        conversation.updated_at = Timestamp::now();
        self.store
            .set_conversation_team(conversation.id, team, conversation.updated_at)
            .await?;
        let text = match name {
            Some(name) => format!("Assigned to team {name}"),
            None => "Removed from the team".to_owned(),
        };
        self.activity(&mut conversation, &text, actor).await?;
        self.events.publish(
            account,
            "team.changed",
            json!({"id": conversation.display_id, "changed_attributes": changed}),
        );
        Ok(conversation)
    }

    /// Sets a conversation's priority (`None`: no priority).
    pub async fn set_priority(
        &self,
        account: AccountId,
        id: DisplayId,
        priority: Option<Priority>,
    ) -> Result<Conversation, ServiceError> {
        let mut conversation = self.conversation(account, id).await?;
        let changed =
            changed_attributes(&[("priority", json!(conversation.priority), json!(priority))]);
        conversation.priority = priority;
        conversation.updated_at = Timestamp::now();
        self.store
            .set_conversation_priority(conversation.id, priority, conversation.updated_at)
            .await?;
        self.events.publish(
            account,
            "conversation.updated",
            json!({"id": conversation.display_id, "changed_attributes": changed}),
        );
        Ok(conversation)
    }

    /// Merges `values` into a conversation's custom attributes (a `null` value removes the key).
    pub async fn set_conversation_attributes(
        &self,
        account: AccountId,
        id: DisplayId,
        values: &Attributes,
    ) -> Result<Conversation, ServiceError> {
        let mut conversation = self.conversation(account, id).await?;
        conversation.updated_at = Timestamp::now();
        // Merged into the stored attributes as they are when written, so two merges racing
        // keep both (and nothing else of the conversation is written).
        let (previous, merged) = self
            .store
            .update_conversation_attributes(conversation.id, conversation.updated_at, |stored| {
                for (key, value) in values {
                    if value.is_null() {
                        stored.remove(key);
                    } else {
                        stored.insert(key.clone(), value.clone());
                    }
                }
            })
            .await?;
        conversation.custom_attributes = merged;
        self.events.publish(
            account,
            "conversation.updated",
            json!({"id": conversation.display_id, "changed_attributes": changed_attributes(&[("custom_attributes", json!(previous), json!(conversation.custom_attributes))])}),
        );
        Ok(conversation)
    }

    /// Mutes or unmutes a conversation.
    pub async fn set_muted(
        &self,
        account: AccountId,
        id: DisplayId,
        muted: bool,
    ) -> Result<Conversation, ServiceError> {
        let mut conversation = self.conversation(account, id).await?;
        conversation.muted = muted;
        conversation.updated_at = Timestamp::now();
        self.store
            .set_conversation_muted(conversation.id, muted, conversation.updated_at)
            .await?;
        self.events.publish(
            account,
            "conversation.updated",
            json!({"id": conversation.display_id}),
        );
        Ok(conversation)
    }

    /// Records that `user` looked at the conversation now (marks it read).
    pub async fn mark_seen_by_agent(
        &self,
        account: AccountId,
        id: DisplayId,
        user: UserId,
    ) -> Result<Conversation, ServiceError> {
        let mut conversation = self.conversation(account, id).await?;
        let now = Timestamp::now();
        conversation.agent_last_seen_at = Some(now);
        let assignee = (conversation.assignee_id == Some(user)).then_some(now);
        if assignee.is_some() {
            conversation.assignee_last_seen_at = assignee;
        }
        // Only the seen columns: a whole-row save from this read would undo a status change
        // made meanwhile (a resolve reverted by someone opening the conversation).
        self.store
            .set_last_seen(conversation.id, Some(now), assignee, None)
            .await?;
        self.events.publish(
            account,
            "conversation.read",
            json!({"id": conversation.display_id}),
        );
        Ok(conversation)
    }

    /// Records that the contact looked at the conversation now.
    pub async fn mark_seen_by_contact(
        &self,
        account: AccountId,
        id: DisplayId,
    ) -> Result<Conversation, ServiceError> {
        let mut conversation = self.conversation(account, id).await?;
        let now = Timestamp::now();
        conversation.contact_last_seen_at = Some(now);
        // Only the seen column (see `mark_seen_by_agent`).
        self.store
            .set_last_seen(conversation.id, None, None, Some(now))
            .await?;
        self.events.publish(
            account,
            "conversation.contact_seen",
            json!({"id": conversation.display_id}),
        );
        Ok(conversation)
    }

    /// Publishes that someone started or stopped typing (nothing is stored).
    pub async fn typing(
        &self,
        account: AccountId,
        id: DisplayId,
        on: bool,
        who: Sender,
        private: bool,
    ) -> Result<(), ServiceError> {
        let conversation = self.conversation(account, id).await?;
        let (kind, sender_id) = match who {
            Sender::Contact(c) => ("contact", c.get()),
            Sender::User(u) => ("user", u.get()),
            Sender::AgentBot(b) => ("agent_bot", b.get()),
        };
        let name = if on {
            "conversation.typing_on"
        } else {
            "conversation.typing_off"
        };
        self.events.publish(
            account,
            name,
            json!({"id": conversation.display_id, "is_private": private, "user": {"type": kind, "id": sender_id}}),
        );
        Ok(())
    }

    /// Deletes a message the way Chatwoot does: its content is replaced and it is marked
    /// `deleted`, so the thread keeps its shape.
    pub async fn delete_message(
        &self,
        account: AccountId,
        id: DisplayId,
        message: oxidesk_domain::MessageId,
    ) -> Result<Message, ServiceError> {
        let conversation = self.conversation(account, id).await?;
        let deleted = found(
            self.store
                .mark_message_deleted(conversation.id, message, Timestamp::now())
                .await,
            "message",
        )?;
        // As in Chatwoot, a deleted message's files go too.
        let keys = self.store.delete_attachments_of(account, message).await?;
        self.files.delete_quietly(&keys).await;
        self.events.publish(
            account,
            "message.updated",
            json!({"id": deleted.id, "conversation_id": conversation.display_id}),
        );
        Ok(deleted)
    }

    /// Deletes a conversation with its messages (administrators; Chatwoot's `DELETE`).
    pub async fn delete_conversation(
        &self,
        account: AccountId,
        id: DisplayId,
    ) -> Result<(), ServiceError> {
        let conversation = self.conversation(account, id).await?;
        let keys = self
            .store
            .attachment_keys_in(account, conversation.id)
            .await?;
        found(
            self.store.delete_conversation(account, id).await,
            "conversation",
        )?;
        self.files.delete_quietly(&keys).await;
        self.events
            .publish(account, "conversation.deleted", json!({"id": id}));
        Ok(())
    }
}
