/* What a fix at the door needs and says, with no page around it (people-fix.js draws the panel;
 * tests/js/fix-rules.test.mjs runs this under Node). The server checks everything again
 * (app/contacts/fix_rules.py): this only saves a canvasser a round trip for what is missing. */
export var SAID = { add: "Added", name: "Name corrected", phone: "Phone number", email: "Email", moved: "Moved away",
                        deceased: "Deceased" };

/* What a fix item says on the phone: "Added Ada Newcomer", "Moved away: Bob Smith". */
export function fixLabel(payload, people) {
  var named = (people || []).filter(function (p) { return p.id === payload.person_id; })[0];
  var who = payload.fix === "add" ? [payload.first_name, payload.last_name].filter(Boolean).join(" ")
    : (named ? named.name : "someone");
  return (SAID[payload.fix] || payload.fix) + (payload.fix === "add" ? " " : ": ") + who;
}

/* The fields a fix needs, by kind: names, phone, email (phone and email need consent). */
export function fieldsFor(kind) {
  return { names: kind === "add" || kind === "name", phone: kind === "add" || kind === "phone",
           email: kind === "add" || kind === "email" };
}

/* The payload, or a message saying what is missing. */
export function buildFix(values, door, listId, consentText) {
  var kind = values.who === "new" ? "add" : values.what;
  var need = fieldsFor(kind);
  var p = { type: "fix", fix: kind, household_id: door.household_id, walk_list_id: listId };
  if (kind !== "add") p.person_id = Number(values.who);
  if (need.names) {
    p.first_name = values.first.trim(); p.last_name = values.last.trim();
    if (!p.first_name && !p.last_name) return { error: "Give a first or last name." };
  }
  if (need.phone && values.phone.trim()) p.phone = values.phone.trim();
  if (need.email && values.email.trim()) p.email = values.email.trim();
  if (kind === "phone" && !p.phone) return { error: "Type the phone number." };
  if (kind === "email" && !p.email) return { error: "Type the email address." };
  if (p.phone || p.email) {
    if (!values.consent) return { error: "Read the consent out and tick it: no number or email without it." };
    p.consent = { text: consentText, at: values.consentAt || new Date().toISOString() };
  }
  return { payload: p };
}
