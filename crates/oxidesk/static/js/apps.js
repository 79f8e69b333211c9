// Dashboard Apps beside the open conversation (pages/conversation.html); the behaviour is
// specified in docs/dashboard-apps.md. Each app is a tab whose iframes are made from the panel's
// <template> when first shown. The context (#app-context) is posted as Chatwoot's `appContext`
// JSON string on load, on `<brand>-dashboard-app:fetch-info`, and on changes (`refresh()`), with
// the app's signed `token` and the theme, only to the app's own origins, never `*`. A frame that
// sends `connect` speaks the two-way protocol (app-host.js) instead. A switched-in conversation
// (`retarget()`) gives apps fresh frames, except `persistent` ones, which get the new context.

import { api } from "./http.js";
import { AppLink, isProtocolMessage } from "./app-host.js";
import { watchFrame } from "./app-load.js";

const FETCH_INFO = /^.{1,100}-dashboard-app:fetch-info$/i;

export function startApps(contextUrl) {
  if (!document.getElementById("app-context")) return null;
  let data = {};
  let tokens = {};
  let views = {};
  let validUntil = 0;
  const take = (signed) => {
    tokens = signed?.tokens ?? {};
    views = signed?.views ?? {};
    // Counted on this clock from the moment they arrived: the server's may differ.
    validUntil = Date.now() + (signed?.expires_in ?? 0) * 1000;
  };
  // The context and tokens embedded in the page (#app-context), read once.
  const embedded = () => {
    const holder = document.getElementById("app-context");
    data = parse(holder?.dataset.context) ?? {};
    take(parse(holder?.dataset.tokens));
    holder?.removeAttribute("data-context");
    holder?.removeAttribute("data-tokens");
  };
  embedded();
  // Every created iframe: {iframe, origins, live}. `live`: it loaded or asked, so it gets
  // pushed updates.
  const frames = [];
  const dark = matchMedia("(prefers-color-scheme: dark)");

  // What the frame's app may see, with the theme, and its token.
  const signed = (frame) => {
    const theme = dark.matches ? "dark" : "light";
    const token = tokens[frame.appId]?.[theme];
    return { data: { ...(views[frame.appId] ?? data), theme }, ...(token ? { token } : {}) };
  };
  const message = (frame) => JSON.stringify({ event: "appContext", ...signed(frame) });

  // Runs `then` at once while the tokens are good for another minute; otherwise after fetching
  // a fresh context and tokens (one fetch at a time; on failure, with what is held).
  let fetching = null;
  function whenFresh(then) {
    if (Date.now() < validUntil - 60_000) return then();
    fetching ??= load().finally(() => { fetching = null; });
    fetching.then(then, then);
  }

  async function load() {
    const asked = contextUrl;
    const fresh = await api("GET", asked);
    // Another conversation was opened meanwhile: its context is already held.
    if (asked !== contextUrl) return;
    if (fresh?.data) {
      data = fresh.data;
      take(fresh);
    }
  }

  // postMessage drops a message whose target origin is not the frame's current one, so trying
  // each allowed origin reaches the frame wherever (among them) it is, and nowhere else.
  function send(frame) {
    const target = frame.iframe.contentWindow;
    if (!target) return;
    if (frame.link.connected) return frame.link.emit("context.updated", signed(frame));
    const text = message(frame);
    for (const origin of frame.origins) target.postMessage(text, origin);
  }

  // Sets up one app panel (server-rendered, or added live by app-live.js): its frames are
  // created from its <template> when it is first shown.
  const setUp = new WeakSet();
  function setupPanel(panel) {
    if (setUp.has(panel)) return;
    setUp.add(panel);
    const origins = parse(panel.dataset.origins) ?? [];
    const about = parse(panel.dataset.protocol) ?? {};
    const placement = panel.dataset.placement || "conversation_tab";
    const open = () => {
      if (panel.dataset.opened) return;
      panel.dataset.opened = "true";
      const template = panel.querySelector("template");
      if (!template) return;
      const content = template.content.cloneNode(true);
      let waiting = 0;
      for (const iframe of content.querySelectorAll("iframe")) {
        const frame = { iframe, origins, appId: panel.dataset.appId, live: false, loaded: false };
        frame.link = linkFor(frame, panel, about, placement);
        frames.push(frame);
        watchFrame(panel, iframe);
        waiting += 1;
        iframe.addEventListener("load", () => {
          // A connection lasts as long as the document that made it: kept if it was made
          // since the previous load (by the document that just finished loading, which may
          // connect before its own load), dropped if an earlier document made it.
          frame.loads = (frame.loads ?? 0) + 1;
          if (frame.connectedAt !== frame.loads - 1) frame.link.reset();
          frame.link.target = iframe.contentWindow;
          frame.live = true;
          whenFresh(() => send(frame));
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
    const tell = (event) => () => {
      for (const frame of frames) if (frame.panel === panel) frame.link.emit(event, { placement: frame.link.placement });
    };
    panel.addEventListener("oxidesk:tab-shown", tell("app.shown"));
    panel.addEventListener("oxidesk:tab-hidden", tell("app.hidden"));
  }

  // The protocol's link of a frame: context from what the page holds, actions through the
  // server (reply.insert is checked and logged there too, then done here).
  function linkFor(frame, panel, about, placement) {
    frame.panel = panel;
    // Actions act on the conversation open when they are asked for, or on a contact's page on
    // the contact (where the server allows only contact.attributes.set).
    const actions = () => contextUrl.replace(/\/context$/, `/apps/${frame.appId}/actions`);
    return new AppLink({
      target: frame.iframe.contentWindow,
      placement,
      describe: () => ({ app: about.app, scopes: about.scopes ?? [], withheld: about.withheld ?? [] }),
      visible: () => !panel.hidden,
      context: () => new Promise((resolve) => whenFresh(() => resolve(signed(frame)))),
      act: async (method, params) => {
        let answer;
        try {
          answer = await api("POST", actions(), { method, params });
        } catch (failure) {
          throw failure.body?.error ?? { code: "unavailable", message: failure.message };
        }
        if (method === "reply.insert") insertReply(params.text);
        return answer.result;
      },
    });
  }
  for (const panel of document.querySelectorAll(".app-panel[data-app-id]")) setupPanel(panel);

  window.addEventListener("message", (event) => {
    if (isProtocolMessage(event.data)) {
      const frame = frames.find((f) => f.iframe.contentWindow === event.source);
      if (!frame || !frame.origins.includes(event.origin)) return;
      frame.live = true;
      frame.link.target = event.source;
      if (event.data.method === "connect") frame.connectedAt = frame.loads ?? 0;
      frame.link.handle(event.data, event.origin);
      return;
    }
    if (typeof event.data !== "string" || !FETCH_INFO.test(event.data)) return;
    const frame = frames.find((f) => f.iframe.contentWindow === event.source);
    if (!frame || !frame.origins.includes(event.origin)) return;
    frame.live = true;
    const source = event.source;
    const origin = event.origin;
    whenFresh(() => source.postMessage(message(frame), origin));
  });

  // Fetches the conversation's context again and pushes it to every live frame. Answers to
  // fetch-info meanwhile use the context held, which is at most a moment old.
  // A frame that loads later gets the fresh context on its `load`.
  // Where no app is shown (another conversation was opened), there is no context to fetch: the
  // server refuses it.
  async function refresh() {
    if (!document.querySelector(".app-panel[data-app-id]")) return;
    await load();
    push();
  }

  function push() {
    if (!frames.some((frame) => frame.live && frame.iframe.isConnected)) return;
    whenFresh(() => {
      for (const frame of frames) if (frame.live && frame.iframe.isConnected) send(frame);
    });
  }
  dark.addEventListener("change", push);

  // A panel added or replaced while the page is open (app-live.js): set it up, then fetch
  // tokens that include its app.
  function addPanel(panel) {
    setupPanel(panel);
    validUntil = 0;
  }

  // Another conversation was swapped into the page (conversation-switch.js): the page now holds
  // its context and tokens (#app-context) and its panels. Frames of removed panels are
  // forgotten, new panels set up, and the kept (persistent) frames that are live get the new
  // context, as on a live update.
  function retarget(url) {
    contextUrl = url;
    fetching = null;
    embedded();
    for (let i = frames.length - 1; i >= 0; i -= 1) if (!frames[i].iframe.isConnected) frames.splice(i, 1);
    for (const panel of document.querySelectorAll(".app-panel[data-app-id]")) setupPanel(panel);
    push();
  }

  return { refresh, addPanel, retarget };
}

// Puts `text` into the reply box at the cursor (replacing a selection); the agent sends it.
function insertReply(text) {
  const box = document.getElementById("composer")?.elements?.content;
  if (!box || typeof text !== "string") return;
  box.setRangeText(text, box.selectionStart ?? box.value.length, box.selectionEnd ?? box.value.length, "end");
  box.dispatchEvent(new Event("input", { bubbles: true }));
}

function parse(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
