// A knock-up list's strike-off on the phone (app/static/canvass/knockup.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { isStruck, strikeText } from "../../app/static/canvass/knockup.js";

const door = (...ids) => ({ people: ids.map((id) => ({ id })) });

test("a door folds away only when every pledge behind it has voted", () => {
  assert.equal(isStruck(door(1, 2), new Set([1])), false);
  assert.equal(isStruck(door(1, 2), new Set([1, 2, 3])), true);
  assert.equal(isStruck(door(), new Set([1])), false);  // nobody to strike: the door stays
});

test("the strike-off line says live while fresh, and how old it is when not", () => {
  const asOf = "2026-05-07T14:05:00Z";
  const t = Date.parse(asOf);
  assert.match(strikeText(asOf, 5, t + 4000), /^Voters struck off live/);
  assert.match(strikeText(asOf, 5, t + 60000), /^Offline: voters struck off as of /);
  assert.match(strikeText(null, 5, t), /not yet known/);
});
