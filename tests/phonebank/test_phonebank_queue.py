"""The live queue: claiming, expiry, calling hours, and who is never served."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.contacts import Actor, record_contacts
from app.models import CallAttempt, CallQueueEntry, Person
from app.phonebank import operations, queue

from tests.support.phonebank import EAST, NOON_EAST, UK, WEST, entry_for, new_id


def test_claim_serves_best_priority_first_and_opens_an_attempt(db, make_callee, make_caller, settings):
    later = make_callee(priority=1.0)
    first = make_callee(priority=0.0)
    caller = make_caller()
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    assert (attempt.person_id, attempt.caller_id, attempt.phone) == (first.id, caller.id, first.phone)
    entry = entry_for(db, first.id)
    assert (entry.status, entry.claimed_by_id) == ("claimed", caller.id)
    assert entry.claim_expires_at == NOON_EAST + timedelta(minutes=settings.phonebank.claim_minutes)
    assert entry_for(db, later.id).status == "queued"


def test_claim_again_returns_the_open_claim_not_a_second_person(db, make_callee, make_caller, settings):
    make_callee(), make_callee()
    caller = make_caller()
    first = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    again = queue.claim(db, caller_id=caller.id, now=NOON_EAST + timedelta(minutes=1), settings=settings)
    assert again.id == first.id
    assert db.exec(sa.select(sa.func.count()).select_from(CallQueueEntry)
                   .where(CallQueueEntry.status == "claimed")).scalar_one() == 1


def test_empty_queue_gives_none(db, make_caller, settings):
    assert queue.claim(db, caller_id=make_caller().id, now=NOON_EAST, settings=settings) is None


def test_claim_expires_after_claim_minutes(db, make_callee, make_caller, settings):
    person = make_callee()
    walker, other = make_caller("Walks away"), make_caller("Other")
    queue.claim(db, caller_id=walker.id, now=NOON_EAST, settings=settings)
    minutes = settings.phonebank.claim_minutes
    assert queue.claim(db, caller_id=other.id, now=NOON_EAST + timedelta(minutes=minutes - 1),
                       settings=settings) is None
    taken = queue.claim(db, caller_id=other.id, now=NOON_EAST + timedelta(minutes=minutes), settings=settings)
    assert taken.person_id == person.id
    assert entry_for(db, person.id).claimed_by_id == other.id


def test_expire_claims_returns_stale_claims_to_the_queue(db, make_callee, make_caller, settings):
    stale, fresh = make_callee(), make_callee()
    a, b = make_caller(), make_caller()
    queue.claim(db, caller_id=a.id, now=NOON_EAST, settings=settings)
    queue.claim(db, caller_id=b.id, now=NOON_EAST + timedelta(minutes=5), settings=settings)
    assert queue.expire_claims(db, now=NOON_EAST + timedelta(minutes=12)) == 1
    db.commit()
    assert (entry_for(db, stale.id).status, entry_for(db, stale.id).claimed_by_id) == ("queued", None)
    assert entry_for(db, fresh.id).status == "claimed"


def test_skip_puts_the_number_back_and_forgets_the_attempt(db, make_callee, make_caller, settings):
    person = make_callee()
    caller = make_caller()
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    operations.skip_call(db, attempt_id=attempt.id, caller=caller, now=NOON_EAST)
    db.commit()
    assert entry_for(db, person.id).status == "queued"
    assert db.get(CallAttempt, attempt.id) is None


# ---- calling hours: the callee's local time must be inside 09:00-21:00 ----------------------
def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


HOURS = [
    # 15 Oct 2024: New York UTC-4, Los Angeles UTC-7, London UTC+1 (summer time)
    (at("2024-10-15T13:30"), {EAST, UK}),        # 09:30 NY, 06:30 LA, 14:30 London
    (at("2024-10-16T02:00"), {WEST}),            # 22:00 NY, 19:00 LA, 03:00 London
    (at("2024-10-15T20:30"), {EAST, WEST}),      # 16:30 NY, 13:30 LA, 21:30 London
    (at("2024-10-15T07:59"), set()),             # 03:59 NY, 00:59 LA, 08:59 London
    (at("2024-10-15T08:00"), {UK}),              # 09:00 London: the window's start is inside
    (at("2024-10-16T01:00"), {WEST}),            # 21:00 NY: the window's end is outside
    # 10 Dec 2024: London is back on GMT, so 08:30 UTC is 08:30 there
    (at("2024-12-10T08:30"), set()),
    (at("2024-12-10T09:00"), {UK}),
]


def test_calling_hours_across_time_zones(db, make_callee, make_caller, settings, subtests):
    people = {make_callee(pattern).id: pattern for pattern in (EAST, WEST, UK)}
    # In time order, with new callers each time: a skip sends the number to the back of the queue
    # (due from the moment of the skip) and keeps it from the caller who skipped it for a while.
    for now, callable_patterns in sorted(HOURS, key=lambda h: h[0]):
        callers = [make_caller() for _ in people]  # one claim each: enough to empty the queue
        with subtests.test(now=now.isoformat()):
            attempts = [queue.claim(db, caller_id=c.id, now=now, settings=settings) for c in callers]
            served = {people[a.person_id] for a in attempts if a is not None}
            for a in attempts:
                if a is not None:
                    operations.skip_call(db, attempt_id=a.id, caller=next(c for c in callers if c.id == a.caller_id),
                                         now=now)
            db.commit()
            assert served == callable_patterns
            waiting = queue.waiting(db, now=now, settings=settings)
            assert (waiting.ready, waiting.outside_hours) == (len(callable_patterns), 3 - len(callable_patterns))


@pytest.mark.parametrize("phone, zone", [
    ("+16175550101", "America/New_York"),
    ("+14155550101", "America/Los_Angeles"),
    ("+442079460101", "Europe/London"),
    ("+18005550101", "America/New_York"),   # toll-free spans every zone: the campaign's clock
    ("not a number", "America/New_York"),
])
def test_time_zone_comes_from_the_number_else_the_campaign(settings, phone, zone):
    assert settings.timezone == "America/New_York"
    assert queue.timezone_for_number(phone, settings.timezone) == zone


def test_waiting_explains_why_no_one_is_served(db, make_callee, make_caller, settings):
    make_callee(WEST)
    make_callee(EAST)
    early = at("2024-10-15T14:00")  # 07:00 in LA, 10:00 in New York
    caller = make_caller()
    queue.claim(db, caller_id=caller.id, now=early, settings=settings)  # takes the east number
    w = queue.waiting(db, now=early, settings=settings)
    assert (w.ready, w.outside_hours, w.later) == (0, 1, 0)


# ---- never served: the ledger and retired numbers --------------------------------------------
def _door_dnc(db, settings, household_id, person_id=None):
    [status] = record_contacts(db, events=[{
        "id": new_id(), "code": "do_not_contact", "household_id": household_id, "person_id": person_id,
        "recorded_at": NOON_EAST.isoformat()}], actor=Actor(label="test"), settings=settings, channel="door")
    assert status.status == "stored"
    db.commit()


def test_door_do_not_contact_stops_phone_calls(db, make_callee, make_caller, settings):
    by_person, by_household = make_callee(), make_callee()
    _door_dnc(db, settings, by_person.household_id, by_person.id)
    _door_dnc(db, settings, by_household.household_id)  # the whole door, nobody named
    assert queue.claim(db, caller_id=make_caller().id, now=NOON_EAST, settings=settings) is None


def test_retired_or_changed_numbers_are_never_served(db, make_callee, make_caller, settings):
    retired, changed = make_callee(), make_callee()
    db.get(Person, retired.id).phone_retired_at = NOON_EAST
    db.get(Person, changed.id).phone = "+16175559999"
    db.commit()
    assert queue.claim(db, caller_id=make_caller().id, now=NOON_EAST, settings=settings) is None


def _do_not_call(db, settings, person, caller):
    """The person asks on the phone not to be called: the ledger gets their id and number."""
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    assert attempt.person_id == person.id
    operations.record_disposition(db, attempt_id=attempt.id, caller=caller, event_id=new_id(), code="do_not_call",
                                  settings=settings, now=NOON_EAST)
    db.commit()


def test_do_not_call_on_a_shared_landline_stops_everyone_queued_on_it(db, make_callee, make_caller, settings):
    asked = make_callee(people=2)  # both residents share the number
    housemate = db.exec(sa.select(Person).where(Person.household_id == asked.household_id, Person.id != asked.id)
                        ).scalars().one()
    assert housemate.phone == asked.phone
    _do_not_call(db, settings, asked, make_caller())
    db.add(CallQueueEntry(person_id=housemate.id, phone=housemate.phone, timezone="America/New_York"))
    db.commit()
    assert queue.claim(db, caller_id=make_caller().id, now=NOON_EAST + timedelta(days=1), settings=settings) is None


def test_do_not_call_still_holds_the_number_after_a_purge(db, make_callee, make_caller, settings):
    from app.models import DoNotContact

    asked = make_callee()
    _do_not_call(db, settings, asked, make_caller())
    # what app.ops.purge_personal_data leaves of the ledger row (run here by hand: the purge itself
    # trips over the call's queue entry, which its attempt still references)
    db.execute(sa.update(DoNotContact).values(person_id=None))
    db.commit()
    [row] = db.exec(sa.select(DoNotContact)).scalars().all()
    assert (row.person_id, row.phone) == (None, asked.phone)  # only the number is left
    # the number now reaches someone at another address (moved, or the voter file re-used it)
    make_callee(phone=asked.phone)
    assert queue.claim(db, caller_id=make_caller().id, now=NOON_EAST + timedelta(days=1), settings=settings) is None
