-- Contact lists sorted by name, email or phone number (`sort=name`, `-email`, ...): each order
-- is a keyset on (key, id) walked in one of these indexes, whose expressions are the keys of
-- `oxidesk-store/src/contacts/sorting.rs`.
CREATE INDEX contacts_account_name_sort ON contacts (account_id, LOWER(name), id);
CREATE INDEX contacts_account_email_sort ON contacts (account_id, COALESCE(email, ''), id);
CREATE INDEX contacts_account_phone_sort ON contacts (account_id, COALESCE(phone_number, ''), id);
