// The list page's folding and house-number jump (isFinished, findDoors in app/static/canvass/doors.js), under Node.
import assert from "node:assert/strict";
import { test } from "node:test";

import { findDoors, isFinished } from "../../app/static/canvass/doors.js";

const OUTCOMES = [
  { code: "spoke", label: "Spoke", contact: true },
  { code: "not_home", label: "Not home" },
  { code: "moved", label: "Moved", final: true },
];

test("a door folds away once nobody needs to knock again; a door to try again stays", () => {
  assert.equal(isFinished(null, OUTCOMES), false);
  assert.equal(isFinished({ code: "spoke", kind: "sent" }, OUTCOMES), true);
  assert.equal(isFinished({ code: "moved", kind: "pending" }, OUTCOMES), true);
  assert.equal(isFinished({ code: "not_home", kind: "server" }, OUTCOMES), false);
  assert.equal(isFinished({ code: "spoke", kind: "rejected" }, OUTCOMES), false);  // refused: still to record
});

const DOORS = [
  { household_id: 1, house_number: "12", address: "12 Elm St" },
  { household_id: 2, house_number: "12A", address: "12A Elm St" },
  { household_id: 3, house_number: "120", address: "120 Oak St" },
  { household_id: 4, house_number: "12", address: "12 Oak St" },
  { household_id: 5, house_number: "7", address: "7 Ash St, Flat 2" },
];

test("an exact house number first, on every street, in walking order", () => {
  assert.deepEqual(findDoors(DOORS, " 12 ").map(d => d.household_id), [1, 4]);
  assert.deepEqual(findDoors(DOORS, "12a").map(d => d.household_id), [2]);
});

test("then a number it begins, then any address holding it", () => {
  assert.deepEqual(findDoors(DOORS, "1").map(d => d.household_id), [1, 2, 3, 4]);
  assert.deepEqual(findDoors(DOORS, "12 oak").map(d => d.household_id), [4]);
  assert.deepEqual(findDoors(DOORS, "flat 2").map(d => d.household_id), [5]);
});

test("nothing typed or nothing like it: no door", () => {
  assert.deepEqual(findDoors(DOORS, "  "), []);
  assert.deepEqual(findDoors(DOORS, "999"), []);
});
