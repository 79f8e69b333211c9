"""Drives `chatwoot-sdk` (PyPI, a Chatwoot client written by others, unchanged) against a running
Oxidesk: every resource it offers, as its README shows them. Exits non-zero on the first
mismatch; prints what it did."""

import os
import sys
import uuid

from chatwoot import ChatwootClient

base, token, account = os.environ["OXIDESK_URL"], os.environ["OXIDESK_TOKEN"], 1
done = []


def check(what, condition, detail=""):
    if not condition:
        sys.exit(f"FAILED: {what} {detail}")
    done.append(what)


with ChatwootClient(base_url=base, api_token=token) as client:
    profile = client.profile.get()
    check("profile.get", profile.email == "admin@acme.example", profile)

    inboxes = client.inboxes.list(account_id=account)
    check("inboxes.list", len(inboxes) >= 1, inboxes)
    inbox = client.inboxes.get(account_id=account, inbox_id=inboxes[0].id)
    check("inboxes.get", inbox.id == inboxes[0].id)

    agents = client.agents.list(account_id=account)
    check("agents.list", any(a.email == "admin@acme.example" for a in agents), agents)
    admin = next(a for a in agents if a.email == "admin@acme.example")

    teams = client.teams.list(account_id=account)
    check("teams.list", isinstance(teams, list))

    email = f"sdk-{uuid.uuid4().hex[:8]}@example.com"
    created = client.contacts.create(account_id=account, inbox_id=inbox.id, name="SDK Customer", email=email)
    check("contacts.create", created.contact.email == email, created)
    created = created.contact
    contact = client.contacts.get(account_id=account, contact_id=created.id)
    check("contacts.get", contact.name == "SDK Customer", contact)
    updated = client.contacts.update(account_id=account, contact_id=created.id, name="SDK Customer Renamed")
    check("contacts.update", updated.name == "SDK Customer Renamed", updated)
    found = client.contacts.search(account_id=account, query=email)
    check("contacts.search", any(c.id == created.id for c in found), found)
    listed = client.contacts.list(account_id=account)
    check("contacts.list", len(listed) >= 1)

    conversations = client.conversations.list(account_id=account, status="all")
    check("conversations.list", len(conversations) >= 1)
    source = f"sdk-{uuid.uuid4().hex}"
    conversation = client.conversations.create(account_id=account, source_id=source, inbox_id=inbox.id, contact_id=created.id)
    check("conversations.create", conversation.inbox_id == inbox.id, conversation)
    cid = conversation.id
    got = client.conversations.get(account_id=account, conversation_id=cid)
    check("conversations.get", got.id == cid, got)
    toggled = client.conversations.toggle_status(account_id=account, conversation_id=cid, status="pending")
    check("conversations.toggle_status", client.conversations.get(account_id=account, conversation_id=cid).status == "pending", toggled)
    labels = client.conversations.labels.add(account_id=account, conversation_id=cid, labels=["billing", "sdk"])
    check("conversations.labels.add", sorted(labels) == ["billing", "sdk"], labels)
    check("conversations.labels.list", sorted(client.conversations.labels.list(account_id=account, conversation_id=cid)) == ["billing", "sdk"])

    message = client.messages.create(account_id=account, conversation_id=cid, content="Hello from the Python SDK")
    check("messages.create", message.content == "Hello from the Python SDK", message)
    note = client.messages.create(account_id=account, conversation_id=cid, content="A private note", private=True)
    check("messages.create private", note.private is True, note)
    messages = client.messages.list(account_id=account, conversation_id=cid)
    check("messages.list", any(m.id == message.id for m in messages), messages)

print("chatwoot-sdk ran:", ", ".join(done))
