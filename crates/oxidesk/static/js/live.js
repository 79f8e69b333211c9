// Live updates over Server-Sent Events. The browser's EventSource reconnects by itself and
// sends Last-Event-ID, so the server replays what was missed. Each event is re-dispatched on
// `document` as `oxidesk:event` with `{id, name, data}`.

const account = () => document.querySelector('meta[name="account-id"]')?.content;

export function connectLive() {
  const id = account();
  if (!id || typeof EventSource === "undefined") return null;
  const source = new EventSource(`/app/accounts/${encodeURIComponent(id)}/live`);
  source.addEventListener("open", () => {
    document.documentElement.dataset.live = "connected";
  });
  source.addEventListener("error", () => {
    document.documentElement.dataset.live = "reconnecting";
  });
  source.addEventListener("message", (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    document.dispatchEvent(new CustomEvent("oxidesk:event", { detail: event }));
  });
  return source;
}
