/* The organiser's preview of proposed lists: each turf's outline and its doors, numbered like the table. */
function main() {
  var el = document.getElementById("turf-map");
  if (!el || !window.L) return;
  var style = getComputedStyle(document.documentElement), PALETTE = [];  // tokens.css: --turf-1..10
  for (var k = 1; style.getPropertyValue("--turf-" + k).trim(); k++) PALETTE.push(style.getPropertyValue("--turf-" + k).trim());
  var data = JSON.parse(el.dataset.geojson);
  var map = L.map(el, { preferCanvas: true });
  if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  var all = L.featureGroup().addTo(map);
  data.features.forEach(function (f) {
    var colour = PALETTE[(f.properties.n - 1) % PALETTE.length];
    L.geoJSON(f.geometry, { style: { color: colour, weight: 2, fillOpacity: 0.12 } })
      .bindTooltip("List " + f.properties.n + ": " + f.properties.doors + " doors, ~" + f.properties.minutes + " min")
      .addTo(all);
    f.properties.points.forEach(function (p) {
      L.circleMarker([p[1], p[0]], { radius: 3, stroke: false, fillColor: colour, fillOpacity: 0.9 }).addTo(all);
    });
  });
  document.querySelectorAll(".swatch[data-n]").forEach(function (s) {
    s.style.background = PALETTE[(Number(s.dataset.n) - 1) % PALETTE.length];
  });
  if (data.features.length) map.fitBounds(all.getBounds(), { padding: [10, 10] });
}

main();
