/* A small map of the events listed on the get-involved page: one marker each, linking to the
 * event, and the searched place. The list stays the page's content; the map is extra. */
function main() {
  var el = document.getElementById("events-map");
  var L = window.L;  // Leaflet (vendor/leaflet/leaflet.js) is a classic script: its one global
  if (!el || !L) return;
  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  var here = [Number(el.dataset.lat), Number(el.dataset.lon)];
  var points = [here];
  L.circleMarker(here, { radius: 6 }).addTo(map);
  document.querySelectorAll("li.event").forEach(function (item) {
    var at = [Number(item.dataset.lat), Number(item.dataset.lon)];
    var link = document.createElement("a");
    link.href = item.dataset.url;
    link.textContent = item.dataset.title;
    L.marker(at).bindPopup(link).addTo(map);
    points.push(at);
  });
  map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 15 });
}

main();
