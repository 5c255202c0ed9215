/* The outbox: every recorded outcome is kept in IndexedDB until the server has said "stored" or
 * "duplicate" for its id, so nothing recorded on this phone is lost to bad signal, a reload or a
 * closed tab. It is flushed when a page loads, when the browser says it is back online, and every
 * RETRY_MS while anything waits (no Background Sync API: iOS Safari lacks it).
 *
 * Also here: service-worker registration and the "N waiting to sync" line every canvass page shows.
 * Page wiring comes from data attributes on #sync (no inline script: the CSP forbids it).
 */
(function () {
  "use strict";
  var DB_NAME = "legwork";
  var BATCH = 50;
  var RETRY_MS = 20000;
  var SENT_KEEP_MS = 2 * 24 * 3600 * 1000;
  var listeners = [];
  var state = { problem: "", blocked: {} };
  var dbPromise = null;
  var el = document.getElementById("sync");
  var cfg = el ? el.dataset : {};

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
    render();
    listeners.forEach(function (fn) { try { fn(); } catch (e) { console.error(e); } });
  }

  /* Queue one outcome (the API's item shape) and try to send it straight away. */
  function add(payload) {
    payload.id = payload.id || uuid();
    payload.recorded_at = payload.recorded_at || new Date().toISOString();
    var item = { id: payload.id, owner: cfg.principal, listId: payload.walk_list_id || null,
                 createdAt: Date.now(), payload: payload };
    return tx(["outbox"], "readwrite", function (store) { store.put(item); }).then(function () {
      changed();
      flush();
      return item;
    });
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
        else sent.put(Object.assign({}, item, { status: r.status, syncedAt: now }));
      });
      meta.put({ key: "lastSync", value: new Date(now).toISOString() });
    });
  }

  function groupByList(items) {
    var groups = {};
    items.forEach(function (i) { (groups[i.listId] = groups[i.listId] || []).push(i); });
    return Object.keys(groups).map(function (k) { return groups[k]; });
  }

  async function sendAll() {
    var items = (await getAll("outbox")).filter(function (i) { return i.owner === cfg.principal; });
    if (!items.length || !cfg.postUrl) return;
    items.sort(function (a, b) { return a.createdAt - b.createdAt; });
    state.problem = "";
    for (var group of groupByList(items)) {
      for (var start = 0; start < group.length; start += BATCH) {
        var chunk = group.slice(start, start + BATCH);
        var response;
        try {
          response = await fetch(cfg.postUrl, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
            body: JSON.stringify({ outcomes: chunk.map(function (i) { return i.payload; }) })
          });
        } catch (e) {
          state.problem = "offline";
          return;
        }
        if (response.ok) {
          await settle(chunk, (await response.json()).results);
          delete state.blocked[chunk[0].listId];
          continue;
        }
        var body = {};
        try { body = await response.json(); } catch (e) { /* not JSON: a proxy or captive portal */ }
        if (response.status === 401 || body.error === "csrf") { state.problem = "signin"; return; }
        if (response.status === 403) { state.blocked[chunk[0].listId] = body.message || "Not allowed"; break; }
        state.problem = "server";
        return;
      }
    }
  }

  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = sendAll().catch(function (e) { console.error(e); state.problem = "server"; })
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
        c.continue();
      };
    });
  }

  /* Everything this phone recorded for one list: waiting, sent, and refused by the server. */
  function forList(listId) {
    return Promise.all([getAll("outbox"), getAll("sent"), getAll("rejected")]).then(function (all) {
      function mine(i) { return String(i.listId) === String(listId); }
      return { pending: all[0].filter(mine), sent: all[1].filter(mine), rejected: all[2].filter(mine) };
    });
  }

  function time(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  var PROBLEMS = {
    offline: "No connection: they will be sent when there is one.",
    signin: "Your sign-in has ended: sign in again (or rejoin with your PIN) to send them.",
    server: "The server did not take them yet; trying again shortly."
  };

  function render() {
    if (!el) return;
    Promise.all([getAll("outbox"), getAll("rejected"), tx(["meta"], "readonly", function (meta) {
      var out = {};
      meta.get("lastSync").onsuccess = function (e) { out.v = e.target.result; };
      return out;
    })]).then(function (r) {
      var pending = r[0].filter(function (i) { return i.owner === cfg.principal; }).length;
      var last = r[2].v ? r[2].v.value : "";
      var parts = [pending ? pending + " waiting to sync" : "All recorded doors are synced"];
      if (last) parts.push("last sync " + time(last));
      el.dataset.pending = pending;
      el.dataset.lastSync = last;
      el.className = pending ? "sync waiting" : "sync ok";
      var text = parts.join(" · ");
      if (pending && !navigator.onLine) text += " · offline";
      else if (pending && state.problem) text += " · " + PROBLEMS[state.problem];
      Object.keys(state.blocked).forEach(function (k) { text += " · " + state.blocked[k]; });
      if (r[1].length) text += " · " + r[1].length + " refused by the server (see the doors marked ⚠)";
      el.textContent = text;
    });
  }

  function precache(urls, options) {
    options = options || {};
    if (!("serviceWorker" in navigator)) return Promise.resolve(false);
    return navigator.serviceWorker.ready.then(function (reg) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) { resolve(e.data && e.data.ok); };
        reg.active.postMessage({ type: "precache", urls: urls, prune: !!options.prune, assets: options.assets || [] },
                               [channel.port2]);
      });
    }).then(function (ok) {
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
    window.addEventListener("offline", render);
    setInterval(function () { if (navigator.onLine) flush(); }, RETRY_MS);
    render();
  }

  window.Legwork = window.Legwork || {};
  window.Legwork.outbox = {
    add: add, flush: flush, forList: forList, uuid: uuid, precache: precache,
    onChange: function (fn) { listeners.push(fn); }
  };
  start();
})();
