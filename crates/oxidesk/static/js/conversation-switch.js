// Opening another conversation without leaving the page (docs/dashboard-apps.md, "Switching
// conversations"), so that Dashboard Apps whose lifecycle is `persistent` keep their frame.
//
// - A click on a conversation of the list (a plain left click; with a modifier key the browser
//   opens it as usual) fetches that conversation's page, the server-rendered HTML a page load
//   would get (which marks it read, as opening it does), and swaps its parts into this page:
//   header, thread, contact panel, list, tabs, apps. The URL becomes the conversation's
//   (`history.pushState`); back and forward switch the same way.
// - The elements stay and only their content changes, so the page's listeners keep working; the
//   reply box keeps a draft per conversation. Nothing changes until the new page has arrived
//   (no flash); focus then moves to the new conversation's heading.
// - Apps: the panel of a `persistent` app that is shown in the new conversation too stays where
//   it is, untouched (moving an iframe in the DOM reloads it), and apps.js then sends it the new
//   conversation's context. Every other app panel is replaced by the new page's (a fresh frame)
//   or removed (an app not visible there). The selected tab stays selected when the new
//   conversation has it.
// - Whatever this page cannot show in place is a page load instead: an error page, a session
//   that ended, an app on an origin this page's CSP `frame-src` does not list (fixed when the
//   page loaded).

// `hooks`: pages the conversations' path (`/app/accounts/1/conversations`); open() the open
// conversation's id; canFrame(origins) whether this page can show an
// app at those origins; leave() before the swap; arrive(id) after it.
export function followSwitches(root, hooks) {
  let latest = 0;
  history.replaceState({ ...(history.state ?? {}), conversation: hooks.open() }, "");

  root.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest("#conversation-list a[href]");
    if (!link || conversationOf(link.href, hooks.pages) === null) return;
    event.preventDefault();
    go(link.href, true);
  });

  window.addEventListener("popstate", () => {
    const id = conversationOf(location.href, hooks.pages);
    if (id === null) location.reload();
    else if (id !== hooks.open()) go(location.href, false);
  });

  async function go(href, push) {
    const seq = ++latest;
    const column = root.querySelector(".conv-col");
    column?.setAttribute("aria-busy", "true");
    let doc = null;
    try {
      // A redirect means the session ended: the login page is not swapped in.
      const response = await fetch(href, { credentials: "same-origin", redirect: "error", headers: { Accept: "text/html" } });
      if (response.ok) doc = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch {
      doc = null;
    }
    if (seq !== latest) return;
    column?.removeAttribute("aria-busy");
    const next = doc?.getElementById("conversations");
    if (!next?.dataset.open || !next.querySelector(".conv-col") || !framable(next)) {
      if (push) location.assign(href);
      else location.reload();
      return;
    }
    hooks.leave();
    swap(next);
    document.title = doc.title;
    if (push) history.pushState({ conversation: next.dataset.open }, "", href);
    hooks.arrive(next.dataset.open);
  }

  function framable(next) {
    return [...next.querySelectorAll(".app-panel[data-app-id]")].every((panel) =>
      hooks.canFrame(parse(panel.dataset.origins) ?? []),
    );
  }

  function swap(next) {
    root.dataset.open = next.dataset.open;
    root.dataset.contactId = next.dataset.contactId ?? "";
    for (const id of ["conversation-header", "thread", "contact-panel", "list-region"]) {
      const here = document.getElementById(id);
      const there = next.querySelector(`#${id}`);
      if (here && there) here.innerHTML = there.innerHTML;
    }
    const region = document.getElementById("list-region");
    const query = next.querySelector("#list-region")?.dataset.query;
    if (region && query !== undefined) region.dataset.query = query;
    const back = root.querySelector(".back-link");
    const backThere = next.querySelector(".back-link");
    if (back && backThere) back.setAttribute("href", backThere.getAttribute("href") ?? "");
    const typing = document.getElementById("typing");
    if (typing) typing.textContent = "";
    swapApps(next);
  }

  function swapApps(next) {
    const fresh = [...next.querySelectorAll(".app-panel[data-app-id]")];
    const kept = new Set();
    for (const panel of fresh) {
      const old = document.getElementById(panel.id);
      if (old && keeps(old, panel)) kept.add(panel.id);
    }
    for (const old of root.querySelectorAll(".app-panel[data-app-id]")) {
      if (!kept.has(old.id)) old.remove();
    }
    // In the new page's order: tab panels after Messages, side panels after the contact panel.
    // A kept panel is never moved; new ones go beside it.
    const after = { tab: document.getElementById("panel-messages"), side: document.getElementById("contact-panel") };
    for (const panel of fresh) {
      const kind = panel.classList.contains("app-side") ? "side" : "tab";
      let here = document.getElementById(panel.id);
      if (kept.has(panel.id)) {
        retitle(here, panel);
      } else {
        here = document.importNode(panel, true);
        after[kind]?.after(here);
      }
      after[kind] = here;
    }

    const list = root.querySelector(".conv-tabs");
    if (list) {
      const selected = list.querySelector("[role=tab][aria-selected=true]")?.id;
      for (const tab of list.querySelectorAll("[role=tab]:not(#tab-messages)")) tab.remove();
      for (const tab of next.querySelectorAll(".conv-tabs [role=tab]:not(#tab-messages)")) {
        list.append(document.importNode(tab, true));
      }
      // The selected tab stays selected if the new conversation has it. Panels change state
      // without events: a kept panel shown stays shown, a new one shown opens as it is set up.
      const chosen = (selected && list.querySelector(`#${CSS.escape(selected)}`)) || list.querySelector("#tab-messages");
      for (const tab of list.querySelectorAll("[role=tab]")) {
        const on = tab === chosen;
        tab.setAttribute("aria-selected", String(on));
        tab.tabIndex = on ? 0 : -1;
        const panel = document.getElementById(tab.getAttribute("aria-controls"));
        if (panel) panel.hidden = !on;
      }
    }

    const holder = document.getElementById("app-context");
    const context = next.querySelector("#app-context");
    if (context) {
      const copy = document.importNode(context, true);
      if (holder) holder.replaceWith(copy);
      else root.querySelector(".conv-col")?.append(copy);
    } else {
      holder?.remove();
    }
  }
}

// Whether the panel `old` of this page is kept for the panel `fresh` of the new one: the app is
// persistent in both, its frames were created and are at the same origins.
function keeps(old, fresh) {
  return (
    old.dataset.lifecycle === "persistent" &&
    fresh.dataset.lifecycle === "persistent" &&
    old.dataset.opened === "true" &&
    old.dataset.origins === fresh.dataset.origins &&
    old.classList.contains("app-side") === fresh.classList.contains("app-side")
  );
}

function retitle(panel, fresh) {
  panel.dataset.title = fresh.dataset.title ?? "";
  const heading = panel.querySelector(".app-side-title");
  const title = fresh.querySelector(".app-side-title");
  if (heading && title) heading.textContent = title.textContent;
}

// The conversation `href` opens, if it is one of this account's conversation pages (under
// `pages`).
function conversationOf(href, pages) {
  try {
    const url = new URL(href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(`${pages}/`)) return null;
    const id = url.pathname.slice(pages.length + 1);
    return /^[1-9]\d{0,17}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

function parse(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
