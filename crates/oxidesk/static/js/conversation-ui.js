// Helpers of the conversation screens (conversation.js, conversation-switch.js): the tab list,
// finding a control again after a re-render, and local times.

// An ARIA tab list: click or arrow keys select a tab and show its panel (`aria-controls`).
// Tabs added later (Dashboard Apps) work the same way.
export function setupTabs(list) {
  const tabs = () => [...list.querySelectorAll("[role=tab]")];
  list.addEventListener("click", (event) => {
    const tab = event.target.closest("[role=tab]");
    if (tab) selectTab(list, tab);
  });
  list.addEventListener("keydown", (event) => {
    const all = tabs();
    const at = all.indexOf(document.activeElement);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
    if (at < 0 || to === undefined) return;
    event.preventDefault();
    const next = all[(to + all.length) % all.length];
    next.focus();
    selectTab(list, next);
  });
  for (const t of tabs()) t.tabIndex = t.getAttribute("aria-selected") === "true" ? 0 : -1;
}

// Selects `tab` of `list` and shows its panel; a panel that appears gets `oxidesk:tab-shown`,
// one that disappears `oxidesk:tab-hidden`.
export function selectTab(list, tab) {
  for (const t of list.querySelectorAll("[role=tab]")) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    const panel = document.getElementById(t.getAttribute("aria-controls"));
    if (panel) {
      const was = !panel.hidden;
      panel.hidden = !on;
      if (on) panel.dispatchEvent(new CustomEvent("oxidesk:tab-shown"));
      else if (was) panel.dispatchEvent(new CustomEvent("oxidesk:tab-hidden"));
    }
  }
}

// A selector that finds the same control again after its part was re-rendered.
export function focusKey(element) {
  if (element.id) return `#${CSS.escape(element.id)}`;
  if (element.dataset.action) return `[data-action="${CSS.escape(element.dataset.action)}"]`;
  return null;
}

const dayAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
const dayOnly = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

// Shows `<time datetime>` in the reader's time zone; `data-relative` ones as "5m", "3h", "2d".
export function localize(scope) {
  const now = Date.now();
  const today = new Date().toDateString();
  for (const time of scope.querySelectorAll("time[datetime]")) {
    const at = new Date(time.getAttribute("datetime"));
    if (Number.isNaN(at.getTime())) continue;
    time.title = dayAndTime.format(at);
    if (time.hasAttribute("data-relative")) {
      const secs = (now - at.getTime()) / 1000;
      time.textContent =
        secs < 60 ? "now"
        : secs < 3600 ? `${Math.floor(secs / 60)}m`
        : secs < 86400 ? `${Math.floor(secs / 3600)}h`
        : secs < 604800 ? `${Math.floor(secs / 86400)}d`
        : dayOnly.format(at);
    } else {
      time.textContent = at.toDateString() === today ? timeOnly.format(at) : dayAndTime.format(at);
    }
  }
}
