// "Customer Orders": an example Oxidesk dashboard app, written on the Dashboard App SDK
// (/sdk/v1/dashboard-app.js; docs/dashboard-apps.md, "SDK"). Plain JavaScript, no libraries.
//
// - `connect()` opens the protocol with the dashboard; the context (conversation, contact,
//   agent, theme) comes with it, and again on every change ("context" events).
// - `issuer: location.origin`: this app is served by the Oxidesk install it trusts, so every
//   context is verified (signature, issuer, audience, expiry, payload hash) before it is shown;
//   a forged one is refused and said so.
// - One action: "Add as a private note" writes the order summary into the conversation
//   (scope `note.create`, granted by an administrator).
// - On a dashboard that does not speak the protocol (an older Oxidesk, Chatwoot), the SDK falls
//   back to the seeds' `appContext` messages: everything shows, actions are unavailable.
//
// The same app written against the seeds' protocol alone: ../customer-orders-classic/.
// Everything the customer or an agent wrote is put on the page with `textContent`, never as
// HTML.

import { connect } from "/sdk/v1/dashboard-app.js";
import { formatCents, normalizeEmail, ordersFor } from "./orders.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const $ = (id) => document.getElementById(id);
let app = null;
let updates = 0;
let summary = ""; // the note "Add as a private note" writes

start();

async function start() {
  try {
    app = await connect({ issuer: location.origin });
  } catch (error) {
    if (error.code === "not_embedded") {
      $("waiting-hint").hidden = false;
    } else {
      refused(error);
    }
    return;
  }
  app.on("context", render);
  // An update that fails verification is dropped by the SDK: say so, keep what was verified.
  app.on("error", refused);
  $("note-orders").addEventListener("click", addNote);
  render(app.context);
}

function refused(error) {
  const trust = $("trust");
  trust.hidden = false;
  trust.className = "trust trust-refused";
  trust.dataset.state = "refused";
  trust.textContent = error.code === "timeout"
    ? "No answer from the dashboard."
    : error.code === "issuer"
      ? `A context was refused: it was not signed by ${location.origin}. Open the dashboard at Oxidesk's public URL (OXIDESK_PUBLIC_URL).`
      : `A context was refused (${error.code}): it is not what the dashboard sent. Nothing from it is shown.`;
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

  fact("contact-email", "email" in contact ? contact.email : undefined, app.withheld.includes("contact_email"));
  fact("contact-phone", contact.phone_number, app.withheld.includes("contact_phone"));
  fact("contact-company", extra.company_name);
  fact("contact-location", [text(extra.city), text(extra.country)].filter(Boolean).join(", "));

  renderOrders(contact.email);
  renderTrust();
  renderActions();

  $("payload-json").textContent = JSON.stringify(data, null, 2);
  const messages = Array.isArray(conversation.messages) ? conversation.messages.length : 0;
  $("payload-note").textContent = `(${messages} message${messages === 1 ? "" : "s"})`;

  $("status").textContent = `Context received at ${clock(new Date())} · ${updates} update${updates === 1 ? "" : "s"}`;
  $("status").dataset.updates = String(updates);
}

/** Who signed what this app shows, from the verified claims. */
function renderTrust() {
  const trust = $("trust");
  const claims = app.claims;
  trust.hidden = false;
  trust.className = "trust trust-verified";
  trust.dataset.state = "verified";
  trust.textContent =
    `Verified: signed by ${claims.iss} for conversation #${claims.conversation_id}, ` +
    `valid until ${clock(new Date(claims.exp * 1000))}` +
    (app.protocol === "seeds" ? " (read-only dashboard)" : "");
}

function renderActions() {
  const button = $("note-orders");
  const hint = $("actions-hint");
  const allowed = app.hasScope("note.create");
  button.disabled = !allowed || !summary;
  hint.textContent = allowed
    ? summary ? "" : "No orders to write down."
    : app.protocol === "seeds"
      ? "Actions need a dashboard that speaks the Oxidesk app protocol."
      : "An administrator can allow this app to add notes (note.create): Settings > Integrations > Dashboard apps.";
}

async function addNote() {
  const button = $("note-orders");
  const result = $("action-result");
  button.disabled = true;
  result.textContent = "Adding the note…";
  delete result.dataset.outcome;
  try {
    await app.notes.create(summary);
    result.textContent = "Added as a private note.";
    result.dataset.outcome = "ok";
  } catch (error) {
    result.textContent = `Not added: ${error.message}`;
    result.dataset.outcome = error.code;
  } finally {
    renderActions();
  }
}

function clock(at) {
  return [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

function fact(id, value, withheld = false) {
  const shown = text(value);
  const cell = $(id);
  cell.textContent = shown || (withheld ? "withheld by the administrator" : "—");
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
    summary = "";
    return;
  }
  empty.hidden = true;
  const total = orders.reduce((sum, order) => sum + order.totalCents, 0);
  $("orders-summary").textContent = `${orders.length} orders · ${formatCents(total)}`;
  summary = [
    `Customer Orders for ${normalizeEmail(email)}: ${orders.length} orders, ${formatCents(total)} in all.`,
    ...orders.map((o) => `${o.number} · ${formatDate(o.date)} · ${o.status} · ${formatCents(o.totalCents)}`),
  ].join("\n");
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
