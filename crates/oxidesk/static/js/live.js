// Live updates over Server-Sent Events. The browser's EventSource reconnects by itself and
// sends Last-Event-ID, so the server replays what was missed. Each event is re-dispatched on
// `document` as `oxidesk:event` with `{id, name, data}`.
//
// The stream is closed when the page is left (`pagehide`): a page kept in the back/forward
// cache would otherwise hold its connection, and browsers allow only six per host, so after a
// few conversations the next pages could not load. A page restored from that cache reloads,
// so that nothing it missed is shown stale.

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
  window.addEventListener("pagehide", () => source.close());
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) location.reload();
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
