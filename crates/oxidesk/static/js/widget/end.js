// "End conversation" (the inbox's `end_conversation` feature): a button under the header while
// the shown conversation is not resolved, which asks to confirm in place (End / Cancel; Escape
// cancels) and then resolves it with POST /widget/api/end_conversation.
import { api } from "./api.js";

export function endConversation({ enabled, current, ended, showError }) {
  const button = document.getElementById("widget-end");
  const confirm = document.getElementById("widget-end-confirm");
  const yes = document.getElementById("widget-end-yes");
  const no = document.getElementById("widget-end-no");

  function ask(open) {
    confirm.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    (open ? no : button).focus();
  }

  button.addEventListener("click", () => ask(confirm.hidden));
  no.addEventListener("click", () => ask(false));
  confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      // Only the question closes, not the chat.
      event.stopPropagation();
      ask(false);
    }
  });
  yes.addEventListener("click", async () => {
    const conversation = current();
    if (!conversation) return;
    yes.disabled = true;
    try {
      const done = await api(`end_conversation?conversation_id=${conversation.id}`, { method: "POST" });
      confirm.hidden = true;
      button.setAttribute("aria-expanded", "false");
      ended(done);
    } catch (error) {
      showError(error.message);
    } finally {
      yes.disabled = false;
    }
  });

  // Shown only with the feature on and an unresolved conversation on screen.
  return function update(conversation) {
    const can = enabled && !!conversation && conversation.status !== "resolved";
    button.hidden = !can;
    if (!can) confirm.hidden = true;
  };
}
