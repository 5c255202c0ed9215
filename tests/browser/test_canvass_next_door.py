"""The highlighted next door follows the canvasser down the street: a door skipped on the way stays
to do, but the highlight does not jump back to it until the end of the list."""
from __future__ import annotations

import pytest

from app.models import Household, utcnow
from tests.browser.helpers import BLANK_PNG, TIMEOUT_MS, record_door, sign_in
from tests.support.maps import record

pytestmark = pytest.mark.browser


def _next(page) -> str:
    return page.locator(".door.next").get_attribute("data-household-id")


def test_next_door_is_the_first_to_do_after_the_last_recorded(live_server, browser_context, walk, app, db, make_user):
    user, walk_list, _ = walk
    tiles = app.config["MAPS"]["tile_url"].split("{", 1)[0] + "**"  # this machine has no internet: blank tiles
    browser_context.route(tiles, lambda r: r.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
    page = browser_context.new_page()
    failed = []
    # (a request cut short by the next navigation is ERR_ABORTED: not a failure of the page)
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and failed.append(f"{r.failure} {r.url}"))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and failed.append(m.text))
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    route = page.locator(".door").evaluate_all("els => els.map(e => e.dataset.householdId)")
    assert _next(page) == route[0]

    record_door(page, int(route[1]), "Not home")  # the first door skipped: nobody answers the gate
    assert _next(page) == route[2]
    record_door(page, int(route[2]), "Spoke")
    assert _next(page) == route[3]
    # A partner on the same list (the other side of the street) records a door further on, later:
    # this phone keeps its own place.
    record(db, db.get(Household, int(route[6])), "spoke", user=make_user(roles="canvasser"), walk_list=walk_list,
           when=utcnow())
    page.reload()
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    assert page.locator(f"#door-{route[6]}").get_attribute("data-state") == "server"
    assert _next(page) == route[3]

    # The map agrees on the next door, and its "Record this door" link opens that door's form.
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}/map")
    page.wait_for_selector("#list-map[data-ready='yes']", timeout=TIMEOUT_MS)
    assert page.locator("#list-map").get_attribute("data-next") == route[3]
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}#record-{route[5]}")
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    assert page.locator(f"#door-{route[5]} form.record").is_visible()
    assert page.locator("form.record").count() == 1
    assert page.evaluate("location.hash") == ""  # a reload does not open it again
    page.get_by_role("button", name="Cancel").click()  # the sheet covers the list: closed, it records nothing
    page.wait_for_selector("form.record", state="detached", timeout=TIMEOUT_MS)
    assert page.locator(f"#door-{route[5]}").get_attribute("data-state") == "none"

    for hid in route[3:]:
        record_door(page, int(hid), "Not home")
    assert _next(page) == route[0]  # the end of the street: back to the door skipped
    page.reload()  # the rule holds from the stored records, not just from this page's clicks
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    assert _next(page) == route[0]
    record_door(page, int(route[0]), "Spoke")
    assert page.locator(".door.next").count() == 0
    assert "list done" in page.locator("#progress-text").inner_text()
    assert failed == []  # no request of the page failed (a missing favicon used to: a 404 on every page)
