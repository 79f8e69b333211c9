//! The enums of the helpdesk, with Chatwoot's values (reference §5).
//!
//! Most are served and stored as their lower-case names; `message_type` and message `status` keep
//! Chatwoot's integers on the wire, because apps compare them to numbers.

use std::str::FromStr;

/// A string that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not one of: {expected}")]
pub struct UnknownValue {
    /// What was given.
    pub value: String,
    /// The accepted values, comma-separated.
    pub expected: String,
}

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used on the wire and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::enums::UnknownValue;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::enums::UnknownValue {
                        value: value.to_owned(),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// A member's role in an account.
    Role {
        /// Answers conversations.
        Agent = "agent",
        /// Also manages the account: inboxes, agents, teams, labels, apps.
        Administrator = "administrator",
    }
}

string_enum! {
    /// An agent's availability in an account.
    Availability {
        /// Taking conversations.
        Online = "online",
        /// Signed in but not taking new conversations.
        Busy = "busy",
        /// Away.
        Offline = "offline",
    }
}

string_enum! {
    /// A conversation's status.
    ConversationStatus {
        /// Waiting for the team.
        Open = "open",
        /// Done.
        Resolved = "resolved",
        /// Waiting (e.g. on a bot or on the customer) and hidden from the open list.
        Pending = "pending",
        /// Put aside until `snoozed_until`, or until the customer writes again.
        Snoozed = "snoozed",
    }
}

string_enum! {
    /// A conversation's priority. No priority is `None` (Chatwoot accepts `"none"` for it).
    Priority {
        /// Low.
        Low = "low",
        /// Medium.
        Medium = "medium",
        /// High.
        High = "high",
        /// Urgent.
        Urgent = "urgent",
    }
}

string_enum! {
    /// How a message's content is to be read.
    ContentType {
        /// Plain text (Markdown for agents).
        Text = "text",
        /// A bot's text input.
        InputText = "input_text",
        /// A bot's multi-line input.
        InputTextarea = "input_textarea",
        /// A bot's email input.
        InputEmail = "input_email",
        /// A bot's choice.
        InputSelect = "input_select",
        /// Cards.
        Cards = "cards",
        /// A form.
        Form = "form",
        /// A help-centre article.
        Article = "article",
        /// An email received.
        IncomingEmail = "incoming_email",
        /// A satisfaction survey.
        InputCsat = "input_csat",
        /// A message from an integration.
        Integrations = "integrations",
        /// A sticker.
        Sticker = "sticker",
        /// A voice call.
        VoiceCall = "voice_call",
    }
}

string_enum! {
    /// Who wrote a message.
    SenderType {
        /// A customer.
        Contact = "Contact",
        /// An agent.
        User = "User",
        /// An agent bot.
        AgentBot = "AgentBot",
    }
}

string_enum! {
    /// The kind of channel behind an inbox. The API channel and the website widget; email
    /// will only add a variant and its settings.
    ChannelType {
        /// Messages arrive and leave through the API (and a callback webhook).
        Api = "api",
        /// The website live-chat widget.
        WebWidget = "web_widget",
    }
}

impl ChannelType {
    /// Chatwoot's class name for the channel, served as `meta.channel` and `channel_type`.
    pub fn chatwoot_name(self) -> &'static str {
        match self {
            ChannelType::Api => "Channel::Api",
            ChannelType::WebWidget => "Channel::WebWidget",
        }
    }
}

string_enum! {
    /// What a custom attribute is attached to.
    AttributeModel {
        /// Conversations.
        Conversation = "conversation_attribute",
        /// Contacts.
        Contact = "contact_attribute",
    }
}

string_enum! {
    /// How a custom attribute is entered and shown.
    AttributeDisplayType {
        /// Free text.
        Text = "text",
        /// A number.
        Number = "number",
        /// An amount of money.
        Currency = "currency",
        /// A percentage.
        Percent = "percent",
        /// A link.
        Link = "link",
        /// A date.
        Date = "date",
        /// One of a list of values.
        List = "list",
        /// Yes or no.
        Checkbox = "checkbox",
    }
}

string_enum! {
    /// Whose conversations a list shows (`assignee_type` of the conversation list).
    AssigneeKind {
        /// The caller's.
        Me = "me",
        /// Nobody's.
        Unassigned = "unassigned",
        /// Somebody's.
        Assigned = "assigned",
        /// Everyone's.
        All = "all",
    }
}

/// A message's type: Chatwoot serves it as an integer (incoming=0 outgoing=1 activity=2 template=3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageType {
    /// From the customer.
    Incoming,
    /// From an agent (a reply, or a private note when `private`).
    Outgoing,
    /// Written by the system ("Conversation was resolved by Sam").
    Activity,
    /// A channel template.
    Template,
}

impl MessageType {
    /// Every value.
    pub const ALL: &'static [MessageType] = &[
        MessageType::Incoming,
        MessageType::Outgoing,
        MessageType::Activity,
        MessageType::Template,
    ];

    /// Chatwoot's integer.
    pub fn code(self) -> i64 {
        match self {
            MessageType::Incoming => 0,
            MessageType::Outgoing => 1,
            MessageType::Activity => 2,
            MessageType::Template => 3,
        }
    }

    /// The type with Chatwoot's integer `code`.
    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.code() == code)
    }

    /// The name the API accepts on input (`"incoming"`, `"outgoing"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            MessageType::Incoming => "incoming",
            MessageType::Outgoing => "outgoing",
            MessageType::Activity => "activity",
            MessageType::Template => "template",
        }
    }
}

impl FromStr for MessageType {
    type Err = UnknownValue;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == value)
            .ok_or_else(|| UnknownValue {
                value: value.to_owned(),
                expected: "incoming, outgoing, activity, template".to_owned(),
            })
    }
}

impl serde::Serialize for MessageType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.code())
    }
}

/// Whether a message reached its destination. Served as its name, stored as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageStatus {
    /// Handed to the channel.
    Sent,
    /// The channel confirmed delivery.
    Delivered,
    /// The recipient read it.
    Read,
    /// The channel refused it.
    Failed,
}

impl MessageStatus {
    /// The name, as Chatwoot serves it.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
            MessageStatus::Failed => "failed",
        }
    }
}

impl FromStr for MessageStatus {
    type Err = UnknownValue;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "sent" => Ok(Self::Sent),
            "delivered" => Ok(Self::Delivered),
            "read" => Ok(Self::Read),
            "failed" => Ok(Self::Failed),
            _ => Err(UnknownValue {
                value: value.to_owned(),
                expected: "sent, delivered, read, failed".to_owned(),
            }),
        }
    }
}

impl serde::Serialize for MessageStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Parses a priority as the API gives it: a name, or `"none"`/empty for no priority.
pub fn parse_priority(value: &str) -> Result<Option<Priority>, UnknownValue> {
    match value {
        "" | "none" => Ok(None),
        other => other.parse().map(Some).map_err(|mut e: UnknownValue| {
            e.expected.push_str(", none");
            e
        }),
    }
}

#[cfg(test)]
mod tests;
