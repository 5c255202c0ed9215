"""The canvasser's list map draws the walk along the streets stored near the list's doors (issue 21),
from the list the phone keeps: with no signal too, on the first visit to the map."""
from __future__ import annotations

import pytest

from tests.browser.helpers import TIMEOUT_MS, lose_signal, regain_signal, sign_in
from tests.support.canvass import done
from tests.support.streets import across_the_back, import_ladder
from tests.support.walk_lists import area  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

VERTICES = "() => (document.querySelector('path.route-line').getAttribute('d').match(/[ML]/g) || []).length"


def test_the_map_walks_round_the_block_offline(live_server, browser_context, db, area, make_user, make_walk_list):
    ward, hoods, doors = area
    user = make_user(roles="canvasser")
    walk_list = make_walk_list(across_the_back(doors), name="Round the block", assign_to=user, ward=ward)
    done(db)
    import_ladder(db)
    page = browser_context.new_page()
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    # the phone keeps the list and every module of the map: over 20 s once with both suites on 2 cores
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=3 * TIMEOUT_MS)
    lose_signal(browser_context, live_server)
    try:
        page.locator("a.button", has_text="Map").click()
        page.wait_for_selector("#list-map[data-ready='yes']", timeout=TIMEOUT_MS)  # every map module was kept
        assert page.locator("path.route-line").count() == 1
        # door, its street, the two corners of West Rd, the other street, door: not one straight leg
        assert page.evaluate(VERTICES) >= 6
    finally:
        regain_signal(browser_context, live_server)
