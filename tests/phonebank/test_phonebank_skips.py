"""Skip without calling, lapsed claims, and old tabs: who gets the person next, and what is kept."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.errors import Forbidden
from app.models import CallAttempt, CallQueueEntry, ContactEvent
from app.phonebank import operations, queue

from tests.support.phonebank import NOON_EAST, entry_for, new_id


def _lapse(settings):
    return NOON_EAST + timedelta(minutes=settings.phonebank.claim_minutes + 1)


# ---- a skipped person goes to the back of the queue ----------------------------------------
def test_skip_then_next_serves_someone_else(db, make_callee, make_caller, settings):
    skipped, other = make_callee(), make_callee()
    caller = make_caller()
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    assert attempt.person_id == skipped.id
    operations.skip_call(db, attempt_id=attempt.id, caller=caller, now=NOON_EAST)
    db.commit()
    assert queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings).person_id == other.id


def test_a_skipped_person_waits_behind_everyone_already_waiting(db, make_callee, make_caller, settings):
    skipped, second, third = make_callee(), make_callee(), make_callee()
    # queued an hour before the (frozen) now, as the phone bank would have them
    db.execute(sa.update(CallQueueEntry).values(created_at=NOON_EAST - timedelta(hours=1)))
    db.commit()
    first_caller = make_caller()
    attempt = queue.claim(db, caller_id=first_caller.id, now=NOON_EAST, settings=settings)
    operations.skip_call(db, attempt_id=attempt.id, caller=first_caller, now=NOON_EAST)
    db.commit()
    served = [queue.claim(db, caller_id=make_caller().id, now=NOON_EAST, settings=settings).person_id
              for _ in range(3)]
    assert served == [second.id, third.id, skipped.id]  # other callers still get them, last


def test_the_skipper_gets_them_again_only_after_skip_minutes(db, make_callee, make_caller, settings):
    person = make_callee()
    caller = make_caller()
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    operations.skip_call(db, attempt_id=attempt.id, caller=caller, now=NOON_EAST)
    db.commit()
    back = NOON_EAST + timedelta(minutes=settings.phonebank.skip_minutes)
    assert queue.claim(db, caller_id=caller.id, now=back - timedelta(minutes=1), settings=settings) is None
    w = queue.waiting(db, now=NOON_EAST, settings=settings, caller_id=caller.id)
    assert (w.ready, w.skipped) == (0, 1)
    assert queue.waiting(db, now=NOON_EAST, settings=settings).ready == 1  # the organisers' count
    assert queue.claim(db, caller_id=caller.id, now=back, settings=settings).person_id == person.id


# ---- a skip keeps what happened ----------------------------------------------------------------
def test_skipping_a_call_dialled_through_twilio_keeps_its_record_and_call_id(db, make_callee, make_caller,
                                                                             settings):
    person = make_callee()
    caller = make_caller()
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    attempt.twilio_call_sid, attempt.twilio_status, attempt.duration_s = "CA" + "7" * 32, "completed", 3
    db.commit()
    later = NOON_EAST + timedelta(minutes=2)
    operations.skip_call(db, attempt_id=attempt.id, caller=caller, now=later)
    db.commit()
    db.expire_all()
    kept = db.get(CallAttempt, attempt.id)
    assert kept is not None, "the record of a call Twilio placed was deleted"
    assert (kept.twilio_call_sid, kept.twilio_status, kept.duration_s) == ("CA" + "7" * 32, "completed", 3)
    assert kept.ended_at == later and kept.disposition is None
    assert entry_for(db, person.id).status == "queued"


# ---- a lapsed claim -----------------------------------------------------------------------------
def test_next_with_a_lapsed_claim_renews_it(db, make_callee, make_caller, settings):
    person = make_callee()
    caller, second = make_caller(), make_caller("Second")
    first = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    later = _lapse(settings)
    again = queue.claim(db, caller_id=caller.id, now=later, settings=settings)
    assert again.id == first.id  # the same call, not a second open attempt on the same person
    entry = entry_for(db, person.id)
    assert (entry.claimed_by_id, entry.claim_expires_at) == (
        caller.id, later + timedelta(minutes=settings.phonebank.claim_minutes))
    assert queue.claim(db, caller_id=second.id, now=later, settings=settings) is None, \
        "a second caller took a person whose claim had just been handed back to the first"


def test_a_claim_taken_over_after_it_lapsed_gets_its_own_expiry(db, make_callee, make_caller, settings):
    person = make_callee()
    walker, taker, third = make_caller("Walks away"), make_caller("Takes over"), make_caller("Third")
    queue.claim(db, caller_id=walker.id, now=NOON_EAST, settings=settings)
    later = _lapse(settings)
    assert queue.claim(db, caller_id=taker.id, now=later, settings=settings).person_id == person.id
    assert entry_for(db, person.id).claim_expires_at == later + timedelta(minutes=settings.phonebank.claim_minutes)
    assert queue.claim(db, caller_id=third.id, now=later, settings=settings) is None


# ---- an old tab never takes a person back from whoever holds them now --------------------------
def test_skip_from_an_old_tab_leaves_the_new_callers_claim(db, make_callee, make_caller, settings):
    person = make_callee()
    slow, fast = make_caller("Slow"), make_caller("Fast")
    old = queue.claim(db, caller_id=slow.id, now=NOON_EAST, settings=settings)
    later = _lapse(settings)
    new = queue.claim(db, caller_id=fast.id, now=later, settings=settings)
    operations.skip_call(db, attempt_id=old.id, caller=slow, now=later)
    db.commit()
    entry = entry_for(db, person.id)
    assert (entry.status, entry.claimed_by_id, entry.skipped_by_id) == ("claimed", fast.id, None)
    assert queue.current_attempt(db, caller_id=fast.id, now=later).id == new.id


def test_an_old_tab_of_the_same_caller_leaves_their_new_claim(db, make_callee, make_caller, settings):
    """Slow's claim lapses, Fast takes it and skips it, Slow is served the person afresh: the first
    tab's Skip or outcome must not hand back the claim the second tab is working on."""
    person = make_callee()
    slow, fast = make_caller("Slow"), make_caller("Fast")
    first_tab = queue.claim(db, caller_id=slow.id, now=NOON_EAST, settings=settings)
    later = _lapse(settings)
    taken = queue.claim(db, caller_id=fast.id, now=later, settings=settings)
    operations.skip_call(db, attempt_id=taken.id, caller=fast, now=later)
    db.commit()
    second_tab = queue.claim(db, caller_id=slow.id, now=later, settings=settings)
    assert second_tab.id != first_tab.id and second_tab.person_id == person.id
    db.commit()
    operations.record_disposition(db, attempt_id=first_tab.id, caller=slow, event_id=new_id(), code="no_answer",
                                  settings=settings, now=later)
    db.commit()
    entry = entry_for(db, person.id)
    assert (entry.status, entry.claimed_by_id, entry.passes) == ("claimed", slow.id, 0)
    assert queue.current_attempt(db, caller_id=slow.id, now=later).id == second_tab.id


# ---- an organiser cannot pull a claim out from under a caller ------------------------------------
def test_an_organiser_cannot_skip_a_callers_call(db, make_callee, make_caller, make_user, settings):
    person = make_callee()
    caller = make_caller()
    organiser = make_user(roles="organiser")
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    with pytest.raises(Forbidden):
        operations.skip_call(db, attempt_id=attempt.id, caller=organiser, now=NOON_EAST)
    db.rollback()
    entry = entry_for(db, person.id)
    assert (entry.status, entry.claimed_by_id) == ("claimed", caller.id)
    event_id = new_id()
    operations.record_disposition(db, attempt_id=attempt.id, caller=caller, event_id=event_id, code="spoke",
                                  settings=settings, now=NOON_EAST)
    db.commit()
    assert db.get(ContactEvent, event_id) is not None
    assert db.exec(sa.select(sa.func.count()).select_from(CallAttempt)).scalar_one() == 1


def test_a_lapsed_claim_is_not_renewed_once_the_person_may_not_be_called(db, make_callee, make_caller, settings):
    from app.contacts import Actor, record_contacts

    person = make_callee()
    caller = make_caller()
    queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    [stored] = record_contacts(db, events=[{"id": new_id(), "code": "do_not_contact", "household_id": person.household_id,
                                            "person_id": person.id, "recorded_at": NOON_EAST.isoformat()}],
                               actor=Actor(label="door"), settings=settings, channel="door")
    assert stored.status == "stored"
    db.commit()
    assert queue.claim(db, caller_id=caller.id, now=_lapse(settings), settings=settings) is None


def test_a_lapsed_claim_is_not_renewed_outside_calling_hours(db, make_callee, make_caller, settings):
    make_callee()  # Boston
    caller = make_caller()
    nearly_nine_pm = NOON_EAST + timedelta(hours=8, minutes=55)  # 20:55 in Boston
    assert queue.claim(db, caller_id=caller.id, now=nearly_nine_pm, settings=settings) is not None
    after_nine = nearly_nine_pm + timedelta(minutes=settings.phonebank.claim_minutes + 1)
    assert queue.claim(db, caller_id=caller.id, now=after_nine, settings=settings) is None


def test_capped_counts_match_the_full_counts_below_the_cap(db, make_callee, make_caller, settings):
    skipped, _, _ = make_callee(), make_callee(), make_callee()
    caller = make_caller()
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    operations.skip_call(db, attempt_id=attempt.id, caller=caller, now=NOON_EAST)
    db.commit()
    full = queue.waiting(db, now=NOON_EAST, settings=settings, caller_id=caller.id)
    capped = queue.waiting(db, now=NOON_EAST, settings=settings, caller_id=caller.id, cap=10)
    assert (full.ready, full.skipped, full.later) == (capped.ready, capped.skipped, capped.later) == (2, 1, 0)
    tight = queue.waiting(db, now=NOON_EAST, settings=settings, caller_id=caller.id, cap=1)
    assert (tight.ready, tight.shown(tight.ready), tight.shown(tight.skipped)) == (2, "1+", "1")
