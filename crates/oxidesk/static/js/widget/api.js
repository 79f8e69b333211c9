// The widget page's link to the server: the visitor token (this frame's localStorage) and
// calls to /widget/api/..., as JSON or, with files, as multipart/form-data.

const root = document.getElementById("widget");
export const websiteToken = root.dataset.websiteToken;
export const parentOrigin = root.dataset.parentOrigin || "";
const tokenKey = `oxidesk_visitor_${websiteToken}`;

let memoryToken = null;
export const store = {
  get() {
    try {
      return window.localStorage.getItem(tokenKey) || memoryToken;
    } catch {
      return memoryToken;
    }
  },
  set(token) {
    memoryToken = token;
    try {
      if (token) window.localStorage.setItem(tokenKey, token);
      else window.localStorage.removeItem(tokenKey);
    } catch {
      // Storage blocked: the token lives as long as the page.
    }
  },
};

// A call; `body` is sent as JSON, or as it is when it is FormData (files).
export async function api(path, { method = "GET", body } = {}) {
  const headers = { accept: "application/json" };
  const token = store.get();
  if (token) headers["x-widget-token"] = token;
  if (parentOrigin) headers["x-widget-origin"] = parentOrigin;
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers["content-type"] = "application/json";
  const separator = path.includes("?") ? "&" : "?";
  const response = await fetch(
    `/widget/api/${path}${separator}website_token=${encodeURIComponent(websiteToken)}`,
    { method, headers, body: body === undefined || form ? body : JSON.stringify(body) },
  );
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (response.status === 401 && data.code === "invalid_visitor_token") {
    // The token is no longer valid (the contact was deleted, say): start afresh.
    store.set(null);
  }
  if (!response.ok) {
    const error = new Error(data.message || `HTTP ${response.status}`);
    error.body = data;
    throw error;
  }
  return data;
}

export function liveURL() {
  return `/widget/api/live?website_token=${encodeURIComponent(websiteToken)}&token=${encodeURIComponent(store.get())}`;
}
