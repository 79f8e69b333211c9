//! The page-weight budget: the conversation page's own JavaScript and CSS (the style sheets and
//! scripts it links, and every module those scripts import, however deep) stay under 100 KB
//! uncompressed. The figures are printed for `docs/PERFORMANCE.md`:
//! `cargo test -p oxidesk --test it page_weight -- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use oxidesk::http::assets::asset_sizes;
use oxidesk_store::Backend;

use crate::support::TestApp;

/// The budget, in bytes (100 KB).
const BUDGET: usize = 100_000;

/// The values of `attribute="..."` in `html` on tags that start with `tag`.
fn attribute_values(html: &str, tag: &str, attribute: &str) -> Vec<String> {
    let mut values = Vec::new();
    for piece in html.split('<').skip(1) {
        let Some(end) = piece.find('>') else { continue };
        let element = &piece[..end];
        if !element.starts_with(tag) {
            continue;
        }
        let needle = format!("{attribute}=\"");
        if let Some(start) = element.find(&needle) {
            let rest = &element[start + needle.len()..];
            if let Some(stop) = rest.find('"') {
                values.push(rest[..stop].to_owned());
            }
        }
    }
    values
}

/// `static/`-relative paths of the assets in `/assets/<path>?v=...` URLs.
fn asset_path(url: &str) -> Option<String> {
    let path = url.strip_prefix("/assets/")?;
    Some(path.split('?').next()?.to_owned())
}

/// The modules a script imports (`import ... from "x"`, `import "x"`, `import("x")`,
/// `export ... from "x"`), as paths under `static/`.
fn imports(script_path: &str, source: &str) -> Vec<String> {
    let dir = script_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut found = Vec::new();
    for quote in ['"', '\''] {
        for (i, _) in source.match_indices(quote) {
            let before = source[..i].trim_end();
            let is_import = before.ends_with("from")
                || before.ends_with("import")
                || before.ends_with("import(");
            if !is_import {
                continue;
            }
            let rest = &source[i + 1..];
            let Some(end) = rest.find(quote) else {
                continue;
            };
            let target = &rest[..end];
            if let Some(path) = resolve(dir, target) {
                found.push(path);
            }
        }
    }
    found
}

/// `target` (`./x.js`, `../x.js`, `/assets/js/x.js?v=...`) relative to `dir`.
fn resolve(dir: &str, target: &str) -> Option<String> {
    if let Some(path) = asset_path(target) {
        return Some(path);
    }
    if !(target.starts_with("./") || target.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('?').next()?.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[tokio::test]
async fn the_conversation_page_loads_under_100_kb_of_its_own_js_and_css() {
    let app = TestApp::new(Backend::Sqlite).await.unwrap();
    oxidesk::demo::seed(app.services(), "http://127.0.0.1:3000")
        .await
        .unwrap();
    let mut browser = app.browser();
    browser.login("admin@acme.example", "oxidesk-admin").await;
    let page = browser.get("/app/accounts/1/conversations/1").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    let mut pending: Vec<String> = attribute_values(&page.body, "link", "href")
        .into_iter()
        .chain(attribute_values(&page.body, "script", "src"))
        .filter_map(|url| asset_path(&url))
        .filter(|path| path.ends_with(".js") || path.ends_with(".css"))
        .collect();
    assert!(
        pending.iter().any(|p| p.ends_with(".css")) && pending.iter().any(|p| p.ends_with(".js")),
        "the page links its style sheet and script: {pending:?}"
    );

    let sizes: BTreeMap<String, usize> = asset_sizes().into_iter().collect();
    let mut loaded = BTreeSet::new();
    while let Some(path) = pending.pop() {
        if !loaded.insert(path.clone()) {
            continue;
        }
        let asset = browser.get(&format!("/assets/{path}")).await;
        assert_eq!(asset.status, StatusCode::OK, "/assets/{path}");
        assert_eq!(
            sizes.get(&path),
            Some(&asset.body.len()),
            "asset_sizes() knows {path}"
        );
        if path.ends_with(".js") {
            pending.extend(imports(&path, &asset.body));
        }
    }

    let total: usize = loaded.iter().map(|p| sizes[p]).sum();
    let js: usize = loaded
        .iter()
        .filter(|p| p.ends_with(".js"))
        .map(|p| sizes[p])
        .sum();
    println!(
        "The conversation page loads {} files of its own:",
        loaded.len()
    );
    for path in &loaded {
        println!("  {:>7} bytes  {path}", sizes[path]);
    }
    println!(
        "  {total:>7} bytes in all ({js} JavaScript, {} CSS), budget {BUDGET}",
        total - js
    );
    assert!(
        total < BUDGET,
        "the conversation page's own JavaScript and CSS weigh {total} bytes, over the {BUDGET} budget: {loaded:?}"
    );
}

#[test]
fn imports_are_found_and_resolved() {
    let source = "import { a } from './http.js';\nimport \"../lib/x.js\";\n\
                  export { b } from './live.js';\nconst m = import('./lazy.js');\nconst s = 'from';";
    let mut found = imports("js/app.js", source);
    found.sort();
    assert_eq!(
        found,
        ["js/http.js", "js/lazy.js", "js/live.js", "lib/x.js"]
    );
}
