"""Every disposition's effect on the queue, the contact history and the shared ledger."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.contacts import ledger_blocks
from app.errors import Conflict, Forbidden, ValidationError
from app.models import CallAttempt, CallQueueEntry, ContactEvent, DoNotContact, Person, SurveyResponse
from app.phonebank import operations, queue

from tests.support.phonebank import NOON_EAST, entry_for, new_id

CALL_BACK = NOON_EAST + timedelta(days=1, hours=2)
RETRY = object()  # queued again after retry_after_minutes

# code -> (queue status afterwards, next_call_at, number retired, on the ledger)
EXPECTED = {
    "spoke": ("done", None, False, False),
    "no_answer": ("queued", RETRY, False, False),
    "busy": ("queued", RETRY, False, False),
    "left_message": ("queued", RETRY, False, False),
    "wrong_number": ("retired", None, True, False),
    "disconnected": ("retired", None, True, False),
    "refused": ("done", None, False, False),
    "call_back": ("queued", CALL_BACK, False, False),
    "do_not_call": ("done", None, False, True),
    "language_barrier": ("done", None, False, False),
    "deceased": ("done", None, False, False),
}


def test_every_configured_disposition_has_an_expectation(settings):
    assert set(EXPECTED) == set(settings.codes("phone"))


def _claim(db, make_caller, settings, now=NOON_EAST):
    caller = make_caller()
    return caller, queue.claim(db, caller_id=caller.id, now=now, settings=settings)


def _record(db, caller, attempt, settings, code, now=NOON_EAST, **kw):
    event_id = kw.pop("event_id", None) or new_id()
    operations.record_disposition(db, attempt_id=attempt.id, caller=caller, event_id=event_id, code=code,
                                  settings=settings, now=now, **kw)
    db.commit()
    return event_id


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_disposition_effect_on_the_queue(db, make_callee, make_caller, settings, code):
    person = make_callee()
    caller, attempt = _claim(db, make_caller, settings)
    event_id = _record(db, caller, attempt, settings, code,
                       call_back_at=CALL_BACK if code == "call_back" else None)
    status, next_call_at, retired, ledger = EXPECTED[code]
    entry = entry_for(db, person.id)
    assert (entry.status, entry.claimed_by_id, entry.passes, entry.last_disposition) == (status, None, 1, code)
    if next_call_at is RETRY:
        next_call_at = NOON_EAST + timedelta(minutes=settings.phonebank.retry_after_minutes)
    assert entry.next_call_at == next_call_at
    assert (db.get(Person, person.id).phone_retired_at is not None) == retired
    assert ledger_blocks(db, person_id=person.id) == ledger
    event = db.get(ContactEvent, event_id)
    assert (event.channel, event.code, event.person_id, event.call_attempt_id) == ("phone", code, person.id, attempt.id)
    db.expire_all()
    assert (db.get(CallAttempt, attempt.id).disposition, db.get(CallAttempt, attempt.id).event_id) == (code, event_id)


def test_retry_comes_back_after_the_wait_until_max_passes(db, make_callee, make_caller, settings):
    person = make_callee()
    caller = make_caller()
    wait = timedelta(minutes=settings.phonebank.retry_after_minutes)
    now = NOON_EAST
    for attempt_number in range(1, settings.phonebank.max_passes + 1):
        attempt = queue.claim(db, caller_id=caller.id, now=now, settings=settings)
        assert attempt is not None and attempt.person_id == person.id, f"pass {attempt_number}"
        _record(db, caller, attempt, settings, "no_answer", now=now)
        assert queue.claim(db, caller_id=caller.id, now=now + wait - timedelta(minutes=1), settings=settings) is None
        now += wait  # 12:00, 16:00, 20:00 in Boston: all inside calling hours
    entry = entry_for(db, person.id)
    assert (entry.status, entry.passes) == ("done", settings.phonebank.max_passes)
    assert queue.claim(db, caller_id=caller.id, now=now + timedelta(days=1), settings=settings) is None


def test_call_back_is_served_at_the_chosen_time(db, make_callee, make_caller, settings):
    person = make_callee()
    caller, attempt = _claim(db, make_caller, settings)
    _record(db, caller, attempt, settings, "call_back", call_back_at=CALL_BACK)
    assert queue.claim(db, caller_id=caller.id, now=CALL_BACK - timedelta(minutes=1), settings=settings) is None
    assert queue.claim(db, caller_id=caller.id, now=CALL_BACK, settings=settings).person_id == person.id


def test_wrong_number_retires_the_number_for_everyone_on_it(db, make_callee, make_caller, settings):
    shared = "+16175550777"
    first = make_callee(phone=shared, people=2)
    second_queue = CallQueueEntry(person_id=first.id + 1, phone=shared, timezone="America/New_York", priority=5)
    db.add(second_queue)
    db.commit()
    caller, attempt = _claim(db, make_caller, settings)
    _record(db, caller, attempt, settings, "wrong_number")
    db.expire_all()
    people = db.exec(sa.select(Person).where(Person.phone == shared)).scalars().all()
    assert len(people) == 2 and all(p.phone_retired_at is not None for p in people)
    assert db.get(CallQueueEntry, second_queue.id).status == "retired"
    assert queue.claim(db, caller_id=caller.id, now=NOON_EAST + timedelta(days=2), settings=settings) is None


def test_phone_do_not_call_is_on_the_shared_ledger_and_stops_the_door(db, make_callee, make_caller, settings):
    person = make_callee()
    caller, attempt = _claim(db, make_caller, settings)
    _record(db, caller, attempt, settings, "do_not_call")
    [row] = db.exec(sa.select(DoNotContact)).scalars().all()
    assert (row.channel, row.person_id, row.phone) == ("all", person.id, person.phone)
    # the door consults the same ledger, by person and by number
    assert ledger_blocks(db, person_id=person.id, household_id=person.household_id)
    assert ledger_blocks(db, phone=person.phone)
    # and no queue entry for that number is ever served again
    db.add(CallQueueEntry(person_id=person.id, phone=person.phone, timezone="America/New_York"))
    db.commit()
    assert queue.claim(db, caller_id=caller.id, now=NOON_EAST + timedelta(days=1), settings=settings) is None


def test_survey_answers_are_stored_with_a_contact(db, make_callee, make_caller, settings):
    make_callee()
    caller, attempt = _claim(db, make_caller, settings)
    event_id = _record(db, caller, attempt, settings, "spoke", support_level="2", issues=["Housing", "Schools"],
                       volunteer_interest=True, notes="Wants a lawn sign")
    [response] = db.exec(sa.select(SurveyResponse).where(SurveyResponse.event_id == event_id)).scalars().all()
    assert (response.support_level, response.issues, response.volunteer_interest) == ("2", "Housing|Schools", True)
    assert db.get(ContactEvent, event_id).notes == "Wants a lawn sign"


def test_resubmitting_the_same_outcome_records_once(db, make_callee, make_caller, settings):
    person = make_callee()
    caller, attempt = _claim(db, make_caller, settings)
    event_id = _record(db, caller, attempt, settings, "no_answer")
    _record(db, caller, attempt, settings, "no_answer", event_id=event_id)
    assert entry_for(db, person.id).passes == 1
    assert db.exec(sa.select(sa.func.count()).select_from(ContactEvent)).scalar_one() == 1
    with pytest.raises(Conflict, match="already recorded"):
        _record(db, caller, attempt, settings, "spoke")


BAD_OUTCOMES = [
    ({"code": "nonsense"}, "Choose what happened"),
    ({"code": "call_back"}, "Choose when to call back"),
    ({"code": "call_back", "call_back_at": NOON_EAST - timedelta(hours=1)}, "must be in the future"),
    ({"code": "call_back", "call_back_at": NOON_EAST + timedelta(days=200)}, "within 90 days"),
    ({"code": "spoke", "support_level": "9"}, "not on the campaign's scale"),
    ({"code": "spoke", "issues": ["Aliens"]}, "unknown issue"),
]


def test_bad_outcomes_are_refused_and_change_nothing(db, make_callee, make_caller, settings, subtests):
    person = make_callee()
    caller, attempt = _claim(db, make_caller, settings)
    for kw, message in BAD_OUTCOMES:
        with subtests.test(message=message):
            with pytest.raises(ValidationError, match=message):
                operations.record_disposition(db, attempt_id=attempt.id, caller=caller, event_id=new_id(),
                                              settings=settings, now=NOON_EAST, **kw)
            db.rollback()
            entry = entry_for(db, person.id)
            assert (entry.status, entry.claimed_by_id, entry.passes) == ("claimed", caller.id, 0)
            assert db.exec(sa.select(sa.func.count()).select_from(ContactEvent)).scalar_one() == 0


def test_only_the_claiming_caller_records_the_outcome(db, make_callee, make_caller, settings):
    make_callee()
    caller, attempt = _claim(db, make_caller, settings)
    with pytest.raises(Forbidden):
        _record(db, make_caller("Nosy"), attempt, settings, "spoke")


def test_outcome_after_the_claim_passed_to_someone_else_keeps_their_claim(db, make_callee, make_caller, settings):
    person = make_callee()
    slow, attempt = _claim(db, make_caller, settings)
    later = NOON_EAST + timedelta(minutes=settings.phonebank.claim_minutes + 1)
    fast = make_caller("Fast")
    assert queue.claim(db, caller_id=fast.id, now=later, settings=settings).person_id == person.id
    event_id = _record(db, slow, attempt, settings, "no_answer", now=later)
    assert db.get(ContactEvent, event_id) is not None  # the call happened: it is in the history
    entry = entry_for(db, person.id)
    assert (entry.status, entry.claimed_by_id, entry.passes) == ("claimed", fast.id, 0)
