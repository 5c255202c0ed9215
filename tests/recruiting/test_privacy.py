"""Subject access for a volunteer covers recruiting; the purge removes old welcome records."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from app.config import settings
from app.db import write_transaction
from app.models import AuditEntry, WelcomeNudge, utcnow
from app.purge import purge_personal_data
from tests.support.recruiting import code_for, make_volunteer


def test_export_volunteer_shows_code_recruiter_recruits_and_welcomes(runner, db, make_user, asha, asha_code):
    bo = make_volunteer(db, make_user, name="Bo Brought Newcomer", recruited_by=asha)
    db.add(WelcomeNudge(recruiter_id=asha.id, recruit_id=bo.id))
    db.commit()
    result = runner.invoke(args=["export-volunteer", str(asha.id)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["account"]["email"] == "asha@example.org"
    assert data["recruiting"]["code"] == f"{asha_code[:4]}-{asha_code[4:]}"
    assert data["recruiting"]["recruits"] == [{"id": bo.id, "name": "Bo N."}]
    assert [w["to"] for w in data["recruiting"]["welcomes_sent"]] == [bo.id]
    theirs = json.loads(runner.invoke(args=["export-volunteer", str(bo.id)]).output)
    assert theirs["recruiting"]["recruited_by"] == asha.id and theirs["recruiting"]["code"] is None
    db.rollback()
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "export.volunteer")).all()


def test_export_volunteer_refuses_unknown_and_junk_ids(runner):
    for arg in ("999999", "0", "junk", str(2**70)):
        result = runner.invoke(args=["export-volunteer", arg])
        assert result.exit_code != 0 and "Traceback" not in result.output


def test_the_purge_removes_welcome_records_before_its_date(app, db, make_user, asha):
    bo = make_volunteer(db, make_user, name="Bo B", recruited_by=asha)
    code_for(db, asha)
    db.add_all([WelcomeNudge(recruiter_id=asha.id, recruit_id=bo.id, sent_at=utcnow() - timedelta(days=60)),
                WelcomeNudge(recruiter_id=asha.id, recruit_id=bo.id, sent_at=utcnow())])
    db.commit()
    cfg = settings()
    counts = write_transaction(db, lambda s: purge_personal_data(s, before=utcnow() - timedelta(days=30), settings=cfg))
    assert counts["welcomes_removed"] == 1
    assert len(db.exec(select(WelcomeNudge)).all()) == 1
