/* The list's map, loaded only when the volunteer asks for it: each door a dot coloured by its
 * status on this list, this phone's unsynced records included. Tiles need signal; the dots don't. */
(function () {
  "use strict";
  var el = document.getElementById("list-map");
  if (!el || !window.L) return;
  var listId = Number(el.dataset.listId);
  var COLOURS = { todo: "#777777", contact: "#137333", revisit: "#b06000", final: "#b3261e", pending: "#0b5cad" };
  var map = L.map(el, { preferCanvas: true });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  }

  function status(door, data, local) {
    var best = null;
    door.history.forEach(function (e) {
      if (e.walk_list_id === listId && (!best || e.recorded_at > best.at)) best = { code: e.code, at: e.recorded_at };
    });
    local.sent.concat(local.pending).forEach(function (i) {
      if (i.payload.household_id === door.household_id && (!best || i.payload.recorded_at > best.at))
        best = { code: i.payload.code, at: i.payload.recorded_at, pending: local.pending.indexOf(i) >= 0 };
    });
    if (!best) return "todo";
    if (best.pending) return "pending";
    var o = data.outcomes.filter(function (x) { return x.code === best.code; })[0] || {};
    return o.dnc || o.final ? "final" : o.contact ? "contact" : "revisit";
  }

  Promise.all([
    fetch(el.dataset.apiUrl, { credentials: "same-origin" }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }),
    window.Legwork.outbox.forList(listId)
  ]).then(function (r) {
    var data = r[0], local = r[1], bounds = [];
    data.doors.forEach(function (door) {
      if (door.lat == null || door.lon == null) return;
      var s = status(door, data, local);
      bounds.push([door.lat, door.lon]);
      L.circleMarker([door.lat, door.lon], { radius: 8, weight: 2, color: "#fff", fillColor: COLOURS[s], fillOpacity: 0.95 })
        .bindPopup((door.position + 1) + ". " + door.address).addTo(map);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 18 });
    el.dataset.ready = "yes";
  }).catch(function () {
    el.textContent = "The map needs this list saved on the phone: open the list once with signal.";
  });
})();
