/* The list's map, loaded only when the volunteer asks for it: each door a dot coloured by its
 * status on this list (this phone's unsynced records included), the walking route as a thin line
 * (along the streets when the list's data carries that path),
 * the next door ringed, and from a door's popup a way back to record it. Doors at one spot fan out
 * (spread.js) so none hides another. The key sits on the map; "you are here" shows only once the
 * phone's location is shared (asked for by a button, or already allowed). With no tiles (no signal,
 * or no tile server configured) the map says so and draws street names over a plain background:
 * the route and the doors alone still find the way.
 */
import * as shared from "./doors.js";
import { outbox } from "./outbox.js";
import { fan, sameSpot } from "./spread.js";

/* A colour from tokens.css (the page loads it): one palette with the list page and the organiser's maps. */
function token(name) {
  return getComputedStyle(document.documentElement).getPropertyValue("--" + name).trim();
}

var RADIUS = 8, SPACING = 2 * RADIUS + 4, SAME_SPOT_M = 3;

function main() {
  var el = document.getElementById("list-map");
  if (!el || !window.L) return;
  var listId = Number(el.dataset.listId);
  var COLOURS = {}, ROUTE = token("route"), RING = token("bg");
  ["todo", "contact", "revisit", "final", "pending"].forEach(function (k) { COLOURS[k] = token("status-" + k); });
  var map = L.map(el, { zoomSnap: 1 });
  var plainLayers = L.layerGroup();  // street names, shown only when there are no tiles
  var tiles = null, loaded = 0;
  var note = L.control({ position: "topleft" });
  note.onAdd = function () {
    var box = L.DomUtil.create("p", "map-note");
    box.setAttribute("role", "status");
    box.textContent = navigator.onLine === false || !el.dataset.tileUrl
      ? "No map tiles here: the route and the doors only." : "Map tiles did not load: the route and the doors only.";
    return box;
  };

  function plain() {
    if (el.dataset.tiles === "none") return;
    el.dataset.tiles = "none";
    el.classList.add("no-tiles");
    if (tiles) map.removeLayer(tiles);
    plainLayers.addTo(map);
    note.addTo(map);
  }

  if (el.dataset.tileUrl && navigator.onLine !== false) {
    tiles = L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 });
    tiles.on("tileload", function () { loaded += 1; el.dataset.tiles = "yes"; });
    tiles.on("tileerror", function () { if (!loaded) plain(); });
    tiles.addTo(map);
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

  /* The key, moved from under the map onto it (bottom left), and a "where am I" button (top right). */
  function controls() {
    var key = document.getElementById("map-key");
    if (key) {
      var legend = L.control({ position: "bottomleft" });
      legend.onAdd = function () { L.DomEvent.disableClickPropagation(key); return key; };
      legend.addTo(map);
    }
    var locate = L.control({ position: "topright" });
    locate.onAdd = function () {
      var box = document.getElementById("locate");
      L.DomEvent.disableClickPropagation(box);
      box.hidden = !navigator.geolocation;
      document.getElementById("locate-button").addEventListener("click", function () { here(true); });
      return box;
    };
    locate.addTo(map);
  }

  var dot = null, halo = null, watching = false;
  /* The phone's position, kept up to date. ``pan``: the volunteer asked, so show them where they are. */
  function here(pan) {
    if (!navigator.geolocation || watching) { if (pan && dot) map.panTo(dot.getLatLng()); return; }
    watching = true;
    navigator.geolocation.watchPosition(function (p) {
      var at = [p.coords.latitude, p.coords.longitude];
      if (!dot) {
        halo = L.circle(at, { radius: p.coords.accuracy, color: token("here"), weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map);
        dot = L.circleMarker(at, { radius: 7, weight: 3, color: RING, fillColor: token("here"), fillOpacity: 1,
                                   className: "you-are-here", interactive: false }).addTo(map);
        document.getElementById("key-here").hidden = false;
        if (pan) map.panTo(at);
      }
      dot.setLatLng(at);
      halo.setLatLng(at).setRadius(p.coords.accuracy);
      el.dataset.here = "yes";
    }, function () {
      watching = false;
      document.getElementById("locate-status").textContent = "Location not shared";
    }, { enableHighAccuracy: true, maximumAge: 10000 });
  }

  function draw(data, local) {
    var placed = data.doors.filter(function (door) { return door.lat != null && door.lon != null; });
    var states = placed.map(function (door) { return shared.doorState(door, local, listId); });
    var next = shared.nextDoor(placed, states), route = placed.map(function (d) { return [d.lat, d.lon]; });
    // the walk along the streets when the server knows them (an older saved copy has no path: door to door)
    var line = data.path && data.path.length > 1 ? data.path.map(function (p) { return [p[1], p[0]]; }) : route;
    if (line.length > 1) L.polyline(line, { color: ROUTE, weight: 3, opacity: 0.6, interactive: false, className: "route-line" }).addTo(map);
    var markers = placed.map(function (door, k) {
      var isNext = door === next;
      return L.circleMarker([door.lat, door.lon], { radius: isNext ? RADIUS + 3 : RADIUS, weight: isNext ? 4 : 2,
        color: isNext ? ROUTE : RING, fillColor: COLOURS[colour(states[k], data.outcomes)], fillOpacity: 0.95,
        className: "door-dot" }).bindPopup(popup(door))
        .on("add", function (e) { e.target.getElement().dataset.householdId = door.household_id; }).addTo(map);
    });
    var groups = sameSpot(placed, SAME_SPOT_M).filter(function (g) { return g.length > 1; });
    var legs = L.layerGroup().addTo(map);
    function layout() {  // pixels at this zoom: the fan keeps its size on screen
      legs.clearLayers();
      var z = map.getZoom();
      el.dataset.zoom = z;
      groups.forEach(function (g) {
        var centre = map.project([placed[g[0]].lat, placed[g[0]].lon], z);
        fan(g.length, SPACING).forEach(function (off, i) {
          var at = map.unproject(centre.add([off.x, off.y]), z);
          markers[g[i]].setLatLng(at);
          L.polyline([[placed[g[0]].lat, placed[g[0]].lon], at], { color: ROUTE, weight: 1, opacity: 0.7, interactive: false }).addTo(legs);
        });
      });
    }
    map.on("zoomend", layout);
    streetNames(placed);
    if (route.length) map.fitBounds(route, { padding: [20, 20], maxZoom: 18 });
    layout();
    el.dataset.next = next ? next.household_id : "";
  }

  /* One label a street, at its middle door, for the map with no tiles. */
  function streetNames(placed) {
    var runs = [];
    placed.forEach(function (d) {
      var last = runs[runs.length - 1];
      if (last && last.street === d.street) last.doors.push(d); else runs.push({ street: d.street, doors: [d] });
    });
    runs.forEach(function (r) {
      if (!r.street || runs.filter(function (o) { return o.street === r.street; })[0] !== r) return;
      var mid = r.doors[Math.floor(r.doors.length / 2)];
      plainLayers.addLayer(L.tooltip({ permanent: true, direction: "top", offset: [0, -12], className: "street-label" })
        .setLatLng([mid.lat, mid.lon]).setContent(r.street));
    });
  }

  controls();
  if (!tiles) plain();
  if (navigator.permissions && navigator.geolocation) {
    navigator.permissions.query({ name: "geolocation" }).then(function (p) { if (p.state === "granted") here(false); },
                                                              function () { /* cannot tell: wait for the button */ });
  }
  Promise.all([
    fetch(el.dataset.apiUrl, { credentials: "same-origin" }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }),
    outbox.forList(listId)
  ]).then(function (r) {
    draw(r[0], r[1]);
    el.dataset.ready = "yes";
  }).catch(function () {
    el.textContent = "The map needs this list saved on the phone: open the list once with signal.";
  });
}

main();
