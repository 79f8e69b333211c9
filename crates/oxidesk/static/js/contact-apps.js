// Dashboard Apps on a contact's page (placement `contact_tab`, pages/contacts_show.html): the
// page's tabs (Details, then one per app) and the apps, which receive the contact's context
// (contact, currentAgent, customAttributes, theme: no conversation) as apps.js posts it beside
// a conversation, again when the contact or the attribute definitions change.

import { startApps } from "./apps.js";

const list = document.querySelector(".contact-tabs[role=tablist]");
if (list) {
  setupTabs(list);
  const account = document.querySelector('meta[name="account-id"]')?.content ?? "";
  const id = list.dataset.contactId;
  const apps = startApps(`/app/accounts/${account}/contacts/${id}/context`);
  document.addEventListener("oxidesk:event", (event) => {
    const { name = "", data = {} } = event.detail ?? {};
    if ((name === "contact.updated" && String(data.id) === id) || name.startsWith("custom_attribute_definition.")) {
      apps?.refresh().catch((error) => console.warn("refreshing the apps failed", error));
    }
  });
}

// An ARIA tab list: click or arrow keys select a tab and show its panel (`aria-controls`).
function setupTabs(tablist) {
  const tabs = () => [...tablist.querySelectorAll("[role=tab]")];
  const select = (tab) => {
    for (const t of tabs()) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(t.getAttribute("aria-controls"));
      if (panel) {
        panel.hidden = !on;
        if (on) panel.dispatchEvent(new CustomEvent("oxidesk:tab-shown"));
      }
    }
  };
  tablist.addEventListener("click", (event) => {
    const tab = event.target.closest("[role=tab]");
    if (tab) select(tab);
  });
  tablist.addEventListener("keydown", (event) => {
    const all = tabs();
    const at = all.indexOf(document.activeElement);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
    if (at < 0 || to === undefined) return;
    event.preventDefault();
    const next = all[(to + all.length) % all.length];
    next.focus();
    select(next);
  });
}
