"""After an election, purge-personal-data leaves nothing that identifies a person or a household's
opinions: not in the tables, and (SQLite) not in the database's files either."""
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlmodel import func, select

from app.contacts import Actor, ledger_blocks, record_contacts
from app.models import (ActivityDay, AuditEntry, ContactEvent, DoNotContact, HouseholdSummary, Person,
                        PersonSupport, SurveyResponse)
from app.purge import purge_personal_data


def tomorrow() -> datetime:
    """At the time of asking: a constant made at import goes stale when the suite crosses midnight."""
    return datetime.now(timezone.utc) + timedelta(days=1)


def test_purge_keeps_anonymous_counts_and_the_ledger(app, db, recorded):
    homes, people = recorded
    phone = people[2].phone
    counts = purge_personal_data(db, before=tomorrow(), settings=app.extensions["legwork_settings"])
    db.commit()
    assert counts["people"] == 3 and counts["answers_removed"] == 1
    assert db.exec(select(func.count()).select_from(Person)).one() == 0
    events = db.exec(select(ContactEvent)).all()
    assert len(events) == 3 and all(e.person_id is None and e.notes == "" and e.lat is None for e in events)
    assert ledger_blocks(db, phone=phone)  # still never called again
    assert db.exec(select(DoNotContact)).one().person_id is None
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "data.purge")).first() is not None


def test_purge_leaves_no_opinion_tied_to_a_household(app, db, recorded):
    """Support and issues were political opinion about an address: gone from the answers and the
    household's summary; the dashboard keeps the count for the area, not for a list or volunteer."""
    homes, _ = recorded
    summary = db.get(HouseholdSummary, homes[0].id)
    assert summary.support_level == "1" and summary.supporters == 1  # what the purge must remove
    assert db.exec(select(PersonSupport.support_level)).all() == ["1"]  # a person's latest support, too
    purge_personal_data(db, before=tomorrow(), settings=app.extensions["legwork_settings"])
    db.commit()
    db.expire_all()
    assert db.exec(select(func.count()).select_from(SurveyResponse)).one() == 0
    assert db.exec(select(func.count()).select_from(PersonSupport)).one() == 0
    summary = db.get(HouseholdSummary, homes[0].id)
    assert summary.support_level is None and summary.supporters == 0 and summary.door_events == 1
    days = db.exec(select(ActivityDay).where(ActivityDay.supporters > 0)).all()
    assert [(d.supporters, d.walk_list_id, d.actor_user_id, d.actor_pin_id) for d in days] == [(1, 0, 0, 0)]
    assert days[0].ward_id == homes[0].ward_id


def test_purge_keeps_people_imported_after_the_date(app, db, recorded):
    counts = purge_personal_data(db, before=datetime(2000, 1, 1, tzinfo=timezone.utc),
                                 settings=app.extensions["legwork_settings"])
    assert counts["people"] == 0 and counts["answers_removed"] == 0
    assert db.exec(select(func.count()).select_from(Person)).one() == 3


def _database_files(app) -> list[Path]:
    path = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def test_purge_leaves_nothing_in_the_database_files(app, db, make_ward, make_household, runner):
    """Notes and names are found in the files before the purge, and nowhere in them after it."""
    settings = app.extensions["legwork_settings"]
    ward = make_ward()
    marker = "Zq" + uuid.uuid4().hex[:10]
    homes = [make_household(ward, people=1) for _ in range(40)]
    for home in homes:  # enough pages of people that deleting them frees whole pages
        for n in range(8):
            db.add(Person(household_id=home.id, first_name=f"Pat{n}", last_name=marker + "name" + "x" * 80))
    db.commit()
    for round_ in range(10):  # many small transactions, as phones send them: the -wal file fills up
        record_contacts(db, actor=Actor(), settings=settings, events=[
            {"id": str(uuid.uuid4()), "household_id": h.id, "code": "spoke", "recorded_at": "2026-11-01T10:00:00Z",
             "notes": f"{marker}note {round_} about the bus route", "lat": 42.37, "lon": -71.11} for h in homes])
        db.commit()
    sqlite = app.config["DATABASE_URL"].startswith("sqlite")
    if sqlite:  # as on a server that has run a while: most pages are in the main file, some in the -wal
        db.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        record_contacts(db, actor=Actor(), settings=settings, events=[
            {"id": str(uuid.uuid4()), "household_id": homes[0].id, "code": "spoke",
             "recorded_at": "2026-11-02T10:00:00Z", "notes": f"{marker}note in the wal"}])
        db.commit()
        files = {p.name: marker.encode() in p.read_bytes() for p in _database_files(app)}
        assert files[Path(db.get_bind().url.database).name] and files[f"{Path(db.get_bind().url.database).name}-wal"]
    db.close()

    result = runner.invoke(args=["purge-personal-data", "--before", tomorrow().date().isoformat(), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Purged 360 people" in result.output
    assert db.exec(select(func.count()).select_from(ContactEvent).where(ContactEvent.notes != "")).one() == 0
    if not sqlite:  # PostgreSQL keeps its own files: the purged tables were rewritten
        assert "VACUUM FULL" in result.output
        return
    db.close()
    assert "-wal file emptied" in result.output
    for path in _database_files(app):
        assert marker.encode() not in path.read_bytes(), f"{path.name} still holds purged text"


def test_purge_removes_lift_requests_with_their_voters(app, db, recorded):
    from app.models import LiftRequest

    person = db.exec(select(Person)).first()
    db.add_all([LiftRequest(person_id=person.id, name="Pat Example", address="1 Elm St", access_needs="wheelchair",
                            wanted_at=tomorrow()),
                LiftRequest(name="Not on the register", address="2 Oak St", phone="+16175550100", wanted_at=tomorrow())])
    db.commit()
    counts = purge_personal_data(db, before=tomorrow(), settings=app.extensions["legwork_settings"])
    db.commit()
    assert counts["lifts_removed"] == 2 and db.exec(select(func.count()).select_from(LiftRequest)).one() == 0


def test_purge_after_calls_were_made(app, db, recorded, make_user):
    """Call records point at queue entries the purge deletes: they keep their outcome and caller."""
    from app.models import CallAttempt, CallQueueEntry

    _, people = recorded
    caller = make_user(email="caller@example.org", roles="caller")
    entry = CallQueueEntry(person_id=people[1].id, phone=people[1].phone or "+16175550000", status="done")
    db.add(entry)
    db.flush()
    db.add(CallAttempt(queue_entry_id=entry.id, person_id=people[1].id, caller_id=caller.id,
                       phone=entry.phone, disposition="no_answer"))
    db.commit()
    purge_personal_data(db, before=tomorrow(), settings=app.extensions["legwork_settings"])
    db.commit()
    attempt = db.exec(select(CallAttempt)).one()
    assert (attempt.person_id, attempt.phone, attempt.queue_entry_id, attempt.disposition) == (None, "", None, "no_answer")
    assert db.exec(select(func.count()).select_from(CallQueueEntry)).one() == 0
