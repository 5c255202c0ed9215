/* The teller screen: keypad + Enter records a telling in the outbox (static/canvass/outbox.js,
 * kind "tellings"), shown at once in Recent entries with its state and an Undo; a name/address
 * search over the station's electors (fetched once, kept by the service worker for offline use).
 * No dialogs: one number is the prefix (preselected), the digit keys and Enter.
 */
import { outbox } from "../canvass/outbox.js";
import { time } from "../canvass/format.js";
import { blankEntry, entryProblem, entryRows, numberText, press, searchElectors, syncText } from "./teller-rules.js";

var root = document.getElementById("teller");
var line = document.getElementById("sync");

function renderLine(pending, refused) {
  if (!line) return;
  line.dataset.pending = pending.length;
  line.className = pending.length ? "sync waiting" : "sync ok";
  line.dataset.refused = refused || 0;
  line.textContent = syncText(pending.length, navigator.onLine, outbox.problem(), refused || 0);
}

function stationPage() {
  var stationId = Number(root.dataset.stationId);
  var entry = blankEntry((root.dataset.prefixes || "").split(" ")[0]);
  var shown = document.getElementById("number");
  var error = document.getElementById("entry-error");
  var recent = document.getElementById("recent");

  function showEntry() {
    shown.textContent = numberText(entry);
    error.textContent = "";
  }

  function choosePrefix(button) {
    root.querySelectorAll(".prefix").forEach(function (b) {
      var on = b === button;
      b.classList.toggle("chosen", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    entry.prefix = button.dataset.prefix;
    showEntry();
  }

  function record(payload, label) {
    payload.station_id = stationId;
    return outbox.add(payload, { label: label });
  }

  function enter() {
    var problem = entryProblem(entry);
    if (problem) { error.textContent = problem; return; }
    var text = numberText(entry);
    entry = blankEntry(entry.prefix);
    showEntry();
    record({ elector_number: text }, text);
  }

  function key(k) {
    if (k === "enter") enter();
    else { entry = press(entry, k); showEntry(); }
  }

  root.querySelectorAll(".prefix").forEach(function (b) { b.addEventListener("click", function () { choosePrefix(b); }); });
  root.querySelectorAll(".key").forEach(function (b) { b.addEventListener("click", function () { key(b.dataset.key); }); });
  document.addEventListener("keydown", function (e) {  // a phone with a keyboard, or a laptop
    if (e.target && e.target.id === "search-box") return;
    var k = e.key === "Enter" ? "enter" : e.key === "Backspace" ? "back" : e.key;
    if (k === "enter" || k === "back" || k === "/" || /^[0-9]$/.test(k)) { e.preventDefault(); key(k); }
  });

  function rowFor(r) {
    var li = document.createElement("li");
    li.className = "entry-row";
    li.dataset.id = r.id;
    li.dataset.state = r.state;
    li.dataset.undone = r.undo ? "yes" : "no";
    var what = document.createElement("span");
    what.className = "what";
    what.textContent = r.label + " · " + time(new Date(r.at).toISOString());
    var state = document.createElement("span");
    state.className = "state";
    state.textContent = r.state + (r.undo === "stored" ? " · undone" : r.undo ? " · undo waiting" : "");
    li.appendChild(what);
    li.appendChild(state);
    if (r.state !== "refused" && !r.undo) {
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "secondary undo";
      undo.textContent = "Undo";
      undo.addEventListener("click", function () { record({ undoes: r.id }, "undo " + r.label); });
      li.appendChild(undo);
    }
    if (r.reason) {
      var why = document.createElement("p");
      why.className = "reason";
      why.textContent = "Refused: " + r.reason;
      li.appendChild(why);
    }
    return li;
  }

  function render() {
    outbox.forList(stationId).then(function (mine) {
      renderLine(mine.pending, mine.rejected.length);
      var rows = entryRows(mine.pending, mine.sent, mine.rejected);
      recent.textContent = "";
      if (!rows.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = "None yet.";
        recent.appendChild(none);
      }
      rows.forEach(function (r) { recent.appendChild(rowFor(r)); });
    });
  }

  outbox.onChange(render);
  window.addEventListener("online", render);
  render();
  searchPart(record);
}

function searchPart(record) {
  var box = document.getElementById("search-box");
  var state = document.getElementById("search-state");
  var results = document.getElementById("results");
  var electors = null;

  function show() {
    results.textContent = "";
    if (!electors) return;
    var found = searchElectors(electors, box.value);
    state.textContent = box.value.trim() ? found.length + " found" : electors.length + " electors vote here";
    found.forEach(function (e) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "result";
      button.dataset.personId = e.person_id;
      button.textContent = e.number + " · " + e.last_name + ", " + e.first_name + " · " + e.address;
      button.addEventListener("click", function () {
        record({ person_id: e.person_id }, e.number);
        box.value = "";
        show();
      });
      li.appendChild(button);
      results.appendChild(li);
    });
  }

  fetch(root.dataset.electorsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error("status " + r.status); return r.json(); })
    .then(function (body) { electors = body.electors || []; root.dataset.electors = "ready"; show(); })
    .catch(function () {
      state.textContent = "The electors could not be loaded (no signal, and not kept on this phone yet). " +
        "Numbers still work.";
    });
  box.addEventListener("input", show);
}

function waitingTellings() {  // the station list: every station's waiting entries
  outbox.getAll("outbox").then(function (all) {
    renderLine(all.filter(function (i) { return i.kind === "tellings"; }));
  });
}

if (root) stationPage();
else { outbox.onChange(waitingTellings); waitingTellings(); }
