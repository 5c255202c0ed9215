/* The form that records one door, as a sheet over the bottom of the screen (a modal <dialog>: the
 * list behind stays put, Escape or Cancel closes it). Built so a typical door is three taps with no
 * scrolling: the door, then an outcome or a support level (a support level means "Spoke"), then
 * Save; with two or more people, an "Everyone" row gives them all the same level in one tap.
 * Issues and flags wait behind "More"; the notes box is always there.
 */
import { h } from "./dom.js";
import { icon } from "./icons.js";
import { extras, readAnswers } from "./questions.js";
import { fixPanel, followUpField } from "./people-fix.js";

var FLAGS = [["volunteer_interest", "Would volunteer"], ["postal_vote", "Postal vote"], ["poster", "Poster"]];

/* One row of support chips: toggle buttons (tap again to clear), read back from data-value. */
function chips(scale, name, onPick) {
  return h("div", { "class": "chips", role: "group", "aria-label": "Support: " + name },
    scale.map(function (s) {
      return h("button", { type: "button", "class": "chip", "aria-pressed": "false", "data-value": s.value,
                           title: s.label, onclick: function () { onPick(s.value); } },
        [h("span", { "aria-hidden": "true", text: s.value }), h("span", { "class": "vh", text: " " + s.label })]);
    }));
}

function setPressed(row, value) {
  row.dataset.value = value || "";
  Array.prototype.forEach.call(row.querySelectorAll(".chip"), function (c) {
    c.setAttribute("aria-pressed", String(c.dataset.value === value));
  });
}

function moreFields(data, people, door) {
  return h("details", { "class": "more" }, [
    h("summary", { text: "More: issues, flags, follow-up, people's details" }),
    h("div", {}, people.map(function (p) {
      return h("fieldset", { "class": "person-more", "data-person-id": p.id }, [
        h("legend", { text: p.name }),
        h("div", { "class": "issues" }, data.issues.map(function (issue) {
          return h("label", { "class": "check" }, [h("input", { type: "checkbox", name: "issue", value: issue }), issue]);
        })),
        h("div", { "class": "flags" }, FLAGS.map(function (f) {
          return h("label", { "class": "check" }, [h("input", { type: "checkbox", name: f[0] }), f[1]]);
        }))
      ]);
    })),
    followUpField(door), fixPanel(door, data, data.id)
  ]);
}

/* Knock-up: whom the answer is about, when more than one pledge is still to vote ("needs a lift"). */
function whoField(door, voted) {
  var left = door.people.filter(function (p) { return !voted.has(p.id); });
  if (left.length < 2) return null;
  return h("p", { "class": "who" }, [h("label", { "for": "who-" + door.household_id, text: "Who? " }),
    h("select", { id: "who-" + door.household_id, name: "who" }, [h("option", { value: "", text: "Everyone at this door" })]
      .concat(left.map(function (p) { return h("option", { value: p.id, text: p.name }); })))]);
}

/* The support section of a canvass door: a key to the scale, "Everyone" (two or more people), one
 * row per person. Picking a level when the outcome is not a conversation picks the first plain
 * "spoke"-like outcome (a contact that is neither final nor do-not-contact). */
function responses(door, data, form) {
  var rows = [];
  var spoke = data.outcomes.filter(function (o) { return o.contact && !o.final && !o.dnc; })[0];
  function talked() {
    var checked = form.querySelector('input[name="code"]:checked');
    var o = checked && data.outcomes.filter(function (x) { return x.code === checked.value; })[0];
    if ((!o || !o.contact) && spoke) form.querySelector('input[name="code"][value="' + spoke.code + '"]').checked = true;
  }
  function syncAll() {
    if (!all) return;
    var values = rows.map(function (r) { return r.dataset.value; });
    setPressed(all, values.every(function (v) { return v && v === values[0]; }) ? values[0] : "");
  }
  var all = door.people.length > 1 ? chips(data.support_scale, "everyone at this door", function (value) {
    var same = all.dataset.value === value;
    rows.forEach(function (r) { setPressed(r, same ? "" : value); });
    setPressed(all, same ? "" : value);
    if (!same) talked();
  }) : null;
  var people = door.people.map(function (p) {
    var row = chips(data.support_scale, p.name, function (value) {
      var same = row.dataset.value === value;
      setPressed(row, same ? "" : value);
      if (!same) talked();
      syncAll();
    });
    row.dataset.personId = p.id;
    rows.push(row);
    return h("div", { "class": "person", "data-person-id": p.id }, [
      h("p", { "class": "pname", text: p.name + (p.do_not_contact ? " (do not contact)" : "") }), row]);
  });
  var key = data.support_scale.map(function (s) { return s.value + " " + s.label; }).join(" · ");
  return h("div", { "class": "responses" }, [h("p", { "class": "scale-key", text: "Support: " + key })]
    .concat(all ? [h("div", { "class": "person all" }, [h("p", { "class": "pname", text: "Everyone" }), all])] : [])
    .concat(people).concat([moreFields(data, door.people, door), extras(data, door)]));
}

/* What the form holds, as the outbox's payload fields (code, notes, person_id, responses). */
export function readForm(form, door, outcome, strike) {
  var code = form.querySelector('input[name="code"]:checked');
  if (!code) return null;
  var out = { code: code.value, notes: form.querySelector("textarea").value.trim() };
  var ask = form.querySelector('input[name="follow_up"]');
  if (ask && ask.value.trim() && !strike) out.follow_up = ask.value.trim();
  var who = form.querySelector('select[name="who"]');
  if (strike && (who ? who.value : door.people.length === 1)) out.person_id = who ? Number(who.value) : door.people[0].id;
  if (outcome(code.value).contact && !strike) {
    out.responses = door.people.map(function (p) {
      var row = form.querySelector('.chips[data-person-id="' + p.id + '"]');
      var more = form.querySelector('.person-more[data-person-id="' + p.id + '"]');
      var r = { person_id: p.id, support_level: (row && row.dataset.value) || null,
                issues: more ? Array.prototype.map.call(more.querySelectorAll('input[name="issue"]:checked'),
                                                        function (c) { return c.value; }) : [] };
      FLAGS.forEach(function (f) { r[f[0]] = !!(more && more.querySelector('input[name="' + f[0] + '"]').checked); });
      var answers = readAnswers(form, p.id);
      if (Object.keys(answers).length) r.answers = answers;
      return r;
    }).filter(function (r) { return r.support_level || r.issues.length || r.volunteer_interest || r.postal_vote || r.poster || r.answers; });
  }
  return out;
}

/* Open the sheet for ``door`` inside its list item; ``onSave(form)`` on Save, ``onClose()`` once it
 * is gone (saved, cancelled or escaped). Returns the dialog. */
export function openSheet(li, door, data, strike, onSave, onClose) {
  var id = "sheet-" + door.household_id;
  var dialog = h("dialog", { "class": "sheet", "aria-labelledby": id + "-title" });
  var problem = h("p", { "class": "field-error", role: "alert", hidden: true, text: "Choose what happened first." });
  var form = h("form", { "class": "record", novalidate: true, onsubmit: function (e) {
    e.preventDefault();
    if (!form.querySelector('input[name="code"]:checked')) { problem.hidden = false; return; }
    onSave(form);
  } });
  var codes = h("fieldset", { "class": "codes" }, [h("legend", { text: "What happened?" })].concat(
    data.outcomes.map(function (o) {
      return h("label", { "class": "code" + (o.dnc ? " dnc" : "") }, [
        h("input", { type: "radio", name: "code", value: o.code, onchange: function () { problem.hidden = true; } }),
        o.label]);
    })));
  [h("div", { "class": "sheet-head" }, [
     h("h2", { id: id + "-title", text: door.address || "(no address)" }),
     h("button", { type: "button", "class": "close secondary", "aria-label": "Close without saving",
                   onclick: function () { dialog.close(); } }, [icon("close")])]),
   codes, strike ? whoField(door, strike.voted) : responses(door, data, form),
   h("textarea", { id: "notes-" + door.household_id, name: "notes", rows: 1, maxlength: 2000, "aria-label": "Notes",
                   placeholder: "Notes (optional)" }),
   problem,
   h("p", { "class": "form-actions" }, [
     h("button", { type: "submit", text: "Save" }),
     h("button", { type: "button", "class": "secondary", text: "Cancel", onclick: function () { dialog.close(); } })])
  ].forEach(function (c) { if (c) form.appendChild(c); });
  dialog.appendChild(form);
  dialog.addEventListener("close", function () { dialog.remove(); onClose(); });
  li.appendChild(dialog);
  dialog.showModal();
  return dialog;
}
