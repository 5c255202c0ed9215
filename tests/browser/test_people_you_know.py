"""People you know on a 360x780 phone, in Chromium with the real pages and CSP: a volunteer adds a
friend, confirms the register's "your neighbour on Mill Road", and records a talk."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import ContactEvent, Household, Person, SurveyResponse
from tests.browser.helpers import TIMEOUT_MS, sign_in

pytestmark = pytest.mark.browser


def test_add_a_friend_confirm_them_and_record_a_talk(live_server, phone, db, make_user):
    home = Household(street="MILL ROAD", house_number="27", postcode="CB1 2AB", building_key="b27", lon=-71.11, lat=42.37)
    db.add(home)
    db.flush()
    friend = Person(household_id=home.id, first_name="Samuel", last_name="Jones")
    db.add(friend)
    db.commit()
    user = make_user(roles="volunteer", name="Robin Hood")
    page = phone.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    sign_in(page, live_server.url, user.email)

    page.goto(f"{live_server.url}/me")
    page.get_by_role("link", name="List the people you know").click()
    page.get_by_label("Their name").fill("Sam Jones")
    page.get_by_label("Their postcode").fill("cb12ab")
    page.get_by_role("button", name="Add", exact=True).click()
    question = page.locator("p.question")
    question.wait_for(timeout=TIMEOUT_MS)
    assert question.inner_text() == "We think this is your neighbour on Mill Road. Is it?"
    assert "27" not in page.inner_text("main") and "Samuel" not in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"

    page.get_by_role("button", name="Yes").click()
    page.wait_for_selector("text=is on your talk list", timeout=TIMEOUT_MS)
    page.get_by_role("link", name="Talk to your people").first.click()
    page.wait_for_selector("text=Hi Sam, it's Robin.", timeout=TIMEOUT_MS)
    page.get_by_label("Talked: will vote").check()
    page.get_by_label("Support").select_option(label="Strong support")
    page.get_by_label("Notes").fill("Over the garden fence")
    page.get_by_role("button", name="Save talk with Sam Jones").click()
    page.wait_for_selector("text=Recorded. Thank you!", timeout=TIMEOUT_MS)
    assert "Last time: Talked: will vote" in page.inner_text("main")

    db.rollback()
    [event] = db.execute(sa.select(ContactEvent)).scalars().all()
    assert (event.channel, event.code, event.person_id, event.notes) == ("relational", "will_vote", friend.id,
                                                                        "Over the garden fence")
    assert db.execute(sa.select(SurveyResponse.support_level)).scalar_one() == "1"
    assert errors == []
