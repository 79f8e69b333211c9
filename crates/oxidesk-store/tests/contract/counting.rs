//! Counts that stay right at any size: the maintained per-tab counters (triggers) after many
//! concurrent changes, checked against the lists themselves; bounded counts for labels and
//! searches; label lists that follow activity; page numbers; the maintained contact count.

use oxidesk_domain::{ContactId, UserId};
use oxidesk_store::{
    AssigneeFilter, COUNT_LIMIT, ConversationCounts, ConversationFilter, ConversationQuery,
};

use super::writers::{Move, Scene, Writers};
use super::*;

/// Counts every tab by walking the list (not the counters).
async fn recount(
    db: &Store,
    account: AccountId,
    filter: &ConversationFilter,
    me: UserId,
) -> [i64; 4] {
    let mut out = [0; 4];
    let tabs = [
        AssigneeFilter::All,
        AssigneeFilter::Me(me),
        AssigneeFilter::Unassigned,
        AssigneeFilter::Assigned,
    ];
    for (slot, assignee) in out.iter_mut().zip(tabs) {
        let query = ConversationQuery {
            filter: ConversationFilter {
                assignee,
                ..filter.clone()
            },
            after: None,
            limit: 10_000,
        };
        *slot = i64::try_from(
            db.list_conversations(account, &query)
                .await
                .unwrap()
                .items
                .len(),
        )
        .unwrap();
    }
    out
}

pub(super) fn tabs(c: ConversationCounts) -> [i64; 4] {
    [c.all, c.mine, c.unassigned, c.assigned]
}

/// A small deterministic generator (tests must repeat).
pub(super) struct Lcg(pub(super) u64);

impl Lcg {
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

store_test!(
    maintained_counts_stay_right_under_concurrent_changes,
    |db, url| async move {
        let scene = Scene::new(&db, 3, &["web", "app"]).await;
        let (acme, inboxes, contacts) = (scene.acme.clone(), &scene.inboxes, &scene.contacts);
        let agents = [scene.agents[0], scene.agents[1], scene.agents[2]];
        let teams = [scene.teams[0], scene.teams[1]];
        let mut ids = Vec::new();
        for i in 0..36 {
            let (_, c) = conversation(&db, &inboxes[i % 2], &contacts[i % 6], i as i64).await;
            ids.push(c.id);
        }
        // Eight writers at once: statuses, assignees, teams, new conversations, a deleted contact
        // (its conversations go with it), an agent removed from the account.
        let tasks = Writers {
            statuses: &[
                ConversationStatus::Open,
                ConversationStatus::Resolved,
                ConversationStatus::Pending,
            ],
            moves: &[Move::Status, Move::Assignee, Move::Team, Move::Activity],
            seed: 1,
            steps: 30,
            new_one_in: 6,
            ..scene.writers(&db, &url, ids)
        }
        .spawn(8);
        let doomed: ContactId = contacts[0].id;
        let deleter = {
            let db = db.clone();
            tokio::spawn(async move { db.delete_contact(acme.id, doomed).await.unwrap() })
        };
        for t in tasks {
            t.await.unwrap();
        }
        deleter.await.unwrap();
        db.remove_member(acme.id, agents[2]).await.unwrap();

        let mut filters = vec![ConversationFilter::default()];
        for status in [
            ConversationStatus::Open,
            ConversationStatus::Resolved,
            ConversationStatus::Pending,
        ] {
            filters.push(ConversationFilter {
                status: Some(status),
                ..ConversationFilter::default()
            });
            for inbox in inboxes {
                filters.push(ConversationFilter {
                    status: Some(status),
                    inbox_id: Some(inbox.id),
                    ..ConversationFilter::default()
                });
            }
            for team in teams {
                filters.push(ConversationFilter {
                    status: Some(status),
                    team_id: Some(team),
                    ..ConversationFilter::default()
                });
            }
        }
        for filter in &filters {
            for me in agents {
                let counted = db.count_conversations(acme.id, filter, me).await.unwrap();
                assert_eq!(counted.limit, None, "exact counts for {filter:?}");
                assert_eq!(
                    tabs(counted),
                    recount(&db, acme.id, filter, me).await,
                    "{filter:?} for {me:?}"
                );
            }
        }
        let all = db
            .count_conversations(acme.id, &ConversationFilter::default(), agents[0])
            .await
            .unwrap();
        assert!(
            all.all > 30,
            "the writers added conversations and the deletion removed some: {all:?}"
        );
    }
);

store_test!(bounded_counts_stop_at_the_limit, |db| async move {
    let acme = account(&db, "Acme").await;
    let me = agent(&db, acme.id, "me@x.com").await.id;
    let web = inbox(&db, acme.id, "web").await;
    let person = contact(&db, acme.id, "Pat Lee", Some("pat@example.com")).await;
    let other = contact(&db, acme.id, "Sam Roe", Some("sam@example.com")).await;
    let over = usize::try_from(COUNT_LIMIT).unwrap() + 5;
    for i in 0..over {
        let (_, mut c) = conversation(&db, &web, &person, i as i64).await;
        if i % 2 == 0 {
            c.assignee_id = Some(me);
            db.save_conversation(&c).await.unwrap();
        }
        db.set_conversation_labels(c.id, &["bulk".to_owned()])
            .await
            .unwrap();
    }
    for i in 0..3 {
        let (_, c) = conversation(&db, &web, &other, i).await;
        db.set_conversation_labels(c.id, &["rare".to_owned()])
            .await
            .unwrap();
    }
    let count = |filter: ConversationFilter| {
        let db = db.clone();
        async move { db.count_conversations(acme.id, &filter, me).await.unwrap() }
    };
    let label = |l: &str| ConversationFilter {
        label: Some(l.into()),
        ..ConversationFilter::default()
    };
    let bulk = count(label("bulk")).await;
    assert_eq!(bulk.limit, Some(COUNT_LIMIT));
    assert_eq!(
        tabs(bulk),
        [COUNT_LIMIT, 503, 502, 503],
        "only `all` reaches the limit"
    );
    let rare = count(label("rare")).await;
    assert_eq!(tabs(rare), [3, 0, 3, 0]);
    // A contact's conversations, and a search's, are counted in one read of them: each tab
    // exactly, then capped, the same figures as counting each tab up to the limit.
    for filter in [
        ConversationFilter {
            contact_id: Some(person.id),
            ..ConversationFilter::default()
        },
        ConversationFilter {
            search: Some("pat lee".into()),
            ..ConversationFilter::default()
        },
    ] {
        let counted = count(filter.clone()).await;
        assert_eq!(counted.limit, Some(COUNT_LIMIT), "{filter:?}");
        assert_eq!(tabs(counted), [COUNT_LIMIT, 503, 502, 503], "{filter:?}");
    }
    let searched = count(ConversationFilter {
        search: Some("SAM R".into()),
        ..ConversationFilter::default()
    })
    .await;
    assert_eq!((searched.all, searched.limit), (3, Some(COUNT_LIMIT)));
    let exact = count(ConversationFilter::default()).await;
    assert_eq!(
        (exact.all, exact.mine, exact.limit),
        (i64::try_from(over).unwrap() + 3, 503, None)
    );
});

store_test!(
    label_counts_follow_status_and_assignee_changes,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let me = agent(&db, acme.id, "me@x.com").await.id;
        let other = agent(&db, acme.id, "other@x.com").await.id;
        let web = inbox(&db, acme.id, "web").await;
        let person = contact(&db, acme.id, "Pat Lee", None).await;
        let mut labelled = Vec::new();
        for i in 0..6 {
            let (_, c) = conversation(&db, &web, &person, i).await;
            db.set_conversation_labels(c.id, &["vip".to_owned(), "x".to_owned()])
                .await
                .unwrap();
            labelled.push(db.conversation(c.id).await.unwrap());
        }
        // Changed after the labels were set: the label rows must follow.
        let changes = [
            (Some(me), ConversationStatus::Open),
            (Some(me), ConversationStatus::Resolved),
            (Some(other), ConversationStatus::Pending),
            (None, ConversationStatus::Snoozed),
            (Some(me), ConversationStatus::Open),
        ];
        for (c, (assignee, status)) in labelled.iter_mut().zip(changes) {
            c.assignee_id = assignee;
            c.status = status;
            db.save_conversation(c).await.unwrap();
        }
        // A reassignment and a reopening on top.
        labelled[1].assignee_id = None;
        labelled[1].status = ConversationStatus::Open;
        db.save_conversation(&labelled[1]).await.unwrap();

        // Each count agrees with the list, which reads the conversations themselves.
        let statuses = [None]
            .into_iter()
            .chain(ConversationStatus::ALL.iter().copied().map(Some));
        for status in statuses {
            let filter = ConversationFilter {
                label: Some("vip".into()),
                status,
                ..ConversationFilter::default()
            };
            let counts = db.count_conversations(acme.id, &filter, me).await.unwrap();
            let mut listed = [0_i64; 4];
            let tabs_of = [
                AssigneeFilter::All,
                AssigneeFilter::Me(me),
                AssigneeFilter::Unassigned,
                AssigneeFilter::Assigned,
            ];
            for (n, assignee) in listed.iter_mut().zip(tabs_of) {
                let query = ConversationQuery {
                    filter: ConversationFilter {
                        assignee,
                        ..filter.clone()
                    },
                    after: None,
                    limit: 100,
                };
                let page = db.list_conversations(acme.id, &query).await.unwrap();
                *n = i64::try_from(page.items.len()).unwrap();
            }
            assert_eq!(tabs(counts), listed, "status {status:?}");
        }
        let open = ConversationFilter {
            label: Some("vip".into()),
            status: Some(ConversationStatus::Open),
            ..ConversationFilter::default()
        };
        // Open: 0 (me), 1 (unassigned after reopening), 4 (me), 5 (never changed, unassigned).
        assert_eq!(
            tabs(db.count_conversations(acme.id, &open, me).await.unwrap()),
            [4, 2, 2, 2]
        );
    }
);

store_test!(
    label_lists_follow_activity_and_pages_by_number,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let web = inbox(&db, acme.id, "web").await;
        let person = contact(&db, acme.id, "Pat Lee", None).await;
        let mut convs = Vec::new();
        for i in 0..5 {
            let (_, c) = conversation(&db, &web, &person, 10 * i).await;
            db.set_conversation_labels(c.id, &["vip".to_owned()])
                .await
                .unwrap();
            convs.push(c);
        }
        // The oldest becomes the most recent after the label was set.
        let mut first = db.conversation(convs[0].id).await.unwrap();
        first.last_activity_at = at(999);
        db.save_conversation(&first).await.unwrap();
        let filter = ConversationFilter {
            label: Some("vip".into()),
            ..ConversationFilter::default()
        };
        let page = db
            .list_conversations(
                acme.id,
                &ConversationQuery {
                    filter: filter.clone(),
                    after: None,
                    limit: 10,
                },
            )
            .await
            .unwrap();
        let order: Vec<i64> = page.items.iter().map(|c| c.display_id.get()).collect();
        assert_eq!(order, [1, 5, 4, 3, 2]);
        // Page numbers: the cursor `skip` places in, then the keyset.
        let cursor = db
            .conversation_cursor_at(acme.id, &filter, None, 1)
            .await
            .unwrap()
            .unwrap();
        let rest = db
            .list_conversations(
                acme.id,
                &ConversationQuery {
                    filter: filter.clone(),
                    after: Some(cursor),
                    limit: 2,
                },
            )
            .await
            .unwrap();
        let order: Vec<i64> = rest.items.iter().map(|c| c.display_id.get()).collect();
        assert_eq!(order, [4, 3]);
        let after = db
            .conversation_cursor_at(acme.id, &filter, Some(cursor), 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.id, rest.items[1].id.get());
        assert_eq!(
            db.conversation_cursor_at(acme.id, &filter, None, 5)
                .await
                .unwrap(),
            None
        );
    }
);

store_test!(contact_counts_are_maintained, |db| async move {
    let acme = account(&db, "Acme").await;
    let globex = account(&db, "Globex").await;
    assert_eq!(db.count_contacts(acme.id).await.unwrap(), 0);
    let mut made = Vec::new();
    for i in 0..7 {
        made.push(contact(&db, acme.id, &format!("P{i}"), None).await);
    }
    contact(&db, globex.id, "Q", None).await;
    db.delete_contact(acme.id, made[3].id).await.unwrap();
    assert_eq!(db.count_contacts(acme.id).await.unwrap(), 6);
    assert_eq!(db.count_contacts(globex.id).await.unwrap(), 1);
    assert_eq!(
        db.find_contacts(acme.id, None)
            .await
            .unwrap()
            .map(|f| f.count()),
        None
    );
    assert_eq!(
        db.find_contacts(acme.id, Some("p"))
            .await
            .unwrap()
            .map(|f| f.count()),
        Some(6)
    );
    assert_eq!(
        db.find_contacts(acme.id, Some("P5"))
            .await
            .unwrap()
            .map(|f| f.count()),
        Some(1)
    );
});

store_test!(
    contact_search_follows_edits_and_deletions,
    |db| async move {
        let acme = account(&db, "Acme").await;
        let c = contact(&db, acme.id, "Zoë Quartermaine", Some("zq@example.com")).await;
        let found = |q: &'static str| {
            let db = db.clone();
            async move {
                db.find_contacts(acme.id, Some(q))
                    .await
                    .unwrap()
                    .map_or(0, |f| f.count())
            }
        };
        assert_eq!(found("quarter").await, 1);
        let changes = NewContact {
            name: "Zoë Brightwater".into(),
            email: Some("zb@example.com".into()),
            ..NewContact::default()
        };
        db.update_contact(acme.id, c.id, &changes, at(5))
            .await
            .unwrap();
        assert_eq!(
            found("quarter").await,
            0,
            "the old name is gone from the index"
        );
        assert_eq!(found("brightw").await, 1);
        assert_eq!(found("zb@ex").await, 1);
        db.delete_contact(acme.id, c.id).await.unwrap();
        assert_eq!(found("brightw").await, 0);
    }
);
