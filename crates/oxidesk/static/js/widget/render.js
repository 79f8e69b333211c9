// One message as the visitor sees it: the sender's name and avatar (agents), the text, its
// files (images inline as thumbnails, other files as downloads with name and size) and the
// interactive messages agents and bots send (input_select, cards, form, input_email,
// input_csat), answered through PATCH /widget/api/messages/{id}. Everything comes from the
// server's data and is written with textContent and attributes, never as HTML.
import { api } from "./api.js";
import { t } from "./i18n.js";

export function human(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

// Only http(s) links are followed (a javascript: or data: URL from a bot is dropped).
function safeURL(value) {
  try {
    const url = new URL(String(value), document.baseURI);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

// The file's name, the last part of its link's path (`…/original/<name>?expires=…`).
function fileName(href) {
  try {
    return decodeURIComponent(new URL(href).pathname.split("/").pop()) || "file";
  } catch {
    return "file";
  }
}

function attachments(message) {
  const box = el("div", { class: "files" });
  for (const file of message.attachments || []) {
    const href = safeURL(file.data_url);
    if (!href) continue;
    const name = fileName(href);
    if (file.file_type === "image" && safeURL(file.thumb_url)) {
      const link = el("a", { href, target: "_blank", rel: "noopener noreferrer", class: "image" });
      link.append(el("img", { src: safeURL(file.thumb_url), alt: t("image", { name }) }));
      box.append(link);
    } else {
      const link = el("a", {
        href,
        download: name,
        rel: "noopener noreferrer",
        class: "file",
        "aria-label": t("download", { name }),
      });
      link.append(el("span", { class: "file-name", text: name }), " ");
      link.append(el("span", { class: "file-size", text: human(file.file_size || 0) }));
      box.append(link);
    }
  }
  return box;
}

// Sends the visitor's answer; the message is drawn again from the answer.
async function submit(message, values, item, ctx) {
  const updated = await api(`messages/${message.id}`, {
    method: "PATCH",
    body: { conversation_id: message.conversation_id, submitted_values: values },
  });
  item.replaceWith(draw(updated, ctx));
}

function answered(message) {
  const values = message.content_attributes?.submitted_values;
  return Array.isArray(values) ? values.length > 0 : !!values;
}

function options(message, item, ctx) {
  const box = el("div", { class: "options", role: "group" });
  const chosen = (message.content_attributes.submitted_values || [])[0];
  for (const option of message.content_attributes.items || []) {
    const button = el("button", { type: "button", class: "option", text: option.title ?? "" });
    if (chosen) {
      button.disabled = true;
      if (chosen.value === option.value) button.classList.add("chosen");
    }
    button.addEventListener("click", () =>
      submit(message, [{ title: option.title, value: option.value }], item, ctx).catch(ctx.fail),
    );
    box.append(button);
  }
  return box;
}

function cards(message) {
  const box = el("div", { class: "cards" });
  for (const card of message.content_attributes.items || []) {
    const node = el("article", { class: "card" });
    const image = safeURL(card.media_url);
    if (image) node.append(el("img", { src: image, alt: "" }));
    if (card.title) node.append(el("h3", { text: card.title }));
    if (card.description) node.append(el("p", { text: card.description }));
    for (const action of card.actions || []) {
      const href = safeURL(action.uri);
      if (action.type === "link" && href) {
        node.append(
          el("a", { href, target: "_blank", rel: "noopener noreferrer", class: "card-link", text: action.text ?? href }),
        );
      }
    }
    box.append(node);
  }
  return box;
}

function form(message, item, ctx) {
  const node = el("form", { class: "bot-form" });
  const done = answered(message);
  const given = new Map((message.content_attributes.submitted_values || []).map((v) => [v.name, v.value]));
  for (const field of message.content_attributes.items || []) {
    const id = `f-${message.id}-${field.name}`;
    let input;
    if (field.type === "select") {
      input = el("select");
      for (const option of field.options || []) {
        input.append(el("option", { value: option.value ?? "", text: option.label ?? "" }));
      }
    } else if (field.type === "text_area") {
      input = el("textarea", { rows: "3" });
    } else {
      input = el("input", { type: field.type === "email" ? "email" : "text" });
    }
    input.id = id;
    input.name = String(field.name ?? "");
    if (field.placeholder) input.placeholder = field.placeholder;
    if (field.required) input.required = true;
    input.value = given.get(field.name) ?? field.default ?? "";
    input.disabled = done;
    node.append(el("label", { for: id, text: field.label ?? field.name ?? "" }), input);
  }
  if (!done) node.append(el("button", { type: "submit", text: t("submit") }));
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = (message.content_attributes.items || []).map((field) => ({
      name: field.name,
      title: field.label,
      value: node.elements.namedItem(String(field.name))?.value ?? "",
    }));
    submit(message, values, item, ctx).catch(ctx.fail);
  });
  return node;
}

function email(message, item, ctx) {
  const node = el("form", { class: "bot-form" });
  const id = `e-${message.id}`;
  const input = el("input", { type: "email", id, required: "", autocomplete: "email" });
  const given = (message.content_attributes.submitted_values || [])[0];
  node.append(el("label", { for: id, text: t("email") }), input);
  if (given) {
    input.value = given.value ?? "";
    input.disabled = true;
  } else {
    node.append(el("button", { type: "submit", text: t("submit") }));
  }
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    submit(message, [{ name: "email", title: value, value }], item, ctx).catch(ctx.fail);
  });
  return node;
}

// Chatwoot's faces for the ratings 1 to 5 (csat_config.display_type "emoji").
const FACES = ["😞", "😑", "😐", "😀", "😍"];

// The survey, as the inbox's csat_config (in ctx.csat) draws it: five faces (the default) or
// five stars, and its own button text.
function csat(message, item, ctx) {
  const given = message.content_attributes.submitted_values?.csat_survey_response;
  const look = ctx.csat || {};
  const stars = look.display_type === "star";
  const node = el("form", { class: `csat ${stars ? "csat-star" : "csat-emoji"}` });
  const scale = el("div", { class: "ratings", role: "radiogroup", "aria-label": t("rate") });
  let rating = given?.rating || 0;
  const paint = () => {
    for (const choice of scale.children) {
      const n = Number(choice.dataset.n);
      choice.classList.toggle("on", stars ? n <= rating : n === rating);
      choice.setAttribute("aria-checked", String(n === rating));
    }
  };
  for (let n = 1; n <= 5; n += 1) {
    const choice = el("button", {
      type: "button",
      class: stars ? "star" : "face",
      role: "radio",
      "aria-label": t("rating", { n }),
      text: stars ? "★" : FACES[n - 1],
    });
    choice.dataset.n = n;
    choice.disabled = !!given;
    choice.addEventListener("click", () => {
      rating = n;
      paint();
    });
    scale.append(choice);
  }
  const id = `c-${message.id}`;
  const comment = el("textarea", { id, rows: "2", maxlength: "1000" });
  comment.value = given?.feedback_message || "";
  comment.disabled = !!given;
  node.append(scale, el("label", { for: id, class: "visually-hidden", text: t("comment") }), comment);
  comment.placeholder = t("comment");
  if (given) node.append(el("p", { class: "thanks", text: t("thanks") }));
  else node.append(el("button", { type: "submit", text: look.button_text || t("submit") }));
  paint();
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!rating) return;
    const values = { csat_survey_response: { rating, feedback_message: comment.value.trim() } };
    submit(message, values, item, ctx).catch(ctx.fail);
  });
  return node;
}

const INTERACTIVE = { input_select: options, cards, form, input_email: email, input_csat: csat };

// The list item of `message`; `ctx.fail(error)` shows an answer's error.
export function draw(message, ctx) {
  const mine = message.message_type === 0;
  const item = el("li", { class: `message ${mine ? "visitor" : "agent"}` });
  item.dataset.id = message.id;
  const sender = message.sender;
  if (!mine && sender && sender.name) {
    const who = el("span", { class: "sender" });
    const picture = safeURL(sender.avatar_url || sender.thumbnail);
    if (picture) {
      const avatar = el("img", { class: "avatar", src: picture, alt: "" });
      // A picture that does not load is left out rather than shown broken.
      avatar.addEventListener("error", () => avatar.remove());
      who.append(avatar);
    }
    who.append(el("span", { text: sender.available_name || sender.name }));
    item.append(who);
  }
  if (message.content) item.append(el("p", { text: message.content }));
  if ((message.attachments || []).length) item.append(attachments(message));
  const interactive = !mine && INTERACTIVE[message.content_type];
  if (interactive && message.content_attributes) item.append(interactive(message, item, ctx));
  return item;
}
