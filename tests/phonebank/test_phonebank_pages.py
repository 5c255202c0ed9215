"""The caller's pages: next call, the call screen, the outcome form; privacy; no Twilio."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.models import CallAttempt, CallQueueEntry, ContactEvent, SurveyResponse
from tests.support.web import csrf_token_from

from tests.support.phonebank import WEST

# The pages use the real clock: open the calling window all day so these tests never depend on it
# (calling hours themselves are tested with a frozen clock in test_phonebank_queue.py).
pytestmark = pytest.mark.parametrize("app", [{"PHONEBANK": {"calling_window": ["00:00", "00:00"]}}],
                                     indirect=True)


@pytest.fixture
def caller(auth):
    return auth.login_as("caller", name="Casey")


def next_call(client, auth):
    response = client.post("/phonebank/next", data={"csrf_token": auth.csrf_token("/phonebank/")})
    assert response.status_code == 302
    return response.headers["Location"]


def outcome(client, path, code, then="next", **fields):
    page = client.get(path)
    html = page.get_data(as_text=True)
    event_id = re.search(r'name="event_id"[^>]*value="([^"]+)"', html).group(1)
    data = {"csrf_token": csrf_token_from(html), "event_id": event_id, "code": code, "then": then, **fields}
    return client.post(f"{path}/outcome", data=data)


def test_caller_works_through_calls(client, auth, caller, db, make_callee):
    first, second = make_callee(priority=0), make_callee(WEST, priority=1)
    home = client.get("/phonebank/")
    assert home.status_code == 200 and "2 numbers ready to call" in home.get_data(as_text=True)
    path = next_call(client, auth)
    html = client.get(path).get_data(as_text=True)
    assert f"Hi, is this {first.first_name}? I&#39;m Casey, a volunteer with Legwork demo campaign" in html
    assert f'href="tel:{first.phone}"' in html
    assert "Call through the campaign" not in html  # no Twilio settings: tel: links only
    response = outcome(client, path, "spoke", support_level="1", issues=["Housing", "Transport"],
                       volunteer_interest="y", notes="Lovely chat")
    assert response.status_code == 302
    second_path = response.headers["Location"]
    assert second_path != path and second.phone in client.get(second_path).get_data(as_text=True)
    db.rollback()
    event = db.exec(sa.select(ContactEvent)).scalars().one()
    assert (event.channel, event.code, event.person_id, event.notes) == ("phone", "spoke", first.id, "Lovely chat")
    survey = db.exec(sa.select(SurveyResponse)).scalars().one()
    assert (survey.support_level, survey.issues, survey.volunteer_interest) == ("1", "Housing|Transport", True)
    response = outcome(client, second_path, "no_answer", then="stop")
    assert response.headers["Location"].endswith("/phonebank/")
    page = client.get("/phonebank/").get_data(as_text=True)
    assert "Saved: No answer" in page and "2 attempts, 1 connect" in page


def test_call_screen_shows_door_and_phone_history(client, auth, caller, db, make_callee, settings):
    from app.contacts import Actor, record_contacts

    from tests.support.phonebank import new_id

    person = make_callee(people=2)
    record_contacts(db, events=[{"id": new_id(), "code": "not_home", "household_id": person.household_id,
                                 "recorded_at": "2024-10-01T15:00:00Z", "notes": "Dog in the yard"}],
                    actor=Actor(label="test"), settings=settings, channel="door")
    db.commit()
    html = client.get(next_call(client, auth)).get_data(as_text=True)
    assert "Door: Not home" in html and "Dog in the yard" in html
    assert html.count("(on this number)") == 2  # make_household gave both residents the number


def test_call_back_needs_a_time_in_their_zone(client, auth, caller, db, make_callee):
    person = make_callee(WEST)
    path = next_call(client, auth)
    response = outcome(client, path, "call_back")
    assert response.status_code == 422 and "Choose when to call back" in response.get_data(as_text=True)
    response = outcome(client, path, "call_back", call_back_at="2099-06-01T18:30")
    assert response.status_code == 422 and "within 90 days" in response.get_data(as_text=True)
    db.rollback()
    assert db.exec(sa.select(ContactEvent)).first() is None
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    la = ZoneInfo("America/Los_Angeles")
    when = (datetime.now(la) + timedelta(days=2)).replace(hour=18, minute=30, second=0, microsecond=0)
    response = outcome(client, path, "call_back", then="stop", call_back_at=when.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302
    db.rollback()
    entry = db.exec(sa.select(CallQueueEntry).where(CallQueueEntry.person_id == person.id)).scalars().one()
    assert entry.status == "queued" and entry.next_call_at == when.astimezone(timezone.utc)


def test_missing_outcome_is_refused_and_changes_nothing(client, auth, caller, db, make_callee):
    make_callee()
    path = next_call(client, auth)
    response = outcome(client, path, "")
    assert response.status_code == 422
    assert "Choose what happened on the call." in response.get_data(as_text=True)
    db.rollback()
    assert db.exec(sa.select(CallQueueEntry.status)).scalars().one() == "claimed"


@pytest.mark.parametrize("code, fields, message", [
    ("", {}, "Choose what happened on the call."),
    ("call_back", {}, "Choose when to call back."),
    ("call_back", {"call_back_at": "2020-01-01T10:00"}, "The call-back time must be in the future, within 90 days."),
])
def test_an_outcome_not_saved_says_so_on_the_first_screen(client, auth, caller, db, make_callee, code, fields,
                                                          message):
    make_callee()
    path = next_call(client, auth)
    response = outcome(client, path, code, notes="Asked about the bus route", **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    # On a phone the form is several screens down, and the answer page opens at the top: the
    # message must come before the dial button, not only next to the outcome buttons.
    summary = re.search(r'<p class="flash error" role="alert" id="not-saved">(.*?)</p>', html, re.S)
    assert summary and message in summary.group(1)
    assert html.index('id="not-saved"') < html.index('id="tel-link"')
    assert "Asked about the bus route</textarea>" in html  # what they typed is kept
    db.rollback()
    assert db.exec(sa.select(ContactEvent)).first() is None


def test_a_clean_call_screen_has_no_error_summary(client, auth, caller, make_callee):
    make_callee()
    assert 'id="not-saved"' not in client.get(next_call(client, auth)).get_data(as_text=True)


def test_nobody_to_call_says_why(client, auth, caller):
    response = client.post("/phonebank/next", data={"csrf_token": auth.csrf_token("/phonebank/")},
                           follow_redirects=True)
    assert "No one to call right now: the queue is empty." in response.get_data(as_text=True)


def test_an_empty_queue_says_when_the_next_call_comes_due(client, auth, caller, db, make_callee):
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    soon = datetime.now(timezone.utc).replace(second=0, microsecond=0) + timedelta(hours=3)
    make_callee(), make_callee()
    # two retries waiting; the earlier one is what the caller waits for
    for entry, minutes in zip(db.exec(sa.select(CallQueueEntry).order_by(CallQueueEntry.id)).scalars(), (90, 0)):
        entry.next_call_at = soon + timedelta(minutes=minutes)
    db.commit()
    status = re.search(r'id="queue-status">(.*?)</p>', client.get("/phonebank/").get_data(as_text=True), re.S)
    local = soon.astimezone(ZoneInfo("America/New_York")).strftime("%a %d %b %H:%M")  # the campaign's clock
    assert f"2 scheduled for later: the next comes due {local}." in " ".join(status.group(1).split())


def test_a_call_with_its_outcome_in_has_no_dial_button(client, auth, caller, db, make_callee):
    person = make_callee()
    path = next_call(client, auth)
    assert outcome(client, path, "do_not_call", then="stop").status_code == 302
    html = client.get(path).get_data(as_text=True)  # e.g. the caller pressed Back
    assert "Outcome recorded: Do not call." in html
    assert f"tel:{person.phone}" not in html and 'id="tel-link"' not in html


def test_skip_returns_the_number(client, auth, caller, db, make_callee):
    make_callee()
    path = next_call(client, auth)
    response = client.post(f"{path}/skip", data={"csrf_token": auth.csrf_token(path)})
    assert response.status_code == 302
    db.rollback()
    assert db.exec(sa.select(CallQueueEntry.status)).scalars().one() == "queued"
    assert db.exec(sa.select(CallAttempt)).first() is None


def test_skip_then_next_call_serves_someone_else_then_says_who_waits(client, auth, caller, db, make_callee):
    first, second = make_callee(), make_callee()
    path = next_call(client, auth)
    db.rollback()
    assert db.get(CallAttempt, int(path.rsplit("/", 1)[1])).person_id == first.id
    client.post(f"{path}/skip", data={"csrf_token": auth.csrf_token(path)})
    again = next_call(client, auth)
    db.rollback()
    assert db.get(CallAttempt, int(again.rsplit("/", 1)[1])).person_id == second.id
    client.post(f"{again}/skip", data={"csrf_token": auth.csrf_token(again)})
    response = client.post("/phonebank/next", data={"csrf_token": auth.csrf_token("/phonebank/")},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "No one to call right now (2 you skipped, back to you within 60 minutes)" in html
    assert "2 you skipped (back to you later)." in html


def test_an_organisers_skip_cannot_end_a_callers_live_call(client, auth, db, make_callee):
    make_callee()
    caller = auth.login_as("caller")
    path = next_call(client, auth)
    auth.logout()
    auth.login_as("organiser")
    html = client.get(path).get_data(as_text=True)
    assert 'id="not-yours"' in html and "another caller's call" in html and f"{path}/skip" not in html and f"{path}/outcome" not in html
    assert client.post(f"{path}/skip", data={"csrf_token": auth.csrf_token("/phonebank/")}).status_code == 403
    auth.logout()
    auth.login(caller.email)
    assert client.get(path).status_code == 200
    assert outcome(client, path, "spoke", then="stop").status_code == 302
    db.rollback()
    assert db.exec(sa.select(CallAttempt.disposition)).scalars().one() == "spoke"
    assert db.exec(sa.select(CallQueueEntry.status)).scalars().one() == "done"


def test_a_caller_never_sees_another_callers_call(client, auth, db, make_callee, make_caller):
    make_callee()
    auth.login_as("caller")
    path = next_call(client, auth)
    auth.logout()
    auth.login_as("caller")
    assert client.get(path).status_code == 403
    token = auth.csrf_token("/phonebank/")
    assert client.post(f"{path}/outcome", data={"csrf_token": token, "code": "spoke", "event_id": "x"}).status_code == 403
    assert client.post(f"{path}/skip", data={"csrf_token": token}).status_code == 403
    db.rollback()
    assert db.exec(sa.select(CallQueueEntry.status)).scalars().one() == "claimed"


def test_phone_bank_needs_the_caller_role(client, auth):
    assert client.get("/phonebank/").status_code == 302  # to sign in
    auth.login_as("canvasser")
    assert client.get("/phonebank/").status_code == 403


def test_without_twilio_nothing_breaks(client, auth, caller, db, make_callee):
    make_callee()
    path = next_call(client, auth)
    response = client.post(f"{path}/bridge", data={"csrf_token": auth.csrf_token(path),
                                                   "caller_phone": "+16175550199"}, follow_redirects=True)
    assert "Calling through the campaign is not set up" in response.get_data(as_text=True)
    db.rollback()
    assert db.exec(sa.select(CallAttempt.twilio_call_sid)).scalars().one() is None
    attempt_id = path.rsplit("/", 1)[1]
    assert client.post(f"/phonebank/twiml/{attempt_id}").status_code == 404
    assert client.post(f"/phonebank/status/{attempt_id}", data={"CallSid": "CA1", "CallStatus": "completed"}
                       ).status_code == 404


def test_the_home_page_stops_counting_at_its_cap(client, auth, caller, db, make_callee, monkeypatch):
    """A state's queue holds 100,000s of numbers: the caller's page says "N+" past the cap, and
    counts exactly below it (each counted entry checks the ledger: a whole queue took seconds)."""
    from app.phonebank import views_calls

    monkeypatch.setattr(views_calls, "WAITING_CAP", 2)
    for _ in range(3):
        make_callee()
    assert "2+ numbers ready to call" in client.get("/phonebank/").get_data(as_text=True)
    monkeypatch.setattr(views_calls, "WAITING_CAP", 3)
    assert "3 numbers ready to call" in client.get("/phonebank/").get_data(as_text=True)
