/* "Could not be sent": what the server refused for good (the outbox's "rejected" store), shown on
 * every canvass page with the door, the outcome, when, and the server's reason, until the person
 * has read it and dismisses it (dismiss = gone from this phone). Works offline: it only reads
 * IndexedDB.
 */
(function () {
  "use strict";
  var tray = document.getElementById("tray");
  var outbox = window.Legwork && window.Legwork.outbox;
  if (!tray || !outbox) return;
  var list = tray.querySelector("ul");

  function when(ms) {
    var d = new Date(ms);
    return isNaN(d) ? "" : d.toLocaleDateString([], { day: "numeric", month: "short" }) + " " +
      d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function item(r) {
    var p = r.payload || {};
    var li = document.createElement("li");
    li.className = "tray-item";
    li.dataset.id = r.id;
    var head = document.createElement("strong");
    head.textContent = r.address || "Household " + p.household_id;
    var what = document.createElement("span");
    what.textContent = " · " + (r.label || p.code || "") + " · recorded " + when(Date.parse(p.recorded_at) || r.createdAt);
    var reason = document.createElement("p");
    reason.className = "reason";
    reason.textContent = "Why: " + (r.reason || "the server refused it.");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = "Dismiss";
    button.addEventListener("click", function () { outbox.dismiss(r.id); });
    li.appendChild(head);
    li.appendChild(what);
    li.appendChild(reason);
    li.appendChild(button);
    return li;
  }

  function render() {
    outbox.rejected().then(function (items) {
      items.sort(function (a, b) { return (a.at || 0) - (b.at || 0); });
      list.textContent = "";
      items.forEach(function (r) { list.appendChild(item(r)); });
      tray.hidden = !items.length;
      tray.dataset.count = items.length;
    });
  }

  outbox.onChange(render);
  render();
})();
