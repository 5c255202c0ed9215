/* One walk list on a phone: doors in walking order grouped by street and side, what happened at
 * each before, the next door highlighted, and the sheet that records a door into the outbox.
 * Finished doors fold into a "Done" group at the foot (the one just saved stays in place until the
 * next is, so the canvasser sees it took); a house number typed in the footer jumps to its door.
 * Doors come from GET /api/lists/<id> (kept by the service worker for offline use); what this
 * phone recorded comes from the outbox, so a door recorded offline shows at once.
 */
import * as shared from "./doors.js";  // status, category, next door, finished, find
import { h } from "./dom.js";
import { day } from "./format.js";
import { icon } from "./icons.js";
import { outbox } from "./outbox.js";
import { isStruck, strikeText, watchStrikeOff } from "./knockup.js";
import { openSheet, readForm } from "./sheet.js";

function main() {
  var root = document.getElementById("doors");
  if (!root) return;
  var listId = Number(root.dataset.listId);
  var data = null;
  var local = { pending: [], sent: [], rejected: [] };
  var position = null;  // the phone's last shared location, if it shares one
  var openForm = null;  // the open sheet (a <dialog>), if any
  var lastSaved = null;  // household id of the door this page saved last: it stays unfolded
  var strike = null;  // a knock-up list's strike-off: { voted: Set of person ids, asOf }
  var doneGroup = null, doneList = null, streetOf = {};

  function outcome(code) { return shared.outcome(data.outcomes, code); }

  function doorState(door) { return shared.doorState(door, local, listId); }

  function badgeText(state) {
    if (!state) return "Not visited";
    var label = outcome(state.code).label;
    if (state.kind === "pending" && state.attempts) return label + " · saved on phone · " + outbox.stuckText(state);
    if (state.kind === "pending") return label + " · saved on phone, waiting to sync";
    if (state.kind === "rejected") return "⚠ " + label + " · refused: " + state.reason;
    return label + " · " + day(state.at);
  }

  function liOf(door) { return document.getElementById("door-" + door.household_id); }

  /* Move a door's item into ``ol`` at its walking-order place, touching no other item (an item
   * holding the open sheet must never move: taking a <dialog> out of the page closes it). */
  function place(li, ol) {
    if (li.parentNode === ol) return;
    var pos = Number(li.dataset.pos), ref = null;
    for (var c = ol.firstElementChild; c; c = c.nextElementSibling) {
      if (Number(c.dataset.pos) > pos) { ref = c; break; }
    }
    ol.insertBefore(li, ref);
  }

  function fold(doors, states) {
    var folded = 0;
    doors.forEach(function (door, k) {
      var li = liOf(door);
      if (openForm && li.contains(openForm)) return;
      var away = shared.isFinished(states[k], data.outcomes) && door.household_id !== lastSaved;
      place(li, away ? doneList : streetOf[door.household_id]);
      if (away) folded += 1;
    });
    Array.prototype.forEach.call(root.querySelectorAll("section.street"), function (s) {
      s.hidden = !s.querySelector(".door:not([hidden])");
    });
    doneGroup.hidden = folded === 0;
    doneGroup.querySelector(".done-count").textContent = folded + (folded === 1 ? " door" : " doors");
  }

  function showStrikeOff(doors) {
    doors.forEach(function (door) {
      var li = liOf(door);
      li.hidden = isStruck(door, strike.voted) && !(openForm && li.contains(openForm));
      Array.prototype.forEach.call(li.querySelectorAll(".people li"), function (p) {
        p.classList.toggle("voted", strike.voted.has(Number(p.dataset.personId)));
      });
    });
    var line = document.getElementById("strike-off");
    line.hidden = false;
    line.textContent = strikeText(strike.asOf, data.poll_seconds, Date.now());
  }

  function refresh() {
    // A knock-up list: doors whose pledges have all voted are gone, for the next door too.
    var doors = strike ? data.doors.filter(function (d) { return !isStruck(d, strike.voted); }) : data.doors;
    var states = doors.map(doorState), next = shared.nextDoor(doors, states);
    var visited = states.filter(shared.isDone).length;
    if (strike) showStrikeOff(data.doors);
    doors.forEach(function (door, k) {
      var li = liOf(door);
      var state = states[k];
      li.className = "door " + shared.category(state, data.outcomes) + (state ? " " + state.kind : "");
      li.dataset.state = state ? state.kind : "none";
      li.querySelector(".badge").textContent = badgeText(state);
      if (door === next) { li.classList.add("next"); li.setAttribute("aria-current", "step"); }
      else li.removeAttribute("aria-current");
    });
    fold(data.doors, data.doors.map(doorState));
    var pct = doors.length ? Math.round(100 * visited / doors.length) : 0;
    var text = visited + " of " + doors.length + " doors recorded";
    document.getElementById("progress-bar").style.width = pct + "%";
    var bar = document.getElementById("progress");
    bar.setAttribute("aria-valuemax", doors.length);
    bar.setAttribute("aria-valuenow", visited);
    bar.setAttribute("aria-valuetext", text);
    document.getElementById("progress-text").textContent = text +
      (strike ? " · " + (data.doors.length - doors.length) + " struck off (voted)" : "") +
      (next ? "" : " · list done, thank you!");
    root.dataset.visited = visited;
    return next;
  }

  function history(door) {
    var items = door.history;
    if (!items.length) return null;
    return h("details", { "class": "history" }, [
      h("summary", { text: "Before: " + items[0].label + ", " + day(items[0].recorded_at) }),
      h("ul", {}, items.map(function (e) {
        var support = e.support.map(function (s) { return "support " + s.support_level; }).join(", ");
        return h("li", { text: day(e.recorded_at) + " · " + (e.channel === "phone" ? "phone: " : "door: ") + e.label +
                         (support ? " (" + support + ")" : "") });
      }))
    ]);
  }

  function doorItem(door, pos) {
    var people = door.people.map(function (p) {
      return h("li", { "data-person-id": p.id }, [p.name, p.do_not_contact ? h("strong", { "class": "dnc", text: " · do not contact" }) : null]);
    });
    var open = function () { showForm(door); };
    return h("li", { id: "door-" + door.household_id, "class": "door", "data-household-id": door.household_id, "data-pos": pos }, [
      h("div", { "class": "door-row" }, [
        // The whole card opens the sheet for a thumb; the button is the keyboard's and screen reader's way.
        h("div", { "class": "door-info", onclick: open }, [
          h("p", { "class": "door-head" }, [h("span", { "class": "addr", text: door.address || "(no address)" }),
            door.do_not_contact ? h("strong", { "class": "dnc", text: " Do not knock" }) : null]),
          people.length ? h("ul", { "class": "people" }, people) : null,
          h("p", { "class": "badge" })
        ]),
        h("button", { type: "button", "class": "record-btn", onclick: open,
                      "aria-label": "Record " + (door.address || "this door") }, [icon("edit"), h("span", { text: "Record" })])
      ]),
      history(door)
    ]);
  }

  function render() {
    root.textContent = "";
    var section = null, key = null;
    data.doors.forEach(function (door, pos) {
      var k = door.street + "|" + door.side;
      if (k !== key) {
        key = k;
        var title = (door.street || "No street") + (door.side ? " · " + door.side : "");
        section = h("ol", { "class": "doors" });
        root.appendChild(h("section", { "class": "street" }, [h("h2", { text: title }), section]));
      }
      streetOf[door.household_id] = section;
      section.appendChild(doorItem(door, pos));
    });
    doneList = h("ol", { "class": "doors" });
    doneGroup = h("details", { "class": "done-group", id: "done-group", hidden: true }, [
      h("summary", {}, [icon("check"), h("span", {}, ["Done · ", h("span", { "class": "done-count" })])]), doneList]);
    root.appendChild(doneGroup);
    refresh();
  }

  function askLocation() {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (p) {
      position = { lat: p.coords.latitude, lon: p.coords.longitude, accuracy_m: p.coords.accuracy, at: Date.now() };
    }, function () { /* not shared: outcomes go without a location */ }, { timeout: 8000, maximumAge: 120000 });
  }

  function showForm(door) {
    if (openForm) openForm.close();
    askLocation();
    var li = liOf(door);
    var back = li.querySelector(".record-btn");
    openForm = openSheet(li, door, data, strike, function (form) { save(door, form); }, function () {
      openForm = null;
      if (back.isConnected && !li.hidden) back.focus({ preventScroll: true });
    });
  }

  function save(door, form) {
    var fields = readForm(form, door, outcome, strike);
    if (!fields) return;
    var payload = Object.assign({ household_id: door.household_id, walk_list_id: listId }, fields);
    if (position && Date.now() - position.at < 5 * 60000) {
      payload.lat = position.lat; payload.lon = position.lon; payload.accuracy_m = position.accuracy_m;
    }
    form.querySelector('button[type="submit"]').disabled = true;
    outbox.add(payload, { address: door.address, label: outcome(fields.code).label }).then(function () {
      lastSaved = door.household_id;
      if (openForm) openForm.close();
      return reload();
    }).then(function (next) {
      if (!next) return;
      liOf(next).querySelector(".record-btn").focus({ preventScroll: true });  // the keyboard goes on with the walk
      liOf(next).scrollIntoView({ block: "center", behavior: "smooth" });
    });
  }

  function reload() {
    return outbox.forList(listId).then(function (l) { local = l; return data ? refresh() : null; });
  }

  function load() {
    return fetch(root.dataset.apiUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.ok) return r.json();
        return r.json().catch(function () { return {}; }).then(function (body) {
          var gone = r.status === 403 || r.status === 410 || body.error === "list_closed";
          if (gone) outbox.forget([location.pathname, root.dataset.apiUrl]);  // unsent items stay in the outbox
          throw new Error(body.message || (gone ? "This list is no longer assigned to you." :
                                           "Could not load the list (" + r.status + ")."));
        });
      });
  }

  /* Bring a door into view, opening the "Done" group first if it is folded there. */
  function reveal(door, block) {
    var li = liOf(door);
    if (doneList.contains(li)) doneGroup.open = true;
    li.scrollIntoView({ block: block || "center" });
    return li;
  }

  /* "Record this door" on the map comes back here as #record-<household id>: open that door's form. */
  function openFromMap() {
    var m = /^#record-(\d+)$/.exec(location.hash);
    var door = m && data.doors.filter(function (d) { return d.household_id === Number(m[1]); })[0];
    if (!door) return;
    window.history.replaceState(null, "", location.pathname + location.search);  // a reload should not reopen it
    reveal(door, "start");
    showForm(door);
  }

  var jump = document.getElementById("jump-next");
  if (jump) jump.addEventListener("click", function (e) {
    e.preventDefault();
    var next = root.querySelector(".door.next");
    if (next) next.scrollIntoView({ block: "center", behavior: "smooth" });
  });

  /* The footer's house number: the first door with it after the one jumped to last (two streets may
   * both have a 12), said in the status line either way. */
  var jumpForm = document.getElementById("jump-form"), jumped = null;
  if (jumpForm) jumpForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var input = jumpForm.querySelector("input"), status = document.getElementById("jump-status");
    if (!data) return;
    var found = shared.findDoors(data.doors, input.value);
    var door = found[(found.indexOf(jumped) + 1) % Math.max(found.length, 1)];
    status.hidden = false;
    if (!door) { status.textContent = "No door " + input.value.trim() + " on this list."; return; }
    jumped = door;
    var li = reveal(door);
    li.classList.remove("found");
    void li.offsetWidth;  // restart the highlight when the same door is found again
    li.classList.add("found");
    status.textContent = door.address + (found.length > 1 ? " (" + found.length + " doors match: Go again for the next)" : "");
  });

  Promise.all([load(), outbox.forList(listId)]).then(function (r) {
    data = r[0];
    local = r[1];
    if (data.kind === "knockup") {
      strike = watchStrikeOff(root.dataset.apiUrl + "/voted", data.poll_seconds, data, function (s) {
        strike = s;
        refresh();
      });
    }
    render();
    openFromMap();
    root.dataset.ready = "yes";
    outbox.onChange(reload);  // sent records stay in the outbox's "sent" store, so doors keep their status
  }).catch(function (err) {
    root.textContent = "";
    root.appendChild(h("p", { "class": "flash error", text: err.message.indexOf("fetch") >= 0 || err.name === "TypeError"
      ? "No connection, and this list has not been saved on this phone yet. Open it once with signal." : err.message }));
  });
}

main();
