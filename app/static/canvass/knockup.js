/* A knock-up list on a knocker's phone: which pledges have voted (the tellers' strike-off), asked
 * again every few seconds, and what that does to the list: a door whose pledges have all voted
 * folds away. Offline, the last answer stands and the list says how old it is ("as of 14:05").
 * The pure parts are tested under Node (tests/js/knockup.test.mjs).
 */
import { time } from "./format.js";

/* A door leaves the list once every pledge behind it has voted. */
export function isStruck(door, voted) {
  return door.people.length > 0 && door.people.every(function (p) { return voted.has(p.id); });
}

/* What the strike-off line says: fresh (read within two polls) or how old the last answer is. */
export function strikeText(asOf, seconds, now) {
  if (!asOf) return "Who has voted: not yet known (no signal since the list opened).";
  var age = (now - Date.parse(asOf)) / 1000;
  var when = time(asOf);
  return age <= 2 * seconds + 5 ? "Voters struck off live · as of " + when
                                : "Offline: voters struck off as of " + when + ". Some may have voted since.";
}

/* Ask ``url`` for who has voted now, then every ``seconds``; ``onUpdate({voted, asOf})`` after each
 * answer (the service worker answers from its copy when there is no signal: the asOf says so). */
export function watchStrikeOff(url, seconds, initial, onUpdate) {
  var state = { voted: new Set(initial.voted || []), asOf: initial.as_of || null };
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && (!state.asOf || Date.parse(body.as_of) >= Date.parse(state.asOf))) {
          state = { voted: new Set(body.voted), asOf: body.as_of };
        }
      }, function () { /* no signal and nothing kept: keep what we had */ })
      .then(function () { onUpdate(state); setTimeout(poll, seconds * 1000); });
  }
  setTimeout(poll, seconds * 1000);
  return state;
}
