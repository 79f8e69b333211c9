// Dashboard Apps added, changed or removed while a conversation is open
// (`dashboard_app.created|updated|deleted` on the live stream): the page asks which apps it
// shows now (`GET …/conversations/{id}/apps`) and adds, changes or removes their tabs and side
// panels without a reload.
//
// The page's CSP `frame-src` was fixed when it loaded: an app whose origins are all among those
// the page may frame gets its frames at once; one on a new origin gets its tab with a notice
// and a Reload button (a document cannot widen its own CSP).

import { api } from "./http.js";

export function followApps(root, appsUrl, apps) {
  // The origins this page may frame: those of the apps it was rendered with. Each rendered
  // panel is marked with what it shows, so that an unchanged app keeps its frames.
  const framable = new Set();
  const mark = (panel) => {
    if (panel.dataset.signature) return;
    const frames = [...(panel.querySelector("template")?.content.querySelectorAll("iframe") ?? [])];
    panel.dataset.signature = signature({
      frames: frames.map((f) => f.getAttribute("src")),
      origins: panel.dataset.origins,
      lifecycle: panel.dataset.lifecycle,
    });
  };
  for (const panel of document.querySelectorAll(".app-panel[data-app-id]")) {
    for (const origin of parse(panel.dataset.origins) ?? []) framable.add(origin);
    mark(panel);
  }
  // One sync at a time; events meanwhile ask for one more after it.
  let running = false;
  let again = false;
  document.addEventListener("oxidesk:event", async (event) => {
    const name = event.detail?.name ?? "";
    if (!name.startsWith("dashboard_app.")) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await sync();
      } while (again);
    } catch (error) {
      console.warn("updating the apps failed", error);
    } finally {
      running = false;
    }
  });

  async function sync() {
    const asked = appsUrl;
    const now = await api("GET", asked);
    // Another conversation was opened meanwhile: ask again for that one.
    if (asked !== appsUrl) return sync();
    const want = new Map();
    for (const app of now?.tabs ?? []) want.set(`panel-app-${app.id}`, app);
    for (const app of now?.side ?? []) want.set(`side-app-${app.id}`, app);
    for (const panel of root.querySelectorAll(".app-panel[data-app-id]")) {
      if (!want.has(panel.id)) remove(panel);
    }
    let added = false;
    for (const [id, app] of want) {
      const existing = document.getElementById(id);
      if (existing && existing.dataset.signature === signature(app)) {
        retitle(existing, app);
        continue;
      }
      const panel = build(app, existing);
      if (existing) existing.replaceWith(panel);
      else place(panel, app);
      if (panel.querySelector("template")) {
        apps?.addPanel(panel);
        added = true;
      }
    }
    if (added) await apps?.refresh();
  }

  // A persistent app's frame keeps the URL it was created with (its templates filled for the
  // conversation open then), so only its origins and number of frames tell a change.
  function signature(app) {
    if (app.lifecycle === "persistent") return JSON.stringify(["persistent", app.frames.length, app.origins]);
    return JSON.stringify([app.frames, app.origins]);
  }

  function remove(panel) {
    const tab = document.getElementById(`tab-app-${panel.dataset.appId}`);
    if (panel.classList.contains("app-side")) {
      panel.remove();
      return;
    }
    if (tab?.getAttribute("aria-selected") === "true") document.getElementById("tab-messages")?.click();
    tab?.remove();
    panel.remove();
  }

  function retitle(panel, app) {
    panel.dataset.title = app.title;
    const tab = document.getElementById(`tab-app-${app.id}`);
    if (tab && !panel.classList.contains("app-side")) tab.textContent = app.title;
    const heading = panel.querySelector(".app-side-title");
    if (heading) heading.textContent = app.title;
  }

  // A panel like the server renders (partials/app_frames.html), built with DOM methods.
  function build(app, existing) {
    const side = app.placement === "conversation_sidebar";
    const panel = document.createElement(side ? "section" : "div");
    panel.id = side ? `side-app-${app.id}` : `panel-app-${app.id}`;
    panel.className = side ? "app-panel app-side" : "tab-panel app-panel";
    if (side) panel.setAttribute("aria-labelledby", `${panel.id}-title`);
    else {
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", `tab-app-${app.id}`);
      panel.hidden = existing ? existing.hidden : true;
    }
    panel.dataset.appId = String(app.id);
    panel.dataset.placement = app.placement;
    panel.dataset.title = app.title;
    panel.dataset.origins = app.origins;
    panel.dataset.protocol = app.protocol;
    panel.dataset.lifecycle = app.lifecycle;
    panel.dataset.signature = signature(app);
    if (app.allowed != null) panel.dataset.allowed = app.allowed;
    if (side) {
      const heading = document.createElement("h3");
      heading.id = `${panel.id}-title`;
      heading.className = "app-side-title";
      heading.textContent = app.title;
      panel.append(heading);
    }
    const origins = parse(app.origins) ?? [];
    if (origins.length > 0 && origins.every((o) => framable.has(o))) {
      const loading = document.createElement("p");
      loading.className = "app-loading muted";
      loading.setAttribute("role", "status");
      loading.textContent = `Loading ${app.title}…`;
      const problem = document.createElement("div");
      problem.className = "app-problem";
      problem.setAttribute("role", "alert");
      problem.hidden = true;
      const template = document.createElement("template");
      for (const url of app.frames) {
        const iframe = document.createElement("iframe");
        iframe.setAttribute("src", url);
        iframe.title = app.title;
        iframe.setAttribute(
          "sandbox",
          "allow-scripts allow-same-origin allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-downloads allow-storage-access-by-user-activation",
        );
        iframe.setAttribute("allow", "clipboard-write");
        iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        template.content.append(iframe);
      }
      panel.append(loading, problem, template);
    } else {
      const notice = document.createElement("div");
      notice.className = "app-problem app-reload";
      notice.setAttribute("role", "status");
      const text = document.createElement("p");
      text.textContent = `${app.title} was ${existing ? "changed" : "added"} after this page opened, on a site this page may not show yet. Reload the page to show it.`;
      const reload = document.createElement("button");
      reload.type = "button";
      reload.className = "small";
      reload.textContent = "Reload";
      reload.addEventListener("click", () => location.reload());
      notice.append(text, reload);
      panel.classList.add("loaded");
      panel.append(notice);
    }
    return panel;
  }

  function place(panel, app) {
    if (app.placement === "conversation_sidebar") {
      root.querySelector(".side-col")?.append(panel);
      return;
    }
    const tabs = root.querySelector(".conv-tabs");
    if (!tabs) return;
    const tab = document.createElement("button");
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.id = `tab-app-${app.id}`;
    tab.setAttribute("aria-selected", "false");
    tab.setAttribute("aria-controls", panel.id);
    tab.tabIndex = -1;
    tab.textContent = app.title;
    tabs.append(tab);
    const last = [...root.querySelectorAll(".conv-col > .tab-panel")].pop();
    last?.after(panel);
  }

  // Another conversation was swapped into the page (conversation-switch.js): its apps are
  // asked for from now on; its new panels are marked like the rendered ones.
  return {
    retarget(url) {
      appsUrl = url;
      for (const panel of document.querySelectorAll(".app-panel[data-app-id]")) mark(panel);
    },
  };
}

function parse(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
