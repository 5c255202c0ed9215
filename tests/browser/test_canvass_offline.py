"""The promise of Legwork, in a real (headless Chromium) phone browser: nothing recorded is lost.

A canvasser records 5 doors online, loses signal, records 5 more, reloads the page with no
signal (the service worker serves it and the outbox still holds the 5), gets signal back, and the
database then holds exactly those 10 outcomes. Replaying the same batch adds nothing.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import ContactEvent
from tests.browser.helpers import TIMEOUT_MS, lose_signal, record_door, regain_signal, sign_in
from tests.support.canvass import done

pytestmark = pytest.mark.browser


def _events(db) -> list[tuple[str, int, str]]:
    done(db)
    rows = db.exec(sa.select(ContactEvent.id, ContactEvent.household_id, ContactEvent.code)).all()
    done(db)
    return sorted(tuple(r) for r in rows)


def _wait_pending(page, n: int) -> None:
    page.wait_for_selector(f"#sync[data-pending='{n}']", timeout=TIMEOUT_MS)


def test_offline_outcomes_are_kept_and_synced_exactly_once(live_server, browser_context, walk, db):
    user, walk_list, doors = walk
    page = browser_context.new_page()
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)  # the worker holds the list
    assert page.locator(".door.next").get_attribute("data-household-id") == str(doors[0].id)
    assert page.locator("section.street h2").all_inner_texts()[:2] == ["Elm St · odds", "Elm St · evens"]

    online = [d.id for d in doors[:5]]
    for hid in online:
        record_door(page, hid, "Not home")
    _wait_pending(page, 0)
    assert len(_events(db)) == 5

    lose_signal(browser_context, live_server)
    offline = [d.id for d in doors[5:10]]
    for hid in offline[:3]:
        record_door(page, hid, "Spoke")
    for hid in offline[3:]:
        record_door(page, hid, "Come back")
    _wait_pending(page, 5)
    assert page.locator(".door[data-state='pending']").count() == 5
    assert "5 waiting to sync" in page.locator("#sync").inner_text()

    reloaded = page.reload()  # no signal: the service worker serves the page, the list data and the scripts
    assert reloaded.from_service_worker
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    _wait_pending(page, 5)
    assert page.locator(".door[data-state='pending']").count() == 5
    assert page.locator(".door.next").get_attribute("data-household-id") == str(doors[10].id)
    refused = live_server.network.refused  # the page's own tries to sync, stopped by the cut
    assert len(_events(db)) == 5, f"nothing may reach the server while offline ({refused} connections refused)"
    # The worker really had no network: a page it never kept cannot be fetched through it.
    probe = f"fetch('/api/lists/{walk_list.id}?not-kept').then(() => 'network', () => 'offline')"  # goes via the worker
    assert page.evaluate(probe) == "offline"

    regain_signal(browser_context, live_server)  # the "online" event flushes the outbox
    _wait_pending(page, 0)
    events = _events(db)
    assert len(events) == 10
    assert sorted(hid for _, hid, _ in events) == sorted(online + offline)
    assert sorted(code for _, _, code in events) == sorted(["not_home"] * 5 + ["spoke"] * 3 + ["come_back"] * 2)
    assert "last sync" in page.locator("#sync").inner_text()

    # Replay the exact batch the phone sent, twice, through the real authenticated path.
    statuses = page.evaluate("""async () => {
        const db = await new Promise((ok, no) => { const r = indexedDB.open("legwork"); r.onsuccess = () => ok(r.result); r.onerror = no; });
        const sent = await new Promise(ok => { const r = db.transaction("sent").objectStore("sent").getAll(); r.onsuccess = () => ok(r.result); });
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const out = [];
        for (let i = 0; i < 2; i++) {
          const r = await fetch("/api/outcomes", {method: "POST", headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
                                body: JSON.stringify({outcomes: sent.map(s => s.payload)})});
          out.push((await r.json()).results.map(x => x.status));
        }
        return out;
    }""")
    assert [sorted(set(s)) for s in statuses] == [["duplicate"], ["duplicate"]]
    assert len(statuses[0]) == 10
    assert _events(db) == events


def test_pages_reachable_from_a_list_open_offline_on_a_first_visit(live_server, browser_context, walk):
    user, walk_list, _ = walk
    page = browser_context.new_page()
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")  # before the worker runs: not kept then
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)

    lose_signal(browser_context, live_server)
    page.locator("a.button", has_text="My lists").click()
    page.wait_for_selector("h1:has-text('My lists')", timeout=TIMEOUT_MS)
    assert page.locator("a.list-link").all_inner_texts() == ["Ward 9 · 1"]
    page.locator("a.list-link").click()
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    page.locator("a.button", has_text="Map").click()
    page.wait_for_selector("#list-map", timeout=TIMEOUT_MS)
    assert page.locator("h1").inner_text() == "Ward 9 · 1"

    # My lists, with signal, drops lists no longer assigned: not the maps of those still assigned.
    regain_signal(browser_context, live_server)
    page.goto(f"{live_server.url}/canvass/")
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)
    lose_signal(browser_context, live_server)
    page.locator("a.list-link").click()
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    page.locator("a.button", has_text="Map").click()
    page.wait_for_selector("#list-map", timeout=TIMEOUT_MS)
    regain_signal(browser_context, live_server)


def test_a_pin_joiner_s_my_lists_opens_offline_as_the_list(live_server, browser_context, walk, db):
    """A PIN's "My lists" is a redirect to its one list: the worker keeps a plain copy of the list
    page for it (a navigation may not be answered with a redirected response)."""
    from app.walk_lists import create_pin

    _, walk_list, _ = walk
    _, pin = create_pin(db, walk_list_id=walk_list.id, created_by_id=None)
    db.commit()
    done(db)
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/canvass/join?code={walk_list.code}")
    page.fill("#pin", pin)
    page.get_by_role("button", name="Join").click()
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)

    lose_signal(browser_context, live_server)
    page.locator("header a", has_text="My lists").click()
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    assert page.locator("h1").inner_text() == "Ward 9 · 1"
    regain_signal(browser_context, live_server)
