// The searchable picker's pure rules (app/static/organiser/picker-rules.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { moveActive, parseResults, resultsMessage, searchUrl } from "../../app/static/organiser/picker-rules.js";

test("arrows wrap around the options, and nothing is active with no options", () => {
  assert.equal(moveActive(-1, 3, "ArrowDown"), 0);
  assert.equal(moveActive(2, 3, "ArrowDown"), 0);
  assert.equal(moveActive(0, 3, "ArrowUp"), 2);
  assert.equal(moveActive(-1, 3, "ArrowUp"), 2);
  assert.equal(moveActive(1, 3, "End"), 2);
  assert.equal(moveActive(2, 3, "Home"), 0);
  assert.equal(moveActive(1, 3, "a"), 1);
  assert.equal(moveActive(0, 0, "ArrowDown"), -1);
});

test("the live region says how many matched, and to type more at the limit", () => {
  assert.match(resultsMessage(0, 20), /No matches/);
  assert.match(resultsMessage(1, 20), /^1 match:/);
  assert.match(resultsMessage(5, 20), /^5 matches/);
  assert.match(resultsMessage(20, 20), /type more/);
});

test("only well-formed results are shown", () => {
  assert.deepEqual(parseResults(null), []);
  assert.deepEqual(parseResults({ results: "x" }), []);
  assert.deepEqual(parseResults({ results: [{ value: "ward:1", label: "Ward 1" }, { value: 2, label: "x" }, null] }),
    [{ value: "ward:1", label: "Ward 1" }]);
});

test("the query is trimmed, capped and encoded, keeping the endpoint's path", () => {
  const url = new URL(searchUrl("/organiser/pickers/areas", "  Ward 9 & East ", "https://example.org"));
  assert.equal(url.pathname, "/organiser/pickers/areas");
  assert.equal(url.searchParams.get("q"), "Ward 9 & East");
  assert.equal(new URL(searchUrl("/a", "x".repeat(300), "https://e.org")).searchParams.get("q").length, 100);
});
