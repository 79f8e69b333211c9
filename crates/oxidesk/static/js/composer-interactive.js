// "Send as…" in the composer: an agent sends an interactive message (Chatwoot's content types)
// instead of plain text. The menu and the editor are in the page (conversation.html); this
// module reads them and builds the message's `content_type` and `content_attributes` as
// Chatwoot stores them:
//   input_select  {items: [{title, value}]}           one option per line, "Title | value"
//   cards         {items: [{title, description, actions: [{type: "link", text, uri}]}]}
//                                                     one card per line, "Title | description | https://link"
//   form          {items: [{name, label, type, placeholder}]}
//                                                     one field per line, "Label | type" (text, email, text_area, number)
//   input_email, input_csat  {}                      no items
// conversation.js calls interactive.payload() when sending (null: plain text) and reset()
// after a message went out.

const DEFAULT_CONTENT = {
  input_select: "Please choose an option",
  cards: "Here are some options",
  form: "Please fill in this form",
  input_email: "Please share your email address so we can reach you",
  input_csat: "Please rate this conversation",
};
const HINTS = {
  input_select: ["Options, one per line", "Title, or Title | value"],
  cards: ["Cards, one per line", "Title | description | https://link (description and link are optional)"],
  form: ["Fields, one per line", "Label | type (text, email, text_area or number; text when left out)"],
};
const FORM_TYPES = new Set(["text", "email", "text_area", "number"]);

function slug(text, index) {
  const s = text.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return s || `field_${index + 1}`;
}

function parts(line) {
  return line.split("|").map((p) => p.trim());
}

function items(type, text) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  if (type === "input_select") {
    return lines.map((line) => {
      const [title, value] = parts(line);
      return { title, value: value || title };
    });
  }
  if (type === "cards") {
    return lines.map((line) => {
      const [title, description = "", link = ""] = parts(line);
      const actions = /^https?:\/\//i.test(link) ? [{ type: "link", text: "Open", uri: link }] : [];
      return { title, description, actions };
    });
  }
  if (type === "form") {
    return lines.map((line, index) => {
      const [label, kind = "text"] = parts(line);
      const type = FORM_TYPES.has(kind) ? kind : "text";
      return { name: slug(label, index), label, type, placeholder: label };
    });
  }
  return null;
}

export function attachInteractive(form) {
  const menu = form.querySelector("#send-as");
  const editor = form.querySelector("#interactive-editor");
  const list = form.querySelector("#interactive-items");
  const label = form.querySelector("label[for=interactive-items]");
  const hint = form.querySelector("#interactive-hint");
  if (!menu || !editor || !list) return { payload: () => null, reset() {}, setNote() {} };

  const show = () => {
    const hintText = HINTS[menu.value];
    editor.hidden = !hintText;
    if (hintText) {
      label.textContent = hintText[0];
      hint.textContent = hintText[1];
    }
    form.classList.toggle("interactive-mode", menu.value !== "text");
  };
  menu.addEventListener("change", show);
  show();

  return {
    // `{content_type, content_attributes, content}` for the request, or null for plain text.
    // Throws an Error with a message for the agent when the items are missing.
    payload(content) {
      const type = menu.value;
      if (type === "text") return null;
      const attributes = {};
      const parsed = items(type, list.value);
      if (parsed) {
        if (!parsed.length) throw new Error("add at least one line to the list below the message");
        attributes.items = parsed;
      }
      return { content_type: type, content_attributes: attributes, content: content || DEFAULT_CONTENT[type] };
    },
    reset() {
      menu.value = "text";
      list.value = "";
      show();
    },
    // Private notes are plain text: the menu is off in note mode.
    setNote(note) {
      menu.disabled = note;
      if (note) this.reset();
    },
  };
}
