// The next-door logic of the canvass list and its map (app/static/canvass/doors.js), under Node.
import assert from "node:assert/strict";
import { test } from "node:test";

import { category, doorState, isDone, nextDoor, outcome } from "../../app/static/canvass/doors.js";

const OUTCOMES = [
  { code: "not_home", label: "Not home" },
  { code: "spoke", label: "Spoke", contact: true },
  { code: "moved", label: "Moved", final: true },
  { code: "dnc", label: "Do not contact", dnc: true },
];
const NONE = { pending: [], sent: [], rejected: [] };

function door(id, history = []) {
  return { household_id: id, history };
}

function mine(id, code, at, extra = {}) {
  return { payload: { household_id: id, code, recorded_at: at }, ...extra };
}

test("a door nobody recorded has no state and is to do", () => {
  assert.equal(doorState(door(1), NONE, 7), null);
  assert.equal(category(null, OUTCOMES), "todo");
  assert.equal(isDone(null), false);
});

test("the server's records count only for this list", () => {
  const d = door(1, [{ walk_list_id: 8, code: "spoke", recorded_at: "2026-01-01T10:00:00Z" }]);
  assert.equal(doorState(d, NONE, 7), null);
  assert.equal(doorState(d, NONE, 8).kind, "server");
});

test("this phone's record wins a tie with the server's copy of it", () => {
  const at = "2026-01-01T10:00:00Z";
  const d = door(1, [{ walk_list_id: 7, code: "spoke", recorded_at: at }]);
  const state = doorState(d, { pending: [], sent: [mine(1, "spoke", at)], rejected: [] }, 7);
  assert.equal(state.kind, "sent");
});

test("the latest record wins, pending ones carry their attempts", () => {
  const d = door(1, [{ walk_list_id: 7, code: "spoke", recorded_at: "2026-01-01T10:00:00Z" }]);
  const local = { pending: [mine(1, "not_home", "2026-01-01T11:00:00Z", { attempts: 2 })], sent: [], rejected: [] };
  const state = doorState(d, local, 7);
  assert.deepEqual([state.kind, state.code, state.attempts], ["pending", "not_home", 2]);
});

test("a refused record is not done and says why", () => {
  const local = { pending: [], sent: [], rejected: [{ ...mine(1, "spoke", "2026-01-01T11:00:00Z"), reason: "closed" }] };
  const state = doorState(door(1), local, 7);
  assert.equal(state.reason, "closed");
  assert.equal(isDone(state), false);
});

test("categories: contact, revisit, final for final and do-not-contact outcomes", () => {
  assert.equal(category({ code: "spoke" }, OUTCOMES), "contact");
  assert.equal(category({ code: "not_home" }, OUTCOMES), "revisit");
  assert.equal(category({ code: "moved" }, OUTCOMES), "final");
  assert.equal(category({ code: "dnc" }, OUTCOMES), "final");
  assert.deepEqual(outcome(OUTCOMES, "unknown"), { code: "unknown", label: "unknown" });
});

const doors = [door(1), door(2), door(3), door(4)];
const sent = (at) => ({ kind: "sent", at });

test("the next door is the first to do after the one this phone recorded last", () => {
  // Door 2 skipped on the way: the highlight does not go back up the street to it.
  const states = [sent("2026-01-01T10:00:00Z"), null, sent("2026-01-01T10:05:00Z"), null];
  assert.equal(nextDoor(doors, states), doors[3]);
});

test("past the end of the list the next door wraps to the first still to do", () => {
  const states = [sent("2026-01-01T10:00:00Z"), null, sent("2026-01-01T10:01:00Z"), sent("2026-01-01T10:02:00Z")];
  assert.equal(nextDoor(doors, states), doors[1]);
});

test("another volunteer's records (the server's) do not move this phone's place", () => {
  const server = { kind: "server", at: "2026-01-01T12:00:00Z" };
  const states = [sent("2026-01-01T10:00:00Z"), null, server, null];
  assert.equal(nextDoor(doors, states), doors[1]);
});

test("with nothing recorded the next door is the first; with everything done there is none", () => {
  assert.equal(nextDoor(doors, [null, null, null, null]), doors[0]);
  const all = doors.map((_, k) => sent(`2026-01-01T10:0${k}:00Z`));
  assert.equal(nextDoor(doors, all), null);
});
