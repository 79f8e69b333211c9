//! The `/` picker of canned responses in the composer, by keyboard only: typing `/` and
//! letters offers the matching responses (a listbox the textarea controls), the arrows move,
//! Enter or Tab inserts the content in place of `/code` without sending, Escape closes and
//! Enter sends again.

use serde_json::json;

use crate::browser_test;
use crate::conversation::wait_for_conversation;
use crate::server::AGENT;

const COMPOSER: &str = "form#composer textarea[name=content]";

browser_test!(
    canned_responses_are_picked_with_the_keyboard,
    |desk| async move {
        let api = desk.api().await;
        for (code, content) in [
            ("refund", "Your refund is on its way: 3 to 5 working days."),
            (
                "refund_policy",
                "Our refund policy: 30 days, no questions asked.",
            ),
            (
                "shipping",
                "We ship every weekday; <b>tracking</b> follows by email.",
            ),
        ] {
            api.post(
                "/api/v1/accounts/1/canned_responses",
                json!({"short_code": code, "content": content}),
            )
            .await;
        }
        let customer = api
            .customer_writes("Casey Canned", "Where is my money?")
            .await;
        let before = api.messages(customer.id).await.len();
        let tab = desk.signed_in(AGENT).await;
        tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
            .await;
        wait_for_conversation(&tab, customer.id).await;

        tab.type_into(COMPOSER, "Hello! /ref").await;
        tab.wait_for(
            "two refund options",
            "(() => { const l = document.getElementById('canned-picker'); \
               return l && !l.hidden && l.querySelectorAll('[role=option]').length === 2; })()",
        )
        .await;
        let aria: Vec<String> = tab
            .eval(&format!(
                "(() => {{ const t = document.querySelector('{COMPOSER}'); \
                   return [t.getAttribute('role'), t.getAttribute('aria-expanded'), \
                   t.getAttribute('aria-controls'), t.getAttribute('aria-activedescendant'), \
                   document.getElementById('canned-picker').getAttribute('role'), \
                   document.activeElement === t ? 'focused' : 'not focused']; }})()"
            ))
            .await;
        assert_eq!(
            aria,
            [
                "combobox",
                "true",
                "canned-picker",
                "canned-option-0",
                "listbox",
                "focused"
            ]
        );
        let codes: Vec<String> = tab
            .eval("[...document.querySelectorAll('#canned-picker [role=option]')].map(o => o.dataset.shortCode)")
            .await;
        assert_eq!(codes, ["refund", "refund_policy"]);

        // Down moves the highlight (and wraps), Up comes back.
        tab.press(COMPOSER, "ArrowDown").await;
        let active: String = tab
            .eval(&format!(
                "document.querySelector('{COMPOSER}').getAttribute('aria-activedescendant')"
            ))
            .await;
        assert_eq!(active, "canned-option-1");
        let selected: Vec<String> = tab
            .eval("[...document.querySelectorAll('#canned-picker [role=option]')].map(o => o.getAttribute('aria-selected'))")
            .await;
        assert_eq!(selected, ["false", "true"]);
        tab.press(COMPOSER, "ArrowDown").await;
        tab.press(COMPOSER, "ArrowUp").await;

        // Enter inserts the highlighted one in place of `/ref`, and sends nothing.
        tab.press(COMPOSER, "Enter").await;
        let value: String = tab
            .eval(&format!("document.querySelector('{COMPOSER}').value"))
            .await;
        assert_eq!(
            value,
            "Hello! Our refund policy: 30 days, no questions asked."
        );
        let closed: Vec<String> = tab
            .eval(&format!(
                "[String(document.getElementById('canned-picker').hidden), \
                  document.querySelector('{COMPOSER}').getAttribute('aria-expanded')]"
            ))
            .await;
        assert_eq!(closed, ["true", "false"]);

        // Tab inserts too; content matches count (`tracking` is in the shipping response),
        // and what a response holds is text, never markup.
        tab.type_into(COMPOSER, " /track").await;
        tab.wait_for(
            "the shipping option",
            "(() => { const l = document.getElementById('canned-picker'); \
               return !l.hidden && l.textContent.includes('/shipping'); })()",
        )
        .await;
        let bold: bool = tab
            .eval("document.querySelector('#canned-picker b') !== null")
            .await;
        assert!(!bold, "content is shown as text");
        tab.press(COMPOSER, "Tab").await;
        let value: String = tab
            .eval(&format!("document.querySelector('{COMPOSER}').value"))
            .await;
        assert_eq!(
            value,
            "Hello! Our refund policy: 30 days, no questions asked. We ship every weekday; <b>tracking</b> follows by email."
        );

        // Escape closes without inserting; then Enter sends the message as usual.
        tab.type_into(COMPOSER, " /ship").await;
        tab.wait_for(
            "the picker again",
            "!document.getElementById('canned-picker').hidden",
        )
        .await;
        tab.press(COMPOSER, "Escape").await;
        let hidden: bool = tab
            .eval("document.getElementById('canned-picker').hidden")
            .await;
        assert!(hidden);
        let still = api.messages(customer.id).await.len();
        assert_eq!(still, before, "nothing was sent while picking");
        tab.press(COMPOSER, "Enter").await;
        tab.wait_for(
            "an empty composer after sending",
            &format!("document.querySelector('{COMPOSER}').value === ''"),
        )
        .await;
        let messages = api.messages(customer.id).await;
        let last = messages.last().unwrap();
        assert_eq!(
            last["content"],
            "Hello! Our refund policy: 30 days, no questions asked. We ship every weekday; <b>tracking</b> follows by email. /ship"
        );
    }
);
