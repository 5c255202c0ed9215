"""Subject access and the purge cover fixes from the door, follow-ups and the email column."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.models import FollowUp, Person, PersonFix
from app.ops import export_person
from app.purge import purge_personal_data
from tests.support.canvass import done, outcome, post
from tests.support.fixes import fix


def _record(client, token, field, db):
    done(db)
    person = db.exec(sa.select(Person).where(Person.household_id == field.my_doors[0].id)).scalars().first()
    done(db)
    items = [fix(field.my_doors[0], field.mine, "email", person_id=person.id, email="ann@example.org"),
             outcome(field.my_doors[0], field.mine, "spoke", responses=[{"person_id": person.id, "poster": True}])]
    assert {r["status"] for r in post(client, token, items).get_json()["results"]} == {"stored"}
    return person.id


def test_export_person_holds_the_email_fixes_and_follow_ups(client, token, field, db):
    person_id = _record(client, token, field, db)
    data = export_person(db, person_id=person_id)
    assert data["person"]["email"] == "ann@example.org"
    assert [f["kind"] for f in data["fixes_at_the_door"]] == ["email"]
    assert "ann@example.org" in data["fixes_at_the_door"][0]["after"] and data["fixes_at_the_door"][0]["consent_text"]
    assert [f["kind"] for f in data["follow_ups"]] == ["poster"]


def test_the_purge_removes_them(client, token, field, db, app):
    _record(client, token, field, db)
    counts = purge_personal_data(db, before=datetime.now(timezone.utc) + timedelta(days=1),
                                 settings=app.extensions["legwork_settings"])
    db.commit()
    assert counts["fixes_removed"] == 1 and counts["follow_ups_removed"] == 1
    assert [db.execute(sa.select(sa.func.count()).select_from(m)).scalar_one() for m in (PersonFix, FollowUp, Person)] == [0, 0, 0]
