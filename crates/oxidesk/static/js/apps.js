// Dashboard Apps beside the open conversation (pages/conversation.html).
//
// - Each app is a tab; its iframes are created from the panel's <template> when the tab is
//   first shown, and stay alive while the agent switches tabs. Opening another conversation is
//   a page load, so every app starts afresh with that conversation's context.
// - The context (`appContext`) is embedded in the page (#app-context) and posted as the JSON
//   string Chatwoot's apps expect, `{"event":"appContext","data":{conversation, contact,
//   currentAgent, customAttributes, theme}}`, on each iframe `load`, in answer to
//   `<brand>-dashboard-app:fetch-info` (any brand, any case), and unasked whenever the
//   conversation changes (`refresh()`, called by conversation.js on live events).
// - `theme` is what the dashboard shows: it follows the system's light or dark setting
//   (`prefers-color-scheme`, as app.css does); when that changes, every live frame is sent the
//   context it holds again, with the new theme.
// - It is only ever posted to the origins the app may be at (its URL's, plus the extra ones its
//   settings allow), never to `*`; a fetch-info is answered only to the iframe that sent it,
//   and only when it comes from one of its app's origins. Other windows are ignored.

import { api } from "./http.js";

const FETCH_INFO = /^.{1,100}-dashboard-app:fetch-info$/i;

export function startApps(contextUrl) {
  const holder = document.getElementById("app-context");
  if (!holder) return null;
  let data = parse(holder.dataset.context) ?? {};
  holder.removeAttribute("data-context");
  // Every created iframe: {iframe, origins, live}. `live`: it loaded or asked, so it gets
  // pushed updates.
  const frames = [];
  const dark = matchMedia("(prefers-color-scheme: dark)");

  const message = () => JSON.stringify({ event: "appContext", data: { ...data, theme: dark.matches ? "dark" : "light" } });

  // postMessage drops a message whose target origin is not the frame's current one, so trying
  // each allowed origin reaches the frame wherever (among them) it is, and nowhere else.
  function send(frame) {
    const target = frame.iframe.contentWindow;
    if (!target) return;
    const text = message();
    for (const origin of frame.origins) target.postMessage(text, origin);
  }

  for (const panel of document.querySelectorAll(".app-panel[data-app-id]")) {
    const origins = parse(panel.dataset.origins) ?? [];
    const open = () => {
      if (panel.dataset.opened) return;
      panel.dataset.opened = "true";
      const template = panel.querySelector("template");
      if (!template) return;
      const content = template.content.cloneNode(true);
      let waiting = 0;
      for (const iframe of content.querySelectorAll("iframe")) {
        const frame = { iframe, origins, live: false, loaded: false };
        frames.push(frame);
        waiting += 1;
        iframe.addEventListener("load", () => {
          frame.live = true;
          send(frame);
          if (!frame.loaded) {
            frame.loaded = true;
            waiting -= 1;
            if (waiting === 0) {
              panel.classList.add("loaded");
              panel.removeAttribute("aria-busy");
            }
          }
        });
      }
      panel.setAttribute("aria-busy", "true");
      panel.append(content);
    };
    if (!panel.hidden) open();
    panel.addEventListener("oxidesk:tab-shown", open);
  }

  window.addEventListener("message", (event) => {
    if (typeof event.data !== "string" || !FETCH_INFO.test(event.data)) return;
    const frame = frames.find((f) => f.iframe.contentWindow === event.source);
    if (!frame || !frame.origins.includes(event.origin)) return;
    frame.live = true;
    event.source.postMessage(message(), event.origin);
  });

  // Fetches the conversation's context again and pushes it to every live frame. Answers to
  // fetch-info meanwhile use the context held, which is at most a moment old.
  // A frame that loads later gets the fresh context on its `load`.
  async function refresh() {
    data = (await api("GET", contextUrl)) ?? data;
    push();
  }

  function push() {
    for (const frame of frames) if (frame.live) send(frame);
  }
  dark.addEventListener("change", push);

  return { refresh };
}

function parse(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
