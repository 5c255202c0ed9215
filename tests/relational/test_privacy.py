"""People you know in the post-election purge and the subject-access exports."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from app.db import write_transaction
from app.models import AuditEntry, Person, RelationalEntry, RelationalRejection, utcnow
from app.purge import purge_personal_data
from app.relational import operations as ops


def _listed(db, user, person, *, rejected=None, **kw):
    entry = RelationalEntry(owner_id=user.id, name="Ann Smith", postcode="CB1 2AB", phone="+441223555999",
                            person_id=person.id if person else None, **kw)
    db.add(entry)
    db.flush()
    if rejected:
        db.add(RelationalRejection(entry_id=entry.id, person_id=rejected.id))
    db.commit()
    return entry


def test_purge_deletes_the_lists_and_unlinks_purged_people(app, db, resident, make_user, conf):
    ann, other = resident("Ann", "Smith", postcode="CB1 2AB"), resident("Anne", "Smith", postcode="CB1 2AB")
    user = make_user(roles="volunteer")
    _listed(db, user, ann, rejected=other)
    kept = _listed(db, user, None, suggested_person_id=ann.id)
    later = datetime.now(timezone.utc) + timedelta(days=1)
    db.rollback()
    # People re-imported after the date stay; entries last changed after it stay, unlinked from the purged.
    fresh = db.get(RelationalEntry, kept.id)
    fresh.updated_at = later + timedelta(days=1)
    db.add(fresh)
    db.commit()
    counts = write_transaction(db, lambda s: purge_personal_data(s, before=later, settings=conf))
    assert counts["known_entries_removed"] == 1
    db.rollback()
    assert db.exec(select(Person)).all() == []
    assert db.exec(select(RelationalRejection)).all() == []
    [left] = db.exec(select(RelationalEntry)).all()
    assert left.id == kept.id and left.person_id is None and left.suggested_person_id is None


def test_export_person_lists_what_volunteers_typed_about_them(db, runner, resident, make_user):
    ann = resident("Ann", "Smith", postcode="CB1 2AB")
    owner = make_user(roles="volunteer", email="owner@example.org")
    _listed(db, owner, ann, confirmed_at=utcnow())
    result = runner.invoke(args=["export-person", str(ann.id)])
    assert result.exit_code == 0, result.output
    [known] = json.loads(result.output)["known_by_volunteers"]
    assert (known["name"], known["phone"]) == ("Ann Smith", "+441223555999")
    assert "owner@example.org" not in result.output


def test_export_volunteer_gives_them_their_own_list(db, runner, resident, make_user):
    ann = resident("Ann", "Smith", postcode="CB1 2AB")
    owner, other = make_user(roles="volunteer"), make_user(roles="volunteer")
    _listed(db, owner, ann)
    _listed(db, other, None)
    result = runner.invoke(args=["export-volunteer", str(owner.id)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["account"]["email"] == owner.email
    assert [(e["name"], e["found_on_register"]) for e in data["people_you_know"]] == [("Ann Smith", True)]
    db.rollback()
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "export.volunteer")).one().target == f"user:{owner.id}"
    for bad in ("0", "99999999999999999999", "-3"):
        result = runner.invoke(args=["export-volunteer", bad])
        assert result.exit_code != 0 and "Traceback" not in result.output


def test_nothing_typed_reaches_the_logs_or_the_audit(app, db, resident, make_user, conf, caplog):
    resident("Zebedee", "Quintrell", postcode="CB1 2AB")
    user = make_user(roles="volunteer")
    caplog.set_level("DEBUG")
    entry = write_transaction(db, lambda s: ops.add_entry(s, principal=user, name="Zebedee Quintrell",
                                                         postcode="CB1 2AB", phone="+441223555321", settings=conf))
    write_transaction(db, lambda s: ops.answer_match(s, principal=user, entry_id=entry.id, answer="yes", settings=conf))
    write_transaction(db, lambda s: ops.record_talk(s, principal=user, entry_id=entry.id, event_id=str(uuid.uuid4()),
                                                    code="talked", notes="Quintrell family", settings=conf))
    assert "Quintrell" not in caplog.text and "555321" not in caplog.text
    db.rollback()
    audit = " ".join(f"{a.action} {a.target} {a.detail}" for a in db.exec(select(AuditEntry)).all())
    assert "relational.confirm" in audit and "Quintrell" not in audit


def test_other_volunteers_never_see_a_talk_in_a_doors_history(app, db, client, auth, resident, make_user,
                                                              make_walk_list, make_ward, conf):
    from app.models import CallAttempt, Household
    from app.phonebank.queries import call_screen
    from tests.support.maps import record

    ward = make_ward()
    friend = resident("Ann", "Smith", postcode="CB1 2AB", ward=ward)
    home = db.get(Household, friend.household_id)
    talker = make_user(roles="volunteer")
    entry = _listed(db, talker, friend, confirmed_at=utcnow())
    write_transaction(db, lambda s: ops.record_talk(s, principal=talker, entry_id=entry.id, event_id=str(uuid.uuid4()),
                                                    code="talked", notes="Her brother's wedding", settings=conf))
    record(db, home, "not_home")
    canvasser = auth.login_as(roles="canvasser")
    walk_list = make_walk_list([home], assign_to=canvasser, ward=ward)
    history = client.get(f"/api/lists/{walk_list.id}").get_json()["doors"][0]["history"]
    assert [h["channel"] for h in history] == ["door"]
    caller = make_user(roles="caller")
    attempt = CallAttempt(person_id=friend.id, caller_id=caller.id, phone="+16175550100")
    db.add(attempt)
    db.commit()
    screen = call_screen(db, attempt=attempt, settings=conf)
    assert [e.channel for e in screen.events] == ["door"]
