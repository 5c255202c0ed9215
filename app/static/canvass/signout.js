/* Sign out on a shared phone: send what waits, ask before deleting anything unsent, then take every
 * voter record off the phone (the service workers' data caches: cached list pages, doors, a polling
 * station's electors; the sent and refused stores, door knocks and tellings alike) before the form goes to the server. Without JavaScript the form posts as usual
 * (and without JavaScript nothing was kept on the phone in the first place).
 */
function main() {
  var form = document.getElementById("signout-form");
  if (!form || !window.Promise || !window.indexedDB) return;
  var FLUSH_WAIT_MS = 8000;   // bad signal: do not hold the person at the door for ever
  var WORKER_WAIT_MS = 4000;
  var STORES = ["outbox", "sent", "rejected", "meta"];
  var busy = false;
  var FLAG = "legwork-signed-out";

  // The back button after sign-out must not bring back a page (with its doors and names) from the
  // browser's back-forward cache: reload it, so the server (or the emptied worker) answers instead.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && sessionStorage.getItem(FLAG)) location.reload();
  });
  sessionStorage.removeItem(FLAG);  // a page loaded while signed in

  function within(ms, promise) {
    return Promise.race([promise, new Promise(function (resolve) { setTimeout(resolve, ms); })]);
  }

  /* The outbox database, opened the way outbox.js opens it (on pages without the outbox). */
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("legwork", 1);
      req.onupgradeneeded = function () {
        STORES.forEach(function (name) {
          if (!req.result.objectStoreNames.contains(name))
            req.result.createObjectStore(name, { keyPath: name === "meta" ? "key" : "id" });
        });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function inDb(mode, names, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(names, mode), out = {};
        t.oncomplete = function () { db.close(); resolve(out.v); };
        t.onerror = t.onabort = function () { db.close(); reject(t.error); };
        fn(t, out);
      });
    });
  }

  var direct = {
    unsent: function () {
      return inDb("readonly", ["outbox"], function (t, out) {
        t.objectStore("outbox").count().onsuccess = function (e) { out.v = e.target.result; };
      });
    },
    wipe: function (options) {
      var names = STORES.filter(function (n) { return n !== "outbox" || options.outbox; });
      return inDb("readwrite", names, function (t) { names.forEach(function (n) { t.objectStore(n).clear(); }); });
    }
  };

  function forgetCaches() {
    // Every worker of this site (the canvass pages' and the teller pages') drops its data cache.
    var worker = !("serviceWorker" in navigator) ? Promise.resolve() :
      navigator.serviceWorker.getRegistrations().then(function (regs) {
        return Promise.all(regs.filter(function (reg) { return reg.active; }).map(function (reg) {
          return new Promise(function (resolve) {  // the worker also stops keeping answers still on their way
            var channel = new MessageChannel();
            channel.port1.onmessage = resolve;
            reg.active.postMessage({ type: "signout" }, [channel.port2]);
          });
        }));
      });
    var mine = !window.caches ? Promise.resolve() : caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("legwork-data") === 0; })
        .map(function (k) { return caches.delete(k); }));
    });
    return Promise.all([within(WORKER_WAIT_MS, worker), mine]);
  }

  /* "Stay signed in" resolves false, "Sign out anyway" true. */
  function ask(n) {
    return new Promise(function (resolve) {
      var dialog = document.createElement("dialog");
      dialog.className = "signout-ask";
      var text = document.createElement("p");
      var sync = document.getElementById("sync");  // the teller screen's outbox holds entries, not doors
      var noun = sync && sync.dataset.kind === "tellings" ? ["entry", "entries"] : ["door", "doors"];
      text.textContent = (n === 1 ? "1 " + noun[0] + " is" : n + " " + noun[1] + " are") +
        " not sent yet. Signing out now deletes " +
        (n === 1 ? "it" : "them") + " from this phone.";
      var actions = document.createElement("p");
      actions.className = "ask-actions";
      [["Stay signed in", false, ""], ["Sign out anyway", true, "secondary"]].forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b[0];
        button.className = b[2];
        button.addEventListener("click", function () { dialog.close(); dialog.remove(); resolve(b[1]); });
        actions.appendChild(button);
      });
      dialog.addEventListener("cancel", function () { dialog.remove(); resolve(false); });  // Escape = stay
      dialog.appendChild(text);
      dialog.appendChild(actions);
      document.body.appendChild(dialog);
      dialog.showModal();
    });
  }

  async function signOut() {
    // Pages with the sync line load outbox.js: the same module (so the same outbox) is reused here.
    var outbox = document.getElementById("sync") ? (await import("./outbox.js")).outbox : null;
    var store = outbox || direct;
    if (outbox) await within(FLUSH_WAIT_MS, outbox.flush({ force: true }));
    var n = await store.unsent();
    if (n && !(await ask(n))) return false;
    await store.wipe({ outbox: n > 0 });
    await forgetCaches();
    return true;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    form.dataset.state = "busy";
    signOut().catch(function (err) {
      console.error(err);  // the server still ends the session; unsent items were not touched
      return forgetCaches().then(function () { return true; }, function () { return true; });
    }).then(function (go) {
      busy = false;
      form.dataset.state = go ? "leaving" : "stayed";
      if (go) { sessionStorage.setItem(FLAG, "1"); form.submit(); }
    });
  });
}

main();
