/* The teller screen's rules, with no browser state: the keypad, the number it makes, the search
 * over the station's electors, the recent-entries list and the sync line. Pure, so Node's test
 * runner imports it (tests/js/teller-rules.test.mjs); teller.js does the page work.
 */
export const MAX_DIGITS = 6;    // the register's numbers go to 999999
export const MAX_SUFFIX_DIGITS = 3;
export const RECENT = 20;
export const MAX_RESULTS = 15;

export function blankEntry(prefix) {
  return { prefix: prefix || "", digits: "", suffix: null };
}

/* The entry after one key: a digit, "/" (start the suffix), "back" (delete one). */
export function press(entry, key) {
  const next = { prefix: entry.prefix, digits: entry.digits, suffix: entry.suffix };
  if (key === "back") {
    if (next.suffix !== null) next.suffix = next.suffix.length ? next.suffix.slice(0, -1) : null;
    else next.digits = next.digits.slice(0, -1);
  } else if (key === "/") {
    if (next.digits && next.suffix === null) next.suffix = "";
  } else if (/^[0-9]$/.test(key)) {
    if (next.suffix !== null) {
      if (next.suffix.length < MAX_SUFFIX_DIGITS) next.suffix += key;
    } else if (next.digits.length < MAX_DIGITS && !(key === "0" && !next.digits)) {
      next.digits += key;
    }
  }
  return next;
}

/* "AA-123", "AA-123/1" (a started but empty suffix shows as "AA-123/"). */
export function numberText(entry) {
  return entry.prefix + "-" + entry.digits + (entry.suffix !== null ? "/" + entry.suffix : "");
}

/* Why the entry cannot be sent yet, or "" when Enter may record it. */
export function entryProblem(entry) {
  if (!entry.prefix) return "Choose the district first.";
  if (!entry.digits) return "Type the elector number first.";
  if (entry.suffix === "") return "Type the number after the /, or delete the /.";
  return "";
}

function fold(text) {
  return String(text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

/* Electors matching every word of the query: each word starts a surname, a first name, or a word
 * of the address (house numbers included: "12 high"). Best first: surname matches. */
export function searchElectors(electors, query, limit) {
  const words = fold(query).split(/[\s,]+/).filter(Boolean);
  if (!words.length) return [];
  const hits = [];
  for (const e of electors) {
    const names = [fold(e.last_name), fold(e.first_name)];
    const address = fold(e.address).split(/[\s,]+/);
    const all = names.concat(address);
    if (words.every((w) => all.some((part) => part.startsWith(w)))) {
      const score = names[0].startsWith(words[0]) ? 0 : names[1].startsWith(words[0]) ? 1 : 2;
      hits.push({ score: score, elector: e });
    }
  }
  hits.sort((a, b) => a.score - b.score || fold(a.elector.last_name).localeCompare(fold(b.elector.last_name)));
  return hits.slice(0, limit || MAX_RESULTS).map((h) => h.elector);
}

/* The outbox's items for one station as rows, newest first: each with its state (waiting,
 * stored, refused with the server's reason) and whether a later undo takes it back. Undos are not
 * rows of their own: they mark the entry they undo (and their own state shows there). */
export function entryRows(pending, sent, rejected, limit) {
  const all = [];
  pending.forEach((i) => all.push({ item: i, state: "waiting", reason: "" }));
  sent.forEach((i) => all.push({ item: i, state: "stored", reason: "" }));
  rejected.forEach((i) => all.push({ item: i, state: "refused", reason: i.reason || "the server refused it" }));
  const undos = {};
  all.forEach((r) => {
    const undoes = r.item.payload && r.item.payload.undoes;
    if (undoes && r.state !== "refused") undos[undoes] = r.state;
  });
  const rows = all.filter((r) => !(r.item.payload && r.item.payload.undoes)).map((r) => ({
    id: r.item.id, label: r.item.label || "", state: r.state, reason: r.reason,
    at: Date.parse(r.item.payload && r.item.payload.recorded_at) || r.item.createdAt || r.item.syncedAt || 0,
    undo: undos[r.item.id] || ""
  }));
  rows.sort((a, b) => b.at - a.at);
  return rows.slice(0, limit || RECENT);
}

/* The sync line: never "all sent" while anything of this page's kind waits. */
export function syncText(waiting, online, problem, refused) {
  const also = refused ? " · " + refused + " refused (see why below)" : "";
  if (!waiting) return "All entries sent" + also;
  let text = waiting + (waiting === 1 ? " entry" : " entries") + " waiting to send";
  if (!online) text += " · offline: they go when there is signal";
  else if (problem === "signin") text += " · sign in again to send them (they stay on this phone)";
  else if (problem) text += " · the server did not take them yet; trying again shortly";
  return text + also;
}
