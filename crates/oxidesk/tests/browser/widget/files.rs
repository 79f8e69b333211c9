//! Files and interactive messages in the widget (the page as mobile apps open it,
//! `/widget?website_token=…`): the visitor sends an image with the file button and the agent's
//! dashboard shows it; the agent sends a file and the visitor sees it as a download; a pasted
//! image is listed; the visitor answers an `input_select`; cards show their links safely.

use serde_json::json;

use crate::attachments::{COMPOSER, choose_files, choose_files_in, png};
use crate::browser_test;
use crate::chromium::Tab;
use crate::server::ADMIN;

/// Opens the widget page of `website_token` on its own; waits for it to be ready.
pub async fn open_widget(tab: &Tab, website_token: &str) {
    tab.goto(&format!("/widget?website_token={website_token}"))
        .await;
    tab.wait_for(
        "the widget page",
        "document.querySelector('#widget-composer') !== null",
    )
    .await;
}

browser_test!(
    files_and_interactive_messages_in_the_widget,
    |desk| async move {
        let api = desk.api().await;
        let inbox = api
            .post(
                "/api/v1/accounts/1/inboxes",
                json!({"name": "Files site", "channel": {"type": "web_widget",
                   "website_url": "https://files.example"}}),
            )
            .await;
        let website_token = inbox["website_token"].as_str().unwrap().to_owned();
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("screen.png");
        std::fs::write(&photo, png(640, 480)).unwrap();
        let manual = dir.path().join("manual.pdf");
        let pdf = b"%PDF-1.4\n% Oxidesk widget test\n1 0 obj << >> endobj\n".to_vec();
        std::fs::write(&manual, &pdf).unwrap();

        // The visitor sends an image with the file button.
        let visitor = desk.tab().await;
        open_widget(&visitor, &website_token).await;
        assert!(
            visitor
                .eval::<bool>("!document.querySelector('#widget-attach').hidden")
                .await
        );
        choose_files_in(&visitor, "#widget-file", &[&photo]).await;
        visitor
            .wait_for(
                "the file listed",
                "document.querySelectorAll('#widget-files li').length === 1",
            )
            .await;
        visitor.type_into("#widget-input", "My screen").await;
        visitor.press("#widget-input", "Enter").await;
        visitor
            .wait_for(
                "the image, loaded, in the visitor's message",
                "[...document.querySelectorAll('#widget-messages li.visitor .files img')]\
                 .some(img => img.complete && img.naturalWidth > 0)",
            )
            .await;
        assert!(
            visitor
                .eval::<bool>("document.querySelector('#widget-files').hidden")
                .await
        );

        // A pasted image is listed, and can be taken off again.
        visitor
            .eval::<bool>(
                "(() => { const dt = new DataTransfer(); \
                 dt.items.add(new File([new Uint8Array([137,80,78,71,13,10,26,10])], 'pasted.png', {type: 'image/png'})); \
                 document.querySelector('#widget-input').dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); \
                 return true; })()",
            )
            .await;
        visitor
            .wait_for(
                "the pasted image listed",
                "document.querySelectorAll('#widget-files li').length === 1",
            )
            .await;
        visitor.click("#widget-files li button").await;
        visitor
            .wait_for(
                "the list emptied",
                "document.querySelectorAll('#widget-files li').length === 0",
            )
            .await;

        // The agent's dashboard shows the image; the agent sends a PDF with the composer.
        let list = api
            .get(&format!(
                "/api/v1/accounts/1/conversations?inbox_id={}&assignee_type=all",
                inbox["id"]
            ))
            .await;
        let id = list["data"]["payload"][0]["id"].as_i64().unwrap();
        let agent = desk.signed_in(ADMIN).await;
        agent
            .goto(&format!("/app/accounts/1/conversations/{id}"))
            .await;
        agent
            .wait_for(
                "the visitor's image in the thread",
                "[...document.querySelectorAll('section#thread .file-image img')]\
                 .some(img => img.complete && img.naturalWidth > 0 && img.alt === 'screen.png')",
            )
            .await;
        choose_files(&agent, &[&manual]).await;
        agent.type_into(COMPOSER, "The manual").await;
        agent.press(COMPOSER, "Enter").await;

        visitor.page.bring_to_front().await.unwrap();
        visitor
            .wait_for(
                "the agent's file, as a download",
                "[...document.querySelectorAll('#widget-messages li.agent a.file[download]')]\
                 .some(a => a.querySelector('.file-name').textContent === 'manual.pdf')",
            )
            .await;
        let (size, href): (String, String) = visitor
            .eval(
                "(() => { const a = document.querySelector('#widget-messages li.agent a.file'); \
                 return [a.querySelector('.file-size').textContent, a.getAttribute('href')]; })()",
            )
            .await;
        assert_eq!(size, format!("{} B", pdf.len()));
        let length: i64 = visitor
            .eval_async(&format!(
                "fetch({}).then(r => r.arrayBuffer()).then(b => b.byteLength)",
                crate::chromium::js_string(&href)
            ))
            .await;
        assert_eq!(length, pdf.len() as i64);

        // An input_select from a bot: the visitor picks an option, stored as Chatwoot does.
        let select = api
            .post(
                &format!("/api/v1/accounts/1/conversations/{id}/messages"),
                json!({"content": "Which plan? <b>bold</b>", "content_type": "input_select",
                   "content_attributes": {"items": [{"title": "Basic <i>", "value": "basic"},
                                                    {"title": "Pro", "value": "pro"}]}}),
            )
            .await;
        visitor
            .wait_for(
                "the options",
                "document.querySelectorAll('#widget-messages .options button').length === 2",
            )
            .await;
        assert_eq!(
            visitor
                .eval::<String>(
                    "document.querySelector('#widget-messages .options button').textContent"
                )
                .await,
            "Basic <i>",
            "the option's text, as text"
        );
        visitor
            .click("#widget-messages .options button:nth-child(2)")
            .await;
        visitor
            .wait_for(
                "the choice shown",
                "document.querySelector('#widget-messages .option.chosen')?.textContent === 'Pro'",
            )
            .await;
        let messages = api.messages(id).await;
        let answered = messages.iter().find(|m| m["id"] == select["id"]).unwrap();
        assert_eq!(
            answered["content_attributes"]["submitted_values"],
            json!([{"title": "Pro", "value": "pro"}])
        );

        // Cards: http(s) links open in a new tab without the opener; others are dropped.
        api.post(
            &format!("/api/v1/accounts/1/conversations/{id}/messages"),
            json!({"content": "Our offers", "content_type": "cards",
               "content_attributes": {"items": [{"title": "Pro plan", "description": "All features",
                 "media_url": "javascript:alert(1)",
                 "actions": [{"type": "link", "text": "See it", "uri": "https://files.example/pro"},
                             {"type": "link", "text": "Evil", "uri": "javascript:alert(2)"}]}]}}),
        )
        .await;
        visitor
            .wait_for(
                "the card",
                "document.querySelector('#widget-messages .card h3')?.textContent === 'Pro plan'",
            )
            .await;
        let links: Vec<(String, String, String)> = visitor
            .eval(
                "[...document.querySelectorAll('#widget-messages .card a')].map(a => [a.href, a.target, a.rel])",
            )
            .await;
        assert_eq!(
            links,
            [(
                "https://files.example/pro".to_owned(),
                "_blank".to_owned(),
                "noopener noreferrer".to_owned()
            )]
        );
        assert!(
            visitor
                .eval::<bool>("document.querySelector('#widget-messages .card img') === null")
                .await
        );
        assert_eq!(visitor.dialogs(), 0);
    }
);
