"""Creating, proposing, approving, editing and cancelling events: the forms and the operations."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from app.db import write_transaction
from app.errors import Forbidden, ValidationError
from app.events import operations as ops
from app.models import Event, EventShift, EventWork, VolunteerProfile, utcnow
from tests.support.world import row_counts


@pytest.fixture
def patch(db, make_ward, make_household, make_user, make_walk_list, make_team):
    ward = make_ward()
    far = make_ward(code="W2", bounds=(-71.09, 42.36, -71.07, 42.38))
    lead, other_lead, volunteer, organiser = (make_user(roles="volunteer"), make_user(roles="volunteer"),
                                              make_user(roles="volunteer"), make_user(roles="organiser"))
    team = make_team(wards=[ward], leads=[lead], members=[volunteer])
    other = make_team(wards=[far], leads=[other_lead])
    here = make_walk_list([make_household(ward)], ward=ward, name="Here · 1")
    there = make_walk_list([make_household(far, lon=-71.08)], ward=far, name="There · 1")
    return dict(team=team, other=other, lead=lead, other_lead=other_lead, volunteer=volunteer,
                organiser=organiser, here=here, there=there)


def _data(**kw) -> ops.EventInput:
    start = utcnow() + timedelta(days=2)
    base = dict(kind="canvass", title="Saturday canvass", starts_at=start, ends_at=start + timedelta(hours=3),
                meeting_point="The library", lat=42.37, lon=-71.11)
    return ops.EventInput(**{**base, **kw})


def _create(db, actor, **kw):
    return write_transaction(db, lambda s: ops.create_event(s, actor=actor, data=_data(**kw)))


def test_an_organiser_creates_an_event_through_the_form_in_the_campaigns_time_zone(app, db, patch, signed_in):
    app.extensions["legwork_settings"] = __import__("dataclasses").replace(
        app.extensions["legwork_settings"], timezone="America/New_York")
    organiser = signed_in(patch["organiser"])
    response = organiser.post("/events/new", data={
        "kind": "canvass", "title": "Big canvass", "starts_at": "2030-06-01T10:00", "ends_at": "2030-06-01T13:00",
        "meeting_point": "Library", "lat": "42.37", "lon": "-71.11", "capacity": "12", "team_id": str(patch["team"].id),
        "shifts-0-starts_at": "2030-06-01T10:00", "shifts-0-ends_at": "2030-06-01T11:30", "shifts-0-capacity": "6",
        "walk_list_ids": str(patch["here"].id)})
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.exec(select(Event)).one()
    assert (event.status, event.capacity, event.host_id) == ("approved", 12, patch["organiser"].id)
    # 10:00 in New York in June (EDT) is 14:00 UTC.
    assert event.starts_at.replace(tzinfo=timezone.utc) == datetime(2030, 6, 1, 14, 0, tzinfo=timezone.utc)
    assert len(event.checkin_code) == 22
    assert db.exec(select(EventWork.walk_list_id)).all() == [patch["here"].id]
    assert db.exec(select(EventShift.capacity)).all() == [6]


@pytest.mark.parametrize("field, value, message", [
    ("ends_at", "2030-06-01T09:00", "must end after it starts"),
    ("capacity", "0", "at least 1"),
    ("capacity", "-3", "at least 1"),
    ("lat", "91", "Latitude must be between"),
    ("lon", "-181", "Longitude must be between"),
    ("starts_at", "9999-12-31T23:59", "between the years"),
    ("walk_list_ids", "999999", "valid choice"),
    ("team_id", "999999", "valid choice"),
])
def test_bad_form_input_is_refused_with_a_message_and_nothing_is_written(db, patch, signed_in, field, value, message):
    lead = signed_in(patch["lead"])
    form = {"kind": "canvass", "title": "T", "starts_at": "2030-06-01T10:00", "ends_at": "2030-06-01T13:00",
            "team_id": str(patch["team"].id), field: value}
    before = row_counts(db)
    response = lead.post("/events/new", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert row_counts(db) == before


def test_a_lead_forging_another_teams_id_or_list_is_refused(db, patch):
    lead = patch["lead"]
    with pytest.raises(Forbidden):
        _create(db, lead, team_id=patch["other"].id)
    with pytest.raises(Forbidden):
        _create(db, lead, team_id=patch["team"].id, walk_list_ids=[patch["there"].id])
    with pytest.raises(ValidationError, match="do not exist"):
        _create(db, lead, team_id=patch["team"].id, walk_list_ids=[987654])
    assert db.exec(select(Event)).all() == []
    event = _create(db, lead, team_id=patch["team"].id, walk_list_ids=[patch["here"].id])
    assert event.status == "approved"


@pytest.mark.parametrize("change, message", [
    (dict(ends_at=utcnow()), "end after it starts"),
    (dict(capacity=0), "at least 1"),
    (dict(capacity=-1), "at least 1"),
    (dict(lat=91.0), "Latitude"),
    (dict(lat=42.0, lon=None), "both latitude and longitude"),
    (dict(kind="party"), "kind of event"),
    (dict(title=" "), "title"),
])
def test_the_operation_validates_whatever_calls_it(db, patch, change, message):
    with pytest.raises(ValidationError, match=message):
        _create(db, patch["organiser"], **change)


def test_a_volunteer_proposes_and_the_lead_approves_or_declines(db, patch, signed_in):
    proposal = _create(db, patch["volunteer"], team_id=patch["team"].id)
    assert proposal.status == "proposed" and proposal.host_id == patch["volunteer"].id
    assert signed_in(patch["volunteer"]).get(f"/events/{proposal.id}").status_code == 404  # not public yet
    assert signed_in(patch["other_lead"]).post(f"/events/{proposal.id}/admin/approve").status_code == 403
    lead = signed_in(patch["lead"])
    assert f"/events/{proposal.id}/admin" in lead.get("/events/manage").get_data(as_text=True)
    assert lead.post(f"/events/{proposal.id}/admin/approve").status_code == 302
    db.rollback(), db.expire_all()  # a fresh snapshot, fresh objects
    assert db.get(Event, proposal.id).status == "approved"
    assert lead.post(f"/events/{proposal.id}/admin/approve").status_code == 409
    second = _create(db, patch["volunteer"], team_id=patch["team"].id)
    assert lead.post(f"/events/{second.id}/admin/decline").status_code == 302
    db.rollback(), db.expire_all()  # a fresh snapshot, fresh objects
    assert db.get(Event, second.id).status == "cancelled"


def test_a_volunteer_may_only_propose_for_their_own_team_and_without_work(db, patch):
    with pytest.raises(Forbidden):
        _create(db, patch["volunteer"], team_id=patch["other"].id)
    with pytest.raises(Forbidden):
        _create(db, patch["volunteer"], team_id=patch["team"].id, walk_list_ids=[patch["here"].id])


def test_a_trusted_host_needs_no_approval_and_only_leads_and_organisers_may_trust(db, patch, signed_in):
    volunteer = patch["volunteer"]
    assert signed_in(patch["other_lead"]).post(f"/events/trusted-host/{volunteer.id}",
                                               data={"trusted": "y"}).status_code == 403
    assert signed_in(patch["lead"]).post(f"/events/trusted-host/{volunteer.id}", data={"trusted": "y"}).status_code == 302
    db.rollback(), db.expire_all()  # a fresh snapshot, fresh objects
    assert db.get(VolunteerProfile, volunteer.id).trusted_host is True
    assert _create(db, volunteer, team_id=patch["team"].id).status == "approved"


def test_edit_and_cancel(db, patch, signed_in):
    event = _create(db, patch["lead"], team_id=patch["team"].id, capacity=5)
    lead = signed_in(patch["lead"])
    page = lead.get(f"/events/{event.id}/edit")
    assert page.status_code == 200 and "Saturday canvass" in page.get_data(as_text=True)
    assert signed_in(patch["other_lead"]).get(f"/events/{event.id}/edit").status_code == 403
    response = lead.post(f"/events/{event.id}/edit", data={
        "kind": "social", "title": "Picnic", "starts_at": "2030-06-01T10:00", "ends_at": "2030-06-01T13:00",
        "team_id": str(patch["team"].id)})
    assert response.status_code == 302
    db.rollback(), db.expire_all()  # a fresh snapshot, fresh objects
    assert (db.get(Event, event.id).title, db.get(Event, event.id).kind) == ("Picnic", "social")
    response = lead.post(f"/events/{event.id}/admin/cancel")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.rollback(), db.expire_all()  # a fresh snapshot, fresh objects
    assert db.get(Event, event.id).status == "cancelled"
    page = signed_in(patch["volunteer"]).get(f"/events/{event.id}")
    assert page.status_code == 200 and 'id="cancelled"' in page.get_data(as_text=True)


def test_a_host_who_is_not_a_lead_edits_the_event_but_not_its_work(db, patch, signed_in):
    event = _create(db, patch["lead"], team_id=patch["team"].id, host_id=patch["volunteer"].id,
                    walk_list_ids=[patch["here"].id])
    host = signed_in(patch["volunteer"])
    response = host.post(f"/events/{event.id}/edit", data={
        "kind": "canvass", "title": "Renamed", "starts_at": "2030-06-01T10:00", "ends_at": "2030-06-01T13:00",
        "team_id": str(patch["team"].id)})
    assert response.status_code == 302
    db.rollback(), db.expire_all()
    assert db.get(Event, event.id).title == "Renamed"
    assert db.exec(select(EventWork.walk_list_id)).all() == [patch["here"].id]
    with pytest.raises(Forbidden):
        write_transaction(db, lambda s: ops.update_event(
            s, actor=patch["volunteer"], event_id=event.id,
            data=_data(team_id=patch["team"].id, walk_list_ids=[patch["here"].id])))
