"""Area names are data: a neighbourhood imported with markup in its name shows that markup as text
in the coverage map's tooltip, and nothing it contains becomes part of the page."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import Neighbourhood
from tests.browser.helpers import BLANK_PNG, TIMEOUT_MS, sign_in

pytestmark = pytest.mark.browser

HOSTILE = '<b id="injected">Bold</b> Ward'


def test_area_tooltip_shows_markup_as_text(browser_context, live_server, app, db, make_ward, make_user):
    make_user(email="organiser@example.org", roles="organiser")
    ward = make_ward("T1", bounds=(-71.12, 42.36, -71.10, 42.38), neighbourhoods=1)
    hood = db.exec(select(Neighbourhood).where(Neighbourhood.ward_id == ward.id)).one()
    hood.name = HOSTILE
    db.add(hood)
    db.commit()
    browser_context.route("**/*", lambda r: r.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
                          if "tile" in r.request.url and live_server.url not in r.request.url else r.continue_())
    page = browser_context.new_page()
    sign_in(page, live_server.url, "organiser@example.org")
    page.goto(f"{live_server.url}/maps/?ward={ward.id}")
    page.wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg", timeout=TIMEOUT_MS)
    point = page.evaluate("""() => {
      const map = Object.keys(window).filter(k => k.startsWith("map_")).map(k => window[k])[0];
      const p = map.latLngToContainerPoint([42.37, -71.11]);
      return [p.x, p.y];
    }""")
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.move(box["x"] + point[0], box["y"] + point[1])
    tooltip = page.wait_for_selector(".leaflet-tooltip", timeout=TIMEOUT_MS)
    assert HOSTILE in tooltip.inner_text()
    assert page.locator("#injected").count() == 0
