// Live updates over Server-Sent Events. The browser's EventSource reconnects by itself and
// sends Last-Event-ID, so the server replays what was missed. Each event is re-dispatched on
// `document` as `oxidesk:event` with `{id, name, data}`.
//
// EventSource gives up for good when a reconnection is answered with anything but 200 (a 503
// while the server sheds load or its database is away): then a new stream is opened after a
// growing delay, from the last event seen (`?last_event_id=`, since a new EventSource cannot
// send the header).
//
// The stream is closed when the page is left (`pagehide`): a page kept in the back/forward
// cache would otherwise hold its connection, and browsers allow only six per host, so after a
// few conversations the next pages could not load. A page restored from that cache reloads,
// so that nothing it missed is shown stale.

const account = () => document.querySelector('meta[name="account-id"]')?.content;

export function connectLive() {
  const id = account();
  if (!id || typeof EventSource === "undefined") return null;
  let source = null;
  let lastId = "";
  let delay = 1000;
  let left = false;
  const open = () => {
    const after = lastId ? `?last_event_id=${encodeURIComponent(lastId)}` : "";
    source = new EventSource(`/app/accounts/${encodeURIComponent(id)}/live${after}`);
    source.addEventListener("open", () => {
      delay = 1000;
      document.documentElement.dataset.live = "connected";
    });
    source.addEventListener("error", () => {
      document.documentElement.dataset.live = "reconnecting";
      if (source.readyState === EventSource.CLOSED && !left) {
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      }
    });
    source.addEventListener("message", (message) => {
      if (message.lastEventId) lastId = message.lastEventId;
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      document.dispatchEvent(new CustomEvent("oxidesk:event", { detail: event }));
    });
  };
  open();
  window.addEventListener("pagehide", () => {
    left = true;
    source.close();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) location.reload();
  });
  return source;
}
