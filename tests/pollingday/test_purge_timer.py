"""The purge timer: every election whose purge date has passed loses its polling-day data, once;
"today" is passed in, so no clock is mocked."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timezone

import sqlalchemy as sa

from app.db import write_transaction
from app.models import Election, LiftRequest, Telling, Voted
from app.pollingday.operations import create_election
from app.pollingday.tellings import refresh_voted
from app.pollingday.wipe import due_for_purge, purge_polling_day
from tests.support.pledges import person_by_number

POLL = date(2027, 5, 6)


def _election(db, name, *, polling_date=POLL, purge_after=None, rehearsal=False) -> int:
    return write_transaction(db, lambda s: create_election(
        s, name=name, polling_date=polling_date, polls_open=time(7), polls_close=time(22), rehearsal=rehearsal,
        purge_after=purge_after).id)


def _day_of(db, election_id, station_id, number) -> None:
    """A telling and a lift of this election (rows made directly: which election is current does
    not matter here)."""
    person = person_by_number(db, number)

    def write(s):
        s.add(Telling(id=str(uuid.uuid4()), station_id=station_id, person_id=person, election_id=election_id,
                      recorded_at=datetime(2027, 5, 6, 9, tzinfo=timezone.utc)))
        s.add(LiftRequest(name="A voter", address="1 Lift Lane", wanted_at=datetime(2027, 5, 6, 9, tzinfo=timezone.utc),
                          election_id=election_id))
        s.flush()
        refresh_voted(s, person_ids={person})
    write_transaction(db, write)


def _left(db) -> dict:
    rows = {"tellings": sorted(db.execute(sa.select(Telling.election_id)).scalars()),
            "lifts": sorted(db.execute(sa.select(LiftRequest.election_id)).scalars()),
            "voted": db.execute(sa.select(sa.func.count()).select_from(Voted)).scalar_one(),
            "wiped": sorted(e.id for e in db.execute(sa.select(Election).where(Election.wiped_at.is_not(None))).scalars())}
    db.rollback()
    return rows


def _purge(db, settings, today, **kw):
    return write_transaction(db, lambda s: purge_polling_day(s, today=today, settings=settings, **kw))


def test_each_election_goes_the_day_after_its_purge_date(db, settings, polling_day):
    assert settings.pollingday.purge_after_days == 30
    default = _election(db, "County council")                                     # purge date 2027-06-05
    early = _election(db, "By-election", purge_after=date(2027, 5, 10))
    later = _election(db, "Next year", polling_date=date(2028, 5, 4))            # 2028-06-03
    for election, number in ((default, "AA-1"), (early, "AA-3"), (later, "AB-1")):
        _day_of(db, election, polling_day.west if number.startswith("AA") else polling_day.east, number)

    assert _purge(db, settings, date(2027, 5, 10)) == []                          # its date, not yet passed
    dry = _purge(db, settings, date(2027, 5, 11), dry_run=True)
    assert [(p.election_id, p.purge_date, p.counts["tellings"], p.counts["lifts"]) for p in dry] == [
        (early, date(2027, 5, 10), 1, 1)]
    assert _left(db)["wiped"] == [] and len(_left(db)["tellings"]) == 3

    done = _purge(db, settings, date(2027, 5, 11))
    assert [(p.election_id, p.name, p.counts["tellings"], p.counts["lifts"], p.counts["voters_rebuilt"])
            for p in done] == [(early, "By-election", 1, 1, 1)]
    assert _left(db) == {"tellings": sorted([default, later]), "lifts": sorted([default, later]), "voted": 2,
                         "wiped": [early]}
    assert _purge(db, settings, date(2027, 5, 11)) == []                          # again: nothing more
    assert _purge(db, settings, date(2027, 6, 5)) == []
    assert [p.election_id for p in _purge(db, settings, date(2027, 6, 6))] == [default]
    assert _left(db) == {"tellings": [later], "lifts": [later], "voted": 1, "wiped": sorted([early, default])}
    assert [p.election_id for p in _purge(db, settings, date(2030, 1, 1))] == [later]
    assert _purge(db, settings, date(2030, 1, 1)) == []
    assert _left(db) == {"tellings": [], "lifts": [], "voted": 0, "wiped": sorted([early, default, later])}


def test_a_rehearsal_not_wiped_by_hand_is_purged_too(db, settings, polling_day):
    rehearsal = _election(db, "Rehearsal", rehearsal=True)
    _day_of(db, rehearsal, polling_day.west, "AA-1")
    assert [e.id for e in due_for_purge(db, today=date(2027, 6, 6), settings=settings)] == [rehearsal]
    db.rollback()
    assert [p.election_id for p in _purge(db, settings, date(2027, 6, 6))] == [rehearsal]
    assert _left(db)["tellings"] == []


def test_the_command(runner, db, polling_day):
    past = _election(db, "Long ago", polling_date=date(2020, 5, 7))
    _election(db, "To come", polling_date=date(2099, 5, 7))
    _day_of(db, past, polling_day.west, "AA-1")
    result = runner.invoke(args=["purge-polling-day", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"Would wipe election {past} (Long ago, purge date 2020-06-06): " in result.output
    assert "1 tellings" in result.output and len(_left(db)["tellings"]) == 1
    result = runner.invoke(args=["purge-polling-day"])
    assert result.exit_code == 0 and f"Wiped election {past} (Long ago" in result.output
    assert "1 lifts" in result.output and _left(db)["tellings"] == [] and _left(db)["wiped"] == [past]
    result = runner.invoke(args=["purge-polling-day"])
    assert result.exit_code == 0 and "No election's polling-day data is due for purging" in result.output
