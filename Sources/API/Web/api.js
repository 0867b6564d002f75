// Calls to Parley's REST API from the page.

/** Reads GET /v1/version; throws with the server's error message on failure. */
export async function fetchServerVersion() {
  const response = await fetch("/v1/version", { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body;
}
