/* What a door's status is on one list, shared by the list page and its map: the latest of the
 * server's records on this list and this phone's own (sent, waiting or refused), its colour
 * category, and which door is next. Pure (no DOM): tests/js/doors.test.mjs runs it under Node.
 */

/* The door's latest outcome on this list. This phone's own records win ties: once synced, the
 * server hands the same event back (its time cut to the second), and it is still this phone's. */
export function doorState(door, local, listId) {
  var best = null;
  function consider(code, at, kind, extra) {
    var t = Date.parse(at);
    if (!best || t > best.t || (t === best.t && kind !== "server"))
      best = Object.assign({ code: code, at: at, t: t, kind: kind }, extra || {});
  }
  door.history.forEach(function (e) { if (e.walk_list_id === listId) consider(e.code, e.recorded_at, "server"); });
  local.sent.concat(local.pending).forEach(function (i) {
    if (i.payload.type === "fix") return;  // a correction to a person, not what happened at the door
    if (i.payload.household_id === door.household_id)
      consider(i.payload.code, i.payload.recorded_at, local.pending.indexOf(i) >= 0 ? "pending" : "sent",
               { attempts: i.attempts || 0 });
  });
  local.rejected.forEach(function (i) {
    if (i.payload.type !== "fix" && i.payload.household_id === door.household_id) consider(i.payload.code, i.payload.recorded_at, "rejected", { reason: i.reason });
  });
  return best;
}

export function outcome(outcomes, code) {
  return outcomes.filter(function (o) { return o.code === code; })[0] || { code: code, label: code };
}

/* todo, contact, revisit or final: the colour a door gets. */
export function category(state, outcomes) {
  if (!state) return "todo";
  var o = outcome(outcomes, state.code);
  return o.dnc || o.final ? "final" : o.contact ? "contact" : "revisit";
}

export function isDone(state) { return !!state && state.kind !== "rejected"; }

/* The next door is the first one still to do after the door this phone recorded last, so a door
 * skipped on the way (to try again later) does not pull the highlight back up the street; past
 * the end of the list it is the first one still to do. Only this phone's records set the place:
 * two volunteers sharing a list (one per side of the street) each keep their own. states[k]
 * belongs to doors[k]. */
export function nextDoor(doors, states) {
  var last = -1, lastAt = -Infinity, i;
  states.forEach(function (state, k) {
    var mine = state && (state.kind === "sent" || state.kind === "pending");
    var at = mine ? Date.parse(state.at) : NaN;
    if (at >= lastAt) { lastAt = at; last = k; }
  });
  for (i = last + 1; i < states.length; i++) if (!isDone(states[i])) return doors[i];
  for (i = 0; i <= last; i++) if (!isDone(states[i])) return doors[i];
  return null;
}

/* Finished: recorded, and nobody needs to knock again (spoke, refused, moved...). A door to try
 * again (not home, come back) stays in the walk; a finished one folds into the list's "Done" group. */
export function isFinished(state, outcomes) {
  return isDone(state) && category(state, outcomes) !== "revisit";
}

function plain(s) { return String(s || "").toLowerCase().replace(/\s+/g, ""); }

/* The doors a typed house number means, in walking order: exact numbers first ("12" is 12, 12A
 * only if there is no 12), then a number with the query as a prefix of it, then anything whose
 * address holds it ("12 elm"). */
export function findDoors(doors, query) {
  var q = plain(query);
  if (!q) return [];
  var tests = [
    function (d) { return plain(d.house_number) === q; },
    function (d) { return plain(d.house_number).indexOf(q) === 0; },
    function (d) { return plain(d.address).indexOf(q) >= 0; }
  ];
  for (var i = 0; i < tests.length; i++) {
    var found = doors.filter(tests[i]);
    if (found.length) return found;
  }
  return [];
}
