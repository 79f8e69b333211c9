//! Conversation lists: every filter, the order (latest activity, then id, first), keyset pages
//! across ties, and the per-tab counts.

use oxidesk_domain::{ContactId, InboxId, TeamId, UserId};
use oxidesk_store::{AssigneeFilter, ConversationFilter, ConversationQuery, Cursor};

use super::*;

/// Every conversation the filter lists, page by page `limit` at a time.
async fn list_all(
    db: &Store,
    account: AccountId,
    filter: &ConversationFilter,
    limit: i64,
) -> Vec<Conversation> {
    let mut seen = Vec::new();
    let mut after = None;
    for _ in 0..100 {
        let query = ConversationQuery {
            filter: filter.clone(),
            after,
            limit,
        };
        let page = db.list_conversations(account, &query).await.unwrap();
        assert!(page.items.len() <= usize::try_from(limit).unwrap());
        if let (Some(next), Some(last)) = (page.next, page.items.last()) {
            assert_eq!(
                next,
                Cursor {
                    key: last.last_activity_at.secs(),
                    id: last.id.get()
                }
            );
        }
        seen.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => return seen,
        }
    }
    panic!("pagination does not end");
}

/// The display ids the filter lists, checked to be the same for several page sizes.
async fn shown(db: &Store, account: AccountId, filter: ConversationFilter) -> Vec<i64> {
    let all = list_all(db, account, &filter, 100).await;
    let ids: Vec<i64> = all.iter().map(|c| c.display_id.get()).collect();
    for limit in [1, 2] {
        let paged = list_all(db, account, &filter, limit).await;
        let paged: Vec<i64> = paged.iter().map(|c| c.display_id.get()).collect();
        assert_eq!(paged, ids, "{filter:?} with limit {limit}");
    }
    ids
}

struct Desk {
    account: AccountId,
    me: UserId,
    other: UserId,
    web: InboxId,
    app: InboxId,
    billing: TeamId,
    alice: ContactId,
}

/// Six conversations of one account (and one of another account that must never show):
///
/// | # | inbox | contact | status   | assignee | team    | labels      | activity |
/// |---|-------|---------|----------|----------|---------|-------------|----------|
/// | 1 | web   | alice   | open     | me       | billing | vip         | 100      |
/// | 2 | web   | bob     | open     |          |         |             | 300      |
/// | 3 | app   | alice   | resolved | other    | billing | refund, vip | 200      |
/// | 4 | app   | bob     | pending  | me       |         | refund      | 300      |
/// | 5 | web   | carol   | snoozed  |          | billing |             | 50       |
/// | 6 | app   | carol   | open     | other    |         | vip         | 400      |
async fn desk(db: &Store) -> Desk {
    let acme = account(db, "Acme").await;
    let me = agent(db, acme.id, "me@x.com").await.id;
    let other = agent(db, acme.id, "other@x.com").await.id;
    let web = inbox(db, acme.id, "web").await;
    let app = inbox(db, acme.id, "app").await;
    let billing = db
        .create_team(acme.id, "billing", "", true, at(0))
        .await
        .unwrap()
        .id;
    let person = |name: &'static str, email: &'static str, phone: &'static str| NewContact {
        name: name.into(),
        email: Some(email.into()),
        phone_number: Some(phone.into()),
        ..NewContact::default()
    };
    let alice = db
        .create_contact(
            acme.id,
            &person("Alice Anders", "alice@example.com", "+4915100001"),
            at(0),
        )
        .await
        .unwrap();
    let bob = db
        .create_contact(
            acme.id,
            &person("Bob Brown", "bob@example.com", "+15550002"),
            at(0),
        )
        .await
        .unwrap();
    let carol = db
        .create_contact(
            acme.id,
            &person("Carol Chen", "carol@example.com", "+15550009"),
            at(0),
        )
        .await
        .unwrap();
    use ConversationStatus::{Open, Pending, Resolved, Snoozed};
    let rows = [
        (
            &web,
            &alice,
            Open,
            Some(me),
            Some(billing),
            &["vip"][..],
            100,
        ),
        (&web, &bob, Open, None, None, &[][..], 300),
        (
            &app,
            &alice,
            Resolved,
            Some(other),
            Some(billing),
            &["vip", "refund"][..],
            200,
        ),
        (&app, &bob, Pending, Some(me), None, &["refund"][..], 300),
        (&web, &carol, Snoozed, None, Some(billing), &[][..], 50),
        (&app, &carol, Open, Some(other), None, &["vip"][..], 400),
    ];
    for (inbox, person, status, assignee, team, labels, activity) in rows {
        let (_, mut c) = conversation(db, inbox, person, activity).await;
        c.status = status;
        c.assignee_id = assignee;
        c.team_id = team;
        db.save_conversation(&c).await.unwrap();
        let labels: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
        db.set_conversation_labels(c.id, &labels).await.unwrap();
    }
    // Another account, with a matching contact and label, never shows up.
    let globex = account(db, "Globex").await;
    let theirs = inbox(db, globex.id, "theirs").await;
    let twin = contact(db, globex.id, "Alice Anders", Some("alice@example.com")).await;
    let (_, c) = conversation(db, &theirs, &twin, 500).await;
    db.set_conversation_labels(c.id, &["vip".to_owned()])
        .await
        .unwrap();

    Desk {
        account: acme.id,
        me,
        other,
        web: web.id,
        app: app.id,
        billing,
        alice: alice.id,
    }
}

store_test!(
    conversations_are_ordered_by_activity_then_id,
    |db| async move {
        let d = desk(&db).await;
        let all = list_all(&db, d.account, &ConversationFilter::default(), 100).await;
        let order: Vec<i64> = all.iter().map(|c| c.display_id.get()).collect();
        assert_eq!(order, [6, 4, 2, 3, 1, 5]);
        let labels: Vec<&[String]> = all.iter().map(|c| c.labels.as_slice()).collect();
        assert_eq!(labels[3], ["refund", "vip"], "lists carry sorted labels");
        assert!(labels[2].is_empty());
        let assignees: Vec<_> = all.iter().map(|c| c.assignee_id).collect();
        assert_eq!(assignees[0], Some(d.other));
    }
);

/// Checks each filter against the display ids it must list, in order.
async fn check(db: &Store, account: AccountId, cases: Vec<(ConversationFilter, &[i64])>) {
    for (filter, expected) in cases {
        assert_eq!(
            shown(db, account, filter.clone()).await,
            expected,
            "{filter:?}"
        );
    }
}

fn status(s: ConversationStatus) -> ConversationFilter {
    ConversationFilter {
        status: Some(s),
        ..ConversationFilter::default()
    }
}

fn assignee(a: AssigneeFilter) -> ConversationFilter {
    ConversationFilter {
        assignee: a,
        ..ConversationFilter::default()
    }
}

fn label(l: &str) -> ConversationFilter {
    ConversationFilter {
        label: Some(l.into()),
        ..ConversationFilter::default()
    }
}

fn search(q: &str) -> ConversationFilter {
    ConversationFilter {
        search: Some(q.into()),
        ..ConversationFilter::default()
    }
}

store_test!(
    conversations_are_filtered_by_status_assignee_inbox_and_team,
    |db| async move {
        let d = desk(&db).await;
        let f = ConversationFilter::default;
        use ConversationStatus::{Open, Pending, Resolved, Snoozed};
        let cases: Vec<(ConversationFilter, &[i64])> = vec![
            (status(Open), &[6, 2, 1]),
            (status(Resolved), &[3]),
            (status(Pending), &[4]),
            (status(Snoozed), &[5]),
            (assignee(AssigneeFilter::Me(d.me)), &[4, 1]),
            (assignee(AssigneeFilter::Me(d.other)), &[6, 3]),
            (assignee(AssigneeFilter::Unassigned), &[2, 5]),
            (assignee(AssigneeFilter::Assigned), &[6, 4, 3, 1]),
            (
                ConversationFilter {
                    inbox_id: Some(d.web),
                    ..f()
                },
                &[2, 1, 5],
            ),
            (
                ConversationFilter {
                    inbox_id: Some(d.app),
                    ..f()
                },
                &[6, 4, 3],
            ),
            (
                ConversationFilter {
                    team_id: Some(d.billing),
                    ..f()
                },
                &[3, 1, 5],
            ),
            (
                ConversationFilter {
                    contact_id: Some(d.alice),
                    ..f()
                },
                &[3, 1],
            ),
            (
                ConversationFilter {
                    assignee: AssigneeFilter::Me(d.me),
                    ..status(Open)
                },
                &[1],
            ),
            (
                ConversationFilter {
                    inbox_id: Some(d.app),
                    ..label("vip")
                },
                &[6, 3],
            ),
        ];
        check(&db, d.account, cases).await;
    }
);

store_test!(
    conversations_are_filtered_by_label_and_search,
    |db| async move {
        let d = desk(&db).await;
        let cases: Vec<(ConversationFilter, &[i64])> = vec![
            (label("vip"), &[6, 3, 1]),
            (label("refund"), &[4, 3]),
            (label("vi"), &[]), // labels match whole
            (label("VIP"), &[]),
            (search("alice"), &[3, 1]),
            (search(" ANDERS "), &[3, 1]),
            (search("bob@"), &[4, 2]),
            (search("+49151"), &[3, 1]),
            (search("#3"), &[3]),
            (search("3"), &[3]),       // a number is a display id too
            (search("0009"), &[6, 5]), // phone digits
            (search("#5"), &[5]),
            (search("#99"), &[]),
            (search("%"), &[]), // LIKE wildcards are literal
            (search("_"), &[]),
            (search("   "), &[6, 4, 2, 3, 1, 5]), // a blank search lists all
            (
                ConversationFilter {
                    status: Some(ConversationStatus::Open),
                    label: Some("vip".into()),
                    assignee: AssigneeFilter::Me(d.other),
                    ..search("carol")
                },
                &[6],
            ),
        ];
        check(&db, d.account, cases).await;
    }
);

store_test!(
    pages_across_activity_ties_have_no_gaps_or_duplicates,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let web = inbox(&db, acme.id, "web").await;
        let alice = contact(&db, acme.id, "Alice", None).await;
        let activity = [5, 5, 5, 3, 3, 9, 9, 1, 1, 1, 5];
        let mut expected = Vec::new();
        for (i, t) in activity.into_iter().enumerate() {
            let (_, mut c) = conversation(&db, &web, &alice, t).await;
            if i % 2 == 1 {
                c.status = ConversationStatus::Resolved;
                db.save_conversation(&c).await.unwrap();
            }
            expected.push((c.last_activity_at, c.id, c.status));
        }
        expected.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
        let open: Vec<_> = expected
            .iter()
            .filter(|e| e.2 == ConversationStatus::Open)
            .map(|e| e.1)
            .collect();
        let expected: Vec<_> = expected.iter().map(|e| e.1).collect();

        for limit in [1, 2, 3, 4, 11, 12] {
            let all = list_all(&db, acme.id, &ConversationFilter::default(), limit).await;
            let ids: Vec<_> = all.iter().map(|c| c.id).collect();
            assert_eq!(ids, expected, "limit {limit}");
            // With filters before the cursor's placeholders.
            let filter = ConversationFilter {
                status: Some(ConversationStatus::Open),
                search: Some("alic".into()),
                ..ConversationFilter::default()
            };
            let some = list_all(&db, acme.id, &filter, limit).await;
            let ids: Vec<_> = some.iter().map(|c| c.id).collect();
            assert_eq!(ids, open, "filtered, limit {limit}");
        }
    }
);

store_test!(counts_per_tab_ignore_the_assignee_filter, |db| async move {
    let d = desk(&db).await;
    // (all, mine, unassigned, assigned) for `me`.
    let tabs = |filter: ConversationFilter, me: UserId| {
        let db = db.clone();
        async move {
            let c = db
                .count_conversations(d.account, &filter, me)
                .await
                .unwrap();
            (c.all, c.mine, c.unassigned, c.assigned)
        }
    };
    assert_eq!(
        tabs(ConversationFilter::default(), d.me).await,
        (6, 2, 2, 4)
    );
    assert_eq!(
        tabs(ConversationFilter::default(), d.other).await,
        (6, 2, 2, 4)
    );
    let unassigned_open = ConversationFilter {
        assignee: AssigneeFilter::Unassigned,
        ..status(ConversationStatus::Open)
    };
    assert_eq!(tabs(unassigned_open, d.me).await, (3, 1, 1, 2));
    assert_eq!(tabs(search("alice"), d.me).await, (2, 1, 0, 2));
    assert_eq!(tabs(search("alice"), d.other).await, (2, 1, 0, 2));
    assert_eq!(tabs(label("refund"), d.other).await, (2, 1, 0, 2));
    assert_eq!(tabs(label("none"), d.me).await, (0, 0, 0, 0));
});
