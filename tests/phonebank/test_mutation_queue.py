"""Calling hours and time zones of the call queue, pinned where the mutation check
(scripts/bench/mutation.py) found behaviour no other test held. The first tests are pure functions; the last ones
put each of the queue's time comparisons exactly on its edge, then a disposition's flags combined."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from app.config import Code
from app.db import write_transaction
from app.models import CallAttempt, CallQueueEntry
from app.phonebank import operations, queue
from app.phonebank.queue import in_calling_window, local_time, timezone_for_number, to_utc

from tests.support.phonebank import NOON_EAST, entry_for, new_id


def settings(window=("09:00", "21:00"), zone="America/New_York"):
    return SimpleNamespace(phonebank=SimpleNamespace(calling_window=tuple(window)), timezone=zone)


def at_new_york(hour, minute=0):
    """That wall-clock time in New York on 15 October 2024, as aware UTC."""
    return datetime(2024, 10, 15, hour, minute, tzinfo=ZoneInfo("America/New_York")).astimezone(timezone.utc)


@pytest.mark.parametrize("phone, expected", [
    ("+16175551234", "America/New_York"),   # one zone: the number's own
    ("+15555550100", "Europe/Paris"),       # phonenumbers says Etc/Unknown: the campaign's zone
    ("+80012345678", "Europe/Paris"),       # international freephone: Etc/Unknown too
    ("not a number", "Europe/Paris"),
    (None, "Europe/Paris"),
])
def test_timezone_for_number_falls_back_to_the_campaign_zone(phone, expected):
    assert timezone_for_number(phone, "Europe/Paris") == expected


def test_an_unknown_zone_name_reads_the_clock_in_the_campaign_zone():
    now = at_new_york(12)
    assert local_time("Not/AZone", now=now, settings=settings()).hour == 12
    assert to_utc(datetime(2024, 10, 15, 12, 0), "Not/AZone", settings=settings()) == now
    assert in_calling_window("Not/AZone", now=at_new_york(8), settings=settings()) is False


@pytest.mark.parametrize("hour, minute, inside", [
    (8, 59, False), (9, 0, True), (20, 59, True), (21, 0, False), (23, 0, False),
])
def test_calling_window_includes_its_start_and_excludes_its_end(hour, minute, inside):
    now = at_new_york(hour, minute)
    assert in_calling_window("America/New_York", now=now, settings=settings()) is inside


@pytest.mark.parametrize("hour, minute, inside", [
    (21, 59, False), (22, 0, True), (23, 30, True), (0, 0, True), (1, 59, True), (2, 0, False), (12, 0, False),
])
def test_a_window_past_midnight_wraps_round(hour, minute, inside):
    now = at_new_york(hour, minute)
    assert in_calling_window("America/New_York", now=now, settings=settings(("22:00", "02:00"))) is inside


@pytest.mark.parametrize("hour", [0, 3, 9, 21, 23])
def test_a_window_whose_start_is_its_end_has_no_limit(hour):
    window = settings(("00:00", "00:00"))
    assert in_calling_window("America/New_York", now=at_new_york(hour), settings=window) is True


# ---- the edges of time in the queue's SQL (frozen now; each edge exactly on the minute) ----------
def test_a_claim_lapses_exactly_at_its_expiry(db, make_callee, make_caller, settings):
    make_callee()
    caller = make_caller()
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    expiry = NOON_EAST + timedelta(minutes=settings.phonebank.claim_minutes)
    just_before = expiry - timedelta(seconds=1)
    assert queue.current_attempt(db, caller_id=caller.id, now=just_before).id == attempt.id
    assert queue.current_attempt(db, caller_id=caller.id, now=expiry) is None
    assert queue.expire_claims(db, now=just_before) == 0
    assert queue.expire_claims(db, now=expiry) == 1


def test_a_call_back_is_due_exactly_at_its_time(db, make_callee, make_caller, settings):
    person = make_callee()
    entry = entry_for(db, person.id)
    entry.next_call_at = NOON_EAST
    db.add(entry)
    db.commit()
    caller = make_caller()
    assert queue.claim(db, caller_id=caller.id, now=NOON_EAST - timedelta(seconds=1), settings=settings) is None
    assert queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings).person_id == person.id


def test_a_skip_keeps_the_number_from_the_skipper_until_skip_minutes_have_passed(db, make_callee, make_caller,
                                                                                   settings):
    person = make_callee()
    caller = make_caller()
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    queue.release(db, attempt=attempt, now=NOON_EAST)
    db.commit()
    back = NOON_EAST + timedelta(minutes=settings.phonebank.skip_minutes)
    held = queue.waiting(db, now=back - timedelta(seconds=1), settings=settings, caller_id=caller.id)
    assert (held.ready, held.skipped) == (0, 1)
    assert queue.claim(db, caller_id=caller.id, now=back - timedelta(seconds=1), settings=settings) is None
    assert queue.waiting(db, now=back, settings=settings, caller_id=caller.id).skipped == 0
    assert queue.claim(db, caller_id=caller.id, now=back, settings=settings).person_id == person.id


# ---- a disposition's flags, as a campaign may combine them in config.toml --------------------
@pytest.mark.parametrize("flags", [dict(final=True, retry=True), dict(dnc=True, retry=True)])
def test_a_final_or_do_not_call_code_ends_the_entry_whatever_else_it_says(db, make_callee, make_caller, settings,
                                                                          flags):
    person = make_callee()
    caller = make_caller()
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    code = Code("custom", "Custom", **flags)

    def work(s):
        queue.apply_disposition(s, entry=s.get(CallQueueEntry, attempt.queue_entry_id),
                                attempt=s.get(CallAttempt, attempt.id), code=code, now=NOON_EAST, settings=settings)
    write_transaction(db, work)
    entry = entry_for(db, person.id)
    assert (entry.status, entry.next_call_at, entry.passes) == ("done", None, 1)


# ---- which entry an outcome may still change (holds_entry) -----------------------------------
def test_an_old_tabs_outcome_leaves_an_entry_someone_else_finished(db, make_callee, make_caller, settings):
    person = make_callee()
    slow, fast = make_caller("Slow"), make_caller("Fast")
    old = queue.claim(db, caller_id=slow.id, now=NOON_EAST, settings=settings)
    later = NOON_EAST + timedelta(minutes=settings.phonebank.claim_minutes + 1)
    taken = queue.claim(db, caller_id=fast.id, now=later, settings=settings)
    operations.record_disposition(db, attempt_id=taken.id, caller=fast, event_id=new_id(), code="spoke",
                                  settings=settings, now=later)
    db.commit()
    operations.record_disposition(db, attempt_id=old.id, caller=slow, event_id=new_id(), code="no_answer",
                                  settings=settings, now=later)
    db.commit()
    entry = entry_for(db, person.id)
    assert (entry.status, entry.passes, entry.last_disposition, entry.next_call_at) == ("done", 1, "spoke", None)


def test_an_outcome_after_the_claim_went_back_to_the_queue_still_ends_the_entry(db, make_callee, make_caller, settings):
    """The claim expired and nobody took the person meanwhile: the call did happen, so its outcome counts."""
    person = make_callee()
    caller = make_caller()
    attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
    later = NOON_EAST + timedelta(minutes=settings.phonebank.claim_minutes + 1)
    write_transaction(db, lambda s: queue.expire_claims(s, now=later))
    assert entry_for(db, person.id).claimed_by_id is None
    operations.record_disposition(db, attempt_id=attempt.id, caller=caller, event_id=new_id(), code="spoke",
                                  settings=settings, now=later)
    db.commit()
    entry = entry_for(db, person.id)
    assert (entry.status, entry.passes, entry.last_disposition) == ("done", 1, "spoke")
