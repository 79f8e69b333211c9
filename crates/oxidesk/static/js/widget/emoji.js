// The emoji picker (the inbox's `emoji_picker` feature), loaded on the first click of the
// composer's emoji button: a popover with a grid of common emoji, each a named button. Arrow
// keys, Home and End move in the grid (one stop for Tab), Enter or a click inserts the emoji at
// the caret, Escape or a click outside closes it and gives the focus back.
import { t } from "./i18n.js";

const EMOJI = [
  ["😀", "grinning face"], ["😂", "tears of joy"], ["😊", "smiling face"], ["😍", "heart eyes"],
  ["😉", "winking face"], ["😎", "cool"], ["🤔", "thinking face"], ["😅", "sweat smile"],
  ["🙂", "slightly smiling face"], ["😢", "crying face"], ["😮", "surprised"], ["😡", "angry face"],
  ["🙏", "please, thank you"], ["👍", "thumbs up"], ["👎", "thumbs down"], ["👋", "waving hand"],
  ["👏", "clapping hands"], ["🙌", "raised hands"], ["💪", "flexed biceps"], ["👌", "OK hand"],
  ["❤️", "red heart"], ["🎉", "party popper"], ["🔥", "fire"], ["⭐", "star"],
  ["✅", "check mark"], ["❌", "cross mark"], ["⚠️", "warning"], ["❓", "question mark"],
  ["💡", "light bulb"], ["📦", "package"], ["🚚", "delivery truck"], ["💳", "credit card"],
  ["📧", "email"], ["📞", "telephone"], ["🕒", "clock"], ["📅", "calendar"],
  ["🛒", "shopping cart"], ["🎁", "gift"], ["☕", "coffee"], ["🚀", "rocket"],
];
const COLUMNS = 8;

let picker = null;
let opener = null;
let target = null;

function close(refocus) {
  if (!picker || picker.hidden) return;
  picker.hidden = true;
  opener.setAttribute("aria-expanded", "false");
  if (refocus) opener.focus();
}

function insert(emoji) {
  const start = target.selectionStart ?? target.value.length;
  const end = target.selectionEnd ?? start;
  target.setRangeText(emoji, start, end, "end");
  target.dispatchEvent(new Event("input", { bubbles: true }));
  close(false);
  target.focus();
}

function move(from, key) {
  const buttons = [...picker.querySelectorAll("button")];
  const at = buttons.indexOf(from);
  const to = {
    ArrowRight: at + 1,
    ArrowLeft: at - 1,
    ArrowDown: at + COLUMNS,
    ArrowUp: at - COLUMNS,
    Home: 0,
    End: buttons.length - 1,
  }[key];
  if (to === undefined) return false;
  const next = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
  from.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
  return true;
}

function build() {
  picker = document.createElement("div");
  picker.id = "widget-emoji-picker";
  picker.className = "emoji-picker";
  picker.hidden = true;
  picker.setAttribute("role", "dialog");
  picker.setAttribute("aria-label", t("emoji"));
  const grid = document.createElement("div");
  grid.className = "emoji-grid";
  grid.setAttribute("role", "group");
  grid.setAttribute("aria-label", t("emoji"));
  EMOJI.forEach(([emoji, name], index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = emoji;
    button.setAttribute("aria-label", name);
    button.title = name;
    button.tabIndex = index === 0 ? 0 : -1;
    button.addEventListener("click", () => insert(emoji));
    grid.append(button);
  });
  grid.addEventListener("keydown", (event) => {
    if (move(event.target, event.key)) event.preventDefault();
  });
  picker.append(grid);
  picker.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      // The picker closes, not the chat.
      event.stopPropagation();
      close(true);
    }
  });
  document.addEventListener("pointerdown", (event) => {
    if (!picker.contains(event.target) && !opener.contains(event.target)) close(false);
  });
  opener.closest("form").append(picker);
}

// Opens the picker (or closes it) for the `button` that inserts into `input`.
export function toggleEmoji(button, input) {
  opener = button;
  target = input;
  if (!picker) build();
  if (!picker.hidden) {
    close(true);
    return;
  }
  picker.hidden = false;
  button.setAttribute("aria-expanded", "true");
  (picker.querySelector('button[tabindex="0"]') || picker.querySelector("button")).focus();
}
