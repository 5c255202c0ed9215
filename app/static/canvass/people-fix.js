/* Fixes at the door, inside the door sheet's "More" (folded, so a typical door keeps its three
 * taps): add a resident, mark someone moved away or deceased, correct a name, take a phone number
 * or email with the resident's consent (the campaign's wording, read out, stored with the time).
 * Each fix goes into the outbox at once with its own UUID, whether or not the door is saved, and
 * is listed here as waiting, synced or refused (with the server's reason) until the list reloads.
 * Also the follow-up question field: a question the campaign must answer, sent with the door.
 */
import { h } from "./dom.js";
import { SAID, buildFix, fieldsFor, fixLabel } from "./fix-rules.js";
import { outbox } from "./outbox.js";

var WHAT = [["name", "Correct the name"], ["phone", "Phone number"], ["email", "Email"],
            ["moved", "Moved away"], ["deceased", "Deceased"]];
function stop(e) { if (e.key === "Enter") e.preventDefault(); }  // Enter here must not save the door

function field(id, label, attrs) {
  return h("p", { "class": "fix-field", "data-field": attrs.name }, [h("label", { "for": id, text: label }),
    h("input", Object.assign({ id: id, onkeydown: stop }, attrs))]);
}

/* The question to follow up, read by sheet.js's readForm (name="follow_up"). */
export function followUpField(door) {
  var id = "follow-up-" + door.household_id;
  return h("p", { "class": "follow-up" }, [h("label", { "for": id, text: "Question to follow up (the campaign will answer)" }),
    h("input", { id: id, name: "follow_up", maxlength: 2000, onkeydown: stop })]);
}

/* This door's fixes on this phone: waiting, synced or refused. */
function renderDone(list, door, listId) {
  outbox.forList(listId).then(function (l) {
    function mine(i) { return i.payload && i.payload.type === "fix" && i.payload.household_id === door.household_id; }
    var rows = [];
    l.pending.filter(mine).forEach(function (i) { rows.push([i.label, "saved on phone, waiting to sync", "pending"]); });
    l.sent.filter(mine).forEach(function (i) { rows.push([SAID[i.payload.fix] || "Fix", "synced", "sent"]); });
    l.rejected.filter(mine).forEach(function (i) { rows.push([i.label, "refused: " + i.reason, "rejected"]); });
    list.textContent = "";
    rows.forEach(function (r) { list.appendChild(h("li", { "class": "fix-" + r[2], "data-state": r[2], text: r[0] + " · " + r[1] })); });
  });
}

/* The "People here" panel for one door of list ``listId``. */
export function fixPanel(door, data, listId) {
  var k = door.household_id;
  var consentAt = null;
  var problem = h("p", { "class": "field-error", role: "alert", hidden: true });
  var who = h("select", { id: "fix-who-" + k, name: "fix_who" },
    door.people.map(function (p) { return h("option", { value: p.id, text: p.name }); })
      .concat([h("option", { value: "new", text: "Someone new (add a resident)" })]));
  var what = h("select", { id: "fix-what-" + k, name: "fix_what" },
    WHAT.map(function (w) { return h("option", { value: w[0], text: w[1] }); }));
  var first = field("fix-first-" + k, "First name", { name: "fix_first", maxlength: 100, autocomplete: "off" });
  var last = field("fix-last-" + k, "Last name", { name: "fix_last", maxlength: 100, autocomplete: "off" });
  var phone = field("fix-phone-" + k, "Phone", { name: "fix_phone", type: "tel", maxlength: 40, autocomplete: "off" });
  var email = field("fix-email-" + k, "Email", { name: "fix_email", type: "email", maxlength: 254, autocomplete: "off" });
  var consent = h("input", { type: "checkbox", id: "fix-consent-" + k, name: "fix_consent",
                             onchange: function () { consentAt = consent.checked ? new Date().toISOString() : null; } });
  var consentRow = h("p", { "class": "consent" }, [h("label", { "class": "check" }, [consent,
    "Read out and agreed: “" + (data.consent_text || "") + "”"])]);
  var done = h("ul", { "class": "fixes-done", "aria-live": "polite" });
  var whatRow = h("p", {}, [h("label", { "for": what.id, text: "What changed" }), what]);

  function show() {
    var kind = who.value === "new" ? "add" : what.value;
    var need = fieldsFor(kind);
    whatRow.hidden = who.value === "new";
    first.hidden = last.hidden = !need.names;
    phone.hidden = !need.phone;
    email.hidden = !need.email;
    consentRow.hidden = !(need.phone || need.email);
  }
  who.addEventListener("change", show);
  what.addEventListener("change", show);

  function save() {
    var built = buildFix({ who: who.value, what: what.value, first: first.querySelector("input").value,
                           last: last.querySelector("input").value, phone: phone.querySelector("input").value,
                           email: email.querySelector("input").value, consent: consent.checked, consentAt: consentAt },
                         door, listId, data.consent_text);
    if (built.error) { problem.textContent = built.error; problem.hidden = false; return; }
    problem.hidden = true;
    outbox.add(built.payload, { address: door.address, label: fixLabel(built.payload, door.people) }).then(function () {
      [first, last, phone, email].forEach(function (f) { f.querySelector("input").value = ""; });
      consent.checked = false;
      consentAt = null;
      renderDone(done, door, listId);
    });
  }

  outbox.onChange(function () { if (done.isConnected) renderDone(done, door, listId); });
  show();
  renderDone(done, door, listId);
  return h("fieldset", { "class": "people-fix" }, [h("legend", { text: "People here: add, moved, name, phone, email" }),
    h("p", {}, [h("label", { "for": who.id, text: "Who" }), who]), whatRow, first, last, phone, email, consentRow, problem,
    h("p", {}, [h("button", { type: "button", "class": "secondary save-fix", text: "Record this fix", onclick: save })]),
    done]);
}
