"""What the browser tests share: signing in, recording a door, losing the signal, a blank map tile."""
from __future__ import annotations

import base64

from tests.support.web import PASSWORD

TIMEOUT_MS = 20000
# Map tiles are answered with this 1x1 PNG: the tests stay offline (this machine has no internet).
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def sign_in(page, base_url: str, email: str, *, lands_on: str | None = None) -> None:
    """Sign in through /login; wait for the page the role lands on (a URL glob), or for quiet."""
    page.goto(base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if lands_on:
        page.wait_for_url(lands_on)
    else:
        page.wait_for_load_state("networkidle")


def record_door(page, household_id: int, label: str) -> None:
    """On a canvass list page: open the door's sheet, pick the outcome, save, wait for its badge. A
    finished door has folded into the "Done" group at the foot of the list: open that first."""
    door = page.locator(f"#door-{household_id}")
    if page.locator(f"#done-group:not([open]) #door-{household_id}").count():
        page.locator("#done-group > summary").click()
    door.locator(".record-btn").click()
    door.locator("label.code", has_text=label).click()
    door.get_by_role("button", name="Save").click()
    page.wait_for_selector(f"#door-{household_id}:not([data-state='none'])", timeout=TIMEOUT_MS)


def lose_signal(context, live_server) -> None:
    """The phone loses its signal: the browser goes offline and the server is cut off from it too,
    since Chromium's offline emulation alone has let a request through (see NetworkSwitch)."""
    context.set_offline(True)
    live_server.network.cut()


def regain_signal(context, live_server) -> None:
    """The signal comes back: the server is reachable again, then the browser fires "online"."""
    live_server.network.restore()
    context.set_offline(False)


def idb_all(page, store: str) -> list:
    """Everything in one store of the phone's IndexedDB outbox database ("legwork")."""
    return page.evaluate("""store => new Promise((ok, no) => {
        const r = indexedDB.open("legwork");
        r.onerror = no;
        r.onsuccess = () => {
            const db = r.result;
            if (!db.objectStoreNames.contains(store)) { db.close(); ok([]); return; }
            const all = db.transaction(store).objectStore(store).getAll();
            all.onsuccess = () => { db.close(); ok(all.result); };
        };
    })""", store)


def cached_urls(page) -> list[str]:
    """Every URL kept in the origin's Cache Storage (all caches)."""
    return page.evaluate("""async () => {
        const out = [];
        for (const name of await caches.keys()) {
            for (const req of await (await caches.open(name)).keys()) out.push(req.url);
        }
        return out;
    }""")


# True once the page's Leaflet map runs no pan or zoom animation (a popup's auto-pan starts as it opens).
MAP_SETTLED = """() => {
  const map = Object.keys(window).filter(k => k.startsWith("map_")).map(k => window[k])[0];
  return !!map && !map._animatingZoom && !(map._panAnim && map._panAnim._inProgress);
}"""


def click_in_map(page, selector: str) -> None:
    """Click an element inside a Leaflet map (a popup's link) once the map has stopped moving.

    Not locator.click(): while the map auto-pans to fit a popup the link is not yet stable, and
    Playwright's retries scroll it into view with forced alignments, which scrolls the map's
    overflow:hidden container; Leaflet snaps that scroll back to 0 on its next frame. When the snap
    lands between pointerdown (on the link) and pointerup (now on the map), the click goes to the
    map pane, Leaflet closes the popup and nothing navigates, while Playwright, which checks only
    the first event's target, reports a click. So: wait until the map is still, then click the
    link's centre with the mouse, which scrolls nothing."""
    page.wait_for_function(MAP_SETTLED)
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    hit = page.evaluate("([x, y, sel]) => document.elementFromPoint(x, y) === document.querySelector(sel)",
                        [x, y, selector])
    assert hit, f"{selector} is covered at its centre"
    page.mouse.click(x, y)


def in_view(page, selector: str) -> bool:
    """The element is wholly on the screen as it is now: reaching it needs no scrolling."""
    return page.evaluate("""sel => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; }""", selector)


def page_box(page, selector: str) -> dict:
    """The element's box in page coordinates (px from the top of the document, not the screen)."""
    return page.evaluate("""sel => { const r = document.querySelector(sel).getBoundingClientRect();
        return {top: r.top + scrollY, bottom: r.bottom + scrollY, height: r.height}; }""", selector)
