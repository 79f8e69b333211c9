//! What a conversation's view needs besides its row (`Store::conversation_extras`, one
//! statement for a page): contacts, assignees, unread counts, identities, channels, teams, last
//! messages with whether they have files and their agent senders; other accounts'
//! conversations are not read.

use std::collections::HashMap;

use oxidesk_domain::attachments::FileType;
use oxidesk_domain::{Agent, ChannelType, ConversationId, MessageType, Sender, TeamId, UserId};
use oxidesk_store::{
    AssigneeFilter, ConversationFilter, ConversationQuery, FoundContacts, NewAttachment,
};

use super::messages::text;
use super::*;

/// An open conversation of `contact` through identity `ci`, with `team`.
async fn started(
    db: &Store,
    contact: &Contact,
    ci: &ContactInbox,
    team: Option<TeamId>,
    assignee: Option<UserId>,
    uuid: &str,
) -> Conversation {
    let new = NewConversation {
        account_id: contact.account_id,
        inbox_id: ci.inbox_id,
        contact_id: contact.id,
        contact_inbox_id: ci.id,
        uuid: uuid.into(),
        status: ConversationStatus::Open,
        assignee_id: assignee,
        team_id: team,
        priority: None,
        snoozed_until: None,
        custom_attributes: Attributes::new(),
        additional_attributes: Attributes::new(),
    };
    db.create_conversation(&new, at(0)).await.unwrap()
}

store_test!(
    extras_hold_unread_identity_channel_team_and_last_message,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let web = inbox(&db, acme.id, "web").await;
        let alice = contact(&db, acme.id, "Alice", None).await;
        let team = db
            .create_team(acme.id, "billing", "Bills", true, at(0))
            .await
            .unwrap();
        let sam = agent(&db, acme.id, "sam@x.com").await;
        let kim = agent(&db, acme.id, "kim@x.com").await;

        // Two incoming, then a reply, then an activity: the reply is the last message.
        let (ci, _) = conversation(&db, &web, &alice, 0).await;
        let busy = started(&db, &alice, &ci, Some(team.id), Some(kim.id), "uuid-busy").await;
        for (i, kind) in [MessageType::Incoming, MessageType::Incoming]
            .into_iter()
            .enumerate()
        {
            let mut m = text(&busy, kind, "help");
            m.sender = Some(Sender::Contact(alice.id));
            db.create_message(&m, at(10 + i64::try_from(i).unwrap()))
                .await
                .unwrap();
        }
        let mut reply = text(&busy, MessageType::Outgoing, "on it");
        reply.sender = Some(Sender::User(sam.id));
        let reply = db.create_message(&reply, at(20)).await.unwrap();
        db.create_message(&text(&busy, MessageType::Activity, "Resolved"), at(30))
            .await
            .unwrap();

        // No messages, a verified identity.
        let ci = db
            .create_contact_inbox(alice.id, web.id, "verified", true, at(0))
            .await
            .unwrap();
        let quiet = started(&db, &alice, &ci, None, None, "uuid-quiet").await;

        // A message with a file.
        let (_, with_file) = conversation(&db, &web, &alice, 0).await;
        let file = NewAttachment {
            file_type: FileType::Image,
            content_type: "image/png".into(),
            extension: Some("png".into()),
            file_name: "a.png".into(),
            byte_size: 10,
            width: Some(1),
            height: Some(1),
            storage_key: "k".into(),
            thumb_key: None,
        };
        let (photo, _) = db
            .post_message_with(
                &with_file,
                &text(&with_file, MessageType::Incoming, "see"),
                &[file],
                at(40),
            )
            .await
            .unwrap();

        // Another account's conversation is not read, even by its id.
        let other = account(&db, "Other").await;
        let other_inbox = inbox(&db, other.id, "other-web").await;
        let bob = contact(&db, other.id, "Bob", None).await;
        let (_, foreign) = conversation(&db, &other_inbox, &bob, 0).await;

        let extras = db
            .conversation_extras(acme.id, &[busy.id, quiet.id, with_file.id, foreign.id])
            .await
            .unwrap();
        assert_eq!(extras.len(), 3);
        assert!(!extras.contains_key(&foreign.id));

        let e = &extras[&busy.id];
        assert_eq!(e.unread, 2);
        assert!(!e.hmac_verified);
        assert_eq!(e.channel, Some(ChannelType::Api));
        assert_eq!(
            e.team.as_ref().map(|t| (t.id, t.name.as_str())),
            Some((team.id, "billing"))
        );
        assert_eq!(e.last_message.as_ref(), Some(&reply));
        assert!(!e.last_message_has_files);
        assert_eq!(
            e.contact.as_ref().map(|c| (c.id, c.name.as_str())),
            Some((alice.id, "Alice"))
        );
        let ids = |a: &Option<Agent>| a.as_ref().map(|a| (a.user.id, a.membership.account_id));
        assert_eq!(ids(&e.assignee), Some((kim.id, acme.id)));
        assert_eq!(ids(&e.last_message_agent), Some((sam.id, acme.id)));

        let e = &extras[&quiet.id];
        assert_eq!((e.unread, e.hmac_verified), (0, true));
        assert_eq!((&e.team, &e.last_message), (&None, &None));
        assert!(e.assignee.is_none() && e.last_message_agent.is_none());
        assert_eq!(e.contact.as_ref().map(|c| c.id), Some(alice.id));
        assert!(!e.last_message_has_files);

        let e = &extras[&with_file.id];
        assert_eq!(e.unread, 1);
        assert_eq!(e.last_message.as_ref().map(|m| m.id), Some(photo.id));
        assert!(e.last_message_has_files);
        assert!(e.last_message_agent.is_none(), "a contact wrote it");

        assert!(
            db.conversation_extras(acme.id, &[])
                .await
                .unwrap()
                .is_empty()
        );

        // A list request's page, extras and counts in one statement (`Store::list_page`) are
        // what the three reads give apart, for every kind of filter, an empty page (its counts
        // read apart) and a page that has a next one.
        let filters = [
            ConversationFilter::default(),
            ConversationFilter {
                status: Some(ConversationStatus::Open),
                assignee: AssigneeFilter::Me(kim.id),
                ..ConversationFilter::default()
            },
            ConversationFilter {
                assignee: AssigneeFilter::Unassigned,
                inbox_id: Some(web.id),
                ..ConversationFilter::default()
            },
            ConversationFilter {
                team_id: Some(team.id),
                ..ConversationFilter::default()
            },
            ConversationFilter {
                label: Some("nothing".into()),
                ..ConversationFilter::default()
            },
            ConversationFilter {
                search: Some("alice".into()),
                ..ConversationFilter::default()
            },
            ConversationFilter {
                status: Some(ConversationStatus::Resolved),
                ..ConversationFilter::default()
            },
        ];
        for filter in filters {
            for limit in [1, 25] {
                let query = ConversationQuery {
                    filter: filter.clone(),
                    after: None,
                    limit,
                };
                let found: Option<FoundContacts> = db
                    .find_contacts(acme.id, filter.search.as_deref())
                    .await
                    .unwrap();
                let listed = db
                    .list_page(acme.id, &query, found.as_ref(), kim.id)
                    .await
                    .unwrap();
                let page = db
                    .list_found_conversations(acme.id, &query, found.as_ref())
                    .await
                    .unwrap();
                assert_eq!(listed.page, page, "{filter:?} {limit}");
                let ids: Vec<_> = page.items.iter().map(|c| c.id).collect();
                let extras = db.conversation_extras(acme.id, &ids).await.unwrap();
                for id in &ids {
                    assert_eq!(
                        format!("{:?}", listed.extras.get(id)),
                        format!("{:?}", extras.get(id)),
                        "{filter:?} {limit}"
                    );
                }
                let counts = db
                    .count_conversations(acme.id, &filter, kim.id)
                    .await
                    .unwrap();
                assert_eq!(listed.counts, counts, "{filter:?} {limit}");
            }
        }
    }
);

store_test!(
    extras_read_the_channel_of_each_inbox_and_follow_a_change_of_kind,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let api = inbox(&db, acme.id, "api-channel").await;
        let widget: Channel = serde_json::from_str(
            r##"{"type":"web_widget","website_url":"https://acme.example","widget_color":"#1f93ff","hmac_token":"w"}"##,
        )
        .unwrap();
        let site = db
            .create_inbox(acme.id, "site", &widget, "ident-site", at(0))
            .await
            .unwrap();
        let alice = contact(&db, acme.id, "Alice", None).await;
        let (_, by_api) = conversation(&db, &api, &alice, 0).await;
        let (_, by_site) = conversation(&db, &site, &alice, 1).await;
        let channels = |extras: &HashMap<ConversationId, oxidesk_store::ConversationExtras>| {
            (extras[&by_api.id].channel, extras[&by_site.id].channel)
        };
        let ids = [by_api.id, by_site.id];
        let read = || db.conversation_extras(acme.id, &ids);
        assert_eq!(
            channels(&read().await.unwrap()),
            (Some(ChannelType::Api), Some(ChannelType::WebWidget))
        );

        // The kind is read from the inbox's `channel_type`: an update that changes the
        // settings' kind changes it too, for the list's one statement as for the extras.
        db.update_inbox(acme.id, site.id, "site", &api_channel("k"), true, at(2))
            .await
            .unwrap();
        assert_eq!(
            channels(&read().await.unwrap()),
            (Some(ChannelType::Api), Some(ChannelType::Api))
        );
        let query = ConversationQuery {
            filter: ConversationFilter::default(),
            after: None,
            limit: 25,
        };
        let listed = db
            .list_page(acme.id, &query, None, UserId(1))
            .await
            .unwrap();
        assert_eq!(
            channels(&listed.extras),
            (Some(ChannelType::Api), Some(ChannelType::Api))
        );
    }
);
