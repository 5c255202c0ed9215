/* The list's map, loaded only when the volunteer asks for it: each door a dot coloured by its
 * status on this list (this phone's unsynced records included), the walking route as a thin line,
 * the next door ringed, and from a door's popup a way back to record it. Tiles need signal; the
 * dots don't. */
import * as shared from "./doors.js";
import { outbox } from "./outbox.js";

/* A colour from tokens.css (the page loads it): one palette with the list page and the organiser's maps. */
function token(name) {
  return getComputedStyle(document.documentElement).getPropertyValue("--" + name).trim();
}

function main() {
  var el = document.getElementById("list-map");
  if (!el || !window.L) return;
  var listId = Number(el.dataset.listId);
  var COLOURS = {}, ROUTE = token("route"), RING = token("bg");
  ["todo", "contact", "revisit", "final", "pending"].forEach(function (k) { COLOURS[k] = token("status-" + k); });
  var map = L.map(el, { preferCanvas: true });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  }

  function colour(state, outcomes) {
    if (state && state.kind === "pending") return "pending";
    return state && state.kind === "rejected" ? "todo" : shared.category(state, outcomes);
  }

  function popup(door) {
    var box = document.createElement("div");
    box.textContent = (door.position + 1) + ". " + door.address + " ";
    var link = document.createElement("a");
    link.href = el.dataset.listUrl + "#record-" + door.household_id;
    link.textContent = "Record this door";
    box.appendChild(document.createElement("br"));
    box.appendChild(link);
    return box;
  }

  Promise.all([
    fetch(el.dataset.apiUrl, { credentials: "same-origin" }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }),
    outbox.forList(listId)
  ]).then(function (r) {
    var data = r[0], local = r[1];
    var placed = data.doors.filter(function (door) { return door.lat != null && door.lon != null; });
    var states = placed.map(function (door) { return shared.doorState(door, local, listId); });
    var next = shared.nextDoor(placed, states), route = placed.map(function (d) { return [d.lat, d.lon]; });
    if (route.length > 1) L.polyline(route, { color: ROUTE, weight: 2, opacity: 0.5, interactive: false }).addTo(map);
    placed.forEach(function (door, k) {
      var isNext = door === next;
      L.circleMarker([door.lat, door.lon], { radius: isNext ? 11 : 8, weight: isNext ? 4 : 2, color: isNext ? ROUTE : RING,
                                             fillColor: COLOURS[colour(states[k], data.outcomes)], fillOpacity: 0.95 })
        .bindPopup(popup(door)).addTo(map);
    });
    if (route.length) map.fitBounds(route, { padding: [20, 20], maxZoom: 18 });
    el.dataset.next = next ? next.household_id : "";
    el.dataset.ready = "yes";
  }).catch(function () {
    el.textContent = "The map needs this list saved on the phone: open the list once with signal.";
  });
}

main();
