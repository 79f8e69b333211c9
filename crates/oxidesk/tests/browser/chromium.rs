//! Headless Chromium, driven over the DevTools protocol with `chromiumoxide`: finding Debian's
//! `/usr/bin/chromium` (or `OXIDESK_CHROMIUM`), a fresh profile per browser, and a [`Tab`] with
//! the few things the scenarios need: go to a page, wait for a condition written in JavaScript,
//! type, click, and see every HTTP response and every dialog the page opened.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::network::{EventResponseReceived, ResourceType};
use chromiumoxide::cdp::browser_protocol::page::{
    EventJavascriptDialogOpening, HandleJavaScriptDialogParams,
};
use chromiumoxide::page::{Page, ScreenshotParams};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

/// The variable naming another Chromium executable.
pub const CHROMIUM_VAR: &str = "OXIDESK_CHROMIUM";
/// The variable (set by CI) that turns a missing browser into a failure.
pub const REQUIRE_VAR: &str = "OXIDESK_REQUIRE_BROWSER";
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// How long a scenario waits for something to appear on the page.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// The Chromium to run, if there is one. Without one, says so loudly (once, straight to stderr,
/// which the test harness does not capture) and the tests pass; with `OXIDESK_REQUIRE_BROWSER=1`
/// a missing browser fails the test instead.
pub fn executable() -> Option<PathBuf> {
    let path = std::env::var_os(CHROMIUM_VAR)
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from(DEFAULT_CHROMIUM), PathBuf::from);
    if path.is_file() {
        return Some(path);
    }
    let required = std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "1" || v == "true");
    assert!(
        !required,
        "no Chromium at {} but {REQUIRE_VAR}=1: install it (apt-get install chromium) or set {CHROMIUM_VAR}",
        path.display()
    );
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "\nWARNING: SKIPPED browser tests: no Chromium at {} (apt-get install chromium, or set {CHROMIUM_VAR})\n",
            path.display()
        );
    });
    None
}

/// One headless Chromium with a profile of its own, removed afterwards.
pub struct Chromium {
    browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

impl Chromium {
    /// Starts the browser at `path` with a desktop-sized window.
    pub async fn launch(path: &std::path::Path) -> Self {
        let profile = tempfile::tempdir().expect("profile folder");
        let config = BrowserConfig::builder()
            .chrome_executable(path)
            .no_sandbox()
            .user_data_dir(profile.path())
            .window_size(1280, 800)
            .viewport(None)
            .launch_timeout(Duration::from_secs(30))
            .request_timeout(Duration::from_secs(20))
            .args([
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ])
            .build()
            .expect("browser configuration");
        let (browser, mut events) = Browser::launch(config)
            .await
            .unwrap_or_else(|e| panic!("cannot start Chromium at {}: {e}", path.display()));
        // The handler drives the connection. Messages this protocol version does not know
        // (newer Chromium) come out as errors; they are not fatal.
        let handler = tokio::spawn(async move { while events.next().await.is_some() {} });
        Self {
            browser,
            handler,
            _profile: profile,
        }
    }

    /// A new tab, showing nothing yet, that records responses and dismisses (and counts) dialogs.
    pub async fn tab(&self, base: &str) -> Tab {
        let page = self.browser.new_page("about:blank").await.expect("new tab");
        Self::wrap(page, base).await
    }

    /// The window a page opened (`window.open`) whose address contains `part`, once it is
    /// there, as a tab on `base`.
    pub async fn opened(&self, part: &str, base: &str) -> Tab {
        let start = Instant::now();
        loop {
            for page in self.browser.pages().await.unwrap_or_default() {
                let url = page.url().await.ok().flatten().unwrap_or_default();
                if url.contains(part) {
                    return Self::wrap(page, base).await;
                }
            }
            assert!(
                start.elapsed() < PATIENCE,
                "no window opened at an address with {part}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wrap(page: Page, base: &str) -> Tab {
        let responses = Arc::new(Mutex::new(Vec::new()));
        let dialogs = Arc::new(AtomicUsize::new(0));
        let accept = Arc::new(AtomicBool::new(false));
        let dialog_log = Arc::new(Mutex::new(Vec::new()));
        let mut heard = page
            .event_listener::<EventResponseReceived>()
            .await
            .expect("listen to responses");
        let seen = Arc::clone(&responses);
        tokio::spawn(async move {
            while let Some(event) = heard.next().await {
                if let Ok(mut seen) = seen.lock() {
                    seen.push(Response {
                        url: event.response.url.clone(),
                        status: event.response.status,
                        document: event.r#type == ResourceType::Document,
                        content_type: event.response.mime_type.clone(),
                    });
                }
            }
        });
        let mut opened = page
            .event_listener::<EventJavascriptDialogOpening>()
            .await
            .expect("listen to dialogs");
        let count = Arc::clone(&dialogs);
        let accepting = Arc::clone(&accept);
        let log = Arc::clone(&dialog_log);
        let dismisser = page.clone();
        tokio::spawn(async move {
            while let Some(dialog) = opened.next().await {
                count.fetch_add(1, Ordering::SeqCst);
                eprintln!("a page opened a dialog: {:?}", dialog.message);
                if let Ok(mut log) = log.lock() {
                    log.push(format!("{:?}: {}", dialog.r#type, dialog.message));
                }
                let _ = dismisser
                    .execute(HandleJavaScriptDialogParams::new(
                        accepting.load(Ordering::SeqCst),
                    ))
                    .await;
            }
        });
        Tab {
            page,
            base: base.trim_end_matches('/').to_owned(),
            responses,
            dialogs,
            accept,
            dialog_log,
        }
    }

    /// Closes the browser and waits for it to exit.
    pub async fn close(mut self) {
        let closed = tokio::time::timeout(Duration::from_secs(5), self.browser.close()).await;
        if !matches!(closed, Ok(Ok(_))) {
            let _ = self.browser.kill().await;
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), self.browser.wait()).await;
        self.handler.abort();
    }
}

/// An HTTP response the tab received.
#[derive(Debug, Clone)]
pub struct Response {
    /// The full URL.
    pub url: String,
    /// The status code.
    pub status: i64,
    /// Whether it was a page (not a script, a style sheet, a fetch or an event stream).
    pub document: bool,
    /// Its MIME type.
    pub content_type: String,
}

/// A browser tab on one Oxidesk server.
pub struct Tab {
    /// The page, for what the helpers do not cover.
    pub page: Page,
    base: String,
    responses: Arc<Mutex<Vec<Response>>>,
    dialogs: Arc<AtomicUsize>,
    accept: Arc<AtomicBool>,
    dialog_log: Arc<Mutex<Vec<String>>>,
}

impl Tab {
    /// Opens `path` on the server and waits until it has loaded. The responses seen so far are
    /// forgotten: [`Tab::responses_to`] then tells about this page only.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        if let Ok(mut seen) = self.responses.lock() {
            seen.clear();
        }
        self.page
            .goto(url.as_str())
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// The value of a JavaScript expression (an error while the page is being replaced).
    pub async fn try_eval<T: DeserializeOwned>(&self, js: &str) -> Result<T, String> {
        let result = self.page.evaluate(js).await.map_err(|e| e.to_string())?;
        result.into_value::<T>().map_err(|e| e.to_string())
    }

    /// The value of a JavaScript expression.
    pub async fn eval<T: DeserializeOwned>(&self, js: &str) -> T {
        match self.try_eval(js).await {
            Ok(value) => value,
            Err(e) => panic!("evaluating `{js}`: {e}\n{}", self.describe().await),
        }
    }

    /// The value a JavaScript promise resolves to (`fetch(...).then(...)`).
    pub async fn eval_async<T: DeserializeOwned>(&self, js: &str) -> T {
        let function = format!("async () => {{ return await ({js}); }}");
        match self.page.evaluate_function(function.as_str()).await {
            Ok(result) => result
                .into_value::<T>()
                .unwrap_or_else(|e| panic!("the value of `{js}`: {e}")),
            Err(e) => panic!("evaluating `{js}`: {e}\n{}", self.describe().await),
        }
    }

    /// Waits until the JavaScript expression `js` is true; fails with `what` and a description
    /// of the page after `PATIENCE`. Returns how long it took.
    pub async fn wait_for(&self, what: &str, js: &str) -> Duration {
        self.wait_for_within(what, js, PATIENCE).await
    }

    /// [`Tab::wait_for`] with another time limit.
    pub async fn wait_for_within(&self, what: &str, js: &str, limit: Duration) -> Duration {
        let start = Instant::now();
        let expression =
            format!("(() => {{ try {{ return !!({js}); }} catch (e) {{ return false; }} }})()");
        loop {
            if let Ok(true) = self.try_eval::<bool>(&expression).await {
                return start.elapsed();
            }
            if start.elapsed() > limit {
                panic!(
                    "waited {limit:?} for {what} (`{js}`)\n{}",
                    self.describe().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Whether an element matches `selector` now.
    pub async fn exists(&self, selector: &str) -> bool {
        self.eval(&format!(
            "document.querySelector({}) !== null",
            js_string(selector)
        ))
        .await
    }

    /// Waits for `selector` to match, then clicks the element's centre with the mouse. Pages
    /// re-render parts of themselves after live events: an element replaced between finding and
    /// clicking it is found again.
    pub async fn click(&self, selector: &str) {
        let start = Instant::now();
        loop {
            self.wait_for(
                &format!("an element to click: {selector}"),
                &format!("document.querySelector({}) !== null", js_string(selector)),
            )
            .await;
            let clicked = match self.page.find_element(selector).await {
                Ok(element) => element.click().await.map(|_| ()),
                Err(e) => Err(e),
            };
            match clicked {
                Ok(()) => return,
                Err(e) if start.elapsed() > PATIENCE => panic!("clicking {selector}: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Clicks into `selector` and types `text` key by key.
    pub async fn type_into(&self, selector: &str, text: &str) {
        self.click(selector).await;
        let element = self
            .page
            .find_element(selector)
            .await
            .unwrap_or_else(|e| panic!("{selector}: {e}"));
        element
            .type_str(text)
            .await
            .unwrap_or_else(|e| panic!("typing into {selector}: {e}"));
    }

    /// Presses a key (`"Enter"`) in the element `selector`, which has the focus.
    pub async fn press(&self, selector: &str, key: &str) {
        let element = self
            .page
            .find_element(selector)
            .await
            .unwrap_or_else(|e| panic!("{selector}: {e}"));
        element
            .press_key(key)
            .await
            .unwrap_or_else(|e| panic!("pressing {key} in {selector}: {e}"));
    }

    /// Every response so far to a URL whose path ends with `path` (query strings aside).
    pub fn responses_to(&self, path: &str) -> Vec<Response> {
        let matches = |url: &str| {
            url.split(['?', '#'])
                .next()
                .is_some_and(|p| p.ends_with(path))
        };
        self.responses
            .lock()
            .map(|seen| seen.iter().filter(|r| matches(&r.url)).cloned().collect())
            .unwrap_or_default()
    }

    /// Waits until a response to a URL whose path ends with `path` arrived (for an event
    /// stream: the server has subscribed this browser to the account's events).
    pub async fn wait_for_response(&self, path: &str) -> Response {
        let start = Instant::now();
        loop {
            if let Some(found) = self.responses_to(path).pop() {
                return found;
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "no response to a URL ending in {path} in {PATIENCE:?}\n{}",
                    self.describe().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// From now on, accept dialogs (OK) instead of dismissing them (Cancel).
    pub fn accept_dialogs(&self) {
        self.accept.store(true, Ordering::SeqCst);
    }

    /// The dialogs pages in this tab opened, as `Type: message`.
    pub fn dialog_log(&self) -> Vec<String> {
        self.dialog_log
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default()
    }

    /// How many dialogs (`alert`, `confirm`, `prompt`) pages in this tab opened.
    pub fn dialogs(&self) -> usize {
        self.dialogs.load(Ordering::SeqCst)
    }

    /// Presses `key` (`"Tab"`, `"Enter"`, `"Escape"`, with its Windows key code) wherever the
    /// focus is, as a keyboard would; `shift` held for Shift+Tab.
    pub async fn key(&self, key: &str, key_code: i64, shift: bool) {
        use chromiumoxide::cdp::browser_protocol::input::{
            DispatchKeyEventParams, DispatchKeyEventType,
        };
        for kind in [
            DispatchKeyEventType::RawKeyDown,
            DispatchKeyEventType::KeyUp,
        ] {
            let mut event = DispatchKeyEventParams::builder()
                .r#type(kind.clone())
                .key(key)
                .code(key)
                .windows_virtual_key_code(key_code)
                .native_virtual_key_code(key_code)
                .modifiers(if shift { 8 } else { 0 });
            if key == "Enter" && kind == DispatchKeyEventType::RawKeyDown {
                event = event.r#type(DispatchKeyEventType::KeyDown).text("\r");
            }
            self.page
                .execute(event.build().expect("a key event"))
                .await
                .unwrap_or_else(|e| panic!("pressing {key}: {e}"));
        }
    }

    /// Types `text` where the focus is (as an input method would: one insertion).
    pub async fn insert_text(&self, text: &str) {
        use chromiumoxide::cdp::browser_protocol::input::InsertTextParams;
        self.page
            .execute(InsertTextParams::new(text))
            .await
            .unwrap_or_else(|e| panic!("typing {text}: {e}"));
    }

    /// Emulates a screen of `width`×`height` CSS pixels (`mobile`: a phone's viewport rules).
    pub async fn resize(&self, width: i64, height: i64, mobile: bool) {
        self.page
            .execute(SetDeviceMetricsOverrideParams::new(
                width, height, 1.0, mobile,
            ))
            .await
            .expect("set the screen size");
    }

    /// A PNG of the visible screen.
    pub async fn screenshot(&self) -> Vec<u8> {
        self.page
            .screenshot(ScreenshotParams::builder().build())
            .await
            .expect("screenshot")
    }

    /// The address, title and start of the body, for failure messages.
    pub async fn describe(&self) -> String {
        let url = self.page.url().await.ok().flatten().unwrap_or_default();
        let html: String = self
            .try_eval("document.body ? document.body.outerHTML : '(no body)'")
            .await
            .unwrap_or_else(|e| format!("(cannot read the page: {e})"));
        let cut: String = html.chars().take(3000).collect();
        format!("page {url}:\n{cut}")
    }
}

/// `text` as a JavaScript string literal.
pub fn js_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
