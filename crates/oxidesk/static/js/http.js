// Requests from the dashboard's scripts: JSON to the API, with the session's CSRF token.

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "x-csrf-token": csrfToken(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(json?.message ?? `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.body = json;
    throw error;
  }
  return json;
}

// Fetches a server-rendered fragment.
export async function fragment(path) {
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return response.text();
}
