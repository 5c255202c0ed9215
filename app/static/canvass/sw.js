/* Legwork's service worker: the canvass pages and the volunteer's lists open with no signal.
 *
 * self.LEGWORK (version, shell, home, login) is prepended by the /canvass/sw.js route.
 * Static files: cache first (the version changes when they do). Pages and list data:
 * network first with a short timeout (bad signal is worse than none), falling back to the copy
 * kept here. POSTs are never touched: the outbox in the page owns those (no Background Sync:
 * iOS Safari lacks it).
 */
"use strict";
var CFG = self.LEGWORK;
var SHELL_CACHE = "legwork-shell-" + CFG.version;
var DATA_CACHE = "legwork-data-v1";
var NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(CFG.shell);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("legwork-shell-") === 0 && k !== SHELL_CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isDataUrl(url) {
  return url.pathname.indexOf("/api/lists") === 0;
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

/* Network first; keep good answers; forget what the server says we may no longer see. */
function networkFirst(request) {
  var key = new URL(request.url);
  key.hash = "";
  return caches.open(DATA_CACHE).then(function (cache) {
    var network = fetch(request).then(function (response) {
      if (wentToLogin(response) || response.status === 401) {  // signed out: keep nobody's data
        cache.keys().then(function (keys) { keys.forEach(function (k) { cache.delete(k); }); });
      } else if (response.status === 403 || response.status === 404) {
        cache.delete(key.href);
      } else if (response.ok && response.type === "basic") {
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
    if (url.pathname === "/canvass/join" || url.pathname === "/canvass/sw.js") return;
    event.respondWith(networkFirst(request));
  }
});

/* A page asks us to keep URLs (its list and data; "My lists" sends every assigned list, with
 * prune: true, so lists no longer assigned are dropped from this phone). */
self.addEventListener("message", function (event) {
  var msg = event.data || {};
  if (msg.type !== "precache") return;
  var urls = (msg.urls || []).map(function (u) { return new URL(u, self.location.origin).href; });
  var work = caches.open(DATA_CACHE).then(function (cache) {
    var pruning = !msg.prune ? Promise.resolve() : cache.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        var p = new URL(k.url).pathname;
        return (p.indexOf("/canvass/lists/") === 0 || p.indexOf("/api/lists/") === 0) && urls.indexOf(k.url) < 0;
      }).map(function (k) { return cache.delete(k); }));
    });
    return pruning.then(function () {
      return Promise.all(urls.map(function (u) {
        return fetchWithTimeout(new Request(u, { credentials: "same-origin" })).then(function (response) {
          if (response.ok && !wentToLogin(response)) return cache.put(u, response).then(function () { return 1; });
          return 0;
        }).catch(function () { return cache.match(u).then(function (hit) { return hit ? 1 : 0; }); });
      }));
    }).then(function (done) {
      return caches.open(SHELL_CACHE).then(function (shell) {
        return shell.addAll(msg.assets || []).catch(function () { /* optional extras (map files) */ });
      }).then(function () { return done.reduce(function (a, b) { return a + b; }, 0); });
    });
  });
  event.waitUntil(work.then(function (n) {
    if (event.ports && event.ports[0]) event.ports[0].postMessage({ ok: n === urls.length, cached: n });
  }));
});
