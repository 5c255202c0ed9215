/* One walk list on a phone: doors in walking order grouped by street and side, what happened at
 * each before, the next door highlighted, and the form that records a door into the outbox.
 * Doors come from GET /api/lists/<id> (kept by the service worker for offline use); what this
 * phone recorded comes from the outbox, so a door recorded offline shows at once.
 */
import * as shared from "./doors.js";  // status, category, next door
import { day } from "./format.js";
import { outbox } from "./outbox.js";
import { isStruck, strikeText, watchStrikeOff } from "./knockup.js";

function main() {
  var root = document.getElementById("doors");
  if (!root) return;
  var listId = Number(root.dataset.listId);
  var data = null;
  var local = { pending: [], sent: [], rejected: [] };
  var position = null;  // the phone's last shared location, if it shares one
  var openForm = null;
  var strike = null;  // a knock-up list's strike-off: { voted: Set of person ids, asOf }

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k.indexOf("on") === 0) node.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== null && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

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

  function showStrikeOff(doors) {
    doors.forEach(function (door) {
      var li = document.getElementById("door-" + door.household_id);
      li.hidden = isStruck(door, strike.voted);
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
      var li = document.getElementById("door-" + door.household_id);
      var state = states[k];
      li.className = "door " + shared.category(state, data.outcomes) + (state ? " " + state.kind : "");
      li.dataset.state = state ? state.kind : "none";
      li.querySelector(".badge").textContent = badgeText(state);
      if (door === next) { li.classList.add("next"); li.setAttribute("aria-current", "step"); }
      else li.removeAttribute("aria-current");
    });
    var pct = doors.length ? Math.round(100 * visited / doors.length) : 0;
    document.getElementById("progress-bar").style.width = pct + "%";
    document.getElementById("progress-text").textContent = visited + " of " + doors.length + " doors recorded" +
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

  function doorItem(door) {
    var people = door.people.map(function (p) {
      return h("li", { "data-person-id": p.id }, [p.name, p.do_not_contact ? h("strong", { "class": "dnc", text: " · do not contact" }) : null]);
    });
    return h("li", { id: "door-" + door.household_id, "class": "door", "data-household-id": door.household_id }, [
      h("div", { "class": "door-head" }, [
        h("span", { "class": "addr", text: door.address || "(no address)" }),
        door.do_not_contact ? h("strong", { "class": "dnc", text: "Do not knock" }) : null
      ]),
      h("p", { "class": "badge" }),
      people.length ? h("ul", { "class": "people" }, people) : null,
      history(door),
      h("button", { type: "button", "class": "record-btn", onclick: function () { showForm(door); } }, ["Record this door"])
    ]);
  }

  function render() {
    root.textContent = "";
    var section = null, key = null;
    data.doors.forEach(function (door) {
      var k = door.street + "|" + door.side;
      if (k !== key) {
        key = k;
        var title = (door.street || "No street") + (door.side ? " · " + door.side : "");
        section = h("ol", { "class": "doors" });
        root.appendChild(h("section", { "class": "street" }, [h("h2", { text: title }), section]));
      }
      section.appendChild(doorItem(door));
    });
    refresh();
  }

  function askLocation() {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (p) {
      position = { lat: p.coords.latitude, lon: p.coords.longitude, accuracy_m: p.coords.accuracy, at: Date.now() };
    }, function () { /* not shared: outcomes go without a location */ }, { timeout: 8000, maximumAge: 120000 });
  }

  function personFields(person, i) {
    var name = "p" + i;
    return h("fieldset", { "class": "person", "data-person-id": person.id }, [
      h("legend", { text: person.name + (person.do_not_contact ? " (do not contact)" : "") }),
      h("label", { "for": name + "-support", text: "Support" }),
      h("select", { id: name + "-support", name: "support" }, [h("option", { value: "", text: "—" })].concat(
        data.support_scale.map(function (s) { return h("option", { value: s.value, text: s.value + " · " + s.label }); }))),
      h("div", { "class": "issues" }, [h("span", { "class": "muted", text: "Issues raised" })].concat(
        data.issues.map(function (issue) {
          return h("label", { "class": "check" }, [h("input", { type: "checkbox", name: "issue", value: issue }), issue]);
        }))),
      h("div", { "class": "flags" }, [["volunteer_interest", "Would volunteer"], ["postal_vote", "Postal vote"],
                                       ["poster", "Poster"]].map(function (f) {
        return h("label", { "class": "check" }, [h("input", { type: "checkbox", name: f[0] }), f[1]]);
      }))
    ]);
  }

  /* Knock-up: whom the answer is about, when more than one pledge lives there ("needs a lift"). */
  function whoField(door) {
    var left = door.people.filter(function (p) { return !strike.voted.has(p.id); });
    if (left.length < 2) return null;
    return h("p", {}, [h("label", { "for": "who-" + door.household_id, text: "Who? " }),
      h("select", { id: "who-" + door.household_id, name: "who" }, [h("option", { value: "", text: "Everyone at this door" })]
        .concat(left.map(function (p) { return h("option", { value: p.id, text: p.name }); })))]);
  }

  function showForm(door) {
    if (openForm) openForm.remove();
    askLocation();
    var people = strike ? h("div", { "class": "responses", hidden: true })
                        : h("div", { "class": "responses", hidden: true }, door.people.map(personFields));
    var codes = h("fieldset", { "class": "codes" }, [h("legend", { text: "What happened?" })].concat(
      data.outcomes.map(function (o) {
        return h("label", { "class": "code" + (o.dnc ? " dnc" : "") }, [
          h("input", { type: "radio", name: "code", value: o.code, required: true,
                       onchange: function () { people.hidden = !o.contact; } }), o.label]);
      })));
    var form = h("form", { "class": "record", onsubmit: function (e) { e.preventDefault(); save(door, form); } }, [
      codes, people, strike ? whoField(door) : null,
      h("label", { "for": "notes-" + door.household_id, text: "Notes" }),
      h("textarea", { id: "notes-" + door.household_id, name: "notes", rows: 2, maxlength: 2000 }),
      h("p", { "class": "form-actions" }, [
        h("button", { type: "submit", text: "Save" }),
        h("button", { type: "button", "class": "secondary", text: "Cancel",
                      onclick: function () { form.remove(); openForm = null; } })
      ])
    ]);
    openForm = form;
    document.getElementById("door-" + door.household_id).appendChild(form);
    form.scrollIntoView({ block: "nearest" });
  }

  function save(door, form) {
    var code = form.querySelector('input[name="code"]:checked');
    if (!code) return;
    var payload = { household_id: door.household_id, walk_list_id: listId, code: code.value,
                    notes: form.querySelector("textarea").value.trim() };
    var who = form.querySelector('select[name="who"]');
    if (strike && (who ? who.value : door.people.length === 1)) payload.person_id = who ? Number(who.value) : door.people[0].id;
    if (outcome(code.value).contact) {
      payload.responses = Array.prototype.map.call(form.querySelectorAll("fieldset.person"), function (fs) {
        var r = { person_id: Number(fs.dataset.personId), support_level: fs.querySelector("select").value || null,
                  issues: Array.prototype.map.call(fs.querySelectorAll('input[name="issue"]:checked'), function (c) { return c.value; }) };
        ["volunteer_interest", "postal_vote", "poster"].forEach(function (f) { r[f] = fs.querySelector('input[name="' + f + '"]').checked; });
        return r;
      }).filter(function (r) { return r.support_level || r.issues.length || r.volunteer_interest || r.postal_vote || r.poster; });
    }
    if (position && Date.now() - position.at < 5 * 60000) {
      payload.lat = position.lat; payload.lon = position.lon; payload.accuracy_m = position.accuracy_m;
    }
    form.querySelector('button[type="submit"]').disabled = true;
    outbox.add(payload, { address: door.address, label: outcome(code.value).label }).then(function () {
      form.remove();
      openForm = null;
      return reload();
    }).then(function (next) {
      if (next) document.getElementById("door-" + next.household_id).scrollIntoView({ block: "center", behavior: "smooth" });
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

  /* "Record this door" on the map comes back here as #record-<household id>: open that door's form. */
  function openFromMap() {
    var m = /^#record-(\d+)$/.exec(location.hash);
    var door = m && data.doors.filter(function (d) { return d.household_id === Number(m[1]); })[0];
    if (!door) return;
    window.history.replaceState(null, "", location.pathname + location.search);  // a reload should not reopen it
    showForm(door);
    document.getElementById("door-" + door.household_id).scrollIntoView({ block: "start" });
  }

  var jump = document.getElementById("jump-next");
  if (jump) jump.addEventListener("click", function (e) {
    e.preventDefault();
    var next = root.querySelector(".door.next");
    if (next) next.scrollIntoView({ block: "center", behavior: "smooth" });
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
