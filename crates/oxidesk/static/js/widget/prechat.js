// The pre-chat form (when the inbox has one: `pre_chat_form_enabled` and the enabled fields of
// `pre_chat_form_options` in the page's configuration), shown instead of the composer before
// the visitor's first message. Its values go with that message (`pre_chat`); the server checks
// the required ones and answers 422 naming the field. Labels and texts are the
// administrators', written as text.
import { api, store } from "./api.js";
import { t } from "./i18n.js";

const INPUT_TYPES = {
  email: "email",
  phoneInput: "tel",
  number: "number",
  date: "date",
  link: "url",
  checkbox: "checkbox",
};
const AUTOCOMPLETE = { emailAddress: "email", fullName: "name", phoneNumber: "tel" };

function el(tag, props = {}) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  return node;
}

function build(options) {
  const form = el("form", { class: "pre-chat", id: "widget-pre-chat", novalidate: "" });
  if (options.pre_chat_message) form.append(el("p", { class: "pre-chat-message", text: options.pre_chat_message }));
  (options.pre_chat_fields || []).forEach((field, index) => {
    const id = `pre-chat-${index}`;
    const label = `${field.label || field.name}${field.required ? " *" : ""}`;
    let input;
    if (field.type === "textarea") input = el("textarea", { rows: "2" });
    else if (field.type === "list") {
      input = el("select");
      input.append(el("option", { value: "", text: field.placeholder || "" }));
      for (const value of field.values || []) input.append(el("option", { value, text: value }));
    } else input = el("input", { type: INPUT_TYPES[field.type] || "text" });
    input.id = id;
    input.name = String(field.name);
    input.dataset.preChat = "";
    if (field.placeholder && input.tagName !== "SELECT") input.placeholder = field.placeholder;
    if (field.required) input.setAttribute("aria-required", "true");
    input.autocomplete = AUTOCOMPLETE[field.name] || "off";
    if (input.type === "checkbox") {
      const wrap = el("label", { class: "check" });
      wrap.append(input, ` ${label}`);
      form.append(wrap);
    } else form.append(el("label", { for: id, text: label }), input);
  });
  form.append(
    el("label", { for: "pre-chat-content", text: t("message"), "data-t": "message" }),
    el("textarea", { id: "pre-chat-content", rows: "3", "aria-required": "true" }),
    el("p", { class: "widget-error pre-chat-error", role: "alert", hidden: "" }),
    el("button", { type: "submit", text: t("start"), "data-t": "start" }),
  );
  return form;
}

export function preChatForm({ config, composer, before, visit, sent }) {
  if (!config.pre_chat_form_enabled || store.get()) return;
  const form = build(config.pre_chat_form_options || {});
  composer.before(form);
  composer.hidden = true;
  const status = form.querySelector(".pre-chat-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = {};
    for (const field of form.querySelectorAll("[data-pre-chat]")) {
      values[field.name] = field.type === "checkbox" ? field.checked : field.value.trim();
    }
    const content = form.querySelector("#pre-chat-content").value.trim();
    try {
      await before();
      const data = await api("messages", {
        method: "POST",
        body: { content, pre_chat: values, ...visit() },
      });
      form.remove();
      composer.hidden = false;
      sent(data);
    } catch (error) {
      status.textContent = error.message;
      status.hidden = false;
      const field = String(error.body?.errors?.[0]?.field || "").replace("pre_chat.", "");
      const input = field && form.querySelector(`[name="${CSS.escape(field)}"]`);
      (input || form.querySelector("#pre-chat-content")).focus();
    }
  });
}
