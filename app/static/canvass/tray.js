/* What the phone tells the canvasser about the outbox: the sync line ("N waiting to sync", never
 * "synced" while anything is unsent, whoever recorded it) and the "Could not be sent" tray: what the
 * server refused for good (the outbox's "rejected" store) with the door, the outcome, when, and the
 * server's reason, until the person has read it and dismisses it (dismiss = gone from this phone).
 * Works offline: it only reads IndexedDB.
 */
import { day, time } from "./format.js";
import { outbox } from "./outbox.js";

function main() {
  var line = document.getElementById("sync");
  var tray = document.getElementById("tray");
  if (!line) return;

  var PROBLEMS = {
    offline: "No connection: they will be sent when there is one.",
    signin: "Your sign-in has ended: sign in again (or rejoin with your PIN) to send them. They stay on this phone.",
    server: "The server did not take them yet; trying again shortly."
  };

  function door(item) { return item.address || "Household " + item.payload.household_id; }

  function renderLine(pending, rejected, meta) {
    var earlier = pending.filter(function (i) { return i.owner !== outbox.principal; }).length;
    var stuck = pending.filter(function (i) { return i.attempts > 0; });
    var last = (meta.filter(function (m) { return m.key === "lastSync"; })[0] || {}).value || "";
    var n = pending.length;
    var text = n ? n + " waiting to sync" : "All recorded doors are synced";
    if (earlier) text += " (" + earlier + " recorded under an earlier sign-in)";
    if (last) text += " · last sync " + time(last);
    if (n && !navigator.onLine) text += " · offline";
    else if (n && outbox.problem()) text += " · " + PROBLEMS[outbox.problem()];
    stuck.forEach(function (i) { text += " · " + door(i) + ": " + outbox.stuckText(i); });
    if (rejected.length) text += " · " + rejected.length + (rejected.length === 1 ? " door" : " doors") +
      " could not be sent (see below)";
    line.dataset.pending = n;
    line.dataset.stuck = stuck.length;
    line.dataset.rejected = rejected.length;
    line.dataset.lastSync = last;
    line.className = n || rejected.length ? "sync waiting" : "sync ok";
    line.textContent = text;
  }

  function trayItem(r) {
    var p = r.payload || {};
    var li = document.createElement("li");
    li.className = "tray-item";
    li.dataset.id = r.id;
    var head = document.createElement("strong");
    head.textContent = door(r);
    var what = document.createElement("span");
    what.textContent = " · " + (r.label || p.code || "") + " · recorded " + day(Date.parse(p.recorded_at) || r.createdAt);
    var reason = document.createElement("p");
    reason.className = "reason";
    reason.textContent = "Why: " + (r.reason || "the server refused it.");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = "Dismiss";
    button.addEventListener("click", function () { outbox.dismiss(r.id); });
    [head, what, reason, button].forEach(function (n) { li.appendChild(n); });
    return li;
  }

  function renderTray(items) {
    if (!tray) return;
    var list = tray.querySelector("ul");
    items.sort(function (a, b) { return (a.at || 0) - (b.at || 0); });
    list.textContent = "";
    items.forEach(function (r) { list.appendChild(trayItem(r)); });
    tray.hidden = !items.length;
    tray.dataset.count = items.length;
  }

  function render() {
    Promise.all([outbox.getAll("outbox"), outbox.getAll("rejected"), outbox.getAll("meta")]).then(function (r) {
      renderLine(r[0], r[1], r[2]);
      renderTray(r[1]);
    });
  }

  outbox.onChange(render);
  render();
}

main();
