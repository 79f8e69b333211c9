//! Newtype ids, one per entity, so that a contact id can never be passed where a user id belongs.

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw integer, as stored and as served.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(raw: i64) -> Self {
                Self(raw)
            }
        }
    )*};
}

id_type! {
    /// An account (a tenant: one support team's workspace).
    AccountId,
    /// A user (a person who signs in: agent or administrator).
    UserId,
    /// An inbox (one channel customers write through).
    InboxId,
    /// A team of agents.
    TeamId,
    /// A contact (a customer).
    ContactId,
    /// A contact's identity in one inbox.
    ContactInboxId,
    /// A conversation's database id. Never shown to users: they see the [`DisplayId`].
    ConversationId,
    /// A conversation's per-account number, what every URL and API response calls `id`.
    DisplayId,
    /// A message.
    MessageId,
    /// An account label.
    LabelId,
    /// A custom attribute definition.
    CustomAttributeDefinitionId,
    /// An API access token.
    AccessTokenId,
    /// A canned response (a saved reply).
    CannedResponseId,
    /// An agent bot.
    AgentBotId,
}
