"""A caller in a real (headless Chromium) phone browser works through three calls:
Next call -> call screen -> outcome -> next call, until the queue is empty."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.models import CallQueueEntry, ContactEvent, Person
from tests.browser.helpers import TIMEOUT_MS, lose_signal, regain_signal, sign_in
from tests.support.phonebank import EAST, WEST, make_callee, settings  # noqa: F401  (fixtures)

# The live server uses the real clock: open the calling window all day for this walk-through.
pytestmark = [pytest.mark.browser,
              pytest.mark.parametrize("app", [{"PHONEBANK": {"calling_window": ["00:00", "00:00"]}}], indirect=True)]


def test_caller_works_through_three_calls(live_server, browser_context, db, make_user, make_callee):
    people = [make_callee(EAST, priority=0), make_callee(WEST, priority=1), make_callee(EAST, priority=2)]
    user = make_user(roles="caller", name="Casey")
    page = browser_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server.url, user.email, lands_on="**/phonebank/")
    assert "3 numbers ready to call" in page.inner_text("#queue-status")

    page.click("#next-call")
    # Call 1: spoke, with survey answers
    page.wait_for_selector("#callee-name")
    assert page.inner_text("#callee-name") == people[0].full_name
    assert page.get_attribute("#tel-link", "href") == f"tel:{people[0].phone}"
    assert f"Hi, is this {people[0].first_name}? I'm Casey" in page.inner_text(".script-text")
    # only shown for "call back": hidden by the page's script, which may run after the name is shown
    expect(page.locator("#call-back")).to_be_hidden()
    page.get_by_label("Spoke", exact=True).check()
    page.select_option("#support_level", "1")
    page.get_by_label("Housing").check()
    page.fill("#notes", "Will vote early")
    page.click("#save-next")

    # Call 2: they ask to be called back tomorrow evening, their time (Los Angeles)
    # A locator, not wait_for_function: its string is eval'd in the page, which the CSP may refuse
    # while the next call screen loads (EvalError seen once).
    expect(page.locator("#callee-name")).to_have_text(people[1].full_name, timeout=TIMEOUT_MS)
    assert "Saved: Spoke" in page.inner_text("main")
    page.get_by_label("Call back at…").check()
    assert page.is_visible("#call-back")
    la = ZoneInfo("America/Los_Angeles")
    when = (datetime.now(la) + timedelta(days=1)).replace(hour=18, minute=0, second=0, microsecond=0)
    page.fill("#call_back_at", when.strftime("%Y-%m-%dT%H:%M"))
    page.click("#save-next")

    # Call 3: no answer; then the queue is empty
    # A locator, not wait_for_function: its string is eval'd in the page, which the CSP may refuse
    # while the next call screen loads (EvalError seen once).
    expect(page.locator("#callee-name")).to_have_text(people[2].full_name, timeout=TIMEOUT_MS)
    page.get_by_label("No answer").check()
    page.click("#save-next")
    page.wait_for_url("**/phonebank/")
    assert "No one to call right now" in page.inner_text("main")
    assert "3 attempts, 2 connects" in page.inner_text("#my-progress")

    db.rollback()
    db.expire_all()
    events = {e.person_id: e for e in db.exec(sa.select(ContactEvent)).scalars()}
    assert {pid: e.code for pid, e in events.items()} == {
        people[0].id: "spoke", people[1].id: "call_back", people[2].id: "no_answer"}
    entries = {e.person_id: e for e in db.exec(sa.select(CallQueueEntry)).scalars()}
    assert entries[people[0].id].status == "done"
    assert entries[people[1].id].next_call_at == when.astimezone(ZoneInfo("UTC"))
    assert entries[people[2].id].status == "queued" and entries[people[2].id].next_call_at is not None
    assert db.get(Person, people[0].id).phone_retired_at is None


def test_no_signal_keeps_the_outcome_on_the_call_screen(live_server, browser_context, db, make_user, make_callee):
    person = make_callee(EAST)
    user = make_user(roles="caller", name="Casey")
    page = browser_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server.url, user.email, lands_on="**/phonebank/")
    page.click("#next-call")
    page.wait_for_selector("#callee-name")
    call_url = page.url
    page.get_by_label("Spoke", exact=True).check()
    page.fill("#notes", "Wants a yard sign")

    lose_signal(browser_context, live_server)  # the signal drops as they press Save
    page.click("#save-next")
    note = page.wait_for_selector("#disposition-form .offline-note")
    assert "No signal: nothing was sent" in note.inner_text()
    assert page.url == call_url  # not the browser's error page
    assert page.is_checked("input[name=code][value=spoke]") and page.input_value("#notes") == "Wants a yard sign"

    regain_signal(browser_context, live_server)
    page.click("#save-next")
    page.wait_for_url("**/phonebank/")  # saved; the queue is empty now
    assert "Saved: Spoke" in page.inner_text("main")
    db.rollback()
    db.expire_all()
    [event] = db.exec(sa.select(ContactEvent)).scalars().all()
    assert (event.person_id, event.code, event.notes) == (person.id, "spoke", "Wants a yard sign")
