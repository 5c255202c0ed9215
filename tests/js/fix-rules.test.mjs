// What the door sheet's fix panel sends (app/static/canvass/fix-rules.js), under Node.
import assert from "node:assert/strict";
import { test } from "node:test";

import { buildFix, fieldsFor, fixLabel } from "../../app/static/canvass/fix-rules.js";

const door = { household_id: 7, people: [{ id: 3, name: "Bob Smith" }] };
const blank = { who: "3", what: "name", first: "", last: "", phone: "", email: "", consent: false };

test("a new resident is an add with names, and a number only with consent", () => {
  const values = { ...blank, who: "new", first: " Ada ", last: "Newcomer", phone: "617 555 0142" };
  assert.match(buildFix(values, door, 9, "We may keep it").error, /consent/);
  const { payload } = buildFix({ ...values, consent: true, consentAt: "2026-12-06T10:00:00Z" }, door, 9, "We may keep it");
  assert.deepEqual(payload, { type: "fix", fix: "add", household_id: 7, walk_list_id: 9, first_name: "Ada",
                              last_name: "Newcomer", phone: "617 555 0142",
                              consent: { text: "We may keep it", at: "2026-12-06T10:00:00Z" } });
  assert.equal(fixLabel(payload, door.people), "Added Ada Newcomer");
});

test("moved away needs nothing typed; a name, phone or email needs what it is about", () => {
  assert.deepEqual(buildFix({ ...blank, what: "moved" }, door, 9, "").payload,
                   { type: "fix", fix: "moved", household_id: 7, walk_list_id: 9, person_id: 3 });
  assert.match(buildFix(blank, door, 9, "").error, /name/);
  assert.match(buildFix({ ...blank, what: "phone" }, door, 9, "").error, /phone number/);
  assert.match(buildFix({ ...blank, what: "email" }, door, 9, "").error, /email/);
  assert.equal(fixLabel({ fix: "deceased", person_id: 3 }, door.people), "Deceased: Bob Smith");
});

test("each kind shows only its own fields", () => {
  assert.deepEqual(fieldsFor("moved"), { names: false, phone: false, email: false });
  assert.deepEqual(fieldsFor("add"), { names: true, phone: true, email: true });
  assert.deepEqual(fieldsFor("email"), { names: false, phone: false, email: true });
});
