"""The whole way in, on a phone-sized Chromium: a stranger types their postcode, finds an event,
signs up, follows the link the in-process SMTP server received, RSVPs, checks in by scanning the
QR code on the host's screen (read off a screenshot), is handed a walk list, and records a door."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.models import (Assignment, ContactEvent, Event, EventWork, PostcodeCentroid, Rsvp, User, WalkList,
                        utcnow)
from tests.browser.helpers import BLANK_PNG, TIMEOUT_MS, record_door, sign_in

pytestmark = pytest.mark.browser


def _qr_url(png: bytes) -> str:
    """The URL in the QR code on the host's screen, decoded as a phone camera would."""
    import zxingcpp
    from PIL import Image

    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


@pytest.fixture
def canvass_event(db, make_ward, make_household, make_user, make_team, make_walk_list):
    """A team covering a ward, its lead (the host), and a canvass starting in 20 minutes (check-in
    open) that works two walk lists nobody holds."""
    ward = make_ward("W1", "Ward 9")
    lead = make_user(roles="volunteer", name="Lena Lead")
    team = make_team(wards=[ward], leads=[lead], name="Ward 9 volunteers")
    near = [make_household(ward, street="Elm St", house_number=str(n), lon=-71.111 + n * 1e-4, lat=42.371)
            for n in range(1, 5)]
    far = [make_household(ward, street="Oak St", house_number=str(n), lon=-71.105 + n * 1e-4, lat=42.375)
           for n in range(1, 5)]
    lists = [make_walk_list(near, name="Ward 9 · 1", ward=ward), make_walk_list(far, name="Ward 9 · 2", ward=ward)]
    db.add(PostcodeCentroid(postcode="02139", lat=42.3705, lon=-71.1105))
    start = utcnow() + timedelta(minutes=20)
    event = Event(kind="canvass", title="Saturday doors", starts_at=start, ends_at=start + timedelta(hours=3),
                  meeting_point="The library steps", lat=42.371, lon=-71.111, capacity=10, team_id=team.id,
                  host_id=lead.id, created_by_id=lead.id, checkin_code="e2e-checkin-code-000001")
    db.add(event)
    db.flush()
    db.add_all([EventWork(event_id=event.id, walk_list_id=w.id) for w in lists])
    db.commit()
    return event, lead, lists


def _watch(page) -> list[str]:
    failed = []
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and failed.append(f"{r.failure} {r.url}"))
    page.on("console", lambda m: m.type == "error" and failed.append(m.text))
    return failed


def test_a_stranger_finds_an_event_signs_up_checks_in_by_qr_and_records_a_door(
        live_server, browser_context, _playwright_browser, app, db, smtp, canvass_event):
    event, lead, lists = canvass_event
    tiles = app.config["MAPS"]["tile_url"].split("{", 1)[0] + "**"  # no internet here: blank tiles
    browser_context.route(tiles, lambda r: r.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
    phone = browser_context.new_page()
    failed = _watch(phone)

    # 1. The public page: a postcode, the local team, the event near it.
    phone.goto(f"{live_server.url}/get-involved")
    phone.fill("#postcode", "02139")
    phone.click("#where-form button[type=submit]")
    phone.wait_for_selector("text=Ward 9 volunteers", timeout=TIMEOUT_MS)
    phone.click("li.event a:has-text('Saturday doors')")
    phone.wait_for_url(f"**/events/{event.id}", timeout=TIMEOUT_MS)
    assert "The library steps" in phone.inner_text("main") and "10 places left" in phone.inner_text("main")

    # 2. "I'm coming" without an account: the sign-up, then back here by the emailed link.
    phone.click("form.rsvp button[type=submit]")
    phone.wait_for_url("**/get-involved/sign-up**", timeout=TIMEOUT_MS)
    phone.fill("#name", "Robin Newcomer")
    phone.fill("#email", "robin@example.org")
    phone.fill("#postcode", "02139")
    phone.check("input[value=knock_doors]")
    phone.check("#consent")
    phone.click("main form button[type=submit]")
    phone.wait_for_selector("text=Check your email", timeout=TIMEOUT_MS)
    [message] = smtp.to("robin@example.org")
    link = next(u for u in smtp.links(message) if "/get-involved/confirm/" in u)
    phone.goto(link)
    phone.wait_for_url(f"**/events/{event.id}", timeout=TIMEOUT_MS)  # signed in, and back at the event
    phone.click("form.rsvp button[type=submit]")
    phone.wait_for_selector("#going", timeout=TIMEOUT_MS)
    robin = db.execute(sa.select(User).where(User.email == "robin@example.org")).scalar_one()
    db.rollback()
    assert robin.roles == "volunteer"
    # Signed up and going: still no voter data until the check-in hands out work.
    assert phone.goto(f"{live_server.url}/canvass/lists/{lists[0].id}").status in (403, 404)
    assert failed == ["Failed to load resource: the server responded with a status of 403 (FORBIDDEN)"]
    failed.clear()

    # 3. The host shows the check-in QR code; the phone "scans" it.
    host = _playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        screen = host.new_page()
        sign_in(screen, live_server.url, lead.email)
        screen.goto(f"{live_server.url}/events/{event.id}/admin")
        png = screen.locator("#checkin-qr .qr-code").screenshot()
    finally:
        host.close()
    checkin_url = _qr_url(png)
    assert checkin_url.endswith(f"/events/{event.id}/check-in/{event.checkin_code}")
    phone.goto(checkin_url.replace(checkin_url.split("/events/")[0], live_server.url))
    phone.click("main form button[type=submit]")  # "Check me in and give me work"
    phone.wait_for_url("**/canvass/lists/*", timeout=TIMEOUT_MS)
    given = int(phone.url.rstrip("/").rsplit("/", 1)[1])
    assert given == lists[0].id  # the unworked list nearest the meeting point

    # 4. The list opens on the phone and a door is recorded, exactly once.
    phone.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    first = int(phone.locator(".door").first.get_attribute("data-household-id"))
    record_door(phone, first, "Spoke")
    phone.wait_for_selector(f"#door-{first}[data-state='sent']", timeout=TIMEOUT_MS)  # the server has it
    db.rollback()  # a fresh snapshot (SQLite WAL: a read transaction sees the moment it began)
    stored = db.execute(sa.select(ContactEvent).where(ContactEvent.household_id == first)).scalars().all()
    assert [(e.walk_list_id, e.actor_user_id, e.code) for e in stored] == [(given, robin.id, "spoke")]

    # A second scan answers with the same list and hands out nothing more.
    phone.goto(checkin_url.replace(checkin_url.split("/events/")[0], live_server.url))
    assert f"/canvass/lists/{given}" in phone.content()
    db.rollback()
    held = db.execute(sa.select(Assignment.walk_list_id).where(Assignment.user_id == robin.id,
                                                               Assignment.unassigned_at.is_(None))).scalars().all()
    rsvp = db.execute(sa.select(Rsvp).where(Rsvp.user_id == robin.id)).scalar_one()
    assert held == [given] and rsvp.walk_list_id == given and rsvp.checked_in_at is not None
    assert db.get(WalkList, lists[1].id).status == "active" and not db.execute(
        sa.select(Assignment).where(Assignment.walk_list_id == lists[1].id)).first()
    assert failed == []
