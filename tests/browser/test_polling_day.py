"""Polling day end to end, on two phones in headless Chromium: a knocker takes a knock-up list by
its sheet's QR link and keeps it open; a teller with no signal enters five elector numbers and one
voter found by name, then gets the signal back; within 10 s those voters' doors fold away on the
knocker's open list; the knocker records "needs a lift" at a door still on it; a driver claims
that lift. Replaying the teller's batch stores nothing twice."""
from __future__ import annotations

import time as clock
from datetime import date, time

import pytest
import sqlalchemy as sa
from flask import url_for

from app.db import write_transaction
from app.models import Household, LiftRequest, Person, Telling, WalkList, WalkListDoor
from app.pollingday.knockup import start_round
from app.pollingday.knockup_queries import join_token
from app.pollingday.operations import create_election, set_committee_room
from tests.browser.helpers import TIMEOUT_MS, lose_signal, regain_signal, sign_in
from tests.browser.test_teller_offline import NUMBERS, _type, both  # noqa: F401  (fixture)
from tests.support.canvass import done
from tests.support.pledges import answer, person_by_number
from tests.support.pollingday import districts, polling_day  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
TOLD = [f"{p}-{d}" for p, d in NUMBERS] + ["AA-6"]   # AA-6 is found by name
STAYS = "AB-3"                                        # pledged, not told: still to knock up


@pytest.fixture
def knockup(app, db, polling_day, both):  # noqa: F811
    """Today's election, a committee room over both districts, every told voter and AB-3 pledged,
    round 1 cut; returns (the AB list's id, its QR link path)."""
    from app.config import settings

    with app.app_context():
        cfg = settings()
    write_transaction(db, lambda s: create_election(s, name="By-election", polling_date=date.today(),
                                                    polls_open=time(7), polls_close=time(22)))
    room = write_transaction(db, lambda s: set_committee_room(s, name="Testville room", district_codes=["AA", "AB"]).id)
    for number in TOLD + [STAYS]:
        answer(db, person_by_number(db, number.split("/")[0]), "1")
    knock = write_transaction(db, lambda s: start_round(s, room_id=room, settings=cfg, started_by_id=None))
    stays = db.get(Person, person_by_number(db, STAYS)).household_id
    list_id = db.execute(sa.select(WalkListDoor.walk_list_id).join(WalkList, WalkList.id == WalkListDoor.walk_list_id)
                         .where(WalkList.knockup_round_id == knock.id, WalkListDoor.household_id == stays)).scalar_one()
    with app.test_request_context():
        link = url_for("pollingday.knock_join", token=join_token(app.config["SECRET_KEY"], list_id))
    done(db)
    return list_id, link, stays


def _home(db, number: str) -> int:
    hid = db.get(Person, person_by_number(db, number.split("/")[0])).household_id
    done(db)
    return hid


def test_a_telling_reaches_the_knocker_and_a_lift_reaches_a_driver(live_server, browser_context, _playwright_browser,
                                                                   db, make_user, knockup):
    list_id, link, stays = knockup
    teller, knocker, driver = make_user(roles="teller"), make_user(roles="volunteer"), make_user(roles="driver")
    done(db)
    phone = _playwright_browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                            is_mobile=True, has_touch=True)
    try:
        # The knocker scans the sheet's QR code, takes the list, and keeps it open.
        walker = phone.new_page()
        sign_in(walker, live_server.url, knocker.email)
        walker.goto(live_server.url + link)
        walker.get_by_role("button", name="Take this list and start knocking").click()
        walker.wait_for_url(f"**/canvass/lists/{list_id}")
        walker.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
        on_list = [h for h in (_home(db, n) for n in TOLD) if walker.locator(f"#door-{h}").count()]
        assert on_list and all(walker.locator(f"#door-{h}").is_visible() for h in on_list)
        assert "Voters struck off live" in walker.locator("#strike-off").inner_text()

        # The teller, with no signal, tells five numbers and one voter by name.
        page = browser_context.new_page()
        sign_in(page, live_server.url, teller.email)
        page.goto(f"{live_server.url}/polling-day/teller")
        page.locator("a.station-link", has_text="Town Hall").click()
        page.wait_for_selector("#teller[data-electors='ready']", timeout=TIMEOUT_MS)
        page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)
        lose_signal(browser_context, live_server)
        for prefix, digits in NUMBERS:
            _type(page, prefix, digits)
        page.fill("#search-box", "ellerby")
        page.locator("#results .result").click()
        page.wait_for_selector("#sync[data-pending='6']", timeout=TIMEOUT_MS)
        # Both phones are out of signal here; the knocker's list says how old its strike-off is.
        walker.locator("#strike-off", has_text="Offline: voters struck off as of").wait_for(timeout=TIMEOUT_MS)
        assert all(walker.locator(f"#door-{h}").is_visible() for h in on_list)

        regain_signal(browser_context, live_server)
        page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
        sent = clock.monotonic()
        for h in on_list:
            walker.wait_for_selector(f"#door-{h}", state="hidden", timeout=10_000)
        assert clock.monotonic() - sent <= 10
        assert walker.locator(f"#door-{stays}").is_visible()
        assert "struck off (voted)" in walker.locator("#progress-text").inner_text()
        done(db)
        assert db.execute(sa.select(sa.func.count()).select_from(Telling)).scalar_one() == 6
        done(db)

        # The knocker records "needs a lift" at the door still to knock.
        door = walker.locator(f"#door-{stays}")
        door.locator(".record-btn").click()
        door.locator("label.code", has_text="Needs a lift").click()
        door.locator("textarea").fill("Uses a walking frame")
        door.get_by_role("button", name="Save").click()
        walker.wait_for_selector(f"#door-{stays}[data-state='sent']", timeout=TIMEOUT_MS)
        done(db)
        lift = db.execute(sa.select(LiftRequest)).scalar_one()
        assert (lift.person_id, lift.source, lift.access_needs) == (person_by_number(db, STAYS), "door",
                                                                     "Uses a walking frame")
        done(db)
    finally:
        phone.close()

    # A driver claims it and sees whom to collect, where.
    driving = browser_context.new_page()
    driving.context.clear_cookies()
    sign_in(driving, live_server.url, driver.email)
    driving.goto(f"{live_server.url}/polling-day/lifts")
    driving.get_by_role("button", name="Take the next lift").click()
    driving.wait_for_load_state("networkidle")
    body = driving.locator("main").inner_text()
    address = db.get(Household, stays).address
    done(db)
    assert "Ivo Ampleforth" in body and address in body and "Uses a walking frame" in body
    done(db)
    assert db.execute(sa.select(LiftRequest.status, LiftRequest.driver_id)).one() == ("claimed", driver.id)
    done(db)
