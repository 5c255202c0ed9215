"""Real Chromium against a live server: the ward overview and a door-level map draw their layers,
log no console errors, and fetch nothing from anywhere but Legwork itself (tiles excepted: they
are intercepted here and answered with a blank image, so the test stays offline)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from app.maps.coverage import MEASURES
from app.models import Neighbourhood
from tests.browser.helpers import BLANK_PNG, MAP_SETTLED, click_in_map
from tests.support.maps import record
from tests.support.web import PASSWORD

pytestmark = pytest.mark.browser

LAYER_COUNTS = """() => {
  const out = {};
  for (const key of Object.keys(window)) {
    const value = window[key];
    if (key.startsWith("lw_") && value && typeof value.getLayers === "function") {
      const kind = key.replace(/_[0-9a-f]+$/, "");
      out[kind] = (out[kind] || 0) + value.getLayers().length;
    }
  }
  return out;
}"""


@pytest.fixture
def mapped_ward(db, make_ward, make_household):
    ward = make_ward("B1", bounds=(-71.12, 42.36, -71.10, 42.38), neighbourhoods=2)
    hoods = db.exec(select(Neighbourhood).where(Neighbourhood.ward_id == ward.id).order_by(Neighbourhood.code)).all()
    homes = [make_household(ward, neighbourhood_id=hoods[1].id, lon=-71.108 + 0.001 * (i % 4),
                            lat=42.365 + 0.002 * (i // 4)) for i in range(12)]
    record(db, homes[0], "spoke", support="1")
    record(db, homes[1], "not_home")
    record(db, homes[2], "do_not_contact")
    return {"ward": ward, "hoods": hoods, "homes": homes}


@pytest.fixture
def watched_page(browser_context, live_server, app, make_user):
    """A signed-in organiser's page that records console errors and any request leaving localhost."""
    make_user(email="organiser@example.org", roles="organiser")
    tile_host = urlsplit(app.config["MAPS"]["tile_url"].replace("{s}", "a")).hostname
    local = urlsplit(live_server.url).netloc
    leaks, errors, tiles = [], [], []

    def route(request_route):
        url = urlsplit(request_route.request.url)
        if url.netloc == local or url.scheme == "data":
            return request_route.continue_()
        if url.hostname == tile_host:
            tiles.append(request_route.request.url)
            return request_route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        leaks.append(request_route.request.url)
        return request_route.abort()

    browser_context.route("**/*", route)
    page = browser_context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/login")
    page.fill("#email", "organiser@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.leaks, page.errors, page.tiles, page.base = leaks, errors, tiles, live_server.url
    return page


def test_ward_overview_draws_and_drills_down(watched_page, mapped_ward):
    page = watched_page
    page.goto(f"{page.base}/maps/?ward={mapped_ward['ward'].id}")
    page.wait_for_selector(".leaflet-container .leaflet-overlay-pane canvas")
    counts = page.evaluate(LAYER_COUNTS)
    measures = len(MEASURES)  # door, reached at the door, called, reached by phone, by someone they know
    assert counts["lw_coverage_layer"] == measures * len(mapped_ward["hoods"])  # one layer per measure
    assert page.locator(".leaflet-control-layers-base input[type=radio]").count() == measures
    assert page.locator(".lw-legend").is_visible()

    # Click the middle of the second neighbourhood: its popup links to that neighbourhood's doors.
    page.wait_for_function(MAP_SETTLED)
    box = page.locator(".leaflet-container").bounding_box()
    point = page.evaluate("""(west) => {
      const map = Object.keys(window).filter(k => k.startsWith("map_")).map(k => window[k])[0];
      const p = map.latLngToContainerPoint([42.37, west]);
      return [p.x, p.y];
    }""", -71.105)
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_selector(".leaflet-popup-content")
    assert "B1 district 2" in page.inner_text(".leaflet-popup-content")
    click_in_map(page, ".leaflet-popup-content a")  # not page.click: see click_in_map
    page.wait_for_url(f"**/maps/neighbourhoods/{mapped_ward['hoods'][1].id}")
    page.wait_for_selector(".leaflet-overlay-pane canvas")
    assert page.evaluate(LAYER_COUNTS)["lw_door_layer"] == len(mapped_ward["homes"])

    assert page.tiles, "the tile layer should ask the configured tile server"
    assert page.leaks == []
    assert page.errors == []


def test_door_map_popups_come_from_canvas_markers(watched_page, mapped_ward):
    page = watched_page
    home = mapped_ward["homes"][0]
    page.goto(f"{page.base}/maps/neighbourhoods/{mapped_ward['hoods'][1].id}")
    page.wait_for_selector(".leaflet-overlay-pane canvas")
    assert page.locator(".leaflet-marker-icon").count() == 0      # no DOM markers, ever
    page.wait_for_function(MAP_SETTLED)
    box = page.locator(".leaflet-container").bounding_box()
    point = page.evaluate("""([lat, lon]) => {
      const map = Object.keys(window).filter(k => k.startsWith("map_")).map(k => window[k])[0];
      const p = map.latLngToContainerPoint([lat, lon]);
      return [p.x, p.y];
    }""", [home.lat, home.lon])
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_selector(".leaflet-popup-content")
    text = page.inner_text(".leaflet-popup-content")
    assert home.address in text and "Supporter" in text
    assert page.leaks == []
    assert page.errors == []


def test_the_statewide_map_draws_the_wards_from_their_own_json(watched_page, mapped_ward, make_ward, monkeypatch):
    """Past CITY_MAP_DOORS the page carries the figures and fetches the shapes once for all five
    measures' layers; a ward's popup has its rollup's figures and drills down to its overview."""
    from app.maps import views

    monkeypatch.setattr(views, "CITY_MAP_DOORS", 1, raising=False)
    make_ward("B2", bounds=(-71.10, 42.36, -71.08, 42.38))
    page = watched_page
    shapes = []
    page.on("request", lambda r: shapes.append(r.url) if "/maps/city/wards.json" in r.url else None)
    page.goto(f"{page.base}/maps/city")
    page.wait_for_function(LAYER_COUNTS.replace("return out;", "return (out.lw_coverage_layer || 0) > 0;"))
    assert page.evaluate(LAYER_COUNTS)["lw_coverage_layer"] == len(MEASURES) * 2
    assert len(shapes) == 1
    page.wait_for_function(MAP_SETTLED)
    box = page.locator(".leaflet-container").bounding_box()
    point = page.evaluate("""() => {
      const map = Object.keys(window).filter(k => k.startsWith("map_")).map(k => window[k])[0];
      const p = map.latLngToContainerPoint([42.37, -71.11]);
      return [p.x, p.y];
    }""")
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_selector(".leaflet-popup-content")
    text = page.inner_text(".leaflet-popup-content")
    assert "Ward B1" in text and "12 households" in text and "(1)" in text  # one of its 12 doors knocked per code
    click_in_map(page, ".leaflet-popup-content a")
    page.wait_for_url(f"**/maps/?ward={mapped_ward['ward'].id}")
    assert page.leaks == []
    assert page.errors == []


@pytest.mark.parametrize("app", [{"PICKER_MIN": 1}], indirect=True)
def test_past_the_threshold_the_map_bar_searches_for_the_area(watched_page, mapped_ward):
    """The search's list opens over the map (clickable: not under Leaflet's panes) and Show goes
    to the picked neighbourhood's own map."""
    page = watched_page
    page.goto(f"{page.base}/maps/?ward={mapped_ward['ward'].id}")
    search = page.get_by_role("combobox", name="Ward or neighbourhood")
    search.fill("district 2")
    page.get_by_role("option", name="Ward B1 › B1 district 2").click()
    with page.expect_navigation():
        page.locator(".lw-mapbar button[type=submit]").click()
    page.wait_for_url(f"**/maps/neighbourhoods/{mapped_ward['hoods'][1].id}")
    page.wait_for_selector(".leaflet-overlay-pane canvas")
    assert page.leaks == []
    assert page.errors == []
