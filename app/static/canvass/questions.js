/* The list's survey questions on the door sheet, folded behind "More questions (N)" so that a
 * typical door stays three taps, and the door script behind "Script". Each answer is sent as
 * responses[].answers = { "<question version id>": value }; the server checks it against the
 * version (app/contacts/answers.py). fillScript is pure (tests/js/questions.test.mjs).
 */
import { h } from "./dom.js";

/* The script with {name} placeholders filled from values; an unknown one stays as written. */
export function fillScript(text, values) {
  return String(text || "").replace(/\{\{|\}\}|\{([a-z_]+)\}/g, function (whole, name) {
    if (whole === "{{") return "{";
    if (whole === "}}") return "}";
    return Object.prototype.hasOwnProperty.call(values, name) && values[name] ? String(values[name]) : whole;
  });
}

/* What one person's inputs say, as the wire format: blanks left out. */
export function readValues(questions, read) {
  var out = {};
  questions.forEach(function (q) {
    var raw = read(q);
    if (raw === null || raw === undefined || raw === "" || (Array.isArray(raw) && !raw.length)) return;
    if (q.kind === "yes_no") raw = raw === "yes";
    else if (q.kind === "number") raw = Number(raw);
    out[String(q.version_id)] = raw;
  });
  return out;
}

function inputFor(q, prefix) {
  var id = prefix + "-" + q.version_id;
  var name = "q-" + q.version_id;
  if (q.kind === "single" || q.kind === "multiple" || q.kind === "yes_no") {
    var options = q.kind === "yes_no" ? [["yes", "Yes"], ["no", "No"]] : q.choices.map(function (c) { return [c, c]; });
    var type = q.kind === "multiple" ? "checkbox" : "radio";
    return h("fieldset", { "class": "question", "data-version-id": q.version_id, "data-kind": q.kind }, [h("legend", { text: q.prompt })]
      .concat(options.map(function (o) {
        return h("label", { "class": "check" }, [h("input", { type: type, name: name, value: o[0] }), o[1]]);
      })));
  }
  var attrs = { id: id, name: name };
  if (q.kind === "number") {
    attrs.type = "number"; attrs.inputmode = "numeric"; attrs.step = "1";
    if (q.min !== null && q.min !== undefined) attrs.min = q.min;
    if (q.max !== null && q.max !== undefined) attrs.max = q.max;
  } else {
    attrs.type = "text"; attrs.maxlength = q.max_length;
  }
  return h("p", { "class": "question", "data-version-id": q.version_id, "data-kind": q.kind }, [
    h("label", { "for": id, text: q.prompt }), h("input", attrs)]);
}

/* The folded questions for the people at a door, or null when the list's survey asks none. */
export function questionsSection(data, door) {
  var questions = data.questions || [];
  if (!questions.length) return null;
  return h("details", { "class": "extra more-questions" }, [
    h("summary", { text: "More questions (" + questions.length + ")" }),
    h("div", {}, door.people.map(function (p) {
      return h("fieldset", { "class": "person-questions", "data-person-id": p.id }, [h("legend", { text: p.name })]
        .concat(questions.map(function (q) { return inputFor(q, "q" + door.household_id + "-" + p.id); })));
    }))
  ]);
}

/* The door script, folded, placeholders filled for this door; null when the survey has none. */
export function scriptSection(data, door) {
  if (!data.door_script) return null;
  var first = door.people.length === 1 ? door.people[0].name.split(" ")[0] : "";
  var text = fillScript(data.door_script, { canvasser_name: data.canvasser_name, first_name: first || "there",
                                            street: door.street, campaign: "", list_name: data.name });
  return h("details", { "class": "extra door-script" }, [h("summary", { text: "Script" }), h("p", { text: text })]);
}

/* Script and questions share one row while folded: a typical door's sheet grows by one line. */
export function extras(data, door) {
  var parts = [scriptSection(data, door), questionsSection(data, door)].filter(Boolean);
  return parts.length ? h("div", { "class": "extras" }, parts) : null;
}

/* One person's answers from the sheet's form, as responses[].answers (read from the inputs, which
 * carry their question's version id and kind). */
export function readAnswers(form, personId) {
  var box = form.querySelector('.person-questions[data-person-id="' + personId + '"]');
  if (!box) return {};
  var questions = Array.prototype.map.call(box.querySelectorAll(".question"), function (el) {
    return { version_id: el.dataset.versionId, kind: el.dataset.kind };
  });
  return readValues(questions, function (q) {
    var name = "q-" + q.version_id;
    if (q.kind === "multiple") {
      return Array.prototype.map.call(box.querySelectorAll('input[name="' + name + '"]:checked'),
                                      function (c) { return c.value; });
    }
    if (q.kind === "single" || q.kind === "yes_no") {
      var picked = box.querySelector('input[name="' + name + '"]:checked');
      return picked ? picked.value : null;
    }
    var input = box.querySelector('input[name="' + name + '"]');
    return input ? input.value.trim() : null;
  });
}
