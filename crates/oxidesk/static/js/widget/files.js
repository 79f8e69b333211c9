// Files in the widget's composer: a button (a file input), files dropped on the chat, and
// pasted images. Chosen files are listed above the text with a remove button each; the
// message is then sent as multipart/form-data (`attachments[]`). The server checks the size
// and reads the type from the bytes, as for the APIs.
import { human } from "./render.js";
import { t } from "./i18n.js";

const MAX_FILES = 10;

export function attachFiles({ form, zone, showError }) {
  let files = [];
  const input = document.getElementById("widget-file");
  const button = document.getElementById("widget-attach");
  const list = document.getElementById("widget-files");

  function render() {
    list.replaceChildren(
      ...files.map((file, index) => {
        const item = document.createElement("li");
        const name = document.createElement("span");
        name.className = "file-name";
        name.textContent = file.name;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", t("remove", { name: file.name }));
        remove.addEventListener("click", () => {
          files.splice(index, 1);
          render();
        });
        item.append(name, ` ${human(file.size)} `, remove);
        return item;
      }),
    );
    list.hidden = files.length === 0;
  }

  function add(more) {
    for (const file of more) {
      if (files.length >= MAX_FILES) {
        showError(t("tooMany", { n: MAX_FILES }));
        break;
      }
      files.push(file);
    }
    render();
  }

  button.addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    add([...input.files]);
    input.value = "";
  });
  zone.addEventListener("dragover", (event) => {
    if (!button.hidden && event.dataTransfer?.types?.includes("Files")) {
      event.preventDefault();
      zone.classList.add("dropping");
    }
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dropping"));
  zone.addEventListener("drop", (event) => {
    zone.classList.remove("dropping");
    if (button.hidden || !event.dataTransfer?.files?.length) return;
    event.preventDefault();
    add([...event.dataTransfer.files]);
  });
  form.addEventListener("paste", (event) => {
    const pasted = [...(event.clipboardData?.files || [])];
    if (button.hidden || pasted.length === 0) return;
    event.preventDefault();
    add(pasted);
  });

  return {
    count: () => files.length,
    // The files as FormData fields, beside `fields`.
    formData(fields) {
      const data = new FormData();
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined && value !== null) data.append(key, String(value));
      }
      for (const file of files) data.append("attachments[]", file, file.name);
      return data;
    },
    clear() {
      files = [];
      render();
    },
    enable(on) {
      button.hidden = !on;
    },
  };
}
