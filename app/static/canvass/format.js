/* Dates as the canvass pages show them, in the phone's own locale. Pure (tests/js/format.test.mjs). */

/* "14:05" */
export function time(value) {
  const d = new Date(value);
  return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/* "6 Dec 14:05" */
export function day(value) {
  const d = new Date(value);
  return isNaN(d) ? "" : d.toLocaleDateString([], { day: "numeric", month: "short" }) + " " + time(d);
}
