"""Fixes at the door through POST /api/outcomes: stored exactly once, applied at once, audited,
only on the sender's own lists."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from app.models import AuditEntry, Person, PersonFix
from app.walk_lists import create_pin
from tests.support.canvass import done, outcome, post
from tests.support.fixes import CONSENT, fix
from tests.support.web import csrf_token_from


def _people(db, household):
    done(db)
    return db.exec(sa.select(Person).where(Person.household_id == household.id).order_by(Person.id)).scalars().all()


def _kinds(field, db):
    door = field.my_doors[0]
    first, second = _people(db, door)
    return [fix(door, field.mine, "add", first_name="Ada", last_name="Newcomer", phone="(617) 555-0142"),
            fix(door, field.mine, "moved", person_id=first.id),
            fix(door, field.mine, "deceased", person_id=second.id),
            fix(field.my_doors[1], field.mine, "name", person_id=_people(db, field.my_doors[1])[0].id,
                first_name="Jo", last_name="Bloggs"),
            fix(field.my_doors[2], field.mine, "phone", person_id=_people(db, field.my_doors[2])[0].id,
                phone="617 555 0123"),
            fix(field.my_doors[3], field.mine, "email", person_id=_people(db, field.my_doors[3])[0].id,
                email="Someone@Example.ORG")]


def _state(db):
    done(db)
    people = db.exec(sa.select(Person.id, Person.first_name, Person.last_name, Person.phone, Person.email, Person.gone)
                     .order_by(Person.id)).all()
    fixes = db.exec(sa.select(sa.func.count()).select_from(PersonFix)).scalar_one()
    audits = db.exec(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action.startswith("fix."))).scalar_one()
    done(db)
    return people, fixes, audits


@pytest.mark.parametrize("which", range(6))
def test_each_kind_of_fix_is_stored_once_however_often_it_is_resent(client, token, field, db, which):
    item = _kinds(field, db)[which]
    first = post(client, token, [item]).get_json()["results"]
    after_first = _state(db)
    again = post(client, token, [item, dict(item)]).get_json()["results"]
    assert first == [{"id": item["id"], "status": "stored"}]
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert _state(db) == after_first
    assert after_first[1:] == (1, 1)


def test_fixes_apply_at_once(client, token, field, db):
    items = _kinds(field, db)
    results = post(client, token, items).get_json()["results"]
    assert [r["status"] for r in results] == ["stored"] * 6
    done(db)
    added = db.exec(sa.select(Person).where(Person.first_name == "Ada")).scalar_one()
    assert (added.household_id, added.last_name, added.phone) == (field.my_doors[0].id, "Newcomer", "+16175550142")
    gone = {p.gone for p in _people(db, field.my_doors[0]) if p.id != added.id}
    assert gone == {"moved", "deceased"}
    assert _people(db, field.my_doors[1])[0].full_name == "Jo Bloggs"
    assert _people(db, field.my_doors[2])[0].phone == "+16175550123"
    assert _people(db, field.my_doors[3])[0].email == "Someone@example.org"
    phone_fix = db.get(PersonFix, items[4]["id"])
    assert (phone_fix.consent_text, phone_fix.actor_user_id, phone_fix.walk_list_id) == (CONSENT, field.me.id, field.mine.id)
    assert phone_fix.consent_at is not None
    assert json.loads(phone_fix.after)["phone"] == "+16175550123"
    # The list the phone reads no longer shows whoever left, and shows the new resident.
    names = [p["name"] for d in client.get(f"/api/lists/{field.mine.id}").get_json()["doors"]
             if d["household_id"] == field.my_doors[0].id for p in d["people"]]
    assert names == ["Ada Newcomer"]
    audit = db.exec(sa.select(AuditEntry).where(AuditEntry.action == "fix.phone")).scalar_one()
    assert "+1617" not in audit.detail and "555" not in audit.detail  # ids and field names, never the number


def test_a_volunteer_cannot_fix_someone_not_on_their_lists(client, token, field, db):
    theirs = field.their_doors[0]
    person = _people(db, theirs)[0]
    before = _state(db)
    results = post(client, token, [fix(theirs, field.theirs, "moved", person_id=person.id),
                                   fix(theirs, field.mine, "name", person_id=person.id, first_name="X"),
                                   fix(field.my_doors[0], field.mine, "name", person_id=person.id, first_name="X")]
                   ).get_json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert "not assigned to you" in results[0]["reason"] or "not yours" in results[0]["reason"] or results[0]["reason"]
    assert "does not live at household" in results[2]["reason"]
    assert _state(db) == before


@pytest.mark.parametrize("extra, reason", [
    ({"fix": "add", "first_name": "", "last_name": " "}, "give a first or last name"),
    ({"fix": "add", "first_name": "A" * 101}, "longer than 100"),
    ({"fix": "phone", "phone": "12"}, "not a valid number"),
    ({"fix": "phone", "phone": "617 555 0123", "consent": False}, "consent"),
    ({"fix": "email", "email": "not an email"}, "is not an email address"),
    ({"fix": "teleport"}, "fix must be one of"),
    ({"fix": "name", "person_id": "x", "first_name": "A"}, "person_id"),
])
def test_bad_fixes_are_refused_with_a_reason_and_change_nothing(client, token, field, db, extra, reason):
    person = _people(db, field.my_doors[0])[0]
    item = fix(field.my_doors[0], field.mine, "name", person_id=person.id)
    item.update({k: v for k, v in extra.items() if k != "consent"})
    if extra.get("consent") is False:
        item.pop("consent", None)
    elif "phone" in extra or "email" in extra:
        item["consent"] = {"text": CONSENT, "at": item["recorded_at"]}
    before = _state(db)
    [result] = post(client, token, [item]).get_json()["results"]
    assert result["status"] == "rejected" and reason in result["reason"]
    assert _state(db) == before


def test_controls_are_stripped_from_names(client, token, field, db):
    person = _people(db, field.my_doors[0])[0]
    item = fix(field.my_doors[0], field.mine, "name", person_id=person.id, first_name="Ma\u0000ry\u200b", last_name=" O'Neil\n")
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    done(db)
    db.refresh(person)
    assert (person.first_name, person.last_name) == ("Mary", "O'Neil")


def test_fixes_and_door_knocks_travel_together(client, token, field, db):
    person = _people(db, field.my_doors[0])[0]
    batch = [outcome(field.my_doors[0], field.mine, "not_home"),
             fix(field.my_doors[0], field.mine, "moved", person_id=person.id)]
    assert [r["status"] for r in post(client, token, batch).get_json()["results"]] == ["stored", "stored"]


# What JSON can carry (NaN and lone surrogates make the whole body unreadable: a 422 for the batch).
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
_values = st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70) | _text \
    | st.floats(allow_nan=False, allow_infinity=False) | st.lists(st.integers(), max_size=2) \
    | st.dictionaries(st.text(max_size=5), _text, max_size=2)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(["fix", "person_id", "first_name", "last_name", "phone", "email", "consent",
                                             "recorded_at", "household_id", "walk_list_id", "id"]), _values, max_size=6))
def test_any_fix_body_is_stored_or_refused_with_a_reason_never_a_500(client, token, field, db, body):
    item = fix(field.my_doors[0], field.mine, "name")
    item.update(body)
    response = post(client, token, [item])
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    [result] = response.get_json()["results"]
    assert result["status"] in ("stored", "rejected", "duplicate")
    if result["status"] == "rejected":
        assert result["reason"]


def test_a_pin_joiner_fixes_their_one_list(client, field, db, app):
    pin_row, pin = create_pin(db, walk_list_id=field.mine.id, created_by_id=field.other.id)
    done(db)
    anonymous = app.test_client()  # a phone with no account
    token = csrf_token_from(anonymous.get("/canvass/join").get_data(as_text=True))
    joined = anonymous.post("/canvass/join", data={"csrf_token": token, "code": field.mine.code, "pin": pin})
    assert joined.status_code == 302
    token = csrf_token_from(anonymous.get(f"/canvass/lists/{field.mine.id}").get_data(as_text=True))
    person = _people(db, field.my_doors[0])[0]
    item = fix(field.my_doors[0], field.mine, "name", person_id=person.id, first_name="Pat")
    assert post(anonymous, token, [item]).get_json()["results"][0]["status"] == "stored"
    done(db)
    row = db.get(PersonFix, item["id"])
    assert (row.actor_pin_id, row.actor_user_id, row.actor_label.startswith("PIN")) == (pin_row.id, None, True)
