/* The outbox: every recorded outcome is kept in IndexedDB until the server has said "stored" or
 * "duplicate" for its id, so nothing recorded on this phone is lost to bad signal, a reload or a
 * closed tab. It is flushed when a page loads, when the browser says it is back online, and every
 * RETRY_MS while anything waits (no Background Sync API: iOS Safari lacks it).
 *
 * One outbox serves two page families, told apart by #sync's data-kind: "outcomes" (door knocks,
 * the default, POST {"outcomes": [...]}) and "tellings" (the teller screen, POST {"tellings": [...]}).
 * Items share the IndexedDB stores (one sign-out wipes them all) but each page sends, lists and
 * counts only its own kind, to its own URL. An item's group (listId) is its walk list or station.
 *
 * Also here: service-worker registration and messages. tray.js draws the "N waiting to sync" line
 * and the "Could not be sent" tray. Page wiring comes from data attributes on #sync (no inline
 * script: the CSP forbids it).
 */
import { BATCH, RETRY_MS, backoffMs, batchBody, classify, groupByList, halve, split, stuckText } from "./sync-rules.js";

var DB_NAME = "legwork";
var SENT_KEEP_MS = 2 * 24 * 3600 * 1000;
var listeners = [];
var state = { problem: "" };
var sizes = {};  // list id -> chunk size while its chunks keep failing with 5xx
var dbPromise = null;
var el = document.getElementById("sync");
var cfg = el ? el.dataset : {};
var KIND = cfg.kind || "outcomes";

function kindOf(item) { return item.kind || "outcomes"; }
function ours(item) { return kindOf(item) === KIND; }

function openDb() {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise(function (resolve, reject) {
    var req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = function () {
      var db = req.result;
      ["outbox", "sent", "rejected"].forEach(function (name) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: "id" });
      });
      if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "key" });
    };
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });
  return dbPromise;
}

/* Run fn(stores...) in one transaction; resolves with fn's result once the transaction commits. */
function tx(names, mode, fn) {
  return openDb().then(function (db) {
    return new Promise(function (resolve, reject) {
      var t = db.transaction(names, mode);
      var result;
      t.oncomplete = function () { resolve(result); };
      t.onerror = t.onabort = function () { reject(t.error); };
      result = fn.apply(null, names.map(function (n) { return t.objectStore(n); }));
    });
  });
}

function getAll(name) {
  return tx([name], "readonly", function (store) {
    var out = [];
    store.openCursor().onsuccess = function (e) {
      var cursor = e.target.result;
      if (cursor) { out.push(cursor.value); cursor.continue(); }
    };
    return out;
  });
}

function uuid() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  var b = new Uint8Array(16);
  if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(b);
  else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

function csrf() {
  var meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function changed() {
  listeners.forEach(function (fn) { try { fn(); } catch (e) { console.error(e); } });
}

/* Queue one outcome (the API's item shape) and try to send it straight away. `about` is what
 * the tray shows if the server refuses it: { address, label }. */
function add(payload, about) {
  about = about || {};
  payload.id = payload.id || uuid();
  payload.recorded_at = payload.recorded_at || new Date().toISOString();
  var item = { id: payload.id, kind: KIND, owner: cfg.principal,
               listId: payload.walk_list_id || payload.station_id || null,
               createdAt: Date.now(), payload: payload, address: about.address || "", label: about.label || "" };
  return tx(["outbox"], "readwrite", function (store) { store.put(item); }).then(function () {
    changed();
    flush();
    return item;
  });
}

/* The sent store keeps what a door's status needs (ids, code, time, status), never notes or
 * answers: nothing personal lingers on the phone once the server has it. */
function slim(item) {
  var p = item.payload || {};
  return { id: item.id, kind: item.kind, listId: item.listId, status: item.status, syncedAt: item.syncedAt,
           label: item.kind === "tellings" ? item.label : undefined,
           payload: { id: p.id, household_id: p.household_id, walk_list_id: p.walk_list_id,
                      code: p.code, recorded_at: p.recorded_at, station_id: p.station_id, undoes: p.undoes,
                      type: p.type, fix: p.fix } };
}

function settle(chunk, results) {
  var byId = {};
  (results || []).forEach(function (r) { byId[r.id] = r; });
  var now = Date.now();
  return tx(["outbox", "sent", "rejected", "meta"], "readwrite", function (outbox, sent, rejected, meta) {
    chunk.forEach(function (item) {
      var r = byId[item.id];
      if (!r) return;  // no answer for it: it stays queued
      outbox.delete(item.id);
      if (r.status === "rejected") rejected.put(Object.assign({}, item, { reason: r.reason || "", at: now }));
      else sent.put(slim(Object.assign({}, item, { status: r.status, syncedAt: now })));
    });
    meta.put({ key: "lastSync", value: new Date(now).toISOString() });
  });
}

/* Refused for good (403/410 for the whole chunk, or one item the server cannot read): to the tray. */
function refuse(chunk, reason) {
  var now = Date.now();
  return tx(["outbox", "rejected"], "readwrite", function (outbox, rejected) {
    chunk.forEach(function (item) {
      outbox.delete(item.id);
      rejected.put(Object.assign({}, item, { reason: reason, at: now }));
    });
  });
}

/* One item the server keeps failing on (5xx) while others get through: count, back off, show. */
function stuck(item) {
  var attempts = (item.attempts || 0) + 1;
  var wait = backoffMs(attempts);
  return tx(["outbox"], "readwrite", function (outbox) {
    outbox.put(Object.assign({}, item, { attempts: attempts, nextTryAt: Date.now() + wait }));
  });
}

/* POST one chunk; says what kind of answer came back. */
async function post(chunk) {
  var response;
  try {
    response = await fetch(cfg.postUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify(batchBody(KIND, chunk))
    });
  } catch (e) {
    return { kind: "offline" };
  }
  var body = {};
  try { body = await response.json(); } catch (e) { /* not JSON: a proxy or captive portal */ }
  return classify(response.status, body);
}

/* POST a chunk. A 403/410/422 for several items may be about one of them (the server checks a
 * batch as a whole): split until each refusal is about one item, so no good door goes to the
 * tray with it (at most 2n-1 quick answers, once). Resolves with null when every item has an
 * answer, else with what stopped it and the chunk that got that answer. */
async function sendChunk(chunk) {
  var r = await post(chunk);
  if (r.kind === "ok") { await settle(chunk, r.results); return null; }
  if (r.kind === "refused" || r.kind === "unreadable") {
    if (chunk.length === 1) { await refuse(chunk, r.reason); return null; }
    var halves = split(chunk);
    return (await sendChunk(halves[0])) || sendChunk(halves[1]);
  }
  return { kind: r.kind, chunk: chunk };
}

/* Send one list's items. A 5xx stops this list for this flush only (the next list still goes:
 * no head-of-line blocking) and halves its chunk size for the next flush, so a chunk that keeps
 * failing is split until the good items get through and a poison item is alone; that item then
 * backs off on its own and is shown. At most one failed request per list per flush, so a server
 * in trouble is not hammered. Resolves with "offline"/"signin" when nothing more can go. */
async function sendList(key, items) {
  var size = sizes[key] || BATCH;
  for (var start = 0; start < items.length; start += size) {
    var stop = await sendChunk(items.slice(start, start + size));
    if (!stop) continue;
    if (stop.kind === "offline" || stop.kind === "signin") return stop.kind;
    state.problem = "server";
    sizes[key] = halve(stop.chunk.length);
    if (stop.chunk.length === 1) await stuck(stop.chunk[0]);
    return "";
  }
  delete sizes[key];  // the whole list went through: back to full chunks
  return "";
}

/* Every unsent item goes, whoever was signed in when it was recorded: the server decides per
 * item whether this sign-in may store it. */
async function sendAll(force) {
  var now = Date.now();
  var items = (await getAll("outbox")).filter(function (i) { return ours(i) && (force || !(i.nextTryAt > now)); });
  if (!items.length || !cfg.postUrl) return;
  items.sort(function (a, b) { return a.createdAt - b.createdAt; });
  state.problem = "";
  var groups = groupByList(items);
  for (var k = 0; k < groups.length; k++) {
    var stop = await sendList(String(groups[k][0].listId), groups[k]);
    if (stop) { state.problem = stop; return; }
  }
}

var flushing = null;
function flush(options) {
  if (flushing) return flushing;
  var force = !!(options && options.force);
  flushing = sendAll(force).catch(function (e) { console.error(e); state.problem = "server"; })
    .then(function () { flushing = null; changed(); });
  return flushing;
}

function prune() {
  var cutoff = Date.now() - SENT_KEEP_MS;
  return tx(["sent"], "readwrite", function (sent) {
    sent.openCursor().onsuccess = function (e) {
      var c = e.target.result;
      if (!c) return;
      if (c.value.syncedAt < cutoff) c.delete();
      else if (c.value.payload && (c.value.payload.notes !== undefined || c.value.address)) c.update(slim(c.value));
      c.continue();
    };
  });
}

/* Everything this phone recorded for one list: waiting, sent, and refused by the server. */
function forList(listId) {
  return Promise.all([getAll("outbox"), getAll("sent"), getAll("rejected")]).then(function (all) {
    function mine(i) { return ours(i) && String(i.listId) === String(listId); }
    return { pending: all[0].filter(mine), sent: all[1].filter(mine), rejected: all[2].filter(mine) };
  });
}

function dismiss(id) {
  return tx(["rejected"], "readwrite", function (store) { store.delete(id); }).then(changed);
}

/* Sign-out: how many items are unsent, and forgetting everything this phone holds. */
function unsent() {
  return getAll("outbox").then(function (items) { return items.length; });
}

function wipe(options) {
  var names = ["sent", "rejected", "meta"].concat(options && options.outbox ? ["outbox"] : []);
  return tx(names, "readwrite", function () {
    Array.prototype.forEach.call(arguments, function (store) { store.clear(); });
  });
}

/* Ask the service worker something; resolves with its answer (null without a worker). */
function toWorker(msg) {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  return navigator.serviceWorker.ready.then(function (reg) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (e) { resolve(e.data || {}); };
      reg.active.postMessage(msg, [channel.port2]);
    });
  });
}

/* A list taken away (403, or 410 list_closed): drop its cached page and doors, keep its unsent items. */
function forget(urls) { return toWorker({ type: "forget", urls: urls }); }

function precache(urls, options) {
  options = options || {};
  return toWorker({ type: "precache", urls: urls, prune: !!options.prune, assets: options.assets || [] })
  .then(function (answer) {
    var ok = !!(answer && answer.ok);
    document.documentElement.dataset.offlineReady = ok ? "yes" : "partial";
    return ok;
  });
}

function start() {
  if ("serviceWorker" in navigator && cfg.swUrl) {
    navigator.serviceWorker.register(cfg.swUrl, { scope: cfg.swScope }).catch(function (e) { console.error(e); });
    var urls = (cfg.precache || "").split(" ").filter(Boolean);
    var assets = (cfg.assets || "").split(" ").filter(Boolean);
    if (navigator.onLine) precache(urls, { prune: cfg.prune === "yes", assets: assets });
  }
  prune().then(flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", changed);
  setInterval(function () { if (navigator.onLine) flush(); }, RETRY_MS);
}

/* The one outbox of this page (a module is evaluated once, however many modules import it). */
export const outbox = {
  add: add, flush: flush, forList: forList, dismiss: dismiss, stuckText: stuckText,
  unsent: unsent, wipe: wipe, forget: forget, getAll: getAll, principal: cfg.principal,
  problem: function () { return state.problem; },
  onChange: function (fn) { listeners.push(fn); }
};
start();
