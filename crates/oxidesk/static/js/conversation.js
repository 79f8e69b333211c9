// The conversation screens (pages/conversations.html, pages/conversation.html).
// - Live: each `oxidesk:event` (live.js) refetches the affected server-rendered parts (list;
//   thread, header, contact panel); the composer is never touched. Actions go to the JSON API
//   and refresh the parts they change at once.
// - Reading: the server marks a conversation read when rendering it (not in a background tab:
//   `?mark=0`). Apps (apps.js) get a fresh context on each change of the open conversation,
//   whose id is a variable: conversation-switch.js swaps another one in.
import { startApps } from "./apps.js";
import { followApps } from "./app-live.js";
import { followSwitches } from "./conversation-switch.js";
import { localize, setupTabs, focusKey } from "./conversation-ui.js";
import { api } from "./http.js";
import { attachCanned } from "./canned.js";
import { attachFiles } from "./attach.js";

// A server-rendered fragment; a redirect (the session ended) fails instead of being swapped in.
async function fragment(path) {
  const response = await fetch(path, { credentials: "same-origin", redirect: "error", headers: { Accept: "text/html" } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return response.text();
}

function start(root) {
  const account = document.querySelector('meta[name="account-id"]')?.content ?? "";
  let open = root.dataset.open || "";
  const pages = `/app/accounts/${account}/conversations`;
  const endpoint = () => `/api/v1/accounts/${account}/conversations/${open}`;
  const $ = (id) => document.getElementById(id);
  let stickToBottom = false;
  let pinned = true; // the reader is at the bottom of the thread
  const apps = open ? startApps(`${pages}/${open}/context`) : null;
  const appsLive = open ? followApps(root, `${pages}/${open}/apps`, apps) : null;

  // Each part: how to fetch it and swap it in.
  const parts = {
    async list() {
      const region = $("list-region");
      if (!region) return;
      const html = await fragment(`${pages}/list${region.dataset.query || ""}`);
      region.innerHTML = html;
      localize(region);
    },
    async thread() {
      const thread = $("thread");
      if (!thread || !open) return;
      const at = open;
      // A tab in the background shows new messages but leaves them unread.
      const html = await fragment(`${pages}/${open}/thread${document.hidden ? "?mark=0" : ""}`);
      if (at !== open) return; // another conversation was opened meanwhile
      const top = thread.scrollTop;
      thread.innerHTML = html;
      localize(thread);
      thread.scrollTop = pinned || stickToBottom ? thread.scrollHeight : top;
      stickToBottom = false;
    },
    async header() {
      const header = $("conversation-header");
      if (!header || !open) return;
      const at = open;
      const html = await fragment(`${pages}/${open}/header`);
      if (at !== open) return;
      const focused = header.contains(document.activeElement) ? focusKey(document.activeElement) : null;
      // What the agent was choosing or typing survives the refresh.
      const kept = ["label-add", "snooze-until"].map((id) => [id, $(id)?.value]);
      header.innerHTML = html;
      for (const [id, value] of kept) {
        const control = $(id);
        if (control && value) control.value = value;
      }
      localize(header);
      if (focused) (header.querySelector(focused) ?? header.querySelector(".conv-actions button"))?.focus();
    },
    async contact() {
      const panel = $("contact-panel");
      if (!panel || !open) return;
      const at = open;
      const html = await fragment(`${pages}/${open}/contact`);
      if (at !== open) return;
      panel.innerHTML = html;
      localize(panel);
    },
    async apps() {
      await apps?.refresh();
    },
  };

  // One request per part for a burst of events; asked for while running, it runs again after.
  const runs = {};
  function refresh(part, delay = 60) {
    const run = (runs[part] ??= { timer: 0, busy: false, again: false });
    if (run.busy) {
      run.again = true;
      return;
    }
    clearTimeout(run.timer);
    run.timer = setTimeout(async () => {
      run.busy = true;
      try {
        await parts[part]();
      } catch (error) {
        console.warn(`refreshing the ${part} failed`, error);
      }
      run.busy = false;
      if (run.again) {
        run.again = false;
        refresh(part, 0);
      }
    }, delay);
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden || !open) return;
    refresh("thread");
    refresh("list");
  });

  document.addEventListener("oxidesk:event", (event) => {
    const { name = "", data = {} } = event.detail ?? {};
    const conversation = String((name.startsWith("message.") ? data.conversation_id : data.id) ?? "");
    const here = open !== "" && conversation === open;
    if (name.startsWith("message.")) {
      refresh("list");
      if (here) {
        refresh("thread");
        refresh("apps");
      }
    } else if (name.startsWith("conversation.typing_")) {
      if (here) typing(data, name.endsWith("_on"));
    } else if (
      ["conversation.status_changed", "assignee.changed", "team.changed", "conversation.updated"].includes(name)
    ) {
      refresh("list");
      if (here) {
        refresh("header");
        refresh("contact");
        refresh("apps");
      }
    } else if (name.startsWith("conversation.")) {
      refresh("list");
      if (here && !name.startsWith("conversation.read")) refresh("apps");
    } else if (name === "contact.updated") {
      refresh("list");
      if (open && String(data.id) === root.dataset.contactId) {
        refresh("header");
        refresh("contact");
        refresh("apps");
      }
    } else if (name.startsWith("custom_attribute_definition.")) {
      // Attribute definitions label the panel; apps get them as `customAttributes`.
      if (open) {
        refresh("contact");
        refresh("apps");
      }
    }
  });

  let typingTimer = 0;
  function typing(data, on) {
    const line = $("typing");
    const user = data.user ?? {};
    if (!line || (user.type === "user" && String(user.id) === root.dataset.userId)) return;
    clearTimeout(typingTimer);
    line.textContent = on ? (user.type === "contact" ? "The contact is typing…" : "An agent is typing…") : "";
    if (on) typingTimer = setTimeout(() => (line.textContent = ""), 8000);
  }

  // The filters apply as soon as a choice changes (the Apply button is for pages without JS).
  document.querySelector("form.filters")?.addEventListener("change", (event) => {
    if (event.target.matches("select")) event.currentTarget.requestSubmit();
  });

  const composer = setupComposer();
  setupHeader();
  for (const list of document.querySelectorAll(".conv-tabs[role=tablist]")) setupTabs(list);
  localize(document);
  // The thread stays scrolled to the bottom while the reader is there.
  const thread = $("thread");
  if (thread) {
    thread.scrollTop = thread.scrollHeight;
    thread.addEventListener("scroll", () => {
      pinned = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
    });
    new ResizeObserver(() => {
      if (pinned) thread.scrollTop = thread.scrollHeight;
    }).observe(thread);
  }
  setInterval(() => localize($("list-region") ?? document.body), 60_000);

  // Another conversation swapped into the page.
  const framable = new Set();
  for (const panel of document.querySelectorAll(".app-panel[data-app-id]")) {
    for (const origin of parse(panel.dataset.origins) ?? []) framable.add(origin);
  }
  if (open && $("thread")) {
    followSwitches(root, {
      pages,
      open: () => open,
      // apps.js runs only if the page was loaded with apps (its CSP lists their origins).
      canFrame: (origins) => apps !== null && origins.every((o) => framable.has(o)),
      leave: () => composer?.leave(open),
      arrive(id) {
        open = id;
        clearTimeout(typingTimer);
        composer?.arrive(open);
        localize(root);
        pinned = true;
        if (thread) thread.scrollTop = thread.scrollHeight;
        apps?.retarget(`${pages}/${open}/context`);
        appsLive?.retarget(`${pages}/${open}/apps`);
        const heading = $("conversation-title");
        if (heading) {
          heading.tabIndex = -1;
          heading.focus({ preventScroll: true });
        }
      },
    });
  }

  function setupComposer() {
    const form = $("composer");
    if (!form) return;
    const textarea = form.elements.content;
    const send = form.querySelector("button[type=submit]");
    const error = $("composer-error");
    const files = attachFiles(form);
    // "Send as": an interactive message (its items are read on the server).
    const { content_type: kind, items } = form.elements;
    const showItems = () => {
      const hint = kind.selectedOptions[0].dataset.items;
      items.parentNode.hidden = !hint;
      items.previousElementSibling.textContent = hint;
    };
    kind.onchange = showItems;
    showItems();
    let mode = "reply";
    attachCanned(textarea, account); // before the Enter handler below: Enter picks a response
    const setMode = (chosen) => {
      mode = chosen;
      for (const b of form.querySelectorAll("button[data-mode]")) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
      form.classList.toggle("note-mode", mode === "note");
      textarea.placeholder =
        mode === "note"
          ? "Private note: only your team sees it. Enter adds it."
          : "Reply to the customer. Enter sends, Shift+Enter adds a line.";
      send.textContent = mode === "note" ? "Add note" : "Send";
      kind.disabled = mode === "note";
    };
    form.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-mode]");
      if (!button) return;
      setMode(button.dataset.mode);
      textarea.focus();
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.altKey) return;
      event.preventDefault();
      form.requestSubmit();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const content = textarea.value.trim();
      const rich = mode !== "note" && kind.value !== "text";
      if ((!content && !rich && !files.count()) || send.disabled) return;
      send.disabled = true;
      textarea.readOnly = true;
      error.textContent = "";
      const to = open;
      try {
        if (rich) await api("POST", `/app/accounts/${account}/conversations/${to}/interactive`, { content_type: kind.value, content, items: items.value });
        else await files.post(`/api/v1/accounts/${account}/conversations/${to}/messages`, { content, private: mode === "note" });
        if (to === open) textarea.value = "";
        else drafts.delete(to);
        kind.value = "text";
        items.value = "";
        showItems();
        files.clear();
        stickToBottom = true;
        refresh("thread", 0);
        refresh("list");
      } catch (failure) {
        error.textContent = `Not sent: ${failure.message}`;
      } finally {
        send.disabled = false;
        textarea.readOnly = false;
        if (to === open) textarea.focus();
      }
    });
    // A draft per conversation: what was typed in one is never sent to another.
    const drafts = new Map();
    return {
      leave(id) {
        if (textarea.value) drafts.set(id, { text: textarea.value, mode });
        else drafts.delete(id);
      },
      arrive(id) {
        const draft = drafts.get(id);
        drafts.delete(id);
        textarea.value = draft?.text ?? "";
        setMode(draft?.mode ?? "reply");
        error.textContent = "";
      },
    };
  }

  function setupHeader() {
    const header = $("conversation-header");
    if (!header) return;
    const labels = () => [...header.querySelectorAll("#labels [data-label]")].map((l) => l.dataset.label);
    async function act(path, body, changed = ["header", "thread", "list"]) {
      const error = $("header-error");
      try {
        await api("POST", `${endpoint()}/${path}`, body);
        if (error) error.textContent = "";
      } catch (failure) {
        if (error) error.textContent = failure.message;
        return;
      }
      for (const part of changed) refresh(part, 0);
    }
    const statuses = { resolve: "resolved", reopen: "open", pending: "pending" };
    header.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.dataset.removeLabel !== undefined) {
        const gone = button.dataset.removeLabel;
        act("labels", { labels: labels().filter((l) => l !== gone) }, ["header", "list"]);
      } else if (statuses[button.dataset.action]) {
        act("toggle_status", { status: statuses[button.dataset.action] });
      } else if (button.dataset.action === "add-label") {
        const wanted = $("label-add")?.value;
        if (wanted) act("labels", { labels: [...labels(), wanted] }, ["header", "list"]);
      }
    });
    header.addEventListener("submit", (event) => {
      const form = event.target;
      if (form.dataset.action !== "snooze") return;
      event.preventDefault();
      const value = form.elements.snoozed_until.value;
      const body = { status: "snoozed" };
      if (value) {
        const until = new Date(value);
        if (Number.isNaN(until.getTime())) return;
        body.snoozed_until = Math.floor(until.getTime() / 1000);
      }
      act("toggle_status", body);
    });
    header.addEventListener("change", (event) => {
      const { id, value } = event.target;
      const chosen = value === "" ? null : Number(value);
      if (id === "assignee-select") act("assignments", { assignee_id: chosen });
      else if (id === "team-select") act("assignments", { team_id: chosen });
    });
  }
}

const root = document.getElementById("conversations");
if (root) start(root);

function parse(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
