"""The canvasser's list map at 360x780 (issue 19): a key on the map, "you are here" only once the
location is shared, doors at one spot fanned out so each can be seen and tapped at street zoom, and
with no tiles (none load, or no tile server is configured) the route and doors on a plain background
with the street names."""
from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE
from tests.browser.helpers import BLANK_PNG, TIMEOUT_MS, sign_in
from tests.support.canvass import done

pytestmark = pytest.mark.browser
SPOT = (-71.1190, 42.3710)
HERE = {"latitude": 42.3711, "longitude": -71.1186}

# No door dot on the screen is hidden by another: at its centre, where a thumb taps it, it is on top of
# every other door (the map's own controls, the key and the buttons, may cover the map's edges).
UNCOVERED = """() => {
  const box = document.getElementById('list-map').getBoundingClientRect();
  return [...document.querySelectorAll('path.door-dot')].map(p => {
    const r = p.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    const shown = x > box.left && x < box.right && y > box.top && y < box.bottom;
    const top = shown && document.elementFromPoint(x, y);
    return !shown || top === p || !top.matches('path.door-dot');
  });
}"""


@pytest.fixture
def flats(db, make_ward, make_household, make_user, make_walk_list):
    """Six flats of one building (one spot), two doors a metre apart, and four houses up the street."""
    ward = make_ward("W1", "Ward 9")
    lon, lat = SPOT
    homes = [make_household(ward, street="Elm St", house_number="10", unit=f"Flat {n}", lon=lon, lat=lat) for n in range(1, 7)]
    homes += [make_household(ward, street="Elm St", house_number=str(n), lon=lon + 3e-4 + k * 1e-5, lat=lat)
              for k, n in enumerate((12, 14))]
    homes += [make_household(ward, street="Oak St", house_number=str(n), lon=lon + 6e-4 + k * 2e-4, lat=lat + 2e-4)
              for k, n in enumerate((1, 3, 5, 7))]
    user = make_user(roles="canvasser")
    walk_list = make_walk_list(homes, name="Ward 9 · 3", assign_to=user, ward=ward)
    done(db)
    return user, walk_list, homes


def _map(browser, live_server, user, walk_list, *, tiles, located: bool):
    """The list map on a fresh phone; ``tiles``: "blank" (answered) or "blocked" (every tile fails)."""
    options = {"permissions": ["geolocation"], "geolocation": HERE} if located else {}
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, **options)
    context.route("https://tile.openstreetmap.org/**", (lambda r: r.abort()) if tiles == "blocked" else
                  (lambda r: r.fulfill(status=200, content_type="image/png", body=BLANK_PNG)))
    page = context.new_page()
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}/map")
    page.wait_for_selector("#list-map[data-ready='yes']", timeout=TIMEOUT_MS)
    return context, page


def test_no_tiles_the_route_and_every_door_on_a_plain_map_with_you_are_here(live_server, _playwright_browser, flats):
    user, walk_list, homes = flats
    context, page = _map(_playwright_browser, live_server, user, walk_list, tiles="blocked", located=True)
    try:
        page.wait_for_selector("#list-map[data-tiles='none']", timeout=TIMEOUT_MS)
        assert "the route and the doors only" in page.locator(".map-note").inner_text()
        assert page.locator("path.route-line").count() == 1
        assert page.locator("path.door-dot").count() == len(homes)
        assert page.locator(".street-label").all_inner_texts() == ["Elm St", "Oak St"]
        assert page.locator("#list-map #map-key").is_visible()  # the key is on the map
        page.wait_for_selector("path.you-are-here", timeout=TIMEOUT_MS)
        assert page.locator("#key-here").is_visible()

        # Street zoom: the six flats and the two near-twins are each a dot of their own.
        assert page.evaluate("document.querySelector('#list-map').getBoundingClientRect().width") <= PHONE["width"]
        uncovered = page.evaluate(UNCOVERED)
        assert len(uncovered) == len(homes) and all(uncovered), uncovered
        dots = page.locator("path.door-dot").evaluate_all(
            "ps => ps.map(p => { const r = p.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })")
        flat_dots = dots[:6]
        assert min(abs(a[0] - b[0]) + abs(a[1] - b[1]) for i, a in enumerate(flat_dots) for b in flat_dots[i + 1:]) >= 16
        box = page.locator("path.door-dot").nth(3).bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_selector(".leaflet-popup-content a", timeout=TIMEOUT_MS)
        assert "Flat 4" in page.locator(".leaflet-popup-content").inner_text()
    finally:
        context.close()


def test_with_tiles_and_no_location_shared_no_dot_until_asked(live_server, _playwright_browser, flats):
    user, walk_list, _ = flats
    context, page = _map(_playwright_browser, live_server, user, walk_list, tiles="blank", located=False)
    try:
        page.wait_for_selector("#list-map[data-tiles='yes']", timeout=TIMEOUT_MS)
        assert page.locator(".map-note").count() == 0 and not page.locator(".street-label").count()
        assert page.locator("#locate-button").is_visible()
        page.wait_for_timeout(500)
        assert page.locator("path.you-are-here").count() == 0 and not page.locator("#key-here").is_visible()
        page.locator("#locate-button").click()  # no permission given: the phone says no, and the map says so
        page.wait_for_selector("#locate-status:has-text('Location not shared')", timeout=TIMEOUT_MS)
        assert page.locator("path.you-are-here").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("app", [{"MAPS": {"tile_url": ""}}], indirect=True)
def test_no_tile_server_configured_is_a_plain_map(live_server, _playwright_browser, flats):
    user, walk_list, homes = flats
    context, page = _map(_playwright_browser, live_server, user, walk_list, tiles="blank", located=False)
    try:
        assert page.locator("#list-map").get_attribute("data-tiles") == "none"
        assert page.locator("img.leaflet-tile").count() == 0
        assert page.locator("path.door-dot").count() == len(homes) and page.locator("path.route-line").count() == 1
        assert page.locator(".street-label").count() == 2
    finally:
        context.close()
