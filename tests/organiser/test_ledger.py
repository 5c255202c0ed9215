"""The organiser's do-not-contact page: every ledger entry, who, where, how, by whom, on the
campaign's clock; organisers only (tests/security/test_access_matrix.py has the rest)."""
from __future__ import annotations

import re
import uuid

import sqlalchemy as sa

from app.config import settings
from app.contacts import Actor, record_contacts
from app.models import DoNotContact, ListPin, Person
from tests.support.canvass import done


def _record(db, app, *, household, code, channel, actor, person=None, at="2026-11-30T20:15:00Z"):
    event = {"id": str(uuid.uuid4()), "household_id": household.id, "code": code, "recorded_at": at}
    if person is not None:
        event["person_id"] = person.id
    with app.app_context():
        [status] = record_contacts(db, events=[event], actor=actor, settings=settings(), channel=channel)
    assert status.status == "stored", status
    db.commit()


def test_ledger_lists_every_entry_with_who_where_how_and_by_whom(app, auth, db, make_ward, make_household,
                                                                 make_user, make_walk_list):
    ward = make_ward("W1", "Ward 9")
    door_home = make_household(ward, street="Elm St", house_number="12")
    phone_home = make_household(ward, street="Oak St", house_number="7", people=2)
    pin_home = make_household(ward, street="Ash St", house_number="3")
    canvasser, caller = make_user(roles="canvasser"), make_user(roles="caller")
    walk_list = make_walk_list([pin_home], name="Ward 9 · 1", ward=ward)
    pin = ListPin(walk_list_id=walk_list.id, pin_hash="x", label="Jo from the church")
    db.add(pin)
    db.commit()
    callee = db.exec(sa.select(Person).where(Person.household_id == phone_home.id, Person.phone.is_not(None))).scalars().first()
    _record(db, app, household=door_home, code="do_not_contact", channel="door",
            actor=Actor(user_id=canvasser.id, label=canvasser.email))
    _record(db, app, household=phone_home, code="do_not_call", channel="phone", person=callee,
            actor=Actor(user_id=caller.id, label=caller.email))
    _record(db, app, household=pin_home, code="do_not_contact", channel="door", actor=Actor(pin_id=pin.id))
    _record(db, app, household=door_home, code="not_home", channel="door", actor=Actor(user_id=canvasser.id))
    done(db)
    assert db.exec(sa.select(sa.func.count()).select_from(DoNotContact)).scalar_one() == 3

    auth.login_as("organiser")
    assert 'href="/organiser/do-not-contact"' in auth._client.get("/organiser/").get_data(as_text=True)
    response = auth._client.get("/organiser/do-not-contact")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "3 entries" in html
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr>(.*?)</tr>", html.split('<tbody>')[1], re.S)]
    assert len(rows) == 3
    by_address = {next(a for a in ("12 Elm St", "7 Oak St", "3 Ash St") if a in row): row for row in rows}
    assert "whole household" in by_address["12 Elm St"] and "Door: Do not contact" in by_address["12 Elm St"]
    assert canvasser.email in by_address["12 Elm St"]
    assert callee.full_name in by_address["7 Oak St"] and "Phone: Do not call" in by_address["7 Oak St"]
    assert caller.email in by_address["7 Oak St"] and "(617) 555" in by_address["7 Oak St"]
    assert "PIN holder (Jo from the church)" in by_address["3 Ash St"]
    assert all("2026-11-30 15:15 EST" in row for row in rows)  # 20:15 UTC on Boston's clock


def test_ledger_is_for_organisers_only(auth):
    auth.login_as("caller")
    assert auth._client.get("/organiser/do-not-contact").status_code == 403
