// The pre-chat form (when the inbox has one, rendered by the server from its settings): shown
// instead of the composer before the visitor's first message. Its values go with that message
// (`pre_chat`); the server checks the required ones and answers 422 naming the field.
import { api, store } from "./api.js";

export function preChatForm({ form, composer, before, visit, sent }) {
  if (!form) return;
  const needed = !store.get();
  form.hidden = !needed;
  if (needed) composer.hidden = true;
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
      form.hidden = true;
      composer.hidden = false;
      status.hidden = true;
      sent(data);
    } catch (error) {
      status.textContent = error.message;
      status.hidden = false;
      const field = String(error.body?.errors?.[0]?.field || "").replace("pre_chat.", "");
      const input = field && form.querySelector(`[name="${CSS.escape(field)}"]`);
      if (input) input.focus();
    }
  });
}
