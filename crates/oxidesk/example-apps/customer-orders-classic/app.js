// "Customer Orders (classic)": an example Oxidesk dashboard app that speaks only the seeds'
// protocol, exactly as apps written for Chatwoot do, so it runs unchanged in Chatwoot and its
// family too. Plain JavaScript, no libraries. The same app on the SDK, with a verified context
// and an action: ../customer-orders/.
//
// The protocol (docs/dashboard-apps.md):
// - the dashboard posts `JSON.stringify({event: "appContext", data: {...}})` to this frame when
//   it loads and again whenever the conversation changes;
// - the app may ask for the context at any time by posting the string
//   `oxidesk-dashboard-app:fetch-info` (or `chatwoot-…`, `hoory-…`, …) to its parent.
//
// Everything the customer or an agent wrote is put on the page with `textContent`, never as
// HTML.

import { formatCents, normalizeEmail, ordersFor } from "./orders.js";

const FETCH_INFO = "oxidesk-dashboard-app:fetch-info";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const $ = (id) => document.getElementById(id);
const embedded = window.parent !== window;
let updates = 0;

// Ask first, before anything else: the dashboard answers even before this frame's `load`.
if (embedded) {
  // The request carries no data, so any target origin will do (the dashboard's origin is not
  // known here: it is whatever host name the agent opened Oxidesk at).
  window.parent.postMessage(FETCH_INFO, "*");
} else {
  $("waiting-hint").hidden = false;
}

window.addEventListener("message", (event) => {
  // Only the dashboard (the parent window) speaks to this app; anything else is ignored.
  if (event.source !== window.parent) return;
  const message = parseJson(event.data);
  if (!message || message.event !== "appContext" || !isObject(message.data)) return;
  render(message.data);
});

/** The parsed message, or null when it is not a JSON string (the seeds' `isJSONValid`). */
function parseJson(data) {
  if (typeof data !== "string") return null;
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value) {
  return typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
}

function render(data) {
  updates += 1;
  const conversation = isObject(data.conversation) ? data.conversation : {};
  const meta = isObject(conversation.meta) ? conversation.meta : {};
  // `contact` is the full contact; `conversation.meta.sender` the same person, in case an
  // older dashboard sends only that.
  const contact = isObject(data.contact) ? data.contact : isObject(meta.sender) ? meta.sender : {};
  const extra = isObject(contact.additional_attributes) ? contact.additional_attributes : {};

  document.documentElement.dataset.theme = data.theme === "dark" ? "dark" : "light";

  $("waiting").hidden = true;
  $("contact").hidden = false;
  $("orders").hidden = false;
  $("payload").hidden = false;

  const name = text(contact.name) || "Unnamed contact";
  $("contact-name").textContent = name;
  $("contact-initials").textContent = initials(name);
  const parts = [];
  if (conversation.id !== undefined) parts.push(`Conversation #${text(conversation.id)}`);
  if (text(conversation.status)) parts.push(text(conversation.status));
  $("contact-conversation").textContent = parts.join(" · ");

  fact("contact-email", contact.email);
  fact("contact-phone", contact.phone_number);
  fact("contact-company", extra.company_name);
  fact("contact-location", [text(extra.city), text(extra.country)].filter(Boolean).join(", "));

  renderOrders(contact.email);

  $("payload-json").textContent = JSON.stringify(data, null, 2);
  const messages = Array.isArray(conversation.messages) ? conversation.messages.length : 0;
  $("payload-note").textContent = `(${messages} message${messages === 1 ? "" : "s"})`;

  const at = new Date();
  const time = [at.getHours(), at.getMinutes(), at.getSeconds()]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
  $("status").textContent =
    `Context received at ${time} · ${updates} update${updates === 1 ? "" : "s"}`;
  $("status").dataset.updates = String(updates);
}

function fact(id, value) {
  const shown = text(value);
  const cell = $(id);
  cell.textContent = shown || "—";
  cell.classList.toggle("missing", !shown);
}

function initials(name) {
  const words = name.split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => Array.from(w)[0] || "").join("").toUpperCase() || "?";
}

function renderOrders(email) {
  const list = $("order-list");
  const empty = $("orders-empty");
  const orders = ordersFor(email);
  list.replaceChildren();
  if (orders.length === 0) {
    empty.hidden = false;
    empty.textContent = normalizeEmail(email)
      ? "No orders for this email address."
      : "This contact has no email address, so there are no orders to look up.";
    $("orders-summary").textContent = "";
    return;
  }
  empty.hidden = true;
  const total = orders.reduce((sum, order) => sum + order.totalCents, 0);
  $("orders-summary").textContent = `${orders.length} orders · ${formatCents(total)}`;
  for (const order of orders) {
    list.append(orderItem(order));
  }
}

function orderItem(order) {
  const item = element("li", "order");
  item.dataset.order = order.number;
  const head = element("div", "order-head");
  head.append(
    element("span", "order-number", order.number),
    element("span", `pill pill-${order.status.toLowerCase()}`, order.status),
  );
  const items = element("ul", "order-items");
  for (const line of order.items) {
    const quantity = line.quantity > 1 ? `${line.quantity} × ` : "";
    items.append(element("li", "", `${quantity}${line.name}`));
  }
  const foot = element("div", "order-foot");
  const date = element("time", "order-date", formatDate(order.date));
  date.dateTime = order.date;
  foot.append(date, element("span", "order-total", formatCents(order.totalCents)));
  item.append(head, items, foot);
  return item;
}

function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

/** "2026-10-09" as "9 Oct 2026", the same in every locale. */
function formatDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}
