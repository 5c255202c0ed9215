"""Hand-drawn turfs in real Chromium (issue 19): an organiser draws a turf with Leaflet-Geoman's
polygon tool by clicking its corners, previews and saves it, and the list shows the doors inside;
then drags a corner of the list's turf to take in more doors."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import BLANK_PNG, TIMEOUT_MS, sign_in
from tests.support.canvass import done
from tests.support.walk_lists import area  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def _pixel(page, lon: float, lat: float) -> tuple[float, float]:
    """Where (lon, lat) is on the screen, from the map's extent (linear at street scale)."""
    page.locator("#draw-map").scroll_into_view_if_needed()
    west, south, east, north = map(float, page.locator("#draw-map").get_attribute("data-bounds").split(","))
    box = page.locator("#draw-map").bounding_box()
    return (box["x"] + (lon - west) / (east - west) * box["width"],
            box["y"] + (north - lat) / (north - south) * box["height"])


def _addresses(page) -> list[str]:
    return page.locator("ol.door-table li").all_inner_texts()


def test_draw_a_turf_save_it_and_redraw_it(live_server, browser_context, db, area, make_user):  # noqa: F811
    ward, hoods, doors = area
    organiser = make_user(roles="organiser")
    done(db)
    browser_context.route("https://tile.openstreetmap.org/**",
                          lambda r: r.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
    page = browser_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, organiser.email)
    page.goto(f"{live_server.url}/organiser/lists/draw?area=hood:{hoods[0].id}")
    page.wait_for_selector("#draw-map[data-ready='yes']")
    expect(page.locator("#polygon-status")).to_have_text("No turf drawn yet.")

    # Geoman's polygon tool: click the corners around the Elm St row, then the first corner again.
    page.locator(".leaflet-pm-icon-polygon").click()
    corners = [(-71.11905, 42.36995), (-71.1173, 42.36995), (-71.1173, 42.3703), (-71.11905, 42.3703)]
    for lon, lat in corners + corners[:1]:
        page.mouse.click(*_pixel(page, lon, lat))
    expect(page.locator("#polygon-status")).to_have_text("Turf drawn: 4 corners. Preview it to see its doors.")
    page.get_by_role("button", name="Preview the list").click()
    expect(page.locator("#drawn-summary")).to_contain_text("12 doors")
    page.get_by_role("button", name="Save this list").click()
    page.wait_for_url("**/organiser/lists/*")
    elm = sorted(d.address for d in doors[:12])
    assert sorted(_addresses(page)) == elm

    # Redraw: drag the outline's north-east corner north, over the east end of the Oak St row.
    page.locator("#redraw-link").click()
    page.wait_for_selector("#draw-map[data-ready='yes']")
    x, y = _pixel(page, -71.1173, 42.3703)
    handles = page.locator(".marker-icon:not(.marker-icon-middle)")
    boxes = [handles.nth(i).bounding_box() for i in range(handles.count())]
    nearest = min(boxes, key=lambda b: (b["x"] + b["width"] / 2 - x) ** 2 + (b["y"] + b["height"] / 2 - y) ** 2)
    start = (nearest["x"] + nearest["width"] / 2, nearest["y"] + nearest["height"] / 2)
    end = _pixel(page, -71.1173, 42.3712)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=12)
    page.mouse.up()
    page.get_by_role("button", name="Preview the list").click()
    summary = page.locator("#drawn-summary")
    expect(summary).to_contain_text("removed")
    added = int(summary.inner_text().split(" doors added")[0].rsplit(" ", 1)[-1])
    assert added >= 3 and "0 removed" in summary.inner_text()
    page.get_by_role("button", name="Save the new turf").click()
    page.wait_for_url("**/organiser/lists/*")
    expect(page.locator(".flash")).to_contain_text(f"{added} doors added, 0 removed")
    shown = _addresses(page)
    assert len(shown) == 12 + added and set(elm) <= set(shown)
    assert {a for a in shown if a not in elm} <= {d.address for d in doors[12:24]}
    assert errors == []
