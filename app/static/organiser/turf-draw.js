/* Draw a new turf, or redraw a list's, with Leaflet-Geoman (vendored): one polygon at a time; its
 * GeoJSON goes in the form's hidden field, which the server checks and previews. */
import { describe, latLngsFromPolygon, polygonFromLatLngs } from "./turf-geojson.js";

var DOOR_COLOURS = { free: "--turf-3", taken: "--muted", "this": "--turf-1" };

function main() {
  var el = document.getElementById("draw-map");
  if (!el || !window.L || !window.L.PM) return;
  var style = getComputedStyle(document.documentElement);
  var data = JSON.parse(el.dataset.map);
  var field = document.getElementById("polygon"), status = document.getElementById("polygon-status");
  var map = L.map(el, { preferCanvas: true });
  if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  var doors = L.featureGroup().addTo(map);
  data.doors.forEach(function (d) {
    L.circleMarker([d[1], d[0]], { radius: 3, stroke: false, fillOpacity: 0.9, pmIgnore: true,
      fillColor: style.getPropertyValue(DOOR_COLOURS[d[2]]).trim() }).addTo(doors);
  });
  data.lists.forEach(function (l) {
    L.geoJSON(l.hull, { pmIgnore: true, style: { color: style.getPropertyValue("--muted").trim(), weight: 1, fillOpacity: 0.05 } })
      .bindTooltip(l.name).addTo(map);
  });
  function labelButtons() {  // Geoman's toolbar links carry only a title: give each a name screen readers read
    el.querySelectorAll(".leaflet-buttons-control-button").forEach(function (a) {
      a.setAttribute("aria-label", a.parentElement.title || "Map tool");
    });
  }
  function remember(layer) {
    var geometry = polygonFromLatLngs(layer.getLatLngs());
    field.value = JSON.stringify(geometry);
    status.textContent = describe(geometry);
    map.pm.addControls({ drawPolygon: false });  // one turf per list
    labelButtons();
  }
  map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
    drawRectangle: false, drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false,
    dragMode: false, removalMode: !data.turf, editMode: true, drawPolygon: !data.turf });
  map.pm.setGlobalOptions({ allowSelfIntersection: false });
  labelButtons();
  map.on("pm:create", function (e) {
    remember(e.layer);
    e.layer.on("pm:edit", function () { remember(e.layer); });
  });
  map.on("pm:remove", function () {
    field.value = "";
    status.textContent = "No turf drawn yet.";
    map.pm.addControls({ drawPolygon: true });
    labelButtons();
  });
  // The view first: Leaflet adds layers (and Geoman can edit them) only once the map has one.
  var corners = data.turf ? latLngsFromPolygon(data.turf) : [];
  var extent = data.doors.length ? doors.getBounds() : null;
  if (corners.length) extent = extent ? extent.extend(L.latLngBounds(corners)) : L.latLngBounds(corners);
  if (extent) map.fitBounds(extent, { padding: [40, 40] });
  else map.setView([0, 0], 2);
  if (corners.length) {
    var layer = L.polygon(corners, { color: style.getPropertyValue("--turf-1").trim() }).addTo(map);
    remember(layer);
    layer.on("pm:edit", function () { remember(layer); });
    layer.pm.enable({ allowSelfIntersection: false });
  }
  // The map's extent on the element, for the browser tests to place clicks by longitude and latitude.
  function note() { el.dataset.bounds = map.getBounds().toBBoxString(); }
  map.on("moveend", note);
  note();
  el.dataset.ready = "yes";
}

main();
