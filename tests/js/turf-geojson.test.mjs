import { test } from "node:test";
import assert from "node:assert/strict";
import { describe, latLngsFromPolygon, polygonFromLatLngs } from "../../app/static/organiser/turf-geojson.js";

const ll = (lat, lng) => ({ lat, lng });

test("Leaflet corners become a closed lon-lat ring, rounded to 6 places", () => {
  const g = polygonFromLatLngs([[ll(42.3701234567, -71.1), ll(42.371, -71.1), ll(42.371, -71.099)]]);
  assert.deepEqual(g, { type: "Polygon", coordinates: [[[-71.1, 42.370123], [-71.1, 42.371], [-71.099, 42.371], [-71.1, 42.370123]]] });
});

test("a flat list of corners works too, and an already closed ring is not closed twice", () => {
  const g = polygonFromLatLngs([ll(1, 2), ll(1, 3), ll(2, 3), ll(1, 2)]);
  assert.equal(g.coordinates[0].length, 4);
});

test("the server's polygon comes back as Leaflet corners without the closing repeat", () => {
  assert.deepEqual(latLngsFromPolygon({ type: "Polygon", coordinates: [[[2, 1], [3, 1], [3, 2], [2, 1]]] }),
    [[1, 2], [1, 3], [2, 3]]);
  assert.deepEqual(latLngsFromPolygon(null), []);
});

test("the status line counts corners, not the closing repeat", () => {
  assert.match(describe(polygonFromLatLngs([ll(1, 2), ll(1, 3), ll(2, 3)])), /3 corners/);
});
