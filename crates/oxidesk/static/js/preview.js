// Settings > Integrations > Dashboard apps > Preview (pages/settings_app_preview.html): the app
// developer's simulator. One frame of the app, spoken to as the conversation page does: the
// seeds' protocol (appContext strings on load, answers to fetch-info) and the two-way protocol
// through the dashboard's own host code (app-host.js). Every message both ways is listed.
//
// The context is the preview's own copy: the built-in fixture, or a conversation of the account
// fetched once (signed, with the app's withheld data removed by the server). The controls and
// the app's actions change that copy only; nothing is written. A changed context is unsigned.

import { api } from "./http.js";
import { AppLink, isProtocolMessage } from "./app-host.js";

const FETCH_INFO = /^.{1,100}-dashboard-app:fetch-info$/i;
const SANDBOX =
  "allow-scripts allow-same-origin allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-downloads allow-storage-access-by-user-activation";
const SCOPES = {
  "reply.insert": "reply.insert",
  "note.create": "note.create",
  "labels.add": "labels.write",
  "labels.remove": "labels.write",
  "status.set": "status.write",
  "conversation.attributes.set": "conversation_attributes.write",
  "contact.attributes.set": "contact_attributes.write",
};

const holder = document.getElementById("preview-app");
if (holder) start(holder);

async function start(holder) {
  const config = JSON.parse(holder.dataset.config);
  const $ = (id) => document.getElementById(id);
  const now = () => Math.floor(Date.now() / 1000);
  let theme = "light";
  let visible = true;
  let data = fixture(config.withheld);
  let tokens = null; // {light, dark} while the context is the one the server signed
  let nextId = 1000;

  if (holder.dataset.contextUrl) {
    try {
      const fresh = await api("GET", holder.dataset.contextUrl);
      const key = String(config.app.id);
      data = fresh.views?.[key] ?? fresh.data;
      tokens = fresh.tokens?.[key] ?? null;
    } catch (error) {
      $("preview-status").textContent = `The conversation could not be loaded: ${error.message}`;
      return;
    }
  }
  $("preview-status").remove();

  const log = (direction, message) => {
    const item = document.createElement("li");
    item.dataset.direction = direction;
    const head = document.createElement("span");
    head.className = "preview-log-head";
    const kind = typeof message === "string" ? "string" : message?.type ?? "?";
    const what = typeof message === "string"
      ? (FETCH_INFO.test(message) ? "fetch-info" : "appContext")
      : message?.method ?? message?.event ?? (message?.ok === false ? `error ${message.error?.code}` : "ok");
    head.textContent = `${direction === "out" ? "dashboard → app" : "app → dashboard"} · ${kind} · ${what}`;
    const body = document.createElement("pre");
    body.textContent = typeof message === "string" ? message : JSON.stringify(message, null, 2);
    item.append(head, body);
    $("preview-log").append(item);
    item.scrollIntoView({ block: "nearest" });
  };

  const context = () => ({ data: { ...data, theme }, token: tokens?.[theme] ?? null });
  const seedsMessage = () => {
    const { data: d, token } = context();
    return JSON.stringify({ event: "appContext", data: d, ...(token ? { token } : {}) });
  };

  const iframe = document.createElement("iframe");
  iframe.title = config.app.title;
  iframe.setAttribute("sandbox", SANDBOX);
  iframe.allow = "clipboard-write";
  iframe.referrerPolicy = "strict-origin-when-cross-origin";
  let live = false;
  const link = new AppLink({
    target: null,
    placement: "conversation_tab",
    describe: () => ({ app: config.app, scopes: config.scopes ?? [], withheld: config.withheld ?? [] }),
    visible: () => visible,
    context: async () => context(),
    act: async (method, params) => act(method, params),
    log,
  });

  const sendSeeds = (target, origins) => {
    const text = seedsMessage();
    log("out", text);
    for (const origin of origins) target.postMessage(text, origin);
  };

  // As the conversation page (apps.js): a connection lasts as long as the document that made
  // it, which may connect before its own load; the seeds' push on load to an app that did not.
  let loads = 0;
  let connectedAt = -1;
  iframe.addEventListener("load", () => {
    loads += 1;
    if (connectedAt !== loads - 1) link.reset();
    link.target = iframe.contentWindow;
    live = true;
    if (!link.connected) sendSeeds(iframe.contentWindow, config.origins);
  });
  window.addEventListener("message", (event) => {
    if (event.source !== iframe.contentWindow || !config.origins.includes(event.origin)) return;
    live = true;
    if (isProtocolMessage(event.data)) {
      link.target = event.source;
      if (event.data.method === "connect") connectedAt = loads;
      link.handle(event.data, event.origin);
    } else if (typeof event.data === "string" && FETCH_INFO.test(event.data)) {
      log("in", event.data);
      sendSeeds(event.source, [event.origin]);
    }
  });
  iframe.src = config.url;
  holder.append(iframe);

  // The context changed: unsigned from now on, pushed as the conversation page pushes it.
  const changed = () => {
    tokens = null;
    push();
  };
  const push = () => {
    if (!live) return;
    if (link.connected) link.emit("context.updated", context());
    else sendSeeds(iframe.contentWindow, config.origins);
  };

  function message(content, type, isPrivate) {
    nextId += 1;
    const agent = type === 1;
    const sender = agent ? { ...data.currentAgent, type: "user" } : { ...data.contact, type: "contact" };
    const item = {
      id: nextId, content, account_id: data.conversation.account_id, inbox_id: data.conversation.inbox_id,
      conversation_id: data.conversation.id, message_type: type, content_type: "text", content_attributes: {},
      created_at: now(), updated_at: now(), private: isPrivate, status: "sent", source_id: null,
      sender_type: agent ? "User" : "Contact", sender_id: sender.id, sender,
    };
    if ((config.withheld ?? []).includes("message_content")) delete item.content;
    const messages = [...(data.conversation.messages ?? []), item].slice(-20);
    data = { ...data, conversation: { ...data.conversation, messages, last_non_activity_message: item, timestamp: now(), last_activity_at: now() } };
    return item;
  }

  const fail = (code, text, field) => ({ code, message: text, ...(field ? { field } : {}) });
  const text = (value, field) => {
    if (typeof value !== "string" || value.trim() === "" || value.length > 10000) {
      throw fail("invalid_params", `${field} must be a text of 1 to 10,000 characters`, field);
    }
    return value;
  };

  // The app's actions, on the preview's copy, with the app's real scopes.
  async function act(method, params) {
    const scope = SCOPES[method];
    if (!scope) throw fail("unknown_method", `Unknown method ${method}; known: context.get, ${Object.keys(SCOPES).join(", ")}`);
    if (!(config.scopes ?? []).includes(scope)) {
      throw fail("missing_scope", `${config.app.title} may not ${method}: an administrator grants the scope ${scope} in the app's settings (Settings > Integrations > Dashboard apps)`);
    }
    const conversation = data.conversation;
    let result;
    if (method === "reply.insert") {
      $("preview-reply").value += text(params.text, "text");
      return { inserted: true };
    } else if (method === "note.create") {
      result = { message: message(text(params.content, "content"), 1, true) };
    } else if (method === "labels.add" || method === "labels.remove") {
      if (!Array.isArray(params.labels) || params.labels.length === 0) throw fail("invalid_params", "labels must be a list of label titles", "labels");
      params.labels.forEach((l, i) => { if (typeof l !== "string" || !l.trim()) throw fail("invalid_params", "a label title", `labels[${i}]`); });
      const labels = method === "labels.add"
        ? [...new Set([...(conversation.labels ?? []), ...params.labels])]
        : (conversation.labels ?? []).filter((l) => !params.labels.includes(l));
      data = { ...data, conversation: { ...conversation, labels } };
      result = { labels };
    } else if (method === "status.set") {
      if (!["open", "resolved", "pending", "snoozed"].includes(params.status)) throw fail("invalid_params", "status is open, resolved, pending or snoozed", "status");
      setStatus(params.status, params.snoozed_until ?? null);
      result = { status: params.status };
    } else {
      if (params.attributes === null || typeof params.attributes !== "object" || Array.isArray(params.attributes)) {
        throw fail("invalid_params", "attributes must be an object", "attributes");
      }
      const which = method === "contact.attributes.set" ? "contact" : "conversation";
      const target = which === "contact" ? data.contact : conversation;
      const custom_attributes = { ...(target.custom_attributes ?? {}), ...params.attributes };
      if (which === "contact") {
        data = { ...data, contact: { ...data.contact, custom_attributes }, conversation: { ...conversation, meta: { ...conversation.meta, sender: { ...conversation.meta?.sender, custom_attributes } } } };
      } else {
        data = { ...data, conversation: { ...conversation, custom_attributes } };
      }
      result = { custom_attributes };
    }
    setTimeout(changed);
    return result;
  }

  function setStatus(status, snoozedUntil) {
    data = { ...data, conversation: { ...data.conversation, status, snoozed_until: status === "snoozed" ? snoozedUntil : null } };
    $("sim-status").value = status;
  }

  $("sim-message").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = event.currentTarget.elements.text;
    if (!input.value.trim()) return;
    message(input.value, 0, false);
    changed();
  });
  $("sim-status").value = data.conversation.status ?? "open";
  $("sim-status").addEventListener("change", (event) => {
    setStatus(event.currentTarget.value, event.currentTarget.value === "snoozed" ? now() + 86400 : null);
    changed();
  });
  $("sim-assign").addEventListener("click", () => {
    const agent = data.currentAgent;
    const assignee = { id: agent.id, account_id: data.conversation.account_id, availability_status: "online", auto_offline: true, confirmed: true, email: agent.email, available_name: agent.name, name: agent.name, role: "administrator", thumbnail: "" };
    data = { ...data, conversation: { ...data.conversation, meta: { ...data.conversation.meta, assignee } } };
    changed();
  });
  $("sim-unassign").addEventListener("click", () => {
    const meta = { ...data.conversation.meta };
    delete meta.assignee;
    data = { ...data, conversation: { ...data.conversation, meta } };
    changed();
  });
  $("sim-theme").addEventListener("click", (event) => {
    theme = theme === "light" ? "dark" : "light";
    event.currentTarget.textContent = `Switch to ${theme === "light" ? "dark" : "light"}`;
    push(); // the theme alone: still signed when it was
  });
  $("sim-visible").addEventListener("click", (event) => {
    visible = !visible;
    holder.hidden = !visible;
    event.currentTarget.textContent = visible ? "Hide the app" : "Show the app";
    link.emit(visible ? "app.shown" : "app.hidden", { placement: "conversation_tab" });
  });
  $("sim-reload").addEventListener("click", () => {
    live = false;
    iframe.src = config.url;
  });
  $("preview-clear").addEventListener("click", () => $("preview-log").replaceChildren());
}

// A made-up conversation, shaped as the real context (docs/dashboard-apps.md, "The payload").
function fixture(withheld = []) {
  const at = Math.floor(Date.now() / 1000) - 3600;
  const contact = {
    id: 1, name: "Alice Example", email: "alice@example.com", phone_number: "+14155550123", identifier: null,
    thumbnail: "", additional_attributes: { description: "", company_name: "Example Ltd", city: "Lisbon", country: "Portugal", social_profiles: { github: "", twitter: "", facebook: "", linkedin: "" } },
    custom_attributes: { plan: "pro" }, availability_status: "offline", last_activity_at: at, blocked: false, created_at: at - 86400,
  };
  const agent = { id: 1, name: "Preview Agent", email: "agent@example.com" };
  const messages = [
    { id: 1, content: "Hi, where is my order A-1042?", message_type: 0, private: false, sender: { ...contact, type: "contact" }, sender_type: "Contact", sender_id: 1 },
    { id: 2, content: "Let me check that for you.", message_type: 1, private: false, sender: { ...agent, type: "user", phone_number: null, identifier: null, thumbnail: "", additional_attributes: {}, custom_attributes: {}, available_name: agent.name, availability_status: "online" }, sender_type: "User", sender_id: 1 },
  ].map((m, i) => ({ account_id: 1, inbox_id: 1, conversation_id: 1, content_type: "text", content_attributes: {}, created_at: at + i * 60, updated_at: at + i * 60, status: "sent", source_id: null, ...m }));
  if (withheld.includes("message_content")) for (const m of messages) delete m.content;
  if (withheld.includes("contact_email")) delete contact.email;
  if (withheld.includes("contact_phone")) delete contact.phone_number;
  return {
    conversation: {
      id: 1, account_id: 1, inbox_id: 1, uuid: "00000000-0000-4000-8000-000000000001", status: "open", priority: null,
      snoozed_until: null, labels: ["billing"], muted: false, can_reply: true, custom_attributes: { order_id: "A-1042" },
      additional_attributes: { browser: { device_name: "", browser_name: "", platform_name: "", browser_version: "", platform_version: "" }, referer: "", initiated_at: { timestamp: "" } },
      agent_last_seen_at: at, assignee_last_seen_at: 0, contact_last_seen_at: at, timestamp: at + 60, last_activity_at: at + 60,
      created_at: at, updated_at: at + 60, first_reply_created_at: at + 60, waiting_since: null, unread_count: 0, team_id: null,
      meta: { sender: contact, channel: "Channel::Api", hmac_verified: false },
      messages, last_non_activity_message: messages[1], allMessagesLoaded: true, dataFetched: true,
    },
    contact,
    currentAgent: agent,
    customAttributes: [],
  };
}
