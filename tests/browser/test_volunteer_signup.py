"""A stranger finds their team and an event, signs up, clicks the link in the email they got,
and is signed in on their volunteer home: in Chromium, with the real page scripts and CSP."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.models import Event, PostcodeCentroid, utcnow
from tests.browser.helpers import BLANK_PNG, TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_from_the_public_page_to_signed_in_by_the_emailed_link(live_server, browser_context, app, db, smtp,
                                                                 make_ward, make_team, make_user):
    make_team(wards=[make_ward()], leads=[make_user(roles="volunteer", name="Lena Lead")], name="Central team")
    db.add(PostcodeCentroid(postcode="SW1A 1AA", lat=42.37, lon=-71.11))
    start = utcnow() + timedelta(days=1)
    db.add(Event(kind="canvass", title="Sunday doors", starts_at=start, ends_at=start + timedelta(hours=2),
                 lat=42.371, lon=-71.111, capacity=8, checkin_code=uuid.uuid4().hex, meeting_point="The library"))
    db.commit()
    tiles = app.config["MAPS"]["tile_url"].split("{", 1)[0] + "**"  # this machine has no internet: blank tiles
    browser_context.route(tiles, lambda r: r.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
    page = browser_context.new_page()
    failed = []
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and failed.append(f"{r.failure} {r.url}"))
    page.on("response", lambda r: r.status >= 400 and "/events/" not in r.url and failed.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and failed.append(m.text))

    page.goto(f"{live_server.url}/get-involved")
    page.fill("#postcode", "sw1a1aa")
    page.click("#where-form button[type=submit]")
    page.wait_for_selector("text=Central team", timeout=TIMEOUT_MS)
    assert page.locator("li.event").count() == 1 and "8 spaces left" in page.inner_text("li.event")
    page.wait_for_selector("#events-map .leaflet-marker-icon", timeout=TIMEOUT_MS)  # the map drew its marker

    page.click("text=Sign up to volunteer")
    page.fill("#name", "Robin Newcomer")
    page.fill("#email", "robin@example.org")
    page.check("input[value=knock_doors]")
    page.check("#consent")
    page.click("form button[type=submit]")
    page.wait_for_selector("text=Check your email", timeout=TIMEOUT_MS)

    messages = smtp.to("robin@example.org")
    assert len(messages) == 1
    link = next(u for u in smtp.links(messages[0]) if "/get-involved/confirm/" in u)
    page.goto(link)
    page.wait_for_url("**/me", timeout=TIMEOUT_MS)  # the page's script pressed "Continue"
    assert "Hello, Robin" in page.inner_text("main") and "Central team" in page.inner_text("main")
    assert failed == []
