// The universe builder's fields -> tree in the browser (app/static/universes/universe-tree.js) must
// read the form exactly as the server does (app/universes/forms.py): both run these cases.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { treeFromEntries } from "../../app/static/universes/universe-tree.js";

const cases = JSON.parse(readFileSync(new URL("../universes/data/form_cases.json", import.meta.url)));

for (const c of cases) {
  test(c.why, () => {
    assert.deepEqual(treeFromEntries(c.fields), c.tree);
  });
}
