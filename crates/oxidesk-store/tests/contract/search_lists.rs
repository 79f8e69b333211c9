//! A searched list request in one statement (`Store::list_page`): its page, extras and counts
//! are what the list and the counts give apart, and the counts are the real ones (capped at
//! `COUNT_LIMIT`), whether the search's conversations fit one page, fill several, or pass the
//! bound of the one read that the page and the counts share (4,000 conversations: then they
//! are read again, the counts along each tab).

use oxidesk_domain::UserId;
use oxidesk_store::{
    AssigneeFilter, BulkConversation, COUNT_LIMIT, ConversationFilter, ConversationQuery,
};

use super::*;

/// `n` conversations of `contact` through its identity `ci` in `inbox`: statuses and
/// assignees (nobody, `me`, `other`) in turn, three at each last activity (keyset ties).
fn conversations_of(
    contact: &Contact,
    ci: &ContactInbox,
    inbox: &Inbox,
    n: i64,
    me: UserId,
    other: UserId,
) -> Vec<BulkConversation> {
    let statuses = [
        ConversationStatus::Open,
        ConversationStatus::Resolved,
        ConversationStatus::Pending,
    ];
    (0..n)
        .map(|i| {
            let turn = usize::try_from(i).unwrap();
            BulkConversation {
                uuid: format!("uuid-{}-{i}", contact.id.get()),
                inbox_id: inbox.id,
                contact_id: contact.id,
                contact_inbox_id: ci.id,
                assignee_id: [None, Some(me), Some(other), Some(me)][turn % 4],
                team_id: None,
                status: statuses[turn % 3],
                snoozed_until: None,
                priority: None,
                custom_attributes: "{}".into(),
                additional_attributes: "{}".into(),
                agent_last_seen_at: None,
                assignee_last_seen_at: None,
                contact_last_seen_at: None,
                last_activity_at: at(i / 3),
                waiting_since: None,
                first_reply_created_at: None,
                created_at: at(0),
                updated_at: at(i / 3),
                labels: Vec::new(),
                messages: Vec::new(),
            }
        })
        .collect()
}

store_test!(
    searched_list_pages_and_counts_match_the_lists_at_every_size,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let me = agent(&db, acme.id, "me@x.com").await.id;
        let other = agent(&db, acme.id, "other@x.com").await.id;
        let web = inbox(&db, acme.id, "web").await;
        // Pat's conversations pass the one-read bound, Sam's fill three pages, Kim's one.
        for (name, n) in [("Pat Lee", 4_010), ("Sam Roe", 70), ("Kim Day", 3)] {
            let person = contact(&db, acme.id, name, None).await;
            let ci = db
                .create_contact_inbox(person.id, web.id, &format!("src-{name}"), false, at(0))
                .await
                .unwrap();
            let batch = conversations_of(&person, &ci, &web, n, me, other);
            for chunk in batch.chunks(1_000) {
                db.bulk_insert_conversations(acme.id, chunk).await.unwrap();
            }
        }
        for q in ["pat", "sam roe", "KIM", "nobody", "#3", "#4082"] {
            let found = db.find_contacts(acme.id, Some(q)).await.unwrap();
            for status in [None, Some(ConversationStatus::Open)] {
                let every = ConversationFilter {
                    status,
                    search: Some(q.into()),
                    ..ConversationFilter::default()
                };
                // The real counts: the whole list's conversations, each tab counted by hand.
                let whole = db
                    .list_found_conversations(
                        acme.id,
                        &ConversationQuery {
                            filter: every.clone(),
                            after: None,
                            limit: 10_000,
                        },
                        found.as_ref(),
                    )
                    .await
                    .unwrap()
                    .items;
                let count = |keep: &dyn Fn(Option<UserId>) -> bool| {
                    let n = whole.iter().filter(|c| keep(c.assignee_id)).count();
                    i64::try_from(n).unwrap().min(COUNT_LIMIT)
                };
                let real = [
                    count(&|_| true),
                    count(&|a| a == Some(me)),
                    count(&|a| a.is_none()),
                    count(&|a| a.is_some()),
                ];
                for assignee in [
                    AssigneeFilter::All,
                    AssigneeFilter::Me(me),
                    AssigneeFilter::Unassigned,
                    AssigneeFilter::Assigned,
                ] {
                    let filter = ConversationFilter {
                        assignee,
                        ..every.clone()
                    };
                    let why = format!("{q:?} {status:?} {assignee:?}");
                    let mut after = None;
                    for page_number in 0..4 {
                        let query = ConversationQuery {
                            filter: filter.clone(),
                            after,
                            limit: 25,
                        };
                        let listed = db
                            .list_page(acme.id, &query, found.as_ref(), me)
                            .await
                            .unwrap();
                        let page = db
                            .list_found_conversations(acme.id, &query, found.as_ref())
                            .await
                            .unwrap();
                        assert_eq!(listed.page, page, "{why} page {page_number}");
                        let counts = listed.counts;
                        assert_eq!(
                            [counts.all, counts.mine, counts.unassigned, counts.assigned],
                            real,
                            "{why} page {page_number}"
                        );
                        assert_eq!(counts.limit, Some(COUNT_LIMIT), "{why}");
                        let ids: Vec<_> = page.items.iter().map(|c| c.id).collect();
                        let extras = db.conversation_extras(acme.id, &ids).await.unwrap();
                        assert_eq!(
                            format!(
                                "{:?}",
                                ids.iter().map(|id| &listed.extras[id]).collect::<Vec<_>>()
                            ),
                            format!("{:?}", ids.iter().map(|id| &extras[id]).collect::<Vec<_>>()),
                            "{why} page {page_number}"
                        );
                        match page.next {
                            Some(next) => after = Some(next),
                            None => break,
                        }
                    }
                }
            }
        }
        // Past the end: an empty page, with the counts still.
        let query = ConversationQuery {
            filter: ConversationFilter {
                search: Some("kim".into()),
                ..ConversationFilter::default()
            },
            after: Some(oxidesk_store::Cursor { key: 0, id: 0 }),
            limit: 25,
        };
        let listed = db.list_page(acme.id, &query, None, me).await.unwrap();
        assert!(listed.page.items.is_empty() && listed.page.next.is_none());
        assert_eq!(listed.counts.all, 3);
    }
);
