"""What the server refuses or cannot take never vanishes into a silent retry loop on the phone:
refused for good goes to the "Could not be sent" tray, a 5xx for one list does not hold up the
others, a poison item is split out and shown, and items of an earlier sign-in are counted and sent.
Server answers the server cannot give yet are simulated with Playwright's page.route.
"""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from app.models import ContactEvent
from tests.browser.helpers import TIMEOUT_MS, idb_all, lose_signal, record_door, regain_signal, sign_in
from tests.support.canvass import done

pytestmark = pytest.mark.browser


@pytest.fixture
def two_lists(db, make_ward, make_household, make_user, make_walk_list):
    """A canvasser with two lists of three doors: (user, list A, A's doors, list B, B's doors)."""
    ward = make_ward("W1", "Ward 9")
    doors = [make_household(ward, street="Elm St" if n <= 3 else "Oak St", house_number=str(n),
                            lon=-71.119 + n * 1e-4, lat=42.371, people=1) for n in range(1, 7)]
    user = make_user(roles="canvasser")
    a = make_walk_list(doors[:3], name="Ward 9 · 1", assign_to=user, ward=ward)
    b = make_walk_list(doors[3:], name="Ward 9 · 2", assign_to=user, ward=ward)
    done(db)
    return user, a, doors[:3], b, doors[3:]


def _stored(db) -> list[int]:
    done(db)
    rows = db.exec(sa.select(ContactEvent.household_id)).all()
    done(db)
    return sorted(r[0] for r in rows)


# The page's own outbox: outbox.js is an ES module, and importing its URL again returns the
# instance the page already runs (one module map per document), not a second outbox.
OUTBOX = "import('/static/canvass/outbox.js').then(m => m.outbox)"


def _open_list(page, live_server, user, walk_list) -> None:
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)


def _add(page, household_id: int, walk_list_id: int) -> None:
    page.evaluate("([h, w]) => " + OUTBOX + """.then(outbox => outbox.add({household_id: h, walk_list_id: w, code: "not_home"},
                                                          {address: "house " + h, label: "Not home"}))""",
                  [household_id, walk_list_id])


def _flush(page) -> None:
    """Wait for any flush under way, then run a fresh one to its end."""
    page.evaluate("() => " + OUTBOX + ".then(async outbox => { await outbox.flush(); await outbox.flush(); })")


def test_a_5xx_on_one_list_does_not_block_another_and_a_poison_item_is_split_out(
        live_server, browser_context, two_lists, db):
    user, a, a_doors, b, b_doors = two_lists
    page = browser_context.new_page()
    _open_list(page, live_server, user, a)
    page.route("**/api/outcomes", lambda route: route.abort())  # queued, nothing sent yet
    for door in a_doors:
        record_door(page, door.id, "Not home")
    _add(page, b_doors[0].id, b.id)
    page.wait_for_selector("#sync[data-pending='4']", timeout=TIMEOUT_MS)

    poison = a_doors[1].id
    posts = []

    def server(route):
        outcomes = json.loads(route.request.post_data)["outcomes"]
        posts.append(len(outcomes))
        if any(o["household_id"] == poison for o in outcomes):
            route.fulfill(status=500, content_type="text/html", body="<h1>Internal Server Error</h1>")
        else:
            route.continue_()

    page.unroute("**/api/outcomes")
    page.route("**/api/outcomes", server)
    _flush(page)  # list A's chunk of 3 fails: list B's item goes all the same
    assert b_doors[0].id in _stored(db)
    assert 3 in posts[:2]  # A's chunk whole, before or after B's item: the two lists go in either order

    # The chunk that keeps failing is halved on each flush until the poison item is alone.
    for _ in range(4):
        if page.locator("#sync[data-stuck='1']").count():
            break
        _flush(page)
    page.wait_for_selector("#sync[data-stuck='1']", timeout=TIMEOUT_MS)
    assert a_doors[0].id in _stored(db)
    line = page.locator("#sync").inner_text()
    assert "could not take this one yet: retrying (attempt 1); tell your organiser if this stays" in line
    assert "synced" not in line
    badge = page.locator(f"#door-{poison} .badge").inner_text()
    assert "could not take this one yet" in badge and "attempt 1" in badge

    _flush(page)  # the poison item waits out its back-off; the item behind it goes
    page.wait_for_selector("#sync[data-pending='1'][data-stuck='1']", timeout=TIMEOUT_MS)
    assert _stored(db) == sorted([a_doors[0].id, a_doors[2].id, b_doors[0].id])

    before = len(posts)
    page.evaluate("() => " + OUTBOX + ".then(outbox => outbox.flush({force: true}))")  # sign-out's flush: tries it again now
    page.wait_for_selector("#sync[data-stuck='1']:has-text('attempt 2')", timeout=TIMEOUT_MS)
    assert posts[before:] == [1]
    page.unroute("**/api/outcomes")
    page.evaluate("() => " + OUTBOX + ".then(outbox => outbox.flush({force: true}))")
    page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
    assert _stored(db) == sorted(d.id for d in a_doors + b_doors[:1])


def test_refused_items_go_to_the_tray_with_the_reason_offline_too_and_can_be_dismissed(
        live_server, browser_context, two_lists, db):
    user, a, a_doors, _, _ = two_lists
    page = browser_context.new_page()
    _open_list(page, live_server, user, a)
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)
    posts = []

    def refuse_each(route):
        outcomes = json.loads(route.request.post_data)["outcomes"]
        posts.append(len(outcomes))
        results = [{"id": o["id"], "status": "rejected", "reason": "This door was taken off your list."}
                   for o in outcomes]
        route.fulfill(status=200, content_type="application/json", body=json.dumps({"results": results}))

    page.route("**/api/outcomes", refuse_each)
    record_door(page, a_doors[0].id, "Not home")
    page.wait_for_selector("#tray:not([hidden]) .tray-item", timeout=TIMEOUT_MS)
    page.unroute("**/api/outcomes")

    message = "Household 2491 is not on a list assigned to you."
    page.route("**/api/outcomes", lambda route: (posts.append(1), route.fulfill(
        status=403, content_type="application/json", body=json.dumps({"error": "forbidden", "message": message}))))
    record_door(page, a_doors[1].id, "Spoke")
    page.wait_for_selector("#tray[data-count='2']", timeout=TIMEOUT_MS)
    _flush(page)
    assert len(posts) == 2, "a refused item is never sent again"
    page.wait_for_selector("#sync[data-pending='0'][data-rejected='2']", timeout=TIMEOUT_MS)
    assert _stored(db) == []

    lose_signal(browser_context, live_server)
    page.reload()
    page.wait_for_selector("#tray[data-count='2']", timeout=TIMEOUT_MS)
    items = page.locator("#tray .tray-item").all_inner_texts()
    assert "Not home" in items[0] and "This door was taken off your list." in items[0]
    assert "Spoke" in items[1] and message in items[1]
    page.locator("a.button", has_text="My lists").click()  # the tray is on My lists too
    page.wait_for_selector("#tray[data-count='2']", timeout=TIMEOUT_MS)

    page.locator("#tray .tray-item").first.get_by_role("button", name="Dismiss").click()
    page.wait_for_selector("#tray[data-count='1']", timeout=TIMEOUT_MS)
    page.locator("#tray .tray-item").get_by_role("button", name="Dismiss").click()
    page.wait_for_selector("#tray[hidden][data-count='0']", state="attached", timeout=TIMEOUT_MS)
    assert idb_all(page, "rejected") == []
    regain_signal(browser_context, live_server)


def test_items_of_an_earlier_sign_in_are_counted_and_sent(live_server, browser_context, two_lists, db):
    user, a, a_doors, _, _ = two_lists
    page = browser_context.new_page()
    _open_list(page, live_server, user, a)
    page.route("**/api/outcomes", lambda route: route.abort())
    # A door recorded under a PIN that was since revoked and re-issued: another owner.
    page.evaluate("""([h, w]) => new Promise((ok, no) => {
        const r = indexedDB.open("legwork");
        r.onerror = no;
        r.onsuccess = () => {
            const t = r.result.transaction("outbox", "readwrite");
            const id = crypto.randomUUID();
            t.objectStore("outbox").put({id: id, owner: "pin:999", listId: w, createdAt: Date.now(),
                payload: {id: id, household_id: h, walk_list_id: w, code: "spoke", recorded_at: new Date().toISOString()}});
            t.oncomplete = () => { r.result.close(); ok(); };
        };
    })""", [a_doors[2].id, a.id])
    page.reload()
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    page.wait_for_selector("#sync[data-pending='1']", timeout=TIMEOUT_MS)
    line = page.locator("#sync").inner_text()
    assert "1 waiting to sync" in line and "earlier sign-in" in line and "synced" not in line

    page.unroute("**/api/outcomes")
    _flush(page)
    page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
    assert _stored(db) == [a_doors[2].id]


def test_a_released_list_leaves_the_phone_but_its_unsent_doors_stay(live_server, browser_context, two_lists, db):
    from app.walk_lists import release_list
    from tests.browser.helpers import cached_urls

    user, a, a_doors, _, _ = two_lists
    page = browser_context.new_page()
    _open_list(page, live_server, user, a)
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)
    page.route("**/api/outcomes", lambda route: route.abort())
    record_door(page, a_doors[0].id, "Not home")
    assert any(f"/api/lists/{a.id}" in u for u in cached_urls(page))

    release_list(db, walk_list_id=a.id, by_id=None)
    db.commit()
    done(db)
    page.reload()  # the server now refuses the list
    assert "This list is closed" in page.locator("main").inner_text()  # the server says why (410 list_closed)
    kept = cached_urls(page)
    assert not [u for u in kept if f"/lists/{a.id}" in u], kept
    assert len(idb_all(page, "outbox")) == 1, "its unsent door stays on the phone"


def test_a_403_for_a_batch_refuses_only_the_door_it_is_about(
        live_server, browser_context, two_lists, db, make_household, make_user, make_walk_list):
    """Today's server refuses a whole batch (403) when one door in it is not the caller's: the phone
    splits the batch so the good doors are stored and only that door goes to the tray."""
    user, a, a_doors, _, _ = two_lists
    stranger = make_household(None, street="Far St", house_number="99")
    make_walk_list([stranger], name="Someone else's", assign_to=make_user(roles="canvasser"))
    done(db)
    page = browser_context.new_page()
    _open_list(page, live_server, user, a)
    page.route("**/api/outcomes", lambda route: route.abort())
    for door in a_doors:
        record_door(page, door.id, "Not home")
    _add(page, stranger.id, a.id)
    page.wait_for_selector("#sync[data-pending='4']", timeout=TIMEOUT_MS)

    page.unroute("**/api/outcomes")
    _flush(page)
    assert _stored(db) == sorted(d.id for d in a_doors)
    page.wait_for_selector("#sync[data-pending='0'][data-rejected='1']", timeout=TIMEOUT_MS)
    assert page.locator("#tray .tray-item").inner_text().startswith(f"house {stranger.id}")
