"""The organiser's review of fixes made at the door: accept, or revert to what was there."""
from __future__ import annotations

import sqlalchemy as sa

from app.models import AuditEntry, Person, PersonFix
from tests.support.canvass import done, post
from tests.support.fixes import fix


def _person(db, household):
    done(db)
    person = db.exec(sa.select(Person).where(Person.household_id == household.id).order_by(Person.id)).scalars().first()
    done(db)
    return person


def _send(client, token, items):
    assert {r["status"] for r in post(client, token, items).get_json()["results"]} == {"stored"}


def _act(client, auth, fix_id, what):
    csrf = auth.csrf_token("/organiser/field-fixes")
    return client.post(f"/organiser/field-fixes/{fix_id}/{what}", data={"csrf_token": csrf})


def test_revert_puts_back_what_was_there(client, token, field, db, auth):
    person = _person(db, field.my_doors[0])
    old = (person.first_name, person.last_name, person.phone, person.gone)
    items = [fix(field.my_doors[0], field.mine, "name", person_id=person.id, first_name="Jo", last_name="Bloggs"),
             fix(field.my_doors[0], field.mine, "phone", person_id=person.id, phone="617 555 0177"),
             fix(field.my_doors[0], field.mine, "moved", person_id=person.id)]
    _send(client, token, items)
    auth.login_as("organiser")
    page = client.get("/organiser/field-fixes").get_data(as_text=True)
    assert "Jo" in page and "+16175550177" in page and "Moved away" in page
    for item in reversed(items):  # newest first, as an organiser undoing a muddle would
        assert _act(client, auth, item["id"], "revert").status_code == 302
    done(db)
    db.refresh(person)
    assert (person.first_name, person.last_name, person.phone, person.gone) == old
    assert person.phone_retired_at is None
    assert {f.status for f in db.exec(sa.select(PersonFix)).scalars()} == {"reverted"}
    assert db.exec(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "fix.revert")).scalar_one() == 3


def test_a_revert_never_undoes_a_later_change(client, token, field, db, auth):
    person = _person(db, field.my_doors[0])
    first = fix(field.my_doors[0], field.mine, "name", person_id=person.id, first_name="Jo")
    second = fix(field.my_doors[0], field.mine, "name", person_id=person.id, first_name="Joanna")
    _send(client, token, [first, second])
    auth.login_as("organiser")
    _act(client, auth, first["id"], "revert")
    done(db)
    db.refresh(person)
    assert person.first_name == "Joanna" and db.get(PersonFix, first["id"]).status == "applied"


def test_accept_keeps_it_and_an_added_resident_reverted_leaves_the_lists(client, token, field, db, auth):
    moved_person = _person(db, field.my_doors[1])
    add = fix(field.my_doors[0], field.mine, "add", first_name="Ada", last_name="Newcomer")
    moved = fix(field.my_doors[1], field.mine, "moved", person_id=moved_person.id)
    _send(client, token, [add, moved])
    auth.login_as("organiser")
    assert _act(client, auth, moved["id"], "accept").status_code == 302
    assert _act(client, auth, add["id"], "revert").status_code == 302
    done(db)
    added = db.exec(sa.select(Person).where(Person.first_name == "Ada")).scalar_one()
    db.refresh(moved_person)
    assert (added.gone, moved_person.gone) == ("removed", "moved")
    assert (db.get(PersonFix, moved["id"]).status, db.get(PersonFix, add["id"]).status) == ("accepted", "reverted")


def test_review_refuses_bad_ids_and_filters(client, auth):
    auth.login_as("organiser")
    csrf = auth.csrf_token("/organiser/field-fixes")
    assert client.post("/organiser/field-fixes/no-such-fix/accept", data={"csrf_token": csrf}).status_code == 404
    assert client.post("/organiser/field-fixes/" + "9" * 80 + "/revert", data={"csrf_token": csrf}).status_code == 404
    assert client.get("/organiser/field-fixes?kind=teleport").status_code == 422
    assert client.get("/organiser/field-fixes?list=abc").status_code == 422


def test_only_organisers_review(client, token, field, db):
    person = _person(db, field.my_doors[0])
    item = fix(field.my_doors[0], field.mine, "name", person_id=person.id, first_name="Jo")
    _send(client, token, [item])
    assert client.get("/organiser/field-fixes").status_code == 403
    assert client.post(f"/organiser/field-fixes/{item['id']}/revert", data={"csrf_token": token}).status_code == 403
    done(db)
    db.refresh(person)
    assert person.first_name == "Jo"
