// The website widget's page, inside the bubble's iframe (docs/widget.md). It keeps the visitor
// token in this frame's localStorage, talks to /widget/api/..., follows the visitor's live
// stream, and speaks with the SDK on the embedding page by postMessage, only with the origin
// the SDK named (and only with the parent window).

const PREFIX = "oxidesk-widget:";
const root = document.getElementById("widget");
const websiteToken = root.dataset.websiteToken;
const parentOrigin = root.dataset.parentOrigin || "";
const embedded = window.parent !== window && parentOrigin !== "";
const list = document.getElementById("widget-messages");
const form = document.getElementById("widget-composer");
const input = document.getElementById("widget-input");
const errorBox = document.getElementById("widget-error");
const tokenKey = `oxidesk_visitor_${websiteToken}`;
const typingNote = document.getElementById("widget-typing");

root.style.setProperty("--widget-color", root.dataset.color || "#1f93ff");

let memoryToken = null;
const store = {
  get() {
    try {
      return window.localStorage.getItem(tokenKey) || memoryToken;
    } catch {
      return memoryToken;
    }
  },
  set(token) {
    memoryToken = token;
    try {
      if (token) window.localStorage.setItem(tokenKey, token);
      else window.localStorage.removeItem(tokenKey);
    } catch {
      // Storage blocked: the token lives as long as the page.
    }
  },
};

let isOpen = !embedded;
let referrerURL = "";
let openedAt = "";
const shown = new Set();
let stream = null;
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

async function api(path, { method = "GET", body } = {}) {
  const headers = { accept: "application/json" };
  const token = store.get();
  if (token) headers["x-widget-token"] = token;
  if (parentOrigin) headers["x-widget-origin"] = parentOrigin;
  if (body !== undefined) headers["content-type"] = "application/json";
  const separator = path.includes("?") ? "&" : "?";
  const response = await fetch(
    `/widget/api/${path}${separator}website_token=${encodeURIComponent(websiteToken)}`,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
  );
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (response.status === 401 && data.code === "invalid_visitor_token") {
    // The token is no longer valid (the contact was deleted, say): start afresh.
    store.set(null);
  }
  if (!response.ok) {
    const error = new Error(data.message || `HTTP ${response.status}`);
    error.body = data;
    throw error;
  }
  return data;
}

function render(message) {
  if (shown.has(message.id)) return false;
  shown.add(message.id);
  const item = document.createElement("li");
  const mine = message.message_type === 0;
  item.className = `message ${mine ? "visitor" : "agent"}`;
  item.dataset.id = message.id;
  if (!mine && message.sender && message.sender.name) {
    const who = document.createElement("span");
    who.className = "sender";
    who.textContent = message.sender.available_name || message.sender.name;
    item.append(who);
  }
  const text = document.createElement("p");
  text.textContent = message.content || "";
  item.append(text);
  list.append(item);
  list.scrollTop = list.scrollHeight;
  return true;
}

async function refresh(announce) {
  if (!store.get()) return;
  const data = await api("messages");
  for (const message of data.messages) {
    if (render(message) && announce && message.message_type !== 0) {
      toParent({ type: "message", message });
    }
  }
  if (isOpen && data.conversation) api("seen", { method: "POST" }).catch(() => {});
}

function follow() {
  if (stream || !store.get()) return;
  const url = `/widget/api/live?website_token=${encodeURIComponent(websiteToken)}&token=${encodeURIComponent(store.get())}`;
  stream = new EventSource(url);
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
  follow();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const content = input.value.trim();
  if (!content) return;
  input.disabled = true;
  try {
    const first = !store.get();
    if (embedded) await Promise.race([configReady, new Promise((r) => setTimeout(r, 1500))]);
    const data = await api("messages", {
      method: "POST",
      body: {
        content,
        referer_url: referrerURL,
        initiated_at: openedAt || new Date().toString(),
      },
    });
    adopt(data.token);
    if (data.message) render(data.message);
    if (first) toParent({ type: "started" });
    input.value = "";
    showError("");
  } catch (error) {
    showError(error.message);
  } finally {
    input.disabled = false;
    input.focus();
  }
});

// The visitor's typing, told to the agents: "on" at most every 3 s while typing, "off" after
// 3 s without a key or when the message is sent.
let typingSince = 0;
let typingTimer = null;
function typing(on) {
  if (!store.get()) return;
  clearTimeout(typingTimer);
  if (on) {
    typingTimer = setTimeout(() => typing(false), 3000);
    if (Date.now() - typingSince < 3000) return;
    typingSince = Date.now();
  } else {
    if (!typingSince) return;
    typingSince = 0;
  }
  api("typing", { method: "POST", body: { typing_status: on ? "on" : "off" } }).catch(() => {});
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

async function fromSite(type, run) {
  try {
    await run();
  } catch (error) {
    toParent({ type: "error", error: { type, message: error.message, ...error.body } });
  }
}

const handlers = {
  "config-set": (m) => {
    referrerURL = String(m.referrerURL || "");
    if (m.darkMode) root.dataset.scheme = m.darkMode;
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
      list.querySelectorAll("li:not(.greeting)").forEach((li) => li.remove());
      shown.clear();
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
  "set-locale": (m) => {
    document.documentElement.lang = String(m.locale || "en").replace("_", "-");
  },
  "set-color-scheme": (m) => {
    root.dataset.scheme = m.darkMode;
  },
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
    .then(follow)
    .catch(() => {});
}
toParent({ type: "loaded", color: root.dataset.color });
