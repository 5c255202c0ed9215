// The committee room's dashboard: re-read the live part every few seconds (data-every) from
// live.json, which sends it rendered server-side. A failed read keeps the last figures; the
// "As of" line says how old they are.
const live = document.getElementById("live");

async function refresh() {
  try {
    const response = await fetch(live.dataset.src, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.ok) {
      const data = await response.json();
      live.innerHTML = data.html;
    }
  } catch (err) {
    // offline or the server restarting: try again next time
  }
}

if (live && live.dataset.src) {
  setInterval(refresh, 1000 * Number(live.dataset.every || 10));
}
