//! Tenant isolation: nothing of account B can be read, changed or deleted through account A.

use oxidesk_domain::{AttributeDisplayType, AttributeModel, CustomAttributeDefinition, DisplayId};
use oxidesk_store::{ContactSort, ConversationFilter, ConversationQuery};

use super::*;

store_test!(another_accounts_records_are_not_found, |db| async move {
    let a = account(&db, "A").await;
    let b = account(&db, "B").await;
    let a_inbox = inbox(&db, a.id, "a").await;
    let b_inbox = inbox(&db, b.id, "b").await;
    let a_contact = contact(&db, a.id, "Ann", Some("ann@a.com")).await;
    let b_contact = contact(&db, b.id, "Bea", Some("bea@b.com")).await;
    let (_, a_conv) = conversation(&db, &a_inbox, &a_contact, 0).await;
    conversation(&db, &b_inbox, &b_contact, 0).await;
    let (_, b_conv) = conversation(&db, &b_inbox, &b_contact, 1).await;
    assert_eq!(b_conv.display_id, DisplayId(2));
    let b_label = db
        .create_label(b.id, "vip", "", "#ff0000", true, at(0))
        .await
        .unwrap();
    let b_team = db
        .create_team(b.id, "billing", "", true, at(0))
        .await
        .unwrap();
    let b_agent = agent(&db, b.id, "bob@b.com").await;
    let b_attr = db
        .create_attribute_definition(
            &CustomAttributeDefinition {
                id: 0.into(),
                account_id: b.id,
                attribute_key: "plan".into(),
                attribute_display_name: "Plan".into(),
                attribute_display_type: AttributeDisplayType::Text,
                attribute_description: String::new(),
                attribute_model: AttributeModel::Contact,
                attribute_values: vec![],
                regex_pattern: None,
                regex_cue: None,
                default_value: None,
                created_at: at(0),
                updated_at: at(0),
            },
            at(0),
        )
        .await
        .unwrap();

    // Reads.
    assert_not_found(db.inbox(a.id, b_inbox.id).await);
    assert_not_found(db.contact(a.id, b_contact.id).await);
    assert_not_found(db.label(a.id, b_label.id).await);
    assert_not_found(db.team(a.id, b_team.id).await);
    assert_not_found(db.conversation_by_display_id(a.id, b_conv.display_id).await);
    assert_not_found(db.agent(a.id, b_agent.id).await);
    assert_eq!(db.contact_by_email(a.id, "bea@b.com").await.unwrap(), None);
    assert!(db.inbox_members(a.id, b_inbox.id).await.unwrap().is_empty());

    // Writes and deletes.
    let channel = api_channel("k");
    assert_not_found(
        db.update_inbox(a.id, b_inbox.id, "x", &channel, true, at(1))
            .await,
    );
    assert_not_found(db.delete_inbox(a.id, b_inbox.id).await);
    let changes = NewContact {
        name: "Hijacked".into(),
        ..NewContact::default()
    };
    assert_not_found(db.update_contact(a.id, b_contact.id, &changes, at(1)).await);
    assert_not_found(
        db.set_contact_blocked(a.id, b_contact.id, true, at(1))
            .await,
    );
    assert_not_found(db.delete_contact(a.id, b_contact.id).await);
    assert_not_found(db.delete_label(a.id, b_label.id).await);
    assert_not_found(db.delete_attribute_definition(a.id, b_attr.id).await);
    assert_not_found(db.set_role(a.id, b_agent.id, Role::Administrator).await);
    assert_not_found(db.remove_member(a.id, b_agent.id).await);
    assert_not_found(
        db.add_team_members(a.id, b_team.id, &[b_agent.id], at(1))
            .await,
    );
    let mut moved = b_conv.clone();
    moved.account_id = a.id;
    moved.status = ConversationStatus::Resolved;
    assert_not_found(db.save_conversation(&moved).await);

    // B's records are intact.
    assert_eq!(db.inbox(b.id, b_inbox.id).await.unwrap(), b_inbox);
    assert_eq!(db.contact(b.id, b_contact.id).await.unwrap(), b_contact);
    assert_eq!(db.label(b.id, b_label.id).await.unwrap(), b_label);
    let b_now = db
        .conversation_by_display_id(b.id, b_conv.display_id)
        .await
        .unwrap();
    assert_eq!(b_now.status, ConversationStatus::Open);
    assert!(db.membership(b.id, b_agent.id).await.unwrap().is_some());
    let b_attrs = db
        .list_attribute_definitions(b.id, None, None, 10)
        .await
        .unwrap();
    assert_eq!(b_attrs, vec![b_attr]);

    // Lists of A show only A's.
    let inboxes = db.list_inboxes(a.id, None, 10).await.unwrap();
    assert_eq!(inboxes, vec![a_inbox]);
    let contacts = db
        .list_contacts(a.id, None, ContactSort::Newest, None, 10)
        .await
        .unwrap();
    assert_eq!(contacts.items, vec![a_contact]);
    assert!(db.list_labels(a.id, None, 10).await.unwrap().is_empty());
    assert!(db.list_teams(a.id, None, 10).await.unwrap().is_empty());
    assert!(db.list_agents(a.id, None, 10).await.unwrap().is_empty());
    assert!(
        db.list_attribute_definitions(a.id, None, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let query = ConversationQuery {
        filter: ConversationFilter::default(),
        after: None,
        limit: 10,
    };
    let conversations = db.list_conversations(a.id, &query).await.unwrap();
    assert_eq!(conversations.items, vec![a_conv]);
    let counts = db
        .count_conversations(a.id, &ConversationFilter::default(), b_agent.id)
        .await
        .unwrap();
    assert_eq!(counts.all, 1);
    assert_eq!(db.count_contacts(a.id).await.unwrap(), 1);
});
