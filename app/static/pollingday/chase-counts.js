// The chase page's statewide "ballots by status" for a state-size election (app/pollingday/ballot_tally.py):
// the page comes with the last shared count, or none yet. Ask for a newer one; while another
// organiser's request is counting it, ask again every few seconds, then stop and say so.
const section = document.getElementById("counts");
const WAIT_MS = 3000;
const TRIES = 40; // two minutes: a count's claim lapses after CLAIM_SECONDS (120 s)

function say(text) {
  let line = section.querySelector("[role=status]");
  if (!line) {
    line = document.createElement("p");
    line.className = "muted";
    line.setAttribute("role", "status");
    section.append(line);
  }
  line.textContent = text;
}

async function recount(tries) {
  let data;
  try {
    const response = await fetch(section.dataset.src, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || `Could not count the ballots (${response.status}).`);
  } catch (error) {
    say(error instanceof TypeError ? "Could not count the ballots: no connection. Reload the page to try again." : error.message);
    return;
  }
  section.innerHTML = data.html;
  if (!data.counting) return;
  if (tries > 1) setTimeout(() => recount(tries - 1), WAIT_MS);
  else say("Still counting: reload the page in a minute.");
}

if (section && section.dataset.src) recount(TRIES);
