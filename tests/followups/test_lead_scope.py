"""Team leads work the follow-ups of their own areas only; the export is the organiser's."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from app.models import ContactEvent, FollowUp, Person, utcnow
from tests.support.canvass import done


def _follow_up(db, household, note):
    person = db.execute(sa.select(Person.id).where(Person.household_id == household.id)).scalars().first()
    event = ContactEvent(id=str(uuid.uuid4()), channel="door", code="spoke", household_id=household.id,
                         recorded_at=utcnow())
    db.add(event)
    db.flush()
    row = FollowUp(event_id=event.id, kind="question", household_id=household.id, person_id=person, note=note)
    db.add(row)
    db.commit()
    return row.id


def test_a_lead_sees_and_works_only_their_areas(client, auth, db, make_ward, make_household, make_team):
    ours, theirs = make_ward("W1", "Ward 1"), make_ward("W2", "Ward 2", bounds=(-71.09, 42.36, -71.07, 42.38))
    here = _follow_up(db, make_household(ours), "Question from our ward")
    there = _follow_up(db, make_household(theirs, lon=-71.08, lat=42.37), "Question from elsewhere")
    lead = auth.login_as("volunteer")
    make_team(wards=[ours], leads=[lead])
    done(db)
    page = client.get("/organiser/follow-ups").get_data(as_text=True)
    assert "Question from our ward" in page and "Question from elsewhere" not in page
    assert client.get(f"/organiser/follow-ups?ward={theirs.id}").status_code == 403
    csrf = auth.csrf_token("/organiser/follow-ups")
    assert client.post(f"/organiser/follow-ups/{there}/claim", data={"csrf_token": csrf}).status_code == 404
    assert client.post(f"/organiser/follow-ups/{here}/claim", data={"csrf_token": csrf}).status_code == 302
    assert client.get("/organiser/follow-ups/export.csv").status_code == 403
    done(db)
    assert dict(db.execute(sa.select(FollowUp.id, FollowUp.status)).all()) == {here: "claimed", there: "open"}
