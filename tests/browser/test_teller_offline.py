"""Polling day in a real (headless Chromium) phone browser: a teller with no signal enters five
elector numbers on the keypad (switching district once) and one voter found by name; they wait
on the phone, reload from the service worker, and are stored exactly once when the signal comes
back (tellings and the strike-off). Replaying the phone's batch stores nothing twice."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.models import Elector, PollingStation, StationDistrict, Telling, Voted
from tests.browser.helpers import TIMEOUT_MS, cached_urls, idb_all, lose_signal, regain_signal, sign_in
from tests.support.canvass import done
from tests.support.pollingday import districts, polling_day  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
NUMBERS = [("AA", "1"), ("AA", "2"), ("AA", "3"), ("AB", "1"), ("AB", "4/2")]


def _told(db) -> tuple[list[str], list[int]]:
    """(telling ids, people struck off), as the database holds them."""
    done(db)
    tellings = sorted(db.execute(sa.select(Telling.id)).scalars())
    voted = sorted(db.execute(sa.select(Voted.person_id)).scalars())
    done(db)
    return tellings, voted


def _person(db, prefix: str, number: int, suffix: int = 0) -> int:
    pid = db.execute(sa.select(Elector.person_id).where(Elector.prefix == prefix, Elector.number == number,
                                                        Elector.suffix == suffix)).scalar_one()
    done(db)
    return pid


@pytest.fixture
def both(db, polling_day):  # noqa: F811
    """A station where both districts vote: the keypad offers AA and AB."""
    def add(s):
        station = PollingStation(key="the town hall", name="Town Hall", address="Testville")
        s.add(station)
        s.flush()
        s.add_all(StationDistrict(station_id=station.id, neighbourhood_id=h) for h in polling_day.districts.values())
        return station.id

    return write_transaction(db, add)


def _type(page, prefix: str, digits: str) -> None:
    page.locator(f".prefix[data-prefix='{prefix}']").click()
    for key in digits:
        page.locator(f".key[data-key='{key}']").click()
    assert page.locator("#number").inner_text() == f"{prefix}-{digits}"
    page.locator(".key[data-key='enter']").click()


def test_offline_tellings_are_kept_and_stored_exactly_once(live_server, browser_context, db, make_user, both):
    teller = make_user(roles="teller")
    done(db)
    page = browser_context.new_page()
    sign_in(page, live_server.url, teller.email)
    page.goto(f"{live_server.url}/polling-day/teller")
    page.locator("a.station-link", has_text="Town Hall").click()
    page.wait_for_selector("#teller[data-electors='ready']", timeout=TIMEOUT_MS)
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)  # the worker holds page + electors
    assert page.locator("#sync").inner_text() == "All entries sent"

    lose_signal(browser_context, live_server)
    for prefix, digits in NUMBERS:
        _type(page, prefix, digits)
    page.fill("#search-box", "ellerby")
    result = page.locator("#results .result")
    assert result.count() == 1 and "AA-6" in result.inner_text() and "Mill Lane" in result.inner_text()
    result.click()
    page.wait_for_selector("#sync[data-pending='6']", timeout=TIMEOUT_MS)
    assert page.locator("#recent .entry-row[data-state='waiting']").count() == 6
    assert "6 entries waiting to send" in page.locator("#sync").inner_text()
    assert "All" not in page.locator("#sync").inner_text()

    reloaded = page.reload()  # no signal: the worker serves the page, its scripts and the electors
    assert reloaded.from_service_worker
    page.wait_for_selector("#teller[data-electors='ready']", timeout=TIMEOUT_MS)
    page.wait_for_selector("#sync[data-pending='6']", timeout=TIMEOUT_MS)
    assert page.locator("#recent .entry-row[data-state='waiting']").count() == 6
    assert _told(db) == ([], []), "nothing may reach the server while offline"
    queued = [i["payload"] for i in idb_all(page, "outbox")]

    regain_signal(browser_context, live_server)  # the "online" event flushes the outbox
    page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
    tellings, voted = _told(db)
    assert sorted(tellings) == sorted(p["id"] for p in queued)
    expected = sorted([_person(db, "AA", 1), _person(db, "AA", 2), _person(db, "AA", 3), _person(db, "AB", 1),
                       _person(db, "AB", 4, 2), _person(db, "AA", 6)])
    assert voted == expected
    assert page.locator("#sync").inner_text() == "All entries sent"

    # Replay the phone's exact batch, twice, through the real signed-in path: all duplicates.
    statuses = page.evaluate("""async (items) => {
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const out = [];
        for (let i = 0; i < 2; i++) {
          const r = await fetch("/api/tellings", {method: "POST", headers: {"Content-Type": "application/json",
                                "X-CSRFToken": csrf}, body: JSON.stringify({tellings: items})});
          out.push((await r.json()).results.map(x => x.status));
        }
        return out;
    }""", queued)
    assert statuses == [["duplicate"] * 6] * 2
    page.reload()  # online: the outbox is empty, so nothing goes again; the entries show as stored
    page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
    page.wait_for_selector("#recent .entry-row[data-state='stored'] >> nth=5", timeout=TIMEOUT_MS)
    assert page.locator("#recent .entry-row[data-state='stored']").count() == 6
    assert _told(db) == (tellings, voted)

    # Undo is its own telling: the voter goes back on the lists.
    row = page.locator("#recent .entry-row", has_text="AB-4/2")
    row.locator("button.undo").click()
    page.wait_for_selector("#recent .entry-row[data-undone='yes']", timeout=TIMEOUT_MS)
    page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
    tellings_after, voted_after = _told(db)
    assert len(tellings_after) == 7 and voted_after == sorted(set(voted) - {_person(db, "AB", 4, 2)})

    # A number the register does not have: refused, with the server's reason, and never "all sent" wrongly.
    _type(page, "AA", "99")
    refused = page.locator("#recent .entry-row[data-state='refused']")
    refused.wait_for(timeout=TIMEOUT_MS)
    assert "no elector AA-99 on the register" in refused.locator(".reason").inner_text()
    assert len(_told(db)[0]) == 7
    assert page.locator("#sync").inner_text() == "All entries sent · 1 refused (see why below)"


def test_sign_out_takes_the_stations_electors_and_entries_off_the_phone(live_server, browser_context, db, make_user,
                                                                       polling_day):  # noqa: F811
    teller = make_user(roles="teller")
    done(db)
    page = browser_context.new_page()
    sign_in(page, live_server.url, teller.email)
    page.goto(f"{live_server.url}/polling-day/teller/{polling_day.west}")
    page.wait_for_selector("#teller[data-electors='ready']", timeout=TIMEOUT_MS)
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)
    _type(page, "AA", "1")
    page.wait_for_selector("#recent .entry-row[data-state='stored']", timeout=TIMEOUT_MS)
    assert any("/api/stations/" in u for u in cached_urls(page)), "the electors are kept for offline use"
    assert len(idb_all(page, "sent")) == 1

    lose_signal(browser_context, live_server)  # one entry left unsent: sign-out asks first
    _type(page, "AA", "2")
    page.wait_for_selector("#sync[data-pending='1']", timeout=TIMEOUT_MS)
    page.route("**/api/tellings", lambda route: route.fulfill(status=503, body="busy"))  # and it stays unsent
    regain_signal(browser_context, live_server)
    page.get_by_role("button", name="Sign out", exact=True).click()
    dialog = page.locator("dialog.signout-ask")
    dialog.wait_for(timeout=TIMEOUT_MS)
    assert "1 entry is not sent yet" in dialog.inner_text()
    dialog.get_by_role("button", name="Sign out anyway").click()
    page.wait_for_url("**/login**", timeout=TIMEOUT_MS)
    kept = [u for u in cached_urls(page) if "/api/stations/" in u or "/polling-day/teller/" in u]
    assert kept == []
    assert idb_all(page, "outbox") == [] and idb_all(page, "sent") == []
