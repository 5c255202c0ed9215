/* Legwork's service worker: the canvass pages and the volunteer's lists open with no signal.
 *
 * self.LEGWORK (version, shell, home, login, cachePrefix, dataPaths, skip) is prepended by the route
 * that serves it (/canvass/sw.js, /polling-day/sw.js: app.canvass.views.worker_response). Each page
 * family has its own shell cache prefix, so one worker's new version never deletes the other's shell.
 * Static files: cache first (the version changes when they do). Pages and list data:
 * network first with a short timeout (bad signal is worse than none), falling back to the copy
 * kept here. POSTs are never touched: the outbox in the page owns those (no Background Sync:
 * iOS Safari lacks it).
 */
"use strict";
var CFG = self.LEGWORK;
var SHELL_PREFIX = CFG.cachePrefix || "legwork-shell-";
var SHELL_CACHE = SHELL_PREFIX + CFG.version;
var DATA_CACHE = "legwork-data-v1";
var NETWORK_TIMEOUT_MS = 4000;
// Bumped by sign-out: an answer fetched before it (a precache, a slow page) is not kept after it.
var generation = 0;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(CFG.shell);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf(SHELL_PREFIX) === 0 && k !== SHELL_CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isDataUrl(url) {
  return (CFG.dataPaths || ["/api/lists"]).some(function (p) { return url.pathname.indexOf(p) === 0; });
}

function wentToLogin(response) {
  return response.redirected && new URL(response.url).pathname === CFG.login;
}

function fetchWithTimeout(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("slow network")); }, NETWORK_TIMEOUT_MS);
    fetch(request).then(function (r) { clearTimeout(timer); resolve(r); },
                        function (e) { clearTimeout(timer); reject(e); });
  });
}

var LIST_URL = /^\/(canvass|api)\/lists\/(\d+)(\/map|\/voted)?$/;

/* "7" for /canvass/lists/7, its map, /api/lists/7 and its strike-off; null for other URLs. */
function listIdOf(href) {
  var m = LIST_URL.exec(new URL(href).pathname);
  return m ? m[2] : null;
}

/* A list's page, its map, its doors and its strike-off go together (other URLs: just themselves). */
function pairOf(url) {
  var id = listIdOf(url.href);
  if (id === null) return [url.href];
  return ["/canvass/lists/" + id, "/canvass/lists/" + id + "/map", "/api/lists/" + id,
          "/api/lists/" + id + "/voted"].map(function (p) {
    return new URL(p, url.origin).href;
  });
}

/* Network first; keep good answers; forget what the server says we may no longer see. */
function networkFirst(request) {
  var key = new URL(request.url);
  key.hash = "";
  var asked = generation;
  return caches.open(DATA_CACHE).then(function (cache) {
    var network = fetch(request).then(function (response) {
      if (wentToLogin(response) || response.status === 401) {  // signed out: keep nobody's data
        cache.keys().then(function (keys) { keys.forEach(function (k) { cache.delete(k); }); });
      } else if (response.status === 403 || response.status === 404 || response.status === 410) {
        // the list is gone: its page, map and doors, before anyone can be served them again
        return Promise.all(pairOf(key).map(function (u) { return cache.delete(u); })).then(function () { return response; });
      } else if (response.ok && response.type === "basic" && asked === generation) {
        cache.put(key.href, response.clone());
      }
      return response;
    });
    var timed = new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error("slow network")); }, NETWORK_TIMEOUT_MS);
      network.then(resolve, reject);
    });
    return timed.catch(function (err) {
      return cache.match(key.href).then(function (hit) {
        if (hit) return hit;
        return network.catch(function () { throw err; });  // nothing kept: wait for the network after all
      });
    });
  });
}

function cacheFirst(request) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" || isDataUrl(url)) {
    if ((CFG.skip || []).indexOf(url.pathname) >= 0) return;
    event.respondWith(networkFirst(request));
  }
});

/* A page asks us to keep URLs (its list and data; "My lists" sends every assigned list, with
 * prune: true, so lists no longer assigned are dropped from this phone). */
function reply(event, work) {
  event.waitUntil(work.then(function (answer) {
    if (event.ports && event.ports[0]) event.ports[0].postMessage(answer);
  }));
}

/* A kept copy of a page the server redirected to (a PIN's "My lists" is its one list): a
 * navigation may not be answered with a redirected response, so keep a plain copy. */
function plain(response) {
  if (!response.redirected) return Promise.resolve(response);
  return response.blob().then(function (body) {
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  });
}

self.addEventListener("message", function (event) {
  var msg = event.data || {};
  if (msg.type === "signout") {  // sign-out: every voter page and list leaves this phone
    generation++;
    reply(event, caches.delete(DATA_CACHE).then(function () { return { ok: true }; }));
    return;
  }
  if (msg.type === "forget") {  // a list taken away or closed
    var gone = (msg.urls || []).map(function (u) { return new URL(u, self.location.origin).href; });
    reply(event, caches.open(DATA_CACHE).then(function (cache) {
      return Promise.all(gone.map(function (u) { return cache.delete(u); }));
    }).then(function () { return { ok: true }; }));
    return;
  }
  if (msg.type !== "precache") return;
  var asked = generation;
  var urls = (msg.urls || []).map(function (u) { return new URL(u, self.location.origin).href; });
  var work = caches.open(DATA_CACHE).then(function (cache) {
    var pruning = !msg.prune ? Promise.resolve() : cache.keys().then(function (keys) {
      var kept = urls.map(listIdOf);  // a kept list keeps its map page too
      return Promise.all(keys.filter(function (k) {
        var id = listIdOf(k.url);
        return id !== null && kept.indexOf(id) < 0;
      }).map(function (k) { return cache.delete(k); }));
    });
    return pruning.then(function () {
      return Promise.all(urls.map(function (u) {
        return fetchWithTimeout(new Request(u, { credentials: "same-origin" })).then(function (response) {
          if (!response.ok || wentToLogin(response) || asked !== generation) return 0;
          return plain(response).then(function (copy) { return cache.put(u, copy); }).then(function () { return 1; });
        }).catch(function () { return cache.match(u).then(function (hit) { return hit ? 1 : 0; }); });
      }));
    }).then(function (done) {
      return caches.open(SHELL_CACHE).then(function (shell) {
        return shell.addAll(msg.assets || []).catch(function () { /* optional extras (map files) */ });
      }).then(function () { return done.reduce(function (a, b) { return a + b; }, 0); });
    });
  });
  reply(event, work.then(function (n) { return { ok: n === urls.length, cached: n }; }));
});
