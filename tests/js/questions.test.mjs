// The door sheet's survey helpers (app/static/canvass/questions.js): the script's placeholders and
// the answers' wire format.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fillScript, readValues } from "../../app/static/canvass/questions.js";

test("placeholders are filled, unknown or empty ones stay as written, doubled braces are braces", () => {
  const text = "Hi {first_name}, I'm {canvasser_name} on {street} {{not a placeholder}} {mystery}";
  assert.equal(fillScript(text, { first_name: "Ada", canvasser_name: "", street: "Elm St" }),
               "Hi Ada, I'm {canvasser_name} on Elm St {not a placeholder} {mystery}");
  assert.equal(fillScript(null, {}), "");
  assert.equal(fillScript("{toString}", {}), "{toString}");  // never an object's own property
});

test("answers leave blanks out and send each kind as the server expects it", () => {
  const questions = [
    { version_id: 1, kind: "yes_no" }, { version_id: 2, kind: "yes_no" }, { version_id: 3, kind: "number" },
    { version_id: 4, kind: "multiple" }, { version_id: 5, kind: "text" }, { version_id: 6, kind: "single" },
    { version_id: 7, kind: "multiple" },
  ];
  const raw = { 1: "yes", 2: "no", 3: "12", 4: ["Pool"], 5: "", 6: null, 7: [] };
  assert.deepEqual(readValues(questions, (q) => raw[q.version_id]), { 1: true, 2: false, 3: 12, 4: ["Pool"] });
});
