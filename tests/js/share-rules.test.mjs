// When a phone sharing its walk sends its position (app/static/nearme/share-rules.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { dueToSend, payload } from "../../app/static/nearme/share-rules.js";

test("nothing is sent before the phone has read a position", () => {
  assert.equal(dueToSend(null, null, 1000, 60000), false);
});

test("the first position goes at once, then at most one per interval, and only a new one", () => {
  assert.equal(dueToSend(null, 500, 1000, 60000), true);
  assert.equal(dueToSend(1000, 2000, 30000, 60000), false);   // too soon
  assert.equal(dueToSend(1000, 2000, 61000, 60000), true);
  assert.equal(dueToSend(61000, 2000, 200000, 60000), false); // nothing read since the last send
});

test("a position is rounded to about a metre; a broken one is not sent", () => {
  assert.deepEqual(payload({ latitude: 42.3712345678, longitude: -71.1198765 }), { lat: 42.37123, lon: -71.11988 });
  assert.equal(payload({ latitude: NaN, longitude: 1 }), null);
  assert.equal(payload({ latitude: 91, longitude: 1 }), null);
  assert.equal(payload(undefined), null);
});
