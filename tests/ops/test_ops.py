"""Backup/restore round trip, purge after an election, subject-access export."""
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import func, select

from app.contacts import Actor, ledger_blocks, record_contacts
from app.models import AuditEntry, ContactEvent, DoNotContact, Household, Person, SurveyResponse
from app.ops import export_person, outcomes_checksum, purge_personal_data


@pytest.fixture
def recorded(app, db, make_ward, make_household):
    """Three households, one 'spoke' with a survey answer, one do-not-contact by phone."""
    settings = app.extensions["legwork_settings"]
    ward = make_ward()
    homes = [make_household(ward, people=1) for _ in range(3)]
    people = [db.exec(select(Person).where(Person.household_id == h.id)).one() for h in homes]
    events = [
        {"id": str(uuid.uuid4()), "household_id": homes[0].id, "code": "spoke", "recorded_at": "2026-11-01T10:00:00Z",
         "notes": "Talked about the bus route", "lat": 42.37, "lon": -71.11,
         "responses": [{"person_id": people[0].id, "support_level": "1"}]},
        {"id": str(uuid.uuid4()), "household_id": homes[1].id, "code": "not_home", "recorded_at": "2026-11-01T10:05:00Z"},
    ]
    record_contacts(db, events=events, actor=Actor(), settings=settings)
    record_contacts(db, events=[{"id": str(uuid.uuid4()), "household_id": homes[2].id, "person_id": people[2].id,
                                 "code": "do_not_call", "recorded_at": "2026-11-01T11:00:00Z"}],
                    actor=Actor(), settings=settings, channel="phone")
    db.commit()
    return homes, people


def test_backup_and_restore_round_trip(app, db, recorded, runner, tmp_path):
    before = outcomes_checksum(db)
    out = tmp_path / "backup.bin"
    result = runner.invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{before[0]} outcomes" in result.output
    db.execute(ContactEvent.__table__.delete().where(ContactEvent.code == "not_home"))
    db.commit()
    assert outcomes_checksum(db) != before
    db.close()
    result = runner.invoke(args=["restore", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    assert outcomes_checksum(db) == before
    assert db.exec(select(func.count()).select_from(Household)).one() == 3


def test_restore_refuses_missing_file(runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path / "nope"), "--yes"])
    # a usage error (exit 1 with a message), not a crash: an uncaught exception also exits 1
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert f"Error: no backup at {tmp_path / 'nope'}" in result.output


def test_purge_keeps_anonymous_counts_and_the_ledger(db, recorded):
    homes, people = recorded
    phone = people[2].phone
    counts = purge_personal_data(db, before=datetime.now(timezone.utc) + timedelta(days=1))
    db.commit()
    assert counts["people"] == 3
    assert db.exec(select(func.count()).select_from(Person)).one() == 0
    events = db.exec(select(ContactEvent)).all()
    assert len(events) == 3 and all(e.person_id is None and e.notes == "" and e.lat is None for e in events)
    assert db.exec(select(SurveyResponse.support_level)).all() == ["1"]
    assert ledger_blocks(db, phone=phone)  # still never called again
    assert db.exec(select(DoNotContact)).one().person_id is None
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "data.purge")).first() is not None


def test_purge_keeps_people_imported_after_the_date(db, recorded):
    counts = purge_personal_data(db, before=datetime(2000, 1, 1, tzinfo=timezone.utc))
    assert counts["people"] == 0
    assert db.exec(select(func.count()).select_from(Person)).one() == 3


@pytest.mark.parametrize("before, message", [("yesterday", "is not a date"), ("2026-13-01", "is not a date")])
def test_purge_cli_rejects_bad_dates(runner, before, message):
    result = runner.invoke(args=["purge-personal-data", "--before", before, "--yes"])
    assert result.exit_code != 0 and message in result.output


def test_export_person_holds_everything(db, recorded, runner):
    homes, people = recorded
    data = export_person(db, person_id=people[0].id)
    assert data["person"]["first_name"] == people[0].first_name
    assert data["contacts"][0]["response"]["support_level"] == "1"
    assert data["contacts"][0]["notes"] == "Talked about the bus route"
    result = runner.invoke(args=["export-person", str(people[2].id)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["do_not_contact"][0]["channel"] == "all"
    result = runner.invoke(args=["export-person", "999999"])
    assert result.exit_code == 1 and "Error: no person with id 999999" in result.output
