"""A shared phone: after Sign out nothing personal stays on it. The outbox is flushed first; what
is still unsent is only deleted if the person says so ("Stay signed in" keeps everything); then the
service worker's data cache, the cached list pages and the sent/refused stores are gone, and the
worker serves no list page to whoever picks the phone up next, even offline."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.helpers import TIMEOUT_MS, cached_urls, idb_all, lose_signal, record_door, regain_signal, sign_in

pytestmark = pytest.mark.browser

VOTER_DATA = ("/api/lists", "/canvass/lists")


def _kept(page) -> list[str]:
    return [u for u in cached_urls(page) if any(p in u for p in VOTER_DATA)]


def test_sign_out_asks_about_unsent_doors_and_then_leaves_nothing_personal(live_server, browser_context, walk):
    user, walk_list, doors = walk
    page = browser_context.new_page()
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    list_url = f"{live_server.url}/canvass/lists/{walk_list.id}"
    page.goto(list_url)
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)

    door = page.locator(f"#door-{doors[0].id}")  # a note with something personal in it
    door.locator(".record-btn").click()
    door.locator("label.code", has_text="Spoke").click()
    door.locator("textarea").fill("Mrs Dalloway's dog bites")
    door.get_by_role("button", name="Save").click()
    page.wait_for_selector(f"#door-{doors[0].id}[data-state='sent']", timeout=TIMEOUT_MS)
    sent = idb_all(page, "sent")
    assert len(sent) == 1 and "dog bites" not in json.dumps(sent), "the sent store keeps ids and status only"

    page.route("**/api/outcomes", lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(
        {"results": [{"id": o["id"], "status": "rejected", "reason": "Not on your list."}
                     for o in json.loads(route.request.post_data)["outcomes"]]})))
    record_door(page, doors[1].id, "Not home")
    page.wait_for_selector("#tray[data-count='1']", timeout=TIMEOUT_MS)
    page.unroute("**/api/outcomes")
    page.route("**/api/outcomes", lambda route: route.fulfill(status=503, body="busy"))  # stays unsent
    record_door(page, doors[2].id, "Not home")
    page.wait_for_selector("#sync[data-pending='1']", timeout=TIMEOUT_MS)

    page.get_by_role("button", name="Sign out", exact=True).click()
    dialog = page.locator("dialog.signout-ask")
    dialog.wait_for(timeout=TIMEOUT_MS)
    assert "1 door is not sent yet. Signing out now deletes it from this phone." in dialog.inner_text()
    dialog.get_by_role("button", name="Stay signed in").click()
    page.wait_for_selector("#signout-form[data-state='stayed']", timeout=TIMEOUT_MS)
    assert page.url == list_url
    assert len(idb_all(page, "outbox")) == 1 and len(idb_all(page, "sent")) == 1 and len(idb_all(page, "rejected")) == 1
    assert any("/api/lists/" in u for u in _kept(page)), "staying keeps the list for offline use"

    page.get_by_role("button", name="Sign out", exact=True).click()
    dialog.get_by_role("button", name="Sign out anyway").click()
    page.wait_for_url("**/login", timeout=TIMEOUT_MS)
    assert _kept(page) == []
    for store in ("outbox", "sent", "rejected", "meta"):
        assert idb_all(page, store) == [], store

    lose_signal(browser_context, live_server)  # the next person, offline, gets no list from the worker
    with pytest.raises(PlaywrightError):
        page.goto(list_url)
    with pytest.raises(PlaywrightError):
        page.goto(f"{live_server.url}/api/lists/{walk_list.id}")
    regain_signal(browser_context, live_server)


def test_sign_out_with_nothing_unsent_asks_nothing(live_server, browser_context, walk):
    user, walk_list, doors = walk
    page = browser_context.new_page()
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)
    record_door(page, doors[0].id, "Not home")
    page.wait_for_selector(f"#door-{doors[0].id}[data-state='sent']", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url("**/login", timeout=TIMEOUT_MS)
    assert page.locator(".flash").inner_text() == "You are signed out."
    assert _kept(page) == [] and idb_all(page, "sent") == []


def test_sign_out_from_a_page_without_the_outbox_still_asks_and_wipes(live_server, browser_context, walk):
    user, walk_list, doors = walk
    page = browser_context.new_page()
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)
    page.route("**/api/outcomes", lambda route: route.fulfill(status=503, body="busy"))
    record_door(page, doors[0].id, "Not home")
    page.goto(f"{live_server.url}/account")  # outside the worker's scope, no outbox script
    page.get_by_role("button", name="Sign out", exact=True).click()
    dialog = page.locator("dialog.signout-ask")
    dialog.wait_for(timeout=TIMEOUT_MS)
    assert "1 door is not sent yet" in dialog.inner_text()
    dialog.get_by_role("button", name="Sign out anyway").click()
    page.wait_for_url("**/login", timeout=TIMEOUT_MS)
    assert _kept(page) == []
    for store in ("outbox", "sent", "rejected", "meta"):
        assert idb_all(page, store) == [], store
