/* The outbox's rules, with no browser state: how items are grouped, how a failing chunk shrinks,
 * how long a stuck item waits, and what a server answer means. Pure, so Node's test runner can
 * import it (tests/js/sync-rules.test.mjs); outbox.js does the IndexedDB and fetch work.
 */
export const BATCH = 50;
export const RETRY_MS = 20000;
export const MAX_BACKOFF_MS = 10 * 60000;

/* Items grouped by list id (an object's key order: numeric ids ascending, then the rest). */
export function groupByList(items) {
  const groups = {};
  items.forEach((i) => { (groups[i.listId] = groups[i.listId] || []).push(i); });
  return Object.keys(groups).map((k) => groups[k]);
}

/* The chunk size after a chunk of `failedLength` items failed with a 5xx: half, never below one. */
export function halve(failedLength) {
  return Math.max(1, Math.floor(failedLength / 2));
}

/* How long an item waits before its next try after `attempts` failures: doubling, capped. */
export function backoffMs(attempts) {
  return Math.min(RETRY_MS * Math.pow(2, Math.max(0, attempts - 1)), MAX_BACKOFF_MS);
}

/* The POST body for a chunk of queued items of one kind ("outcomes" or "tellings"). */
export function batchBody(kind, chunk) {
  const body = {};
  body[kind] = chunk.map((i) => i.payload);
  return body;
}

/* A chunk split in two for a refusal that may be about one of its items. */
export function split(chunk) {
  const mid = Math.ceil(chunk.length / 2);
  return [chunk.slice(0, mid), chunk.slice(mid)];
}

const REFUSED = {
  403: "This sign-in may not record these doors (the list may no longer be yours).",
  410: "This list is closed: the server no longer takes outcomes for it."
};

/* What a POST's answer means: ok (with results), signin, refused/unreadable (with a reason), server. */
export function classify(status, body) {
  body = body || {};
  if (status >= 200 && status < 300 && body.results) return { kind: "ok", results: body.results };
  if (status === 401 || body.error === "csrf") return { kind: "signin" };
  if (status === 403 || status === 410) return { kind: "refused", reason: body.message || REFUSED[status] };
  if (status === 400 || status === 413 || status === 422)
    return { kind: "unreadable", reason: body.message || "The server could not read this outcome." };
  return { kind: "server" };
}

export function stuckText(item) {
  return "the server could not take this one yet: retrying (attempt " + item.attempts +
    "); tell your organiser if this stays";
}
