// The outbox's pure rules (app/static/canvass/sync-rules.js): grouping, chunk halving, backoff, answers.
import assert from "node:assert/strict";
import { test } from "node:test";

import { BATCH, MAX_BACKOFF_MS, RETRY_MS, backoffMs, classify, groupByList, halve, split, stuckText }
  from "../../app/static/canvass/sync-rules.js";

test("items are grouped by list, each group keeping its order", () => {
  const items = [{ id: "a", listId: 9 }, { id: "b", listId: 2 }, { id: "c", listId: 9 }, { id: "d", listId: null }];
  const groups = groupByList(items).map((g) => g.map((i) => i.id));
  assert.deepEqual(groups, [["b"], ["a", "c"], ["d"]]);
  assert.deepEqual(groupByList([]), []);
});

test("a failing chunk halves down to one item, never to zero", () => {
  assert.equal(halve(BATCH), 25);
  assert.equal(halve(3), 1);
  assert.equal(halve(1), 1);
  const sizes = [];
  for (let n = BATCH; n > 1; n = halve(n)) sizes.push(n);
  assert.deepEqual(sizes, [50, 25, 12, 6, 3]);
});

test("a refused chunk splits into two halves that keep every item", () => {
  assert.deepEqual(split([1, 2, 3, 4, 5]), [[1, 2, 3], [4, 5]]);
  assert.deepEqual(split([1, 2]), [[1], [2]]);
});

test("a stuck item waits twice as long each time, up to the cap", () => {
  assert.equal(backoffMs(1), RETRY_MS);
  assert.equal(backoffMs(2), 2 * RETRY_MS);
  assert.equal(backoffMs(3), 4 * RETRY_MS);
  assert.equal(backoffMs(50), MAX_BACKOFF_MS);
});

test("the server's answers are classified", () => {
  assert.deepEqual(classify(200, { results: [] }), { kind: "ok", results: [] });
  assert.equal(classify(200, {}).kind, "server");  // a 200 without results is a proxy, not an answer
  assert.equal(classify(401, {}).kind, "signin");
  assert.equal(classify(400, { error: "csrf" }).kind, "signin");
  assert.equal(classify(410, {}).kind, "refused");
  assert.match(classify(410, {}).reason, /closed/);
  assert.equal(classify(403, { message: "Not yours" }).reason, "Not yours");
  assert.equal(classify(422, {}).kind, "unreadable");
  assert.equal(classify(413, null).kind, "unreadable");
  assert.equal(classify(502, {}).kind, "server");
});

test("a stuck item says which attempt it is on", () => {
  assert.match(stuckText({ attempts: 3 }), /attempt 3/);
});
