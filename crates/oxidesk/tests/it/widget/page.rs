//! The loader and the widget page: served open and cached, small, creating nothing, framed only
//! by the allowed sites.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{contact_count, setup, widget};
use crate::app_test;

app_test!(
    sdk_js_is_open_to_every_site_cached_and_small,
    |app| async move {
        let mut client = app.browser();
        let sdk = client.get("/packs/js/sdk.js").await;
        assert_eq!(sdk.status, StatusCode::OK);
        assert_eq!(sdk.header("access-control-allow-origin"), Some("*"));
        assert!(
            sdk.header("content-type")
                .unwrap()
                .starts_with("text/javascript")
        );
        assert!(
            sdk.header("cache-control")
                .unwrap()
                .contains("max-age=3600")
        );
        assert!(
            sdk.body.len() < 10_000,
            "sdk.js is {} bytes",
            sdk.body.len()
        );
        assert!(sdk.body.contains("window.chatwootSDK"));
        let etag = sdk.header("etag").unwrap().to_owned();
        let again = client
            .send_raw(
                Method::GET,
                "/packs/js/sdk.js",
                &[("if-none-match", &etag)],
                "text/plain",
                "",
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    }
);

app_test!(
    the_widget_page_creates_nothing_and_frames_only_allowed_sites,
    |app| async move {
        let s = setup(
            &app,
            json!({"welcome_title": "<img src=x onerror=alert(1)>",
                               "allowed_domains": "shop.example"}),
        )
        .await;
        let mut client = app.browser();
        let before = contact_count(&app, &s).await;
        let page = client
            .get(&format!(
                "/widget?website_token={}&origin=https%3A%2F%2Fshop.example",
                s.website_token
            ))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body.contains("&#60;img src=x onerror=alert(1)&#62;"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("<img src=x"));
        let csp = page.header("content-security-policy").unwrap();
        assert!(csp.contains("frame-ancestors shop.example;"), "{csp}");
        assert_ne!(page.header("x-frame-options"), Some("DENY"));
        assert!(page.headers.get("set-cookie").is_none());
        assert_eq!(
            contact_count(&app, &s).await,
            before,
            "opening the widget creates no contact"
        );

        let messages = widget(&mut client, &s, Method::GET, "messages", None, json!(null)).await;
        assert_eq!(messages.status, StatusCode::OK);
        assert_eq!(
            messages.json(),
            json!({"conversation": null, "messages": []})
        );
        assert_eq!(contact_count(&app, &s).await, before);

        let elsewhere = client
            .get(&format!(
                "/widget?website_token={}&origin=https%3A%2F%2Fevil.test",
                s.website_token
            ))
            .await;
        assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
        let unknown = client.get("/widget?website_token=nope").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
);

/// The `src`/`href` of the page's scripts and style sheets.
fn linked_assets(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for piece in html.split('<').skip(1) {
        let element = &piece[..piece.find('>').unwrap_or(piece.len())];
        let attribute = if element.starts_with("script") {
            "src=\""
        } else if element.starts_with("link") && element.contains("rel=\"stylesheet\"") {
            "href=\""
        } else {
            continue;
        };
        if let Some(start) = element.find(attribute) {
            let rest = &element[start + attribute.len()..];
            found.push(rest[..rest.find('"').unwrap()].replace("&#38;", "&"));
        }
    }
    found
}

/// The relative modules a script imports (`import … from "./x.js"`).
fn imports(script: &str) -> Vec<String> {
    script
        .lines()
        .filter(|line| line.starts_with("import ") || line.starts_with("} from "))
        .filter_map(|line| line.split(" from \"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .filter(|path| path.starts_with("./") || path.starts_with("../"))
        .map(str::to_owned)
        .collect()
}

/// `relative` against `folder` (which ends with `/`).
fn resolve(folder: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = folder.trim_end_matches('/').split('/').collect();
    for piece in relative.split('/') {
        match piece {
            "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

app_test!(
    page_weight_sdk_under_10_kb_and_first_open_under_60_kb,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut client = app.browser();
        let sdk = client.get("/packs/js/sdk.js").await;
        assert!(sdk.body.len() < 10_000, "sdk.js: {} bytes", sdk.body.len());
        let page = client
            .get(&format!("/widget?website_token={}", s.website_token))
            .await;
        let assets = linked_assets(&page.body);
        assert_eq!(
            assets.len(),
            2,
            "one script and one style sheet: {assets:?}"
        );
        // Every asset, and every module the scripts import (relative paths, followed).
        let mut total = 0;
        let mut queue: Vec<String> = assets.clone();
        let mut fetched = std::collections::HashSet::new();
        while let Some(asset) = queue.pop() {
            let path = asset.split('?').next().unwrap_or(&asset).to_owned();
            if !fetched.insert(path.clone()) {
                continue;
            }
            let response = client.get(&asset).await;
            assert_eq!(response.status, StatusCode::OK, "{asset}");
            for import in imports(&response.body) {
                let folder = &path[..path.rfind('/').unwrap() + 1];
                queue.push(resolve(folder, &import));
            }
            total += response.body.len();
        }
        assert!(
            fetched.len() > 2,
            "the widget's modules were followed: {fetched:?}"
        );
        eprintln!(
            "sdk.js {} bytes; the widget's first open {total} bytes of script and style",
            sdk.body.len()
        );
        assert!(total < 60_000, "the widget's first open: {total} bytes");
        // The emoji picker loads on its first use, not with the first open.
        assert!(
            !fetched.iter().any(|f| f.ends_with("/emoji.js")),
            "{fetched:?}"
        );
    }
);
