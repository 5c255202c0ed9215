"""One thumb, one screen (issue 19), on a 360x780 phone with a 62-door list: the page is short, a
typical door is three taps on a sheet that fits the screen with nothing to scroll, finished doors
fold into a "Done" group, a house number jumps to its door, and progress and sync stay in view."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import ContactEvent, Person, SurveyResponse
from tests.browser.conftest import PHONE
from tests.browser.helpers import TIMEOUT_MS, in_view, sign_in
from tests.support.canvass import done

pytestmark = pytest.mark.browser
LIST_HEIGHT_MAX = 5400  # px; 12,772 before (issue 19)


class Thumb:
    """Taps like a thumb: only what is already on screen (a tap that needed a scroll fails), counted."""

    def __init__(self, page):
        self.page, self.taps = page, 0

    def tap(self, selector: str) -> None:
        assert in_view(self.page, selector), f"{selector} is off the screen: the thumb would have to scroll"
        self.page.locator(selector).tap()
        self.taps += 1


def settle(page) -> None:
    """Wait until the list stops moving: a save scrolls the next door into view, smoothly."""
    last = None
    for _ in range(200):
        y = page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(scrollY))))")
        if y == last:
            return
        last = y
    raise AssertionError("the page kept scrolling")


def _open(phone, live_server, user, walk_list):
    page = phone.new_page()
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    return page


def _sheet_fits(page, hid: int) -> None:
    page.wait_for_selector(f"#door-{hid} dialog.sheet[open]", timeout=TIMEOUT_MS)
    box = page.evaluate(f"""() => {{ const d = document.querySelector('#door-{hid} dialog.sheet');
        const r = d.getBoundingClientRect(); return [r.top, r.bottom, d.scrollHeight, d.clientHeight]; }}""")
    top, bottom, scroll_height, client_height = box
    assert top >= 0 and bottom <= PHONE["height"], box
    assert scroll_height <= client_height, box  # nothing inside the sheet to scroll to
    print(f"door sheet: {bottom - top:.0f} px tall")  # for the report (-s)


def _people(db, hid: int) -> list[int]:
    ids = list(db.execute(sa.select(Person.id).where(Person.household_id == hid).order_by(Person.id)).scalars())
    done(db)
    return ids


def _stored(db, hid: int) -> tuple[str, dict]:
    done(db)
    event = db.execute(sa.select(ContactEvent).where(ContactEvent.household_id == hid)).scalar_one()
    support = dict(db.execute(sa.select(SurveyResponse.person_id, SurveyResponse.support_level)
                              .where(SurveyResponse.event_id == event.id)).all())
    done(db)
    return event.code, support


def test_a_typical_door_is_three_taps_on_one_screen(live_server, phone, long_walk, db):
    user, walk_list, doors = long_walk
    page = _open(phone, live_server, user, walk_list)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= LIST_HEIGHT_MAX, height
    print(f"list page: {height} px tall at 360x780, 62 doors")  # for the report (-s)

    # Three people behind the door, all strong supporters: the door, "Everyone: 1", Save.
    three = doors[2]
    thumb, scrolled = Thumb(page), page.evaluate("scrollY")
    thumb.tap(f"#door-{three.id} .record-btn")
    _sheet_fits(page, three.id)
    thumb.tap(f"#door-{three.id} .person.all .chip[data-value='1']")
    assert page.locator(f"#door-{three.id} label.code:has(input[value='spoke'])").evaluate("l => l.control.checked")
    assert page.evaluate("scrollY") == scrolled  # nothing moved under the thumb (after Save the list goes on)
    thumb.tap(f"#door-{three.id} button[type='submit']")
    assert thumb.taps == 3
    page.wait_for_selector(f"#door-{three.id}[data-state='sent']", timeout=TIMEOUT_MS)
    assert _stored(db, three.id) == ("spoke", {p: "1" for p in _people(db, three.id)})

    # Nobody in: the door, "Not home", Save. The door spoken to a moment ago folds away now.
    one = doors[0]
    thumb = Thumb(page)
    settle(page)
    page.locator(f"#door-{one.id}").scroll_into_view_if_needed()
    thumb.tap(f"#door-{one.id} .record-btn")
    _sheet_fits(page, one.id)
    thumb.tap(f"#door-{one.id} label.code:has(input[value='not_home'])")
    thumb.tap(f"#door-{one.id} button[type='submit']")
    assert thumb.taps == 3
    page.wait_for_selector(f"#door-{one.id}[data-state='sent']", timeout=TIMEOUT_MS)
    assert _stored(db, one.id) == ("not_home", {})
    assert page.locator(f"#done-group:not([open]) #door-{three.id}").count() == 1
    assert page.locator("#done-group > summary").inner_text().strip() == "Done · 1 door"
    assert page.locator(f"section.street #door-{one.id}").is_visible()  # not home: still to knock again

    # Two people who differ: one tap each (four in all), and Save reads each person's own chip.
    two = doors[1]
    thumb = Thumb(page)
    settle(page)
    page.locator(f"#door-{two.id}").scroll_into_view_if_needed()
    thumb.tap(f"#door-{two.id} .record-btn")
    _sheet_fits(page, two.id)
    first, second = _people(db, two.id)
    thumb.tap(f"#door-{two.id} .chips[data-person-id='{first}'] .chip[data-value='2']")
    thumb.tap(f"#door-{two.id} .chips[data-person-id='{second}'] .chip[data-value='4']")
    thumb.tap(f"#door-{two.id} button[type='submit']")
    assert thumb.taps == 4
    page.wait_for_selector(f"#door-{two.id}[data-state='sent']", timeout=TIMEOUT_MS)
    assert _stored(db, two.id) == ("spoke", {first: "2", second: "4"})


def test_issues_flags_and_notes_wait_behind_more(live_server, phone, long_walk, db):
    user, walk_list, doors = long_walk
    page = _open(phone, live_server, user, walk_list)
    door = doors[4]
    first, second = _people(db, door.id)
    sheet = page.locator(f"#door-{door.id}")
    sheet.locator(".record-btn").click()
    sheet.locator("label.code", has_text="Spoke").click()
    sheet.locator(".more > summary").click()
    sheet.locator(f".person-more[data-person-id='{first}'] label.check", has_text="Housing").click()
    sheet.locator(f".person-more[data-person-id='{second}'] label.check", has_text="Poster").click()
    sheet.locator("textarea").fill("Asked about the bus")
    sheet.get_by_role("button", name="Save").click()
    page.wait_for_selector(f"#door-{door.id}[data-state='sent']", timeout=TIMEOUT_MS)
    done(db)
    event = db.execute(sa.select(ContactEvent).where(ContactEvent.household_id == door.id)).scalar_one()
    rows = {r.person_id: (r.issues, r.poster) for r in
            db.execute(sa.select(SurveyResponse).where(SurveyResponse.event_id == event.id)).scalars()}
    done(db)
    assert (event.code, event.notes) == ("spoke", "Asked about the bus")
    assert rows == {first: ("Housing", False), second: ("", True)}

    # Escape closes the sheet and records nothing.
    page.locator(f"#door-{doors[5].id} .record-btn").click()
    page.wait_for_selector("dialog.sheet[open]", timeout=TIMEOUT_MS)
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.sheet", state="detached", timeout=TIMEOUT_MS)
    assert page.locator(f"#door-{doors[5].id}").get_attribute("data-state") == "none"


def test_jump_to_a_house_number_and_progress_stays_in_view(live_server, phone, long_walk, db):
    user, walk_list, doors = long_walk
    page = _open(phone, live_server, user, walk_list)
    elm_12, oak_12 = [d for d in doors if d.house_number == "12"][:2]

    page.fill("#jump-number", "12")
    page.press("#jump-number", "Enter")
    assert in_view(page, f"#door-{elm_12.id}")
    assert "Go again for the next" in page.locator("#jump-status").inner_text()
    page.press("#jump-number", "Enter")  # the next 12, on the next street
    assert in_view(page, f"#door-{oak_12.id}")
    page.fill("#jump-number", "999")
    page.press("#jump-number", "Enter")
    assert page.locator("#jump-status").inner_text() == "No door 999 on this list."

    # A finished door is found in the "Done" group, opened for it.
    page.locator(f"#door-{doors[0].id} .record-btn").click()
    page.locator(f"#door-{doors[0].id} label.code", has_text="Moved").click()
    page.locator(f"#door-{doors[0].id}").get_by_role("button", name="Save").click()
    page.wait_for_selector(f"#door-{doors[0].id}[data-state='sent']", timeout=TIMEOUT_MS)
    page.locator(f"#door-{doors[1].id} .record-btn").click()
    page.locator(f"#door-{doors[1].id} label.code", has_text="Refused").click()
    page.locator(f"#door-{doors[1].id}").get_by_role("button", name="Save").click()
    page.wait_for_selector(f"#done-group #door-{doors[0].id}", state="attached", timeout=TIMEOUT_MS)
    settle(page)
    page.fill("#jump-number", doors[0].house_number)
    page.press("#jump-number", "Enter")
    assert page.locator("#done-group").evaluate("d => d.open") and in_view(page, f"#door-{doors[0].id}")

    # At the foot of the list the progress, the sync line and the footer are all still on screen.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    settle(page)
    assert page.evaluate("scrollY") > 2000
    for selector in ("#progress-text", "#progress-bar", "#sync", "#jump-number", "#jump-next"):
        assert in_view(page, selector), selector
    assert page.locator("#progress-text").inner_text() == "2 of 62 doors recorded"
    page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
    assert "synced" in page.locator("#sync").inner_text()
