-- A conversation's unread incoming messages (type 0, newer than the agents' last look) are one
-- range of this index, counted from the index alone: the conversation list's unread counts cost
-- what the unread messages do, not what the whole thread does.
CREATE INDEX messages_unread ON messages (conversation_id, message_type, created_at);
