//! Files in the composer and the thread: an image and a document chosen with the file input
//! (through the DevTools protocol, as a person picking files), the image shown as a thumbnail
//! linking to the full image, the document as a download; an image pasted and a file dropped;
//! and a hostile SVG whose script never runs in Oxidesk's origin.

use std::io::Cursor;

use chromiumoxide::cdp::browser_protocol::dom::SetFileInputFilesParams;

use crate::browser_test;
use crate::chromium::{Tab, js_string};
use crate::conversation::wait_for_conversation;
use crate::server::AGENT;

pub const COMPOSER: &str = "form#composer textarea[name=content]";
const FILE_INPUT: &str = "form#composer input[type=file]";

/// An SVG whose script, if it ever ran in Oxidesk's origin, would leave a mark there.
const HOSTILE_SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><script>localStorage.setItem('pwned', 'svg'); document.cookie = 'pwned=svg; path=/';</script><rect width="20" height="20"/></svg>"#;

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([30, 140, 90]));
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

/// Chooses `paths` in the composer's file input, as the file picker would.
pub async fn choose_files(tab: &Tab, paths: &[&std::path::Path]) {
    choose_files_in(tab, FILE_INPUT, paths).await;
}

/// Chooses `paths` in the file input `selector`, as the file picker would.
pub async fn choose_files_in(tab: &Tab, selector: &str, paths: &[&std::path::Path]) {
    let files: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    // A page that re-renders (or a document the driver cached before it) can make the node
    // stale between finding and setting it: found again until the patience runs out.
    let start = std::time::Instant::now();
    loop {
        let chosen = match tab.page.find_element(selector).await {
            Ok(input) => {
                let params = SetFileInputFilesParams::builder()
                    .files(files.clone())
                    .backend_node_id(input.backend_node_id)
                    .build()
                    .expect("file input parameters");
                tab.page.execute(params).await.map(|_| ())
            }
            Err(e) => Err(e),
        };
        match chosen {
            Ok(()) => return,
            Err(e) if start.elapsed() > crate::chromium::PATIENCE => {
                panic!("the file input {selector}: {e}")
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
}

/// The number of files listed in the composer.
fn listed(n: usize) -> String {
    format!("document.querySelectorAll('form#composer .composer-files li').length === {n}")
}

browser_test!(
    files_go_through_the_composer_and_show_safely,
    |desk| async move {
        let api = desk.api().await;
        let customer = api
            .customer_writes("Ines Upload", "I'll send the photo")
            .await;
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("photo.png");
        std::fs::write(&photo, png(900, 600)).unwrap();
        let notes = dir.path().join("notes.pdf");
        let pdf = b"%PDF-1.4\n% Oxidesk test\n1 0 obj << >> endobj\n".to_vec();
        std::fs::write(&notes, &pdf).unwrap();
        let svg = dir.path().join("logo.svg");
        std::fs::write(&svg, HOSTILE_SVG).unwrap();

        let tab = desk.signed_in(AGENT).await;
        tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
            .await;
        wait_for_conversation(&tab, customer.id).await;

        // Two files chosen with the button's input, then sent with a line of text.
        choose_files(&tab, &[&photo, &notes]).await;
        tab.wait_for("two files listed in the composer", &listed(2))
            .await;
        tab.type_into(COMPOSER, "Here are both").await;
        tab.press(COMPOSER, "Enter").await;
        tab.wait_for("the composer emptied", &listed(0)).await;

        // The image as a thumbnail that loaded, linking to the full image; the PDF as a download.
        tab.wait_for(
            "the thumbnail, loaded",
            "[...document.querySelectorAll('section#thread .message-files .file-image img')]\
           .some(img => img.complete && img.naturalWidth > 0)",
        )
        .await;
        let (thumb_width, full_href, alt): (i64, String, String) = tab
        .eval(
            "(() => { const img = [...document.querySelectorAll('section#thread .file-image img')].pop(); \
               return [img.naturalWidth, img.closest('a').getAttribute('href'), img.alt]; })()",
        )
        .await;
        assert_eq!(thumb_width, 320, "a thumbnail, not the 900-pixel original");
        assert_eq!(alt, "photo.png");
        assert!(
            full_href.contains("/original/photo.png?expires="),
            "{full_href}"
        );
        let (status, width): (i64, i64) = tab
        .eval_async(&format!(
            "fetch({}).then(r => r.blob()).then(b => createImageBitmap(b)).then(i => [200, i.width])",
            js_string(&full_href)
        ))
        .await;
        assert_eq!((status, width), (200, 900), "the link opens the full image");

        let (name, size, href): (String, String, String) = tab
        .eval(
            "(() => { const d = [...document.querySelectorAll('section#thread .file-download')].pop(); \
               return [d.querySelector('.file-name').textContent, d.querySelector('.file-size').textContent, \
                       d.querySelector('a[download]').getAttribute('href')]; })()",
        )
        .await;
        assert_eq!(name, "notes.pdf");
        assert_eq!(size, format!("{} bytes", pdf.len()));
        let (disposition, kind, length): (String, String, i64) = tab
        .eval_async(&format!(
            "fetch({}).then(async r => [r.headers.get('content-disposition'), r.headers.get('content-type'), \
               (await r.arrayBuffer()).byteLength])",
            js_string(&href)
        ))
        .await;
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert_eq!(kind, "application/octet-stream");
        assert_eq!(length, pdf.len() as i64, "the download is the file");

        // The API has the message with both files.
        let messages = api.messages(customer.id).await;
        let sent = messages.last().unwrap();
        assert_eq!(sent["content"], "Here are both");
        assert_eq!(sent["attachments"][0]["file_type"], "image");
        assert_eq!(sent["attachments"][0]["width"], 900);
        assert_eq!(sent["attachments"][1]["content_type"], "application/pdf");

        // A pasted image and a dropped file are listed too; a file can be taken off again.
        tab.eval::<bool>(
        "(() => { const dt = new DataTransfer(); \
           dt.items.add(new File([new Uint8Array([137,80,78,71,13,10,26,10])], 'image.png', {type: 'image/png'})); \
           document.querySelector('form#composer textarea').dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); \
           return true; })()",
    )
    .await;
        tab.wait_for("the pasted image listed", &listed(1)).await;
        let pasted: String = tab
            .eval("document.querySelector('form#composer .composer-files .file-name').textContent")
            .await;
        assert!(
            pasted.starts_with("pasted-") && pasted.ends_with(".png"),
            "{pasted}"
        );
        tab.eval::<bool>(
        "(() => { const dt = new DataTransfer(); dt.items.add(new File(['hello'], 'dropped.txt', {type: 'text/plain'})); \
           document.querySelector('form#composer').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true})); \
           return true; })()",
    )
    .await;
        tab.wait_for("the dropped file listed", &listed(2)).await;
        tab.click("form#composer .composer-files .remove-file")
            .await;
        tab.click("form#composer .composer-files .remove-file")
            .await;
        tab.wait_for("nothing listed", &listed(0)).await;

        // A hostile SVG (files only, no text): a download, never an image; opened directly, its
        // script does not run in Oxidesk's origin.
        choose_files(&tab, &[&svg]).await;
        tab.wait_for("the SVG listed", &listed(1)).await;
        tab.click("form#composer button[type=submit]").await;
        tab.wait_for(
        "the SVG as a download",
        "[...document.querySelectorAll('section#thread .file-download .file-name')].some(n => n.textContent === 'logo.svg')",
    )
    .await;
        let svg_href: String = tab
        .eval(
            "[...document.querySelectorAll('section#thread .file-download')]\
               .find(d => d.textContent.includes('logo.svg')).querySelector('a').getAttribute('href')",
        )
        .await;
        let images: i64 = tab
        .eval(&format!(
            "document.querySelectorAll('img[src*=\"logo.svg\"], object, embed, iframe[src*={}]').length",
            js_string("/attachments/")
        ))
        .await;
        assert_eq!(images, 0, "nothing renders the SVG");
        let (disposition, kind, policy): (String, String, String) = tab
        .eval_async(&format!(
            "fetch({}).then(r => [r.headers.get('content-disposition'), r.headers.get('content-type'), \
               r.headers.get('content-security-policy')])",
            js_string(&svg_href)
        ))
        .await;
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert_eq!(kind, "application/octet-stream");
        assert!(policy.starts_with("sandbox"), "{policy}");
        let other = desk.tab().await;
        // A download, or a sandboxed document: either way the navigation may report an error.
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            other.page.goto(format!("{}{svg_href}", desk.server.base())),
        )
        .await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let marks: (Option<String>, bool) = tab
            .eval("[localStorage.getItem('pwned'), document.cookie.includes('pwned')]")
            .await;
        assert_eq!(
            marks,
            (None, false),
            "the SVG's script ran in Oxidesk's origin"
        );
        let after = api.messages(customer.id).await;
        let last = after.last().unwrap();
        assert_eq!(last["content"], serde_json::Value::Null, "files only");
        assert_eq!(last["attachments"][0]["content_type"], "image/svg+xml");
        assert_eq!(last["attachments"][0]["file_type"], "file");
    }
);
