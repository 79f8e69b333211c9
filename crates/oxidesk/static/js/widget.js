// The website widget's page, inside the bubble's iframe (docs/widget.md). It keeps the visitor
// token in this frame's localStorage (widget/api.js), shows one of the visitor's conversations
// (the newest, or one picked from the list), follows the visitor's live stream, and speaks
// with the SDK on the embedding page by postMessage, only with the origin the SDK named (and
// only with the parent window).
import { api, liveURL, parentOrigin, store } from "./widget/api.js";
import { endConversation } from "./widget/end.js";
import { attachFiles } from "./widget/files.js";
import { conversationList } from "./widget/history.js";
import { setLanguage, supported } from "./widget/i18n.js";
import { popout } from "./widget/popout.js";
import { followPresence } from "./widget/presence.js";
import { preChatForm } from "./widget/prechat.js";
import { draw } from "./widget/render.js";

const PREFIX = "oxidesk-widget:";
const root = document.getElementById("widget");
const embedded = window.parent !== window && parentOrigin !== "";
const list = document.getElementById("widget-messages");
const form = document.getElementById("widget-composer");
const input = document.getElementById("widget-input");
const errorBox = document.getElementById("widget-error");
const typingNote = document.getElementById("widget-typing");
const resolvedBar = document.getElementById("widget-resolved");
const newButton = document.getElementById("widget-new");
const historyButton = document.getElementById("widget-history");
const historyList = document.getElementById("widget-conversations");
const announcer = document.getElementById("widget-announce");
// The inbox's settings (docs/widget.md, "The page's configuration").
const config = (() => {
  try {
    return JSON.parse(root.dataset.config || "{}");
  } catch {
    return {};
  }
})();
const afterResolved = config.allow_messages_after_resolved !== false;

root.style.setProperty("--widget-color", root.dataset.color || "#1f93ff");
setLanguage(document.documentElement.lang);

let isOpen = !embedded;
let referrerURL = "";
let openedAt = "";
// What is shown: message id → the JSON it was drawn from (redrawn when it changes).
const shown = new Map();
let stream = null;
// The conversation shown: null = the newest; startNew = the next message starts one.
let viewing = null;
let conversation = null;
let startNew = false;
// The SDK's config-set (with the page's URL) arrives just after the frame loaded; a message
// sent before it waits for it a moment, so the conversation records where the visitor was.
let configured;
const configReady = new Promise((resolve) => {
  configured = resolve;
});

function toParent(message) {
  if (embedded) window.parent.postMessage(PREFIX + JSON.stringify(message), parentOrigin);
}

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = !text;
}

// csat: the survey's look (csat_config: display_type, button_text).
const ctx = { fail: (error) => showError(error.message), csat: config.csat_config };
const features = config.enabled_features || [];
const updateEnd = endConversation({
  enabled: features.includes("end_conversation"),
  current: () => (startNew ? null : conversation),
  ended(done) {
    conversation = done;
    showState();
    (resolvedBar.hidden ? input : newButton).focus();
    refresh(false).catch(ctx.fail);
  },
  showError,
});
const files = attachFiles({ form, zone: root, showError });
files.enable(features.includes("attachments"));
// The emoji picker's module loads on the first click (it is not part of the first open).
const emojiButton = document.getElementById("widget-emoji");
emojiButton.hidden = !features.includes("emoji_picker");
emojiButton.addEventListener("click", async () => {
  const { toggleEmoji } = await import("./widget/emoji.js");
  toggleEmoji(emojiButton, input);
});
historyButton.parentElement.hidden = true;

function clearMessages() {
  list.querySelectorAll("li:not(.greeting)").forEach((li) => li.remove());
  shown.clear();
}

function render(message) {
  const drawn = JSON.stringify([message.content, message.content_attributes, message.attachments]);
  const before = shown.get(message.id);
  if (before === drawn) return false;
  shown.set(message.id, drawn);
  const item = draw(message, ctx);
  const old = list.querySelector(`li[data-id="${Number(message.id)}"]`);
  if (old) old.replaceWith(item);
  else list.append(item);
  list.scrollTop = list.scrollHeight;
  return before === undefined;
}

// The bar under a resolved conversation, and whether the composer shows.
function showState() {
  const resolved = !startNew && conversation && conversation.status === "resolved";
  resolvedBar.hidden = !resolved;
  form.hidden = resolved && !afterResolved;
  updateEnd(startNew ? null : conversation);
}

// One refresh at a time: answers apply in the order they were asked for, so a slow, older
// answer never overwrites a newer one (a resolved conversation shown as open again). Calls
// made while one waits to start share it (a burst of live events is one more read, not many).
let refreshing = Promise.resolve();
let waiting = null;
function refresh(announce) {
  if (waiting) {
    waiting.announce ||= announce;
    return waiting.done;
  }
  const next = { announce };
  next.done = refreshing.catch(() => {}).then(() => {
    waiting = null;
    return load(next.announce);
  });
  waiting = next;
  refreshing = next.done;
  return next.done;
}

async function load(announce) {
  if (!store.get() || startNew) return;
  const query = viewing ? `?conversation_id=${viewing}` : "";
  const data = await api(`messages${query}`);
  if (conversation && data.conversation && conversation.id !== data.conversation.id) clearMessages();
  conversation = data.conversation;
  for (const message of data.messages) {
    if (render(message) && announce && message.message_type !== 0) {
      announcer.textContent = `${message.sender?.available_name || message.sender?.name || ""}: ${message.content || ""}`;
      toParent({ type: "message", message });
    }
  }
  showState();
  historyButton.parentElement.hidden = !conversation;
  if (isOpen && conversation) {
    api(`seen?conversation_id=${conversation.id}`, { method: "POST" }).catch(() => {});
  }
}

function follow() {
  if (stream || !store.get()) return;
  stream = new EventSource(liveURL());
  stream.onmessage = (event) => {
    let kind = "";
    try {
      kind = JSON.parse(event.data).type;
    } catch {
      // Not ours.
    }
    if (kind === "typing_on" || kind === "typing_off") {
      typingNote.hidden = kind === "typing_off";
      return;
    }
    typingNote.hidden = true;
    refresh(true).catch(() => {});
  };
  stream.onerror = () => {
    if (stream.readyState === EventSource.CLOSED) {
      stream = null;
      setTimeout(follow, 3000);
    }
  };
  // Catch up on what was written while the stream was away.
  stream.onopen = () => refresh(true).catch(() => {});
}

function adopt(token) {
  if (token && token !== store.get()) {
    store.set(token);
    if (stream) stream.close();
    stream = null;
  }
  // The SDK keeps it in memory for popoutChatWindow.
  if (store.get()) toParent({ type: "token", token: store.get() });
  follow();
}

// A popped-out window (popoutChatWindow) brings the visitor's token in its fragment: kept in
// this window's storage, and taken out of the address at once.
const popped = new URLSearchParams(window.location.hash.slice(1)).get("token");
if (popped && !embedded) {
  store.set(popped);
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const content = input.value.trim();
  if (!content && files.count() === 0) return;
  input.disabled = true;
  try {
    const first = !store.get();
    if (embedded) await Promise.race([configReady, new Promise((r) => setTimeout(r, 1500))]);
    const fields = {
      content,
      referer_url: referrerURL,
      initiated_at: openedAt || new Date().toString(),
      conversation_id: startNew ? undefined : conversation?.id,
      new_conversation: startNew ? "true" : undefined,
    };
    const body = files.count() ? files.formData(fields) : fields;
    const data = await api("messages", { method: "POST", body });
    adopt(data.token);
    if (startNew) {
      startNew = false;
      viewing = null;
    }
    if (conversation && conversation.id !== data.conversation.id) clearMessages();
    conversation = data.conversation;
    if (data.message) render(data.message);
    historyButton.parentElement.hidden = false;
    if (first) toParent({ type: "started" });
    input.value = "";
    files.clear();
    showError("");
    showState();
  } catch (error) {
    showError(error.message);
  } finally {
    input.disabled = false;
    input.focus();
  }
});

preChatForm({
  config,
  composer: form,
  before: () =>
    embedded ? Promise.race([configReady, new Promise((r) => setTimeout(r, 1500))]) : null,
  visit: () => ({ referer_url: referrerURL, initiated_at: openedAt || new Date().toString() }),
  sent(data) {
    adopt(data.token);
    conversation = data.conversation;
    if (data.message) render(data.message);
    toParent({ type: "started" });
    historyButton.parentElement.hidden = false;
    input.focus();
  },
});

newButton.addEventListener("click", () => {
  startNew = true;
  viewing = null;
  clearMessages();
  showState();
  input.focus();
});

conversationList(historyButton, historyList, (id) => {
  viewing = id;
  startNew = false;
  clearMessages();
  refresh(false).catch(ctx.fail);
});

// The visitor's typing, told to the agents: "on" at most every 3 s while typing, "off" after
// 3 s without a key or when the message is sent.
let typingSince = 0;
let typingTimer = null;
function typing(on) {
  if (!store.get() || !conversation || startNew) return;
  clearTimeout(typingTimer);
  if (on) {
    typingTimer = setTimeout(() => typing(false), 3000);
    if (Date.now() - typingSince < 3000) return;
    typingSince = Date.now();
  } else {
    if (!typingSince) return;
    typingSince = 0;
  }
  const body = { typing_status: on ? "on" : "off" };
  api(`typing?conversation_id=${conversation.id}`, { method: "POST", body }).catch(() => {});
}
input.addEventListener("input", () => typing(input.value.trim() !== ""));
form.addEventListener("submit", () => typing(false));

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

const close = document.getElementById("widget-close");
close.hidden = !embedded;
close.addEventListener("click", () => toParent({ type: "close" }));
const showPopout = popout(document.getElementById("widget-popout"), () => toParent({ type: "close" }));
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && embedded) toParent({ type: "close" });
});

async function fromSite(type, run) {
  try {
    await run();
  } catch (error) {
    toParent({ type: "error", error: { type, message: error.message, ...error.body } });
  }
}

function scheme(value) {
  root.dataset.scheme = ["dark", "auto"].includes(value) ? value : "light";
}

const handlers = {
  "config-set": (m) => {
    referrerURL = String(m.referrerURL || "");
    scheme(m.darkMode);
    showPopout(!!m.showPopoutButton);
    if (m.locale) setLanguage(supported(m.locale) || "en");
    root.dataset.ready = "1";
    configured();
    if (m.isOpen) handlers["toggle-open"]({ isOpen: true });
  },
  "toggle-open": (m) => {
    isOpen = !!m.isOpen;
    if (isOpen) {
      openedAt = openedAt || new Date().toString();
      input.focus();
      refresh(false).catch(() => {});
    }
  },
  "set-user": (m) =>
    fromSite("set-user", async () => {
      const data = await api("set_user", {
        method: "POST",
        body: { identifier: m.identifier, user: m.user },
      });
      adopt(data.token);
      clearMessages();
      viewing = null;
      await refresh(false);
    }),
  "set-custom-attributes": (m) =>
    fromSite("set-custom-attributes", () =>
      api("contact_attributes", {
        method: "POST",
        body: { custom_attributes: m.customAttributes },
      }),
    ),
  "set-conversation-custom-attributes": (m) =>
    fromSite("set-conversation-custom-attributes", () =>
      api("conversation_attributes", {
        method: "POST",
        body: { custom_attributes: m.customAttributes },
      }),
    ),
  "set-label": (m) =>
    fromSite("set-label", () => api("labels", { method: "POST", body: { label: m.label } })),
  "remove-label": (m) =>
    fromSite("remove-label", () =>
      api(`labels/${encodeURIComponent(m.label)}`, { method: "DELETE" }),
    ),
  "set-locale": (m) => setLanguage(supported(m.locale) || "en"),
  "set-color-scheme": (m) => scheme(m.darkMode),
  reset: () => store.set(null),
};

window.addEventListener("message", (event) => {
  if (!embedded || event.source !== window.parent || event.origin !== parentOrigin) return;
  if (typeof event.data !== "string" || !event.data.startsWith(PREFIX)) return;
  let message;
  try {
    message = JSON.parse(event.data.slice(PREFIX.length));
  } catch {
    return;
  }
  const handler = Object.hasOwn(handlers, message.type) && handlers[message.type];
  if (handler) handler(message);
});

if (store.get()) {
  refresh(false)
    .then(() => adopt(null))
    .catch(() => {});
}
toParent({ type: "loaded", color: root.dataset.color });
followPresence();
