//! The website widget, as a website's visitor and an agent use it: a test website on another
//! origin embeds Chatwoot's snippet exactly as Chatwoot's documentation prints it (only
//! `baseUrl` is Oxidesk's). The helpers here; the scenarios in `widget/`: talking (`talk`),
//! files and interactive messages (`files`), the pre-chat form and the survey (`survey`),
//! keyboard, screen reader and phone (`access`), ending a conversation and the emoji picker
//! (`visitor`), several conversations, the pop-out and the unread preview (`history`).

mod access;
mod files;
mod header;
mod history;
pub mod shots;
mod survey;
mod talk;
mod visitor;

use std::time::Duration;

use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use serde_json::Value;

use crate::chromium::Tab;

/// How long a live message may take (the issue asks for a second; the rest is room for a busy
/// two-core test machine).
pub const LIVE_WITHIN: Duration = Duration::from_secs(3);

/// The test website: Chatwoot's snippet for `website_token` on `base`, and a log of the SDK's
/// window events in `window.__events`.
pub fn website(base: &str, website_token: &str) -> &'static str {
    website_with(base, website_token, "{}")
}

/// The same, with `window.chatwootSettings` set to `settings` (a JavaScript object) first.
pub fn website_with(base: &str, website_token: &str, settings: &str) -> &'static str {
    let page = format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,"></head>
<body>
<h1>A shop</h1>
<script>
  window.chatwootSettings = {settings};
  window.__events = [];
  ["chatwoot:ready", "chatwoot:on-message", "chatwoot:opened", "chatwoot:closed", "chatwoot:error"]
    .forEach(function (name) {{
      window.addEventListener(name, function (e) {{ window.__events.push({{name: name, detail: e.detail}}); }});
    }});
</script>
<script>
  (function(d,t) {{
    var BASE_URL="{base}";
    var g=d.createElement(t),s=d.getElementsByTagName(t)[0];
    g.src=BASE_URL+"/packs/js/sdk.js";
    g.defer = true;
    g.async = true;
    s.parentNode.insertBefore(g,s);
    g.onload=function(){{
      window.chatwootSDK.run({{
        websiteToken: '{website_token}',
        baseUrl: BASE_URL
      }})
    }}
  }})(document,"script");
</script>
</body></html>"#
    );
    Box::leak(page.into_boxed_str())
}

/// Evaluates `js` in the widget's frame (the page's only iframe); `None` while there is none.
pub async fn in_widget(tab: &Tab, js: &str) -> Option<Value> {
    let main = tab.page.mainframe().await.ok()??;
    for frame in tab.page.frames().await.ok()? {
        if frame == main {
            continue;
        }
        let Ok(Some(context)) = tab.page.frame_execution_context(frame).await else {
            continue;
        };
        let params = EvaluateParams::builder()
            .expression(js)
            .context_id(context)
            .return_by_value(true)
            .await_promise(true)
            .build()
            .ok()?;
        let result = tab.page.execute(params).await.ok()?;
        if result.result.exception_details.is_none() {
            return result.result.result.value.clone();
        }
    }
    None
}

/// Waits until `js` is true in the widget's frame.
pub async fn wait_in_widget(tab: &Tab, what: &str, js: &str, limit: Duration) -> Duration {
    let start = std::time::Instant::now();
    let expression =
        format!("(() => {{ try {{ return !!({js}); }} catch (e) {{ return false; }} }})()");
    loop {
        if in_widget(tab, &expression).await == Some(Value::Bool(true)) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < limit,
            "waited {limit:?} for {what} in the widget (`{js}`)\n{}",
            tab.describe().await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The texts of the widget's messages.
pub const WIDGET_TEXTS: &str =
    "[...document.querySelectorAll('#widget-messages li p')].map(p => p.textContent)";

/// Clicks `selector` in the widget's frame with the mouse, as a visitor would (a real user
/// gesture: what `window.open` needs).
pub async fn click_in_widget(tab: &Tab, selector: &str) {
    let centre = format!(
        "(() => {{ const r = document.querySelector({}).getBoundingClientRect(); \
           return [r.left + r.width / 2, r.top + r.height / 2]; }})()",
        crate::chromium::js_string(selector)
    );
    let inner = in_widget(tab, &centre)
        .await
        .unwrap_or_else(|| panic!("no {selector} in the widget"));
    let frame: Vec<f64> = tab
        .eval("(() => { const r = document.querySelector('#cw-widget-holder iframe').getBoundingClientRect(); return [r.left, r.top]; })()")
        .await;
    let x = frame[0] + inner[0].as_f64().unwrap_or_default();
    let y = frame[1] + inner[1].as_f64().unwrap_or_default();
    tab.page
        .click(chromiumoxide::layout::Point::new(x, y))
        .await
        .unwrap_or_else(|e| panic!("clicking {selector} in the widget: {e}"));
}
