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
  var turf = null;
  function remember(layer) {
    turf = layer;
    var geometry = polygonFromLatLngs(layer.getLatLngs());
    field.value = JSON.stringify(geometry);
    status.textContent = describe(geometry);
    map.pm.addControls({ drawPolygon: false });  // one turf per list
  }
  map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
    drawRectangle: false, drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false,
    dragMode: false, removalMode: !data.turf, editMode: true, drawPolygon: !data.turf });
  map.pm.setGlobalOptions({ allowSelfIntersection: false });
  map.on("pm:create", function (e) {
    remember(e.layer);
    e.layer.on("pm:edit", function () { remember(e.layer); });
  });
  map.on("pm:remove", function () {
    turf = null;
    field.value = "";
    status.textContent = "No turf drawn yet.";
    map.pm.addControls({ drawPolygon: true });
  });
  if (data.turf) {
    var layer = L.polygon(latLngsFromPolygon(data.turf), { color: style.getPropertyValue("--turf-1").trim() }).addTo(map);
    remember(layer);
    layer.on("pm:edit", function () { remember(layer); });
    layer.pm.enable({ allowSelfIntersection: false });
    map.fitBounds(layer.getBounds().extend(doors.getBounds()), { padding: [20, 20] });
  } else if (data.doors.length) {
    map.fitBounds(doors.getBounds(), { padding: [10, 10] });
  } else {
    map.setView([0, 0], 2);
  }
  el.dataset.ready = "yes";
  return turf;
}

main();
