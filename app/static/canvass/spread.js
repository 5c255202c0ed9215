/* Doors at one spot (the flats of a building, or addresses geocoded to one point) would be drawn on
 * top of each other, and only the top one could be tapped. The list map fans each such group out
 * around its spot, in screen pixels, so at any zoom every door is a dot of its own. Pure (no DOM,
 * no Leaflet): tests/js/spread.test.mjs runs it under Node.
 */

var EARTH_M = 6371000;

function metres(a, b) {
  var rad = Math.PI / 180, x = (b.lon - a.lon) * rad * Math.cos((a.lat + b.lat) / 2 * rad), y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * EARTH_M;
}

/* Groups of door indices at the same spot: within ``within`` metres of the group's first door. */
export function sameSpot(points, within) {
  var groups = [];
  points.forEach(function (p, i) {
    var group = groups.filter(function (g) { return metres(points[g[0]], p) <= within; })[0];
    if (group) group.push(i); else groups.push([i]);
  });
  return groups;
}

var GOLDEN = Math.PI * (3 - Math.sqrt(5));

/* Pixel offsets for ``n`` dots around a spot, every two at least ``spacing`` apart: one dot stays on
 * its spot, up to eight sit on a ring, more on a sunflower spiral (filled from the middle out). */
export function fan(n, spacing) {
  if (n <= 1) return [{ x: 0, y: 0 }];
  var out = [], i;
  if (n <= 8) {
    var r = Math.max(spacing, spacing / (2 * Math.sin(Math.PI / n)));
    for (i = 0; i < n; i++) {
      var a = -Math.PI / 2 + 2 * Math.PI * i / n;
      out.push({ x: r * Math.cos(a), y: r * Math.sin(a) });
    }
    return out;
  }
  // A sunflower's nearest neighbours sit about 1.1 c apart for this c (checked in the Node test).
  var c = spacing * 0.95;
  for (i = 0; i < n; i++) {
    var rr = c * Math.sqrt(i + 0.5), t = i * GOLDEN;
    out.push({ x: rr * Math.cos(t), y: rr * Math.sin(t) });
  }
  return out;
}
