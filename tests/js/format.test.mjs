// Date formatting of the canvass pages (app/static/canvass/format.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { day, time } from "../../app/static/canvass/format.js";

test("a bad date shows as nothing, never 'Invalid Date'", () => {
  assert.equal(time("not a date"), "");
  assert.equal(day(undefined), "");
});

test("a day is the date and then the time", () => {
  const at = "2026-03-04T05:06:00Z";
  const d = new Date(at);
  assert.equal(day(at), d.toLocaleDateString([], { day: "numeric", month: "short" }) + " " + time(at));
  assert.equal(day(d.getTime()), day(at));  // milliseconds work as well as ISO text
  assert.match(time(at), /\d\d.\d\d/);
});
