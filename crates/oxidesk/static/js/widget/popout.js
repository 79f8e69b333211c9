// The header's pop-out button (chatwootSettings.showPopoutButton): opens this page in a window
// of its own, with the visitor's token in the fragment (never sent to a server; the new page
// keeps it and takes it out of its address), and closes the bubble, as popoutChatWindow does.
import { store } from "./api.js";

export function popout(button, closeBubble) {
  button.addEventListener("click", () => {
    const token = store.get();
    const fragment = token ? `#token=${encodeURIComponent(token)}` : "";
    window.open(window.location.pathname + window.location.search + fragment, "_blank", "noopener");
    closeBubble();
  });
  return (show) => {
    button.hidden = !show;
  };
}
