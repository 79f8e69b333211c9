// When a Dashboard App cannot load, say why (docs/dashboard-apps.md, "When an app does not load").
//
// - A redirect to an origin the page may not frame (a sign-in page, say) is blocked by the
//   page's CSP `frame-src`: the browser fires `securitypolicyviolation` here. The panel then
//   says which origin was blocked and what to do; an administrator gets "Allow <origin>",
//   which adds it to the app's extra allowed origins through the API (the settings form's
//   validation) and reloads the page, whose CSP then lists it.
// - A frame whose `load` does not come within 15 seconds: the panel says so, with "Try again".
// - An app that refuses to be framed (X-Frame-Options, CSP frame-ancestors) shows the
//   browser's own error page; browsers give the embedding page no signal for it, so it is only
//   described in the guide and in the timeout's message.
// Each failure is reported once per frame (`POST …/dashboard_apps/{id}/load_failures`), which
// the app's settings row counts.

import { api } from "./http.js";

const TIMEOUT_MS = 15_000;
/// How long after a frame started a violation that names no frame is put down to it.
const RECENT_MS = 30_000;
const watched = [];
let listening = false;

const account = () => document.querySelector('meta[name="account-id"]')?.content ?? "";

function originOf(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : "";
  } catch {
    return "";
  }
}

// Starts watching `iframe` of the app panel `panel` (before it is added to the page).
export function watchFrame(panel, iframe) {
  if (!listening) {
    listening = true;
    document.addEventListener("securitypolicyviolation", onViolation, true);
  }
  const entry = { panel, iframe, started: Date.now(), loaded: false, problems: new Set(), timer: 0 };
  watched.push(entry);
  entry.timer = setTimeout(() => {
    // A frame removed meanwhile (another conversation was opened) did not fail.
    if (!entry.loaded && iframe.isConnected) problem(entry, "timeout", "");
  }, TIMEOUT_MS);
  iframe.addEventListener("load", () => {
    entry.loaded = true;
    clearTimeout(entry.timer);
    if (entry.problems.has("timeout") && entry.problems.size === 1) clear(entry);
  });
  return entry;
}

// Which frame a violation is about: the event's target when it is one of the frames; otherwise
// the frames still loading (a frame that has loaded is past its redirects). Among several, the
// one whose `load` (the browser's error page) comes first, within a second.
function onViolation(event) {
  const directive = event.effectiveDirective || event.violatedDirective || "";
  if (!/^(frame-src|child-src|default-src)/.test(directive)) return;
  const origin = originOf(event.blockedURI);
  const direct = watched.filter((w) => w.iframe === event.target);
  if (direct.length > 0) {
    for (const entry of direct) problem(entry, "blocked", origin);
    return;
  }
  const now = Date.now();
  const candidates = watched.filter((w) => w.iframe.isConnected && !w.loaded && now - w.started < RECENT_MS);
  if (candidates.length <= 1) {
    for (const entry of candidates) problem(entry, "blocked", origin);
    return;
  }
  let settled = false;
  const blame = (entries) => {
    if (settled) return;
    settled = true;
    for (const entry of entries) problem(entry, "blocked", origin);
  };
  for (const entry of candidates) {
    entry.iframe.addEventListener("load", () => blame([entry]), { once: true });
  }
  setTimeout(() => blame(candidates), 1000);
}

function clear(entry) {
  entry.problems.clear();
  entry.iframe.hidden = false;
  const box = entry.panel.querySelector(".app-problem");
  if (box) {
    box.hidden = true;
    box.replaceChildren();
  }
}

function paragraph(text) {
  const p = document.createElement("p");
  p.textContent = text;
  return p;
}

function button(text, action) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "small";
  b.textContent = text;
  b.addEventListener("click", action);
  return b;
}

function problem(entry, kind, detail) {
  if (entry.problems.has(kind)) return;
  entry.problems.add(kind);
  const { panel } = entry;
  const title = panel.dataset.title || "This app";
  const box = panel.querySelector(".app-problem");
  if (!box) return;
  const parts = [];
  if (kind === "blocked") {
    parts.push(
      paragraph(
        detail
          ? `${title} could not load: it moved to ${detail}, which is not among the app's allowed origins, so this page may not show it (often a sign-in page).`
          : `${title} could not load: it moved to a site that is not among the app's allowed origins, so this page may not show it.`,
      ),
    );
    const allowed = panel.dataset.allowed;
    if (allowed !== undefined && detail) {
      parts.push(paragraph("If you trust that site, allow it: the page reloads and the app can continue there."));
      const allow = button(`Allow ${detail}`, () => allowOrigin(entry, detail, allow));
      parts.push(allow);
    } else {
      parts.push(
        paragraph(
          `Ask an administrator to add ${detail || "that site"} to the app's extra allowed origins (Settings > Integrations > Dashboard apps).`,
        ),
      );
    }
  } else if (kind === "timeout") {
    parts.push(
      paragraph(
        `${title} did not finish loading within ${TIMEOUT_MS / 1000} seconds. Its server may be slow or down, or the app may refuse to be shown inside another site (X-Frame-Options or CSP frame-ancestors).`,
      ),
    );
    parts.push(button("Try again", () => retry(entry)));
  }
  box.replaceChildren(...parts);
  box.hidden = false;
  // The browser's error page in its place says nothing more.
  if (kind === "blocked") entry.iframe.hidden = true;
  panel.classList.add("loaded");
  panel.removeAttribute("aria-busy");
  report(panel.dataset.appId, kind, detail);
}

function report(appId, kind, detail) {
  if (!appId) return;
  const body = detail ? { kind, detail } : { kind };
  api("POST", `/api/v1/accounts/${account()}/dashboard_apps/${appId}/load_failures`, body).catch(() => {});
}

async function allowOrigin(entry, origin, control) {
  const { panel } = entry;
  let allowed = [];
  try {
    allowed = JSON.parse(panel.dataset.allowed || "[]");
  } catch {
    allowed = [];
  }
  control.disabled = true;
  try {
    await api("PATCH", `/api/v1/accounts/${account()}/dashboard_apps/${panel.dataset.appId}`, {
      allowed_origins: [...allowed, origin],
    });
    location.reload();
  } catch (error) {
    control.disabled = false;
    const box = panel.querySelector(".app-problem");
    box?.append(paragraph(`Not allowed: ${error.message}`));
  }
}

function retry(entry) {
  clear(entry);
  entry.started = Date.now();
  entry.loaded = false;
  clearTimeout(entry.timer);
  entry.timer = setTimeout(() => {
    if (!entry.loaded) problem(entry, "timeout", "");
  }, TIMEOUT_MS);
  // Setting `src` again navigates the frame again, even to the same URL.
  entry.iframe.setAttribute("src", entry.iframe.getAttribute("src") ?? "");
}
