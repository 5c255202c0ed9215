"""Phone knock-up: a committee room's pledges not yet voted, in the phone bank's queue, and the
strike-off taking voters off it up to the moment a caller presses Next."""
from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.errors import NotFound, ValidationError
from app.models import CallQueueEntry, CallSheet, CallSheetEntry, DoNotContact, Person
from app.phonebank import operations, queue
from app.pollingday.operations import set_committee_room
from app.pollingday.phone_knockup import start_phone_knockup
from app.pollingday.tellings import store_tellings
from tests.support.pledges import answer, person_by_number
from tests.support.pollingday import telling

# 16:00 UTC: noon in Boston (the campaign's clock, and where the +1617 numbers ring).
NOON = datetime(2024, 10, 15, 16, 0, tzinfo=timezone.utc)


def _phone(db, person_id: int, phone: str) -> None:
    db.execute(sa.update(Person).where(Person.id == person_id).values(phone=phone))
    db.commit()


def _tell(db, station: int, number: str) -> None:
    [status] = write_transaction(db, lambda s: store_tellings(s, items=[telling(station, number)], actor_user_id=None))
    assert status.status == "stored", status


def _start(db, room_id: int, settings, user_id=None, now=NOON):
    return write_transaction(db, lambda s: start_phone_knockup(s, committee_room_id=room_id, created_by_id=user_id,
                                                                settings=settings, now=now))


@pytest.fixture
def west(db, polling_day, settings):
    """A room for district AA and who is who in it (AB's Gwen is another room's pledge)."""
    room_id = write_transaction(db, lambda s: set_committee_room(s, name="West room", district_codes=["AA"]).id)
    people = {name: person_by_number(db, number) for name, number in (
        ("ada", "AA-1"), ("bryn", "AA-2"), ("cara", "AA-3"), ("dev", "AA-4"), ("elsie", "AA-5"), ("finlay", "AA-6"),
        ("gwen", "AB-1"), ("ivo", "AB-3"))}
    for name in ("ada", "bryn", "cara", "dev", "elsie", "finlay", "gwen"):
        answer(db, people[name], "1")
    answer(db, people["ivo"], "5")                                  # against: no pledge
    for i, name in enumerate(("ada", "finlay", "bryn", "cara", "elsie", "gwen", "ivo"), start=1):
        _phone(db, people[name], f"+1617555{i:04d}")                # Dev has no number
    db.add(DoNotContact(person_id=people["elsie"], channel="phone", reason="asked"))
    db.commit()
    _tell(db, polling_day.west, "AA-3")                             # Cara has voted
    return room_id, people


def _sheet_people(db, sheet_ids) -> set[int]:
    got = set(db.execute(sa.select(CallSheetEntry.person_id).where(CallSheetEntry.sheet_id.in_(sheet_ids))).scalars())
    db.rollback()
    return got


def _queued(db) -> dict[int, tuple]:
    db.expire_all()
    rows = db.execute(sa.select(CallQueueEntry.person_id, CallQueueEntry.status, CallQueueEntry.last_disposition)).all()
    db.rollback()
    return {pid: (status, why) for pid, status, why in rows}


def test_the_sheet_holds_the_rooms_pledges_not_yet_voted_with_a_number_we_may_ring(db, west, settings, make_user):
    room_id, p = west
    organiser = make_user(roles="organiser")
    got = _start(db, room_id, settings, user_id=organiser.id)
    # Bryn: postal. Cara: voted. Dev: no number. Elsie: do not call. Gwen: the other room's. Ivo: against.
    assert _sheet_people(db, got.sheet_ids) == {p["ada"], p["finlay"]}
    assert (got.people, got.queued) == (2, 2)
    assert _queued(db) == {p["ada"]: ("queued", None), p["finlay"]: ("queued", None)}
    [sheet] = [db.get(CallSheet, i) for i in got.sheet_ids]
    assert (sheet.name, sheet.criteria, sheet.in_queue, sheet.created_by_id) == (
        "Knock-up · West room · 12:00 · 1/1", "knockup", True, organiser.id)
    assert sheet.timezone == "America/New_York"


def test_a_telling_stored_after_the_sheet_keeps_that_voter_from_the_next_caller(db, west, settings, make_user,
                                                                                 polling_day):
    room_id, p = west
    _start(db, room_id, settings)
    _tell(db, polling_day.west, "AA-1")             # Ada votes a second before the caller presses Next
    assert queue.waiting(db, now=NOON, settings=settings).ready == 1
    caller, other = make_user(roles="caller"), make_user(roles="caller")
    attempt = queue.claim(db, caller_id=caller.id, now=NOON, settings=settings)
    assert attempt.person_id == p["finlay"]         # Ada's number was first in the queue
    assert _queued(db)[p["ada"]] == ("done", "voted")
    assert queue.claim(db, caller_id=other.id, now=NOON, settings=settings) is None


def test_a_lapsed_claim_on_a_voter_is_not_renewed(db, west, settings, make_user, polling_day):
    room_id, p = west
    _start(db, room_id, settings)
    caller = make_user(roles="caller")
    assert queue.claim(db, caller_id=caller.id, now=NOON, settings=settings).person_id == p["ada"]
    _tell(db, polling_day.west, "AA-1")             # she went to vote while the claim lapsed
    later = NOON + timedelta(minutes=settings.phonebank.claim_minutes + 1)
    assert queue.claim(db, caller_id=caller.id, now=later, settings=settings).person_id == p["finlay"]
    assert _queued(db)[p["ada"]] == ("done", "voted")


def test_only_knockup_sheets_follow_the_strike_off(db, west, settings, make_user, polling_day):
    _, p = west
    def ordinary_sheet(s):
        for sheet in operations.make_call_sheets(s, scope=f"neighbourhood:{polling_day.districts['AB']}",
                                                 criteria="all", priority="none", sheet_size=50, actor_user_id=None,
                                                 settings=settings):
            operations.enqueue_sheet(s, sheet_id=sheet.id, actor_user_id=None, settings=settings)

    write_transaction(db, ordinary_sheet)
    _tell(db, polling_day.east, "AB-1")             # Gwen votes; the ordinary phone bank still rings her
    attempt = queue.claim(db, caller_id=make_user(roles="caller").id, now=NOON, settings=settings)
    assert attempt.person_id == p["gwen"]


def test_a_new_round_rings_again_those_whose_call_is_over_but_not_those_closed_for_good(db, west, settings, make_user):
    room_id, p = west
    _start(db, room_id, settings)
    with pytest.raises(ValidationError, match="No pledge in West room is left to phone"):
        _start(db, room_id, settings, now=NOON + timedelta(minutes=5))   # both still waiting
    caller = make_user(roles="caller")
    for outcome in ("spoke", "refused"):            # Ada: "I'll go after work"; Finlay refuses
        attempt = queue.claim(db, caller_id=caller.id, now=NOON, settings=settings)
        write_transaction(db, lambda s: operations.record_disposition(
            s, attempt_id=attempt.id, caller=caller, event_id=operations.new_event_id(), code=outcome,
            settings=settings, now=NOON))
    again = _start(db, room_id, settings, now=NOON + timedelta(hours=4))
    assert _sheet_people(db, again.sheet_ids) == {p["ada"]}
    assert db.get(CallSheet, again.sheet_ids[0]).name == "Knock-up · West room · 16:00 · 1/1"
    db.rollback()
    assert queue.claim(db, caller_id=caller.id, now=NOON + timedelta(hours=4), settings=settings).person_id == p["ada"]


def test_a_room_with_nothing_to_ring(db, polling_day, settings):
    empty = write_transaction(db, lambda s: set_committee_room(s, name="East room", district_codes=["AB"]).id)
    with pytest.raises(ValidationError, match="No pledge in East room"):
        _start(db, empty, settings)
    with pytest.raises(NotFound):
        _start(db, 999999, settings)


# ---- the committee room's button ---------------------------------------------------------------
def test_the_room_starts_it_from_its_dashboard(client, auth, db, west):
    room_id, p = west
    auth.login_as("committee")
    page = client.get(f"/polling-day/rooms/{room_id}").get_data(as_text=True)
    assert f'action="/polling-day/rooms/{room_id}/phone-knockup"' in page
    token = auth.csrf_token(f"/polling-day/rooms/{room_id}")
    response = client.post(f"/polling-day/rooms/{room_id}/phone-knockup", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/polling-day/rooms/{room_id}")
    assert set(_queued(db)) == {p["ada"], p["finlay"]}
    text = html.unescape(client.get(f"/polling-day/rooms/{room_id}").get_data(as_text=True))
    assert "Phone knock-up started: 2 numbers (2 pledges)" in text
    again = client.post(f"/polling-day/rooms/{room_id}/phone-knockup", data={"csrf_token": token})
    assert again.status_code == 302
    after = html.unescape(client.get(again.headers["Location"]).get_data(as_text=True))
    assert "No pledge in West room is left to phone" in after
    assert db.execute(sa.select(sa.func.count()).select_from(CallSheet)).scalar_one() == 1
    db.rollback()
    auth.login_as("organiser")                      # the phone bank's sheets page says what the sheet is
    sheets = html.unescape(client.get("/phonebank/sheets").get_data(as_text=True))
    assert "Knock-up · West room · " in sheets and "Polling-day knock-up: pledges not yet voted" in sheets


def test_bad_requests_change_nothing(client, auth, db, west):
    room_id, _ = west
    auth.login_as("committee")
    token = auth.csrf_token(f"/polling-day/rooms/{room_id}")
    assert client.post("/polling-day/rooms/999999/phone-knockup", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/polling-day/rooms/{2**63}/phone-knockup", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/polling-day/rooms/{room_id}/phone-knockup", data={}).status_code in (400, 422)
    auth.login_as("caller")
    token = auth.csrf_token("/login")
    assert client.post(f"/polling-day/rooms/{room_id}/phone-knockup", data={"csrf_token": token}).status_code == 403
    assert db.execute(sa.select(sa.func.count()).select_from(CallSheet)).scalar_one() == 0
