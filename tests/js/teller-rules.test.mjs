// The teller screen's pure rules (app/static/pollingday/teller-rules.js): keypad, search, entries, sync line.
import assert from "node:assert/strict";
import { test } from "node:test";

import { MAX_DIGITS, blankEntry, entryProblem, entryRows, numberText, press, searchElectors, syncText }
  from "../../app/static/pollingday/teller-rules.js";
import { batchBody } from "../../app/static/canvass/sync-rules.js";

function type(prefix, keys) {
  return keys.split("").reduce((e, k) => press(e, k === "<" ? "back" : k), blankEntry(prefix));
}

test("digits, a suffix and delete make the number", () => {
  assert.equal(numberText(type("AA", "123")), "AA-123");
  assert.equal(numberText(type("AA", "123/1")), "AA-123/1");
  assert.equal(numberText(type("AA", "123/1<")), "AA-123/");
  assert.equal(numberText(type("AA", "123/1<<")), "AA-123");
  assert.equal(numberText(type("AA", "12<<<")), "AA-");
});

test("no leading zero, no suffix before a number, no second slash, bounded length", () => {
  assert.equal(numberText(type("AB", "007")), "AB-7");
  assert.equal(numberText(type("AB", "/5")), "AB-5");
  assert.equal(numberText(type("AB", "4//2")), "AB-4/2");
  assert.equal(type("AB", "1234567890").digits.length, MAX_DIGITS);
  assert.equal(type("AB", "1/12345").suffix, "123");
});

test("Enter is refused with a reason until the number is whole", () => {
  assert.match(entryProblem(blankEntry("AA")), /elector number/);
  assert.match(entryProblem(type("AA", "12/")), /after the \//);
  assert.match(entryProblem(type("", "12")), /district/);
  assert.equal(entryProblem(type("AA", "12/3")), "");
});

const ELECTORS = [
  { person_id: 1, number: "AA-1", first_name: "Ada", last_name: "Ampleforth", address: "1 Acacia Avenue" },
  { person_id: 2, number: "AA-3", first_name: "Cara", last_name: "Brackley", address: "Flat 2, 3 Acacia Avenue" },
  { person_id: 3, number: "AA-6", first_name: "Finlay", last_name: "Ellerby", address: "7A Mill Lane" },
  { person_id: 4, number: "AA-7", first_name: "Zoë", last_name: "Adams", address: "9 Mill Lane" }
];

test("search matches surname, first name and house number with street, every word", () => {
  const ids = (q) => searchElectors(ELECTORS, q).map((e) => e.person_id);
  assert.deepEqual(ids("brack"), [2]);
  assert.deepEqual(ids("cara"), [2]);
  assert.deepEqual(ids("3 acacia"), [2]);
  assert.deepEqual(ids("mill"), [4, 3]);  // same rank: by surname
  assert.deepEqual(ids("zoe"), [4]);
  assert.deepEqual(ids("a"), [4, 1, 2]);  // surnames first, then addresses ("Acacia")
  assert.deepEqual(ids("cara mill"), []);
  assert.deepEqual(ids("  "), []);
  assert.equal(searchElectors(ELECTORS, "a", 2).length, 2);
});

function item(id, extra) {
  return Object.assign({ id: id, label: id, createdAt: 0,
    payload: { id: id, recorded_at: "2026-05-07T09:0" + id.length + ":00Z" } }, extra || {});
}

test("recent entries: newest first, with state, reason, and undos marking what they undo", () => {
  const a = item("a"), bb = item("bb"), ccc = item("ccc", { reason: "no elector AA-9 on the register" });
  const undo = item("dddd");
  undo.payload.undoes = "a";
  const rows = entryRows([undo], [a, bb], [ccc]);
  assert.deepEqual(rows.map((r) => [r.id, r.state, r.undo]), [["ccc", "refused", ""], ["bb", "stored", ""],
    ["a", "stored", "waiting"]]);
  assert.equal(rows[0].reason, "no elector AA-9 on the register");
  const refusedUndo = Object.assign(item("eeeee"), { reason: "no" });
  refusedUndo.payload.undoes = "bb";
  assert.equal(entryRows([], [bb], [refusedUndo])[0].undo, "");
});

test("the sync line never says all sent while anything waits", () => {
  assert.equal(syncText(0, true, ""), "All entries sent");
  for (const online of [true, false]) {
    for (const problem of ["", "offline", "signin", "server"]) {
      assert.doesNotMatch(syncText(2, online, problem), /All/);
      assert.match(syncText(1, online, problem), /^1 entry waiting/);
    }
  }
  assert.match(syncText(3, false, ""), /offline/);
  assert.equal(syncText(0, true, "", 1), "All entries sent · 1 refused (see why below)");
  assert.match(syncText(2, true, "", 1), /^2 entries waiting.* · 1 refused/);
});

test("a batch body is keyed by the outbox kind", () => {
  const chunk = [{ payload: { id: "x" } }, { payload: { id: "y" } }];
  assert.deepEqual(batchBody("tellings", chunk), { tellings: [{ id: "x" }, { id: "y" }] });
  assert.deepEqual(Object.keys(batchBody("outcomes", chunk)), ["outcomes"]);
});
