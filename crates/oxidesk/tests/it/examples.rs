//! The example dashboard apps "Customer Orders" (on the SDK) and "Customer Orders (classic)"
//! (the seeds' protocol alone): served by Oxidesk under `/examples/customer-orders/` and
//! `/examples/customer-orders-classic/` with headers that let any dashboard frame them, the
//! first installed in the demo account by `oxidesk demo`. And the SDK they use, served to any
//! origin under `/sdk/v1/`.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::app_test;

const APP: &str = "/examples/customer-orders/";

app_test!(the_example_app_is_served_framable, |app| async move {
    let mut browser = app.browser();
    for (path, kind, needle) in [
        (
            APP,
            "text/html; charset=utf-8",
            "<title>Customer Orders</title>",
        ),
        (
            "/examples/customer-orders/index.html",
            "text/html; charset=utf-8",
            "Waiting for the conversation…",
        ),
        (
            "/examples/customer-orders/app.js",
            "text/javascript; charset=utf-8",
            "from \"/sdk/v1/dashboard-app.js\"",
        ),
        (
            "/examples/customer-orders-classic/",
            "text/html; charset=utf-8",
            "<title>Customer Orders (classic)</title>",
        ),
        (
            "/examples/customer-orders-classic/app.js",
            "text/javascript; charset=utf-8",
            "addEventListener(\"message\"",
        ),
        (
            "/examples/customer-orders/orders.js",
            "text/javascript; charset=utf-8",
            "export function ordersFor",
        ),
        (
            "/examples/customer-orders/app.css",
            "text/css; charset=utf-8",
            "data-theme=\"dark\"",
        ),
    ] {
        let response = browser.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_eq!(response.header("content-type"), Some(kind), "{path}");
        assert!(response.body.contains(needle), "{path}: {}", response.body);
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        let csp = response
            .header("content-security-policy")
            .unwrap_or_default();
        assert!(csp.contains("script-src 'self';"), "{path}: {csp}");
        assert!(csp.contains("style-src 'self';"), "{path}: {csp}");
        assert!(csp.contains("object-src 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("frame-ancestors *;") && !csp.contains("frame-ancestors 'none'"),
            "any dashboard may frame it, {path}: {csp}"
        );
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        // No DENY or SAMEORIGIN: `ALLOWALL` is the legacy "no restriction" (see examples.rs).
        assert_eq!(
            response.header("x-frame-options"),
            Some("ALLOWALL"),
            "{path}"
        );
        assert_eq!(response.header("cache-control"), Some("no-cache"), "{path}");
    }

    let redirect = browser.get("/examples/customer-orders").await;
    assert_eq!(redirect.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.location(), Some(APP));

    for path in [
        "/examples/customer-orders/missing.js",
        "/examples/customer-orders/../../Cargo.toml",
        "/examples/customer-orders/%2e%2e/%2e%2e/Cargo.toml",
        "/examples/customer-orders/.hidden",
        "/examples/customer-orders/index.html/",
        "/examples/no-such-app/",
        "/examples/no-such-app",
        "/examples/",
        "/examples",
    ] {
        let response = browser.get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        // The ordinary 404 page, with the ordinary headers: not framable.
        assert_eq!(response.header("x-frame-options"), Some("DENY"), "{path}");
    }
});

app_test!(the_demo_account_has_the_example_app, |app| async move {
    let summary = oxidesk::demo::seed(app.services(), "http://127.0.0.1:3000")
        .await
        .unwrap();
    let token = app.token("admin@acme.example").await;
    let auth = [("api_access_token", token.as_str())];
    let mut client = app.browser();
    let base = format!("/api/v1/accounts/{}/dashboard_apps", summary.account_id);
    let list = client.json(Method::GET, &base, &auth, json!(null)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let apps = list.json();
    let apps = apps.as_array().unwrap();
    assert_eq!(apps.len(), 1, "{apps:?}");
    assert_eq!(apps[0]["title"], "Customer Orders");
    assert_eq!(
        apps[0]["content"],
        json!([{"type": "frame", "url": "http://127.0.0.1:3000/examples/customer-orders/"}])
    );

    // Running the demo again does not add a second one.
    oxidesk::demo::seed(app.services(), "http://127.0.0.1:3000")
        .await
        .unwrap();
    let again = client.json(Method::GET, &base, &auth, json!(null)).await;
    assert_eq!(again.json().as_array().unwrap().len(), 1);

    // What the app's URL points at is this server's example.
    let page = client.get(APP).await;
    assert_eq!(page.status, StatusCode::OK);
});

app_test!(the_sdk_is_served_to_any_origin, |app| async move {
    let mut browser = app.browser();
    for (path, kind, needle) in [
        (
            "/sdk/v1/dashboard-app.js",
            "text/javascript; charset=utf-8",
            "export function connect(",
        ),
        (
            "/sdk/v1/dashboard-app.d.ts",
            "text/plain; charset=utf-8",
            "export declare function connect(",
        ),
        (
            "/sdk/v1/schemas/protocol.schema.json",
            "application/schema+json",
            "\"request.note.create\"",
        ),
    ] {
        let response = browser.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_eq!(response.header("content-type"), Some(kind), "{path}");
        assert!(response.body.contains(needle), "{path}");
        // A module imported by an app on another origin needs CORS.
        assert_eq!(
            response.header("access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
        assert_eq!(
            response.header("cache-control"),
            Some("public, max-age=3600, must-revalidate"),
            "{path}"
        );
        assert!(response.header("etag").is_some(), "{path}");
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    for path in [
        "/sdk/v1/missing.js",
        "/sdk/v1/%2e%2e/v1/dashboard-app.js",
        "/sdk/v2/dashboard-app.js",
        "/sdk/",
    ] {
        let response = browser.get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
    }
});
