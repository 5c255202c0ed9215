/* The drawn outline as the GeoJSON Polygon the server checks (walklists.parse_polygon): Leaflet's
 * [lat, lng] corners become [lon, lat] rounded to 6 places (about 10 cm), closed, one ring. */
export function polygonFromLatLngs(latlngs) {
  var ring = Array.isArray(latlngs[0]) ? latlngs[0] : latlngs;  // a Leaflet polygon nests its outer ring
  var coords = ring.map(function (p) { return [round6(p.lng), round6(p.lat)]; });
  if (coords.length && (coords[0][0] !== coords[coords.length - 1][0] || coords[0][1] !== coords[coords.length - 1][1])) {
    coords.push(coords[0].slice());
  }
  return { type: "Polygon", coordinates: [coords] };
}

/* Leaflet [lat, lng] corners of a GeoJSON Polygon's outer ring, without the closing repeat. */
export function latLngsFromPolygon(geometry) {
  var ring = (geometry && geometry.coordinates && geometry.coordinates[0]) || [];
  var out = ring.map(function (c) { return [c[1], c[0]]; });
  if (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out;
}

/* What the page says under the map once an outline exists. */
export function describe(geometry) {
  var corners = geometry.coordinates[0].length - 1;
  return "Turf drawn: " + corners + " corners. Preview it to see its doors.";
}

function round6(x) { return Math.round(x * 1e6) / 1e6; }
