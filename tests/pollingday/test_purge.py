"""The purge after an election takes a person's elector number, tellings, strike-off, ballot status
and voting history with them; a subject-access request shows the ballot and the history."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from app.db import write_transaction
from app.models import BallotStatus, Elector, Person, Telling, Voted, VotingHistory
from app.ops import export_person
from app.pollingday.ballots import import_ballot_status
from app.pollingday.history import record_early_votes
from app.pollingday.tellings import store_tellings
from app.purge import PURGED_TABLES, purge_personal_data
from tests.support.pollingday import telling


def test_purge_removes_polling_day_records(app, db, polling_day):
    items = [telling(polling_day.west, "AA-1"), telling(polling_day.east, "AB-2")]
    write_transaction(db, lambda s: store_tellings(s, items=items, actor_user_id=None))
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    counts = write_transaction(db, lambda s: purge_personal_data(s, before=tomorrow,
                                                                 settings=app.extensions["legwork_settings"]))
    assert counts["people"] == 10
    assert [db.execute(sa.select(sa.func.count()).select_from(m)).scalar_one()
            for m in (Person, Elector, Telling, Voted)] == [0, 0, 0, 0]
    db.rollback()


def _ballots_and_history(db, election: int) -> None:
    from tests.support.pollingday import DATA

    write_transaction(db, lambda s: import_ballot_status(s, source=DATA / "ballot_status.csv"))
    write_transaction(db, lambda s: record_early_votes(s, election_id=election))


def test_purge_takes_ballot_statuses_and_voting_history(app, db, us_voters, election):
    _ballots_and_history(db, election)
    settings = app.extensions["legwork_settings"]
    long_ago = datetime(2000, 1, 1, tzinfo=timezone.utc)
    write_transaction(db, lambda s: purge_personal_data(s, before=long_ago, settings=settings))
    assert [db.execute(sa.select(sa.func.count()).select_from(m)).scalar_one()
            for m in (BallotStatus, VotingHistory)] == [7, 2]   # nobody purged: kept
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    counts = write_transaction(db, lambda s: purge_personal_data(s, before=tomorrow, settings=settings))
    assert counts["people"] == 8
    assert [db.execute(sa.select(sa.func.count()).select_from(m)).scalar_one()
            for m in (Person, BallotStatus, VotingHistory)] == [0, 0, 0]
    db.rollback()
    assert {"ballot_statuses", "voting_history"} <= set(PURGED_TABLES)


def test_a_subject_access_request_shows_the_ballot_and_the_voting_history(db, us_voters, election):
    _ballots_and_history(db, election)
    data = export_person(db, person_id=us_voters["TV000005"])
    assert data["ballot_status"]["status"] == "voted_early" and data["ballot_status"]["status_date"] == date(2026, 10, 20)
    assert data["voting_history"] == [{"election": "County council", "date": date(2026, 5, 7), "method": "early"}]
    data = export_person(db, person_id=us_voters["TV000008"])
    assert data["ballot_status"] is None and data["voting_history"] == []
    db.rollback()
