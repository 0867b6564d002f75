// Calls to Parley's REST API from the page.

async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body;
}

/** Reads GET /v1/version (name, version, devMode); throws with the server's message on failure. */
export function fetchServerVersion() {
  return getJSON("/v1/version");
}

/** A join token from a server started with `parley serve --dev`. */
export function fetchDevToken(room, name) {
  const query = new URLSearchParams({ room, name });
  return getJSON(`/v1/dev/token?${query}`);
}
