// The picker's pure rules (no DOM), tested in tests/js/picker-rules.test.mjs.

// Which option is active after a key press: arrows wrap, Home/End jump, -1 is "none".
export function moveActive(current, count, key) {
  if (count <= 0) return -1;
  if (key === "ArrowDown") return current < 0 || current >= count - 1 ? 0 : current + 1;
  if (key === "ArrowUp") return current <= 0 ? count - 1 : current - 1;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return current;
}

// What the live region says after a search.
export function resultsMessage(count, limit) {
  if (count === 0) return "No matches: type part of a name or a code.";
  if (count >= limit) return `The first ${count} matches: type more to narrow them.`;
  return `${count} match${count === 1 ? "" : "es"}: use the arrow keys to choose.`;
}

// The search's answer, refusing anything but {results: [{value, label}]} (strings).
export function parseResults(body) {
  if (!body || !Array.isArray(body.results)) return [];
  return body.results.filter((r) => r && typeof r.value === "string" && typeof r.label === "string");
}

// The search URL for a query (the endpoint keeps its own parameters).
export function searchUrl(base, query, origin) {
  const url = new URL(base, origin);
  url.searchParams.set("q", query.trim().slice(0, 100));
  return url.toString();
}
