"""Backup/restore round trip and subject-access export (the purge: test_purge.py)."""
import json
import os
import stat

import pytest
from sqlmodel import func, select

from app.models import ContactEvent, Household
from app.ops import backup_checksum, export_person, outcomes_checksum


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


def test_backup_is_private_and_its_summary_describes_the_file(app, db, recorded, runner, tmp_path, monkeypatch):
    """0600 whatever the umask; the count printed is the copy's, even when a write lands right
    after the copy was taken."""
    import app.ops as ops

    real_backup, before = ops.backup, outcomes_checksum(db)

    def backup_then_a_write_lands(*, engine, out):
        made = real_backup(engine=engine, out=out)
        db.execute(ContactEvent.__table__.delete().where(ContactEvent.code == "not_home"))
        db.commit()
        return made

    monkeypatch.setattr(ops, "backup", backup_then_a_write_lands)
    old_umask = os.umask(0o022)
    try:
        out = tmp_path / "backup.bin"
        result = runner.invoke(args=["backup", str(out)])
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert f"{before[0]} outcomes, checksum {before[1][:16]}" in result.output
    assert outcomes_checksum(db)[0] == before[0] - 1
    assert backup_checksum(dialect=db.get_bind().dialect.name, path=out) == before
