// The list map's fan for doors at one spot (app/static/canvass/spread.js), under Node.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fan, sameSpot } from "../../app/static/canvass/spread.js";

function closest(points) {
  let best = Infinity;
  points.forEach((a, i) => points.slice(i + 1).forEach(b => { best = Math.min(best, Math.hypot(a.x - b.x, a.y - b.y)); }));
  return best;
}

test("one door keeps its spot", () => {
  assert.deepEqual(fan(1, 18), [{ x: 0, y: 0 }]);
});

test("every two dots of a fan are at least the spacing apart, for 2 to 80 doors", () => {
  for (let n = 2; n <= 80; n++) {
    const dots = fan(n, 18);
    assert.equal(dots.length, n);
    assert.ok(closest(dots) >= 18 - 1e-9, `n=${n}: ${closest(dots)}`);
  }
});

test("a fan stays compact: 40 flats fit in a 260 px circle", () => {
  const far = Math.max(...fan(40, 18).map(p => Math.hypot(p.x, p.y)));
  assert.ok(far < 130, far);
});

test("doors a metre apart share a spot; doors across the street do not", () => {
  const spot = { lat: 42.371, lon: -71.119 };
  const points = [spot, { lat: 42.371, lon: -71.119 }, { lat: 42.37101, lon: -71.119 }, { lat: 42.3712, lon: -71.119 }];
  assert.deepEqual(sameSpot(points, 3), [[0, 1, 2], [3]]);
});
