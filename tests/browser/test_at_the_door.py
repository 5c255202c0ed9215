"""At the door on a 360x780 phone: offline, add a resident with their phone number and consent;
back online it syncs once and is on the organiser's review page. A poster asked for at the door is
on the follow-up queue."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import FollowUp, Person, PersonFix
from tests.browser.helpers import TIMEOUT_MS, lose_signal, regain_signal, sign_in
from tests.support.canvass import done

pytestmark = pytest.mark.browser


def _open(phone, live_server, user, walk_list):
    page = phone.new_page()
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)
    return page


def test_offline_new_resident_with_a_phone_syncs_and_shows_for_review(live_server, phone, walk, db, make_user):
    user, walk_list, doors = walk
    page = _open(phone, live_server, user, walk_list)
    lose_signal(phone, live_server)
    door = page.locator(f"#door-{doors[0].id}")
    door.locator(".record-btn").click()
    door.locator(".more > summary").click()
    door.locator("select[name='fix_who']").select_option("new")
    door.get_by_label("First name").fill("Ada")
    door.get_by_label("Last name").fill("Newcomer")
    door.locator("input[name='fix_phone']").fill("(617) 555-0142")
    door.locator("button.save-fix").click()
    assert "consent" in door.locator(".people-fix .field-error").inner_text()  # not without consent
    door.locator("input[name='fix_consent']").check()
    door.locator("button.save-fix").click()
    page.wait_for_selector(".fixes-done li[data-state='pending']", timeout=TIMEOUT_MS)
    page.wait_for_selector("#sync[data-pending='1']", timeout=TIMEOUT_MS)
    done(db)
    assert db.execute(sa.select(sa.func.count()).select_from(PersonFix)).scalar_one() == 0
    done(db)

    regain_signal(phone, live_server)
    page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
    page.wait_for_selector(".fixes-done li[data-state='sent']", timeout=TIMEOUT_MS)
    done(db)
    added = db.execute(sa.select(Person).where(Person.first_name == "Ada")).scalar_one()
    fix = db.execute(sa.select(PersonFix)).scalar_one()
    done(db)
    assert (added.household_id, added.phone, fix.kind, fix.actor_user_id) == (doors[0].id, "+16175550142", "add", user.id)
    assert fix.consent_text and fix.consent_at is not None

    organiser = make_user(roles="organiser")
    done(db)
    office = phone.new_page()
    sign_in(office, live_server.url, organiser.email)
    office.goto(f"{live_server.url}/organiser/field-fixes")
    row = office.locator(f"#fix-{fix.id}")
    assert "Ada Newcomer" in row.inner_text() and "+16175550142" in row.inner_text()


def test_a_poster_at_the_door_reaches_the_follow_up_queue(live_server, phone, walk, db, make_user):
    user, walk_list, doors = walk
    page = _open(phone, live_server, user, walk_list)
    door = page.locator(f"#door-{doors[1].id}")
    door.locator(".record-btn").click()
    door.locator("label.code", has_text="Spoke").click()
    door.locator(".more > summary").click()
    door.locator(".person-more label.check", has_text="Poster").click()
    door.get_by_label("Question to follow up (the campaign will answer)").fill("When is the count?")
    door.get_by_role("button", name="Save").click()
    page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
    page.wait_for_selector(f"#door-{doors[1].id}[data-state='sent']", timeout=TIMEOUT_MS)
    done(db)
    assert sorted(db.execute(sa.select(FollowUp.kind)).scalars()) == ["poster", "question"]
    done(db)
    organiser = make_user(roles="organiser")
    done(db)
    office = phone.new_page()
    sign_in(office, live_server.url, organiser.email)
    office.goto(f"{live_server.url}/organiser/follow-ups")
    table = office.locator("#follow-ups").inner_text()
    assert "Wants a poster" in table and "When is the count?" in table
