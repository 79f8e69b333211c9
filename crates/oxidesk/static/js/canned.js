// Canned responses in the composer: typing `/` (at the start or after a space) and letters
// offers the account's canned responses whose short code (first) or content matches, in a
// listbox under the textarea. Keyboard first: Up/Down move, Enter or Tab inserts the content in
// place of `/code`, Escape closes. The textarea is the combobox (aria-expanded, aria-controls,
// aria-activedescendant), so screen readers follow the highlighted option.
//
// `attachCanned(textarea, account)` must run before the composer's own keydown handler, so that
// Enter picks a response instead of sending the message.
import { api } from "./http.js";

const MAX_SHOWN = 8;
const TRIGGER = /(?:^|\s)\/([^\s/]*)$/u;

// The responses matching `query`: short codes that start with it, then the other matches.
export function matching(responses, query) {
  const q = query.toLowerCase();
  const starts = [];
  const others = [];
  for (const r of responses) {
    const code = r.short_code.toLowerCase();
    if (code.startsWith(q)) starts.push(r);
    else if (code.includes(q) || r.content.toLowerCase().includes(q)) others.push(r);
  }
  return starts.concat(others).slice(0, MAX_SHOWN);
}

export function attachCanned(textarea, account) {
  if (!textarea || !account) return;
  const list = document.createElement("ul");
  list.id = "canned-picker";
  list.className = "canned-picker";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Canned responses");
  list.hidden = true;
  textarea.insertAdjacentElement("afterend", list);
  textarea.setAttribute("role", "combobox");
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", list.id);
  textarea.setAttribute("aria-expanded", "false");

  let responses = null; // loaded when the picker first opens, again on each new `/`
  let loading = null;
  let shown = [];
  let active = -1;
  let trigger = null; // {start, end} of `/code` in the textarea

  async function load() {
    loading ??= api("GET", `/api/v1/accounts/${account}/canned_responses`)
      .then((all) => (responses = Array.isArray(all) ? all : []))
      .catch(() => (responses = []))
      .finally(() => (loading = null));
    return loading;
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    shown = [];
    active = -1;
    trigger = null;
    textarea.setAttribute("aria-expanded", "false");
    textarea.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    const current = list.children[index];
    if (current) {
      textarea.setAttribute("aria-activedescendant", current.id);
      current.scrollIntoView({ block: "nearest" });
    } else {
      textarea.removeAttribute("aria-activedescendant");
    }
  }

  function render(matches) {
    shown = matches;
    list.replaceChildren(
      ...matches.map((r, i) => {
        const li = document.createElement("li");
        li.id = `canned-option-${i}`;
        li.setAttribute("role", "option");
        li.dataset.shortCode = r.short_code;
        const code = document.createElement("strong");
        code.textContent = `/${r.short_code}`;
        const text = document.createElement("span");
        text.textContent = r.content.length > 90 ? `${r.content.slice(0, 90)}…` : r.content;
        li.append(code, " ", text);
        return li;
      }),
    );
    if (matches.length === 0) return close();
    list.hidden = false;
    textarea.setAttribute("aria-expanded", "true");
    highlight(0);
  }

  function insert(index) {
    const chosen = shown[index];
    if (!chosen || !trigger) return;
    const { start, end } = trigger;
    textarea.setRangeText(chosen.content, start, end, "end");
    close();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The `/code` before the caret, if the caret follows one.
  function typed() {
    const caret = textarea.selectionStart;
    if (textarea.selectionEnd !== caret) return null;
    const found = TRIGGER.exec(textarea.value.slice(0, caret));
    return found && { query: found[1], start: caret - found[1].length - 1, end: caret };
  }

  async function update() {
    let found = typed();
    if (!found) return close();
    const opening = trigger === null;
    trigger = found;
    if (opening || responses === null) {
      await load();
      // Typing went on meanwhile: show what the textarea holds now.
      found = typed();
      if (!found || trigger === null) return close();
      trigger = found;
    }
    render(matching(responses, found.query));
  }

  textarea.addEventListener("input", (event) => {
    if (event.isComposing) return;
    update();
  });
  textarea.addEventListener("keydown", (event) => {
    if (list.hidden || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    const keys = {
      ArrowDown: () => highlight((active + 1) % shown.length),
      ArrowUp: () => highlight((active - 1 + shown.length) % shown.length),
      Enter: () => insert(active),
      Tab: () => insert(active),
      Escape: close,
    };
    const act = keys[event.key];
    if (!act || event.shiftKey) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    act();
  });
  textarea.addEventListener("blur", () => setTimeout(close, 150));
  list.addEventListener("mousedown", (event) => {
    const li = event.target.closest("li[role=option]");
    if (!li) return;
    event.preventDefault();
    insert([...list.children].indexOf(li));
  });
}
