// "Your conversations": the visitor's conversations, newest first, each a button that shows it
// (`pick(id)`). Read when the list is opened.
import { api, store } from "./api.js";
import { language, t } from "./i18n.js";

export function conversationList(button, list, pick) {
  const close = () => {
    list.hidden = true;
    button.setAttribute("aria-expanded", "false");
  };
  button.addEventListener("click", async () => {
    if (!list.hidden) {
      close();
      return;
    }
    button.setAttribute("aria-expanded", "true");
    list.hidden = false;
    const conversations = store.get() ? await api("conversations").catch(() => []) : [];
    const format = new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeStyle: "short" });
    list.replaceChildren(
      ...conversations.map((c) => {
        const item = document.createElement("li");
        const open = document.createElement("button");
        open.type = "button";
        const status = t(`status${c.status.charAt(0).toUpperCase()}${c.status.slice(1)}`);
        const when = format.format(new Date(c.last_activity_at * 1000));
        open.textContent = `${t("conversation")} #${c.id} · ${when} · ${status}`;
        open.addEventListener("click", () => {
          close();
          pick(c.id);
        });
        item.append(open);
        return item;
      }),
    );
  });
}
