//! Contact lists and search: pages by `page` and by `after`, sorts, search fields.

use std::collections::HashSet;

use axum::http::Method;
use axum::http::StatusCode;
use oxidesk_domain::{ContactId, Timestamp};
use serde_json::{Value, json};

use super::{assert_invalid, contact, send, setup};
use crate::app_test;
use crate::support::TestApp;

/// Every id of the list at `url`, following `next_cursor`; with the number of pages.
async fn walk(app: &TestApp, url: &str, token: &str) -> (Vec<i64>, usize) {
    let mut ids = Vec::new();
    let mut pages = 0;
    let mut next: Option<String> = None;
    loop {
        let separator = if url.contains('?') { '&' } else { '?' };
        let page_url = match &next {
            Some(cursor) => format!("{url}{separator}after={cursor}"),
            None => url.to_owned(),
        };
        let response = send(app, Method::GET, &page_url, token, json!(null)).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{page_url}: {}",
            response.body
        );
        let body = response.json();
        let payload = body["payload"].as_array().unwrap();
        assert!(payload.len() <= 15, "15 a page");
        ids.extend(payload.iter().map(|c| c["id"].as_i64().unwrap()));
        pages += 1;
        match body["meta"]["next_cursor"].as_str() {
            Some(cursor) => next = Some(cursor.to_owned()),
            None => break,
        }
    }
    (ids, pages)
}

/// The ids of page `page` of the list at `url`.
async fn page_ids(app: &TestApp, url: &str, token: &str, page: i64) -> Vec<i64> {
    let separator = if url.contains('?') { '&' } else { '?' };
    let response = send(
        app,
        Method::GET,
        &format!("{url}{separator}page={page}"),
        token,
        json!(null),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.json()["meta"]["current_page"], page);
    response.json()["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

app_test!(
    lists_are_paged_without_gaps_or_duplicates,
    |app| async move {
        let s = setup(&app).await;
        let mut ids = Vec::new();
        let mut activity = Vec::new();
        for i in 0..37_i64 {
            let id = contact(&app, &s.account, &format!("Contact {i}"), None).await;
            if i % 3 == 0 {
                let at = 1_000 + i % 5;
                app.db
                    .store
                    .touch_contact(ContactId(id), Timestamp(at))
                    .await
                    .unwrap();
                activity.push((at, id));
            }
            ids.push(id);
        }
        let never: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !activity.iter().any(|(_, a)| a == id))
            .collect();
        let mut recent = activity.clone();
        recent.sort_by(|a, b| b.cmp(a));
        let mut recent_first: Vec<i64> = recent.iter().map(|(_, id)| *id).collect();
        recent_first.extend(never.iter().rev());
        let mut earliest = activity.clone();
        earliest.sort();
        let mut earliest_first: Vec<i64> = earliest.iter().map(|(_, id)| *id).collect();
        earliest_first.extend(never.iter());
        let newest: Vec<i64> = ids.iter().rev().copied().collect();
        let orders = [
            ("", recent_first.clone()),
            ("?sort=-last_activity_at", recent_first),
            ("?sort=last_activity_at", earliest_first),
            ("?sort=-created_at", newest),
            ("?sort=created_at", ids.clone()),
        ];
        for (query, expected) in orders {
            let url = s.url(query);
            let (walked, pages) = walk(&app, &url, &s.token).await;
            assert_eq!(walked, expected, "{query}");
            assert_eq!(pages, 3, "{query}");
            assert_eq!(
                walked.iter().collect::<HashSet<_>>().len(),
                37,
                "no duplicates"
            );
            let mut by_page = Vec::new();
            for page in 1..=3 {
                by_page.extend(page_ids(&app, &url, &s.token, page).await);
            }
            assert_eq!(
                by_page, expected,
                "page numbers give the same pages: {query}"
            );
            assert!(
                page_ids(&app, &url, &s.token, 4).await.is_empty(),
                "past the end"
            );
        }
        let first = send(&app, Method::GET, &s.url(""), &s.token, json!(null)).await;
        assert_eq!(first.json()["meta"]["count"], 37);
        assert_eq!(first.json()["meta"]["current_page"], 1);
        let last = send(&app, Method::GET, &s.url("?page=3"), &s.token, json!(null)).await;
        assert_eq!(last.json()["meta"]["next_cursor"], Value::Null);
        assert_eq!(last.json()["payload"].as_array().unwrap().len(), 7);
    }
);

app_test!(a_page_of_contacts_with_their_inboxes, |app| async move {
    let s = setup(&app).await;
    let created = send(
        &app,
        Method::POST,
        &s.url(""),
        &s.token,
        json!({"name": "Alice", "email": "alice@example.com", "inbox_id": s.inbox.id, "source_id": "alice-1"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    contact(&app, &s.account, "Bob", Some("bob@example.com")).await;
    let listed = send(
        &app,
        Method::GET,
        &s.url("?sort=created_at"),
        &s.token,
        json!(null),
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    nested_snapshot!("list", listed.json());
    let slim = send(
        &app,
        Method::GET,
        &s.url("?sort=created_at&include_contact_inboxes=false"),
        &s.token,
        json!(null),
    )
    .await;
    let first = &slim.json()["payload"][0];
    assert_eq!(first["name"], "Alice");
    assert!(first.get("contact_inboxes").is_none(), "{first}");
});

app_test!(
    search_looks_at_name_email_phone_and_identifier,
    |app| async move {
        let s = setup(&app).await;
        for body in [
            json!({"name": "Alice Doe", "email": "alice@example.com"}),
            json!({"name": "Bob", "phone_number": "+14155550123"}),
            json!({"name": "Carol", "identifier": "CRM-42"}),
            json!({"name": "Dan 100% sure"}),
        ] {
            let created = send(&app, Method::POST, &s.url(""), &s.token, body).await;
            assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        }
        let names = |q: &'static str| {
            let (app, url, token) = (&app, s.url(&format!("/search?q={q}")), s.token.clone());
            async move {
                let response = send(app, Method::GET, &url, &token, json!(null)).await;
                assert_eq!(response.status, StatusCode::OK, "{}", response.body);
                let body = response.json();
                let names: Vec<String> = body["payload"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["name"].as_str().unwrap().to_owned())
                    .collect();
                assert_eq!(body["meta"]["count"], names.len());
                names
            }
        };
        assert_eq!(names("ALI").await, ["Alice Doe"]);
        assert_eq!(names("Example.COM").await, ["Alice Doe"]);
        assert_eq!(names("4155550").await, ["Bob"]);
        assert_eq!(names("crm-4").await, ["Carol"]);
        assert_eq!(names("%25").await, ["Dan 100% sure"], "% is literal");
        assert!(names("zzz").await.is_empty());
        let found = send(
            &app,
            Method::GET,
            &s.url("/search?q=carol"),
            &s.token,
            json!(null),
        )
        .await;
        nested_snapshot!("search", found.json());
        let missing = send(&app, Method::GET, &s.url("/search"), &s.token, json!(null)).await;
        assert_invalid(&missing, "q");
        let blank = send(
            &app,
            Method::GET,
            &s.url("/search?q=+"),
            &s.token,
            json!(null),
        )
        .await;
        assert_invalid(&blank, "q");
    }
);

app_test!(search_results_are_paged, |app| async move {
    let s = setup(&app).await;
    for i in 0..20 {
        contact(&app, &s.account, &format!("Match {i}"), None).await;
        contact(&app, &s.account, &format!("Other {i}"), None).await;
    }
    let url = s.url("/search?q=match&sort=created_at");
    let (walked, pages) = walk(&app, &url, &s.token).await;
    assert_eq!(pages, 2);
    assert_eq!(walked.len(), 20);
    assert_eq!(walked.iter().collect::<HashSet<_>>().len(), 20);
    assert_eq!(page_ids(&app, &url, &s.token, 2).await, walked[15..]);
    let first = send(&app, Method::GET, &url, &s.token, json!(null)).await;
    assert_eq!(first.json()["meta"]["count"], 20);
});

app_test!(a_search_keeps_its_newest_matches, |app| async move {
    // More matches than a search keeps (oxidesk_store::SEARCH_LIMIT): the newest are listed,
    // and the count is the limit ("at least").
    let s = setup(&app).await;
    let limit = usize::try_from(oxidesk_store::SEARCH_LIMIT).unwrap();
    let mut ids = Vec::new();
    for i in 0..limit + 5 {
        ids.push(contact(&app, &s.account, &format!("Match {i}"), None).await);
    }
    let url = s.url("/search?q=match&sort=-created_at");
    let (walked, _) = walk(&app, &url, &s.token).await;
    ids.reverse();
    assert_eq!(walked, ids[..limit]);
    let first = send(&app, Method::GET, &url, &s.token, json!(null)).await;
    assert_eq!(first.json()["meta"]["count"], oxidesk_store::SEARCH_LIMIT);
});

app_test!(
    unsupported_sorts_and_bad_pages_are_refused,
    |app| async move {
        let s = setup(&app).await;
        for query in ["?sort=company", "?sort=-city", "?sort=shoe_size"] {
            let response = send(&app, Method::GET, &s.url(query), &s.token, json!(null)).await;
            assert_invalid(&response, "sort");
            assert!(
                response.json()["message"]
                    .as_str()
                    .unwrap()
                    .contains("-last_activity_at"),
                "the message lists the sorts: {}",
                response.body
            );
        }
        let searched = send(
            &app,
            Method::GET,
            &s.url("/search?q=a&sort=country"),
            &s.token,
            json!(null),
        )
        .await;
        assert_invalid(&searched, "sort");
        assert_invalid(
            &send(
                &app,
                Method::GET,
                &s.url("?after=nope"),
                &s.token,
                json!(null),
            )
            .await,
            "after",
        );
        assert_invalid(
            &send(&app, Method::GET, &s.url("?page=0"), &s.token, json!(null)).await,
            "page",
        );
        assert_invalid(
            &send(
                &app,
                Method::GET,
                &s.url("?page=two"),
                &s.token,
                json!(null),
            )
            .await,
            "page",
        );
    }
);

/// A contact of the sort test: id, lower-case name, email, phone.
type Row = (i64, String, Option<String>, Option<String>);

app_test!(
    sorts_by_name_email_and_phone_in_both_directions,
    |app| async move {
        let s = setup(&app).await;
        // (name, email, phone): ties on the name, missing emails and phones.
        let mut rows: Vec<Row> = Vec::new();
        let names = [
            "delta", "Alpha", "charlie", "Bravo", "alpha", "echo", "Delta",
        ];
        for i in 0..20_usize {
            let name = format!("{}{}", names[i % names.len()], i % 3);
            let email =
                (i % 4 != 0).then(|| format!("{}{:02}@example.test", (b'z' - i as u8) as char, i));
            let phone = (i % 5 != 0).then(|| format!("+4915{:07}", (i * 7919) % 10_000_000));
            let input = oxidesk::service::ContactInput {
                name: Some(name.clone()),
                email: email.clone(),
                phone_number: phone.clone(),
                ..Default::default()
            };
            let id = app
                .services()
                .create_contact(s.account.id, &input)
                .await
                .unwrap()
                .id
                .get();
            rows.push((id, name.to_lowercase(), email, phone));
        }
        let order = |key: &dyn Fn(&Row) -> String, desc: bool| {
            let mut sorted = rows.clone();
            sorted.sort_by_key(|r| (key(r), r.0));
            if desc {
                sorted.reverse();
            }
            sorted.iter().map(|r| r.0).collect::<Vec<i64>>()
        };
        let cases = [
            ("name", order(&|r| r.1.clone(), false)),
            ("-name", order(&|r| r.1.clone(), true)),
            ("email", order(&|r| r.2.clone().unwrap_or_default(), false)),
            ("-email", order(&|r| r.2.clone().unwrap_or_default(), true)),
            (
                "phone_number",
                order(&|r| r.3.clone().unwrap_or_default(), false),
            ),
            (
                "-phone_number",
                order(&|r| r.3.clone().unwrap_or_default(), true),
            ),
        ];
        for (sort, expected) in cases {
            let url = s.url(&format!("?sort={sort}"));
            let (walked, pages) = walk(&app, &url, &s.token).await;
            assert_eq!(walked, expected, "{sort} by cursor");
            assert_eq!(pages, 2, "{sort}");
            let mut by_page = page_ids(&app, &url, &s.token, 1).await;
            by_page.extend(page_ids(&app, &url, &s.token, 2).await);
            assert_eq!(by_page, expected, "{sort} by page number");
        }
        // A search keeps the order among what it found.
        let url = s.url("/search?q=example.test&sort=-email");
        let (walked, _) = walk(&app, &url, &s.token).await;
        let with_email: Vec<i64> = order(&|r| r.2.clone().unwrap_or_default(), true)
            .into_iter()
            .filter(|id| rows.iter().any(|r| r.0 == *id && r.2.is_some()))
            .collect();
        assert_eq!(walked, with_email);
    }
);
