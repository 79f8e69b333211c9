// Files in the composer: a button (a file input), drag and drop onto the composer, and a
// pasted image. Chosen files are listed under the text with a remove button each; the message
// is then sent as multipart/form-data with `attachments[]` (the API's own format), or as JSON
// when there are none. The composer (conversation.js) only calls attachFiles(form) and uses
// count(), post() and clear().
import { api, csrfToken } from "./http.js";

// The server's limit is checked there too (413 with the limit); this is a quicker answer.
const MAX_FILES = 10;

function human(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function attachFiles(form) {
  const foot = form.querySelector(".composer-foot");
  const error = form.querySelector(".composer-error");
  let files = [];

  const input = document.createElement("input");
  input.type = "file";
  input.multiple = true;
  input.hidden = true;
  input.name = "attachments";
  input.setAttribute("aria-label", "Attach files");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "attach";
  button.textContent = "Attach";
  button.title = "Attach files (or drop them here, or paste an image)";
  const list = document.createElement("ul");
  list.className = "composer-files";
  list.hidden = true;
  foot.prepend(button, input);
  foot.before(list);

  function render() {
    list.replaceChildren(
      ...files.map((file, index) => {
        const item = document.createElement("li");
        const name = document.createElement("span");
        name.className = "file-name";
        name.textContent = file.name;
        const size = document.createElement("span");
        size.className = "file-size muted";
        size.textContent = human(file.size);
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "remove-file";
        remove.textContent = "×";
        remove.setAttribute("aria-label", `Remove ${file.name}`);
        remove.addEventListener("click", () => {
          files.splice(index, 1);
          render();
        });
        item.append(name, " ", size, " ", remove);
        return item;
      }),
    );
    list.hidden = files.length === 0;
  }

  function add(more) {
    for (const file of more) {
      if (files.length >= MAX_FILES) {
        if (error) error.textContent = `At most ${MAX_FILES} files per message`;
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
  form.addEventListener("dragover", (event) => {
    if (![...(event.dataTransfer?.types ?? [])].includes("Files")) return;
    event.preventDefault();
    form.classList.add("dropping");
  });
  form.addEventListener("dragleave", () => form.classList.remove("dropping"));
  form.addEventListener("drop", (event) => {
    form.classList.remove("dropping");
    if (!event.dataTransfer?.files?.length) return;
    event.preventDefault();
    add([...event.dataTransfer.files]);
  });
  form.addEventListener("paste", (event) => {
    const pasted = [...(event.clipboardData?.items ?? [])]
      .filter((item) => item.kind === "file" && item.type.startsWith("image/"))
      .map((item) => item.getAsFile())
      .filter(Boolean)
      .map((file, i) => {
        const extension = file.type.split("/")[1]?.replace(/[^a-z0-9]/g, "") || "png";
        const name = file.name && file.name !== "image.png" ? file.name : `pasted-${Date.now()}-${i}.${extension}`;
        return new File([file], name, { type: file.type });
      });
    if (!pasted.length) return;
    event.preventDefault();
    add(pasted);
  });

  return {
    count: () => files.length,
    clear() {
      files = [];
      render();
    },
    // Posts the message: JSON without files, multipart with them.
    async post(path, fields) {
      if (!files.length) return api("POST", path, fields);
      const body = new FormData();
      for (const [key, value] of Object.entries(fields)) body.append(key, String(value));
      for (const file of files) body.append("attachments[]", file, file.name);
      const response = await fetch(path, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "x-csrf-token": csrfToken() },
        body,
      });
      const text = await response.text();
      let json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      if (!response.ok) {
        const failure = new Error(json?.message ?? `${response.status} ${response.statusText}`);
        failure.status = response.status;
        throw failure;
      }
      return json;
    },
  };
}
