//! The dark look: the dashboard follows the system's `prefers-color-scheme` (emulated here over
//! the DevTools protocol), and Dashboard Apps are told the theme the dashboard shows: in their
//! first context, and again, unasked and without a server fetch, when the setting changes.

use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::emulation::{MediaFeature, SetEmulatedMediaParams};
use serde_json::Value;

use crate::apps::{AppServer, open, open_tab, register};
use crate::browser_test;
use crate::chromium::Tab;
use crate::server::AGENT;

/// Makes the tab's pages see `prefers-color-scheme: <scheme>` (`"light"` or `"dark"`), as if
/// the system were set so. It lasts across navigations.
pub(crate) async fn prefer(tab: &Tab, scheme: &str) {
    tab.page
        .execute(
            SetEmulatedMediaParams::builder()
                .feature(MediaFeature::new("prefers-color-scheme", scheme))
                .build(),
        )
        .await
        .expect("emulate prefers-color-scheme");
}

/// The relative luminance (0 black … 1 white) of the page's computed body background.
async fn body_luminance(tab: &Tab) -> f64 {
    let rgb: Vec<f64> = tab
        .eval(
            "getComputedStyle(document.body).backgroundColor.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number)",
        )
        .await;
    let linear = |c: f64| {
        let c = c / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.0722f64.mul_add(
        linear(rgb[2]),
        0.2126f64.mul_add(linear(rgb[0]), 0.7152 * linear(rgb[1])),
    )
}

browser_test!(apps_are_told_the_theme_and_its_changes, |desk| async move {
    let apps = AppServer::start().await;
    let api = desk.api().await;
    let customer = api.customer_writes("Dora Dark", "Is it night yet?").await;
    register(&api, "Theme App", &apps.url("name=theme")).await;
    let tab = desk.signed_in(AGENT).await;

    // A system set to dark: a dark page, and the app is told so in its first context.
    prefer(&tab, "dark").await;
    open(&tab, customer.id).await;
    let dark = body_luminance(&tab).await;
    assert!(dark < 0.05, "the body background is dark: {dark}");
    open_tab(&tab, "Theme App").await;
    apps.wait("the context on load", Duration::from_secs(10), |_| {
        !apps.contexts("theme").is_empty()
    })
    .await;
    let first = apps.contexts("theme").remove(0);
    assert_eq!(first["data"]["theme"], "dark", "{first}");

    // The system switches to light: the page follows, and the app receives the context again
    // with the new theme, without asking and without the dashboard fetching anything.
    prefer(&tab, "light").await;
    apps.wait("a pushed light context", Duration::from_secs(3), |_| {
        apps.contexts("theme").len() >= 2
    })
    .await;
    let contexts = apps.contexts("theme");
    let pushed = &contexts[1];
    assert_eq!(pushed["data"]["theme"], "light", "{pushed}");
    let without_theme = |c: &Value| {
        let mut data = c["data"].clone();
        data.as_object_mut().unwrap().remove("theme");
        data
    };
    assert_eq!(
        without_theme(pushed),
        without_theme(&first),
        "the same context"
    );
    assert!(
        tab.responses_to("/context").is_empty(),
        "no fetch of the context"
    );
    let light = body_luminance(&tab).await;
    assert!(light > 0.8, "the body background is light: {light}");

    // And back to dark.
    prefer(&tab, "dark").await;
    apps.wait("a pushed dark context", Duration::from_secs(3), |_| {
        apps.contexts("theme")
            .last()
            .is_some_and(|c| c["data"]["theme"] == "dark")
    })
    .await;
    assert_eq!(apps.contexts("theme").len(), 3, "one context per change");
});
