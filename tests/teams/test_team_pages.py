"""The organiser's team pages (create, rename, areas, members, leads, delete) and a lead's view of
their own team."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, Event, Team, TeamArea, TeamMember, utcnow
from app.teams import operations as ops
from app.errors import Conflict, ValidationError
from tests.support.canvass import done


def _count(db, model, *where):
    done(db)
    return db.exec(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


def test_organiser_runs_a_team(client, auth, db, patch, token, make_user):
    organiser = auth.login_as("organiser")
    t = token()
    made = client.post("/teams", data={"name": "  North   team ", "description": "Doors up north", "csrf_token": t})
    assert made.status_code == 302
    team = db.exec(sa.select(Team).where(Team.name == "North team")).scalar_one()
    assert made.headers["Location"].endswith(f"/teams/{team.id}")
    same = client.post("/teams", data={"name": "north TEAM", "csrf_token": t})
    assert same.status_code == 302 and _count(db, Team) == 3  # refused: the name is taken
    assert "already a team called" in client.get(same.headers["Location"]).get_data(as_text=True)

    east, west = patch.hoods
    areas = client.post(f"/teams/{team.id}/areas", data={"areas": [f"ward:{patch.other_ward.id}", f"hood:{east.id}"],
                                                          "csrf_token": t})
    assert areas.status_code == 302
    done(db)
    rows = db.exec(sa.select(TeamArea.ward_id, TeamArea.neighbourhood_id).where(TeamArea.team_id == team.id)).all()
    assert sorted(map(tuple, rows), key=str) == sorted([(patch.other_ward.id, None), (None, east.id)], key=str)
    forged = client.post(f"/teams/{team.id}/areas", data={"areas": ["ward:99999"], "csrf_token": t})
    assert forged.status_code == 302 and _count(db, TeamArea, TeamArea.team_id == team.id) == 2

    helper = make_user(roles="volunteer", name="Hal Helper", phone="+16175550100")
    added = client.post(f"/teams/{team.id}/members", data={"email": helper.email.upper(), "lead": "y", "csrf_token": t})
    assert added.status_code == 302
    unknown = client.post(f"/teams/{team.id}/members", data={"email": "nobody@example.org", "csrf_token": t})
    assert "No one has an account" in client.get(unknown.headers["Location"]).get_data(as_text=True)
    page = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "Hal Helper" in page and "+16175550100" in page and "lead</span>" in page and "0 doors · 0 calls" in page
    assert "Ward 2 (whole ward)" in page and "Ward 1 › W1 district 1" in page

    unlead = client.post(f"/teams/{team.id}/members/{helper.id}/lead", data={"csrf_token": t})
    assert unlead.status_code == 302
    done(db)
    assert db.exec(sa.select(TeamMember.is_lead).where(TeamMember.user_id == helper.id)).scalar_one() is False
    client.post(f"/teams/{team.id}/members/{helper.id}/remove", data={"csrf_token": t})
    assert _count(db, TeamMember, TeamMember.team_id == team.id) == 0

    renamed = client.post(f"/teams/{team.id}/edit", data={"name": "Northside", "description": "", "csrf_token": t})
    done(db)
    db.expire_all()
    assert renamed.status_code == 302 and db.get(Team, team.id).name == "Northside"
    unticked = client.post(f"/teams/{team.id}/delete", data={"csrf_token": t})
    assert unticked.status_code == 302 and _count(db, Team, Team.id == team.id) == 1
    deleted = client.post(f"/teams/{team.id}/delete", data={"confirm": "y", "csrf_token": t})
    assert deleted.status_code == 302 and _count(db, Team, Team.id == team.id) == 0
    assert _count(db, TeamArea, TeamArea.team_id == team.id) == 0
    actions = [a for a, in db.exec(sa.select(AuditEntry.action).where(AuditEntry.target == f"team:{team.id}")
                                   .order_by(AuditEntry.id)).all()]
    assert actions == ["team.create", "team.areas", "team.member.add", "team.unlead", "team.member.remove",
                       "team.update", "team.delete"]
    assert db.exec(sa.select(AuditEntry.actor_user_id).where(AuditEntry.action == "team.delete")).scalar_one() == organiser.id


def test_a_team_with_events_is_not_deleted(db, patch):
    start = utcnow() + timedelta(days=2)
    db.add(Event(kind="canvass", title="Saturday doors", starts_at=start, ends_at=start + timedelta(hours=2),
                 team_id=patch.team.id, checkin_code="abc123"))
    db.commit()
    with pytest.raises(Conflict, match="has 1 event"):
        ops.delete_team(db, team_id=patch.team.id)
    db.rollback()
    assert db.get(Team, patch.team.id) is not None


@pytest.mark.parametrize("keys, message", [
    (["ward"], "Unknown area"), (["ward:x"], "Unknown area"), (["town:1"], "Unknown area"),
    (["ward:" + "9" * 30], "Unknown area"), (["ward:99999"], "wards does not exist"),
    (["hood:99999"], "neighbourhoods does not exist"),
])
def test_bad_area_keys(db, patch, keys, message):
    with pytest.raises(ValidationError, match=message):
        ops.set_areas(db, team_id=patch.team.id, keys=keys)
    db.rollback()


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_bad_team_names(db, name):
    with pytest.raises(ValidationError, match="1 to 120 characters"):
        ops.create_team(db, name=name)


def test_a_lead_sees_their_own_team_only(client, auth, db, patch, token):
    auth.login(patch.lead.email)
    listing = client.get("/teams").get_data(as_text=True)
    assert "Ward 1 team" in listing and "Ward 2 team" not in listing and "New team" not in listing
    page = client.get(f"/teams/{patch.team.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Mo Member" in html and "Add member" not in html and "Delete team" not in html
    assert client.get(f"/teams/{patch.other_team.id}").status_code == 403
    t = token()
    assert client.post("/teams", data={"name": "Mine", "csrf_token": t}).status_code == 403
    assert client.post(f"/teams/{patch.team.id}/members", data={"email": patch.stranger.email, "csrf_token": t}).status_code == 403
    assert _count(db, Team) == 2 and _count(db, TeamMember, TeamMember.team_id == patch.team.id) == 2


def test_a_member_who_leads_nothing_is_refused(client, auth, patch):
    auth.login(patch.member.email)
    assert client.get("/teams").status_code == 403
    assert client.get(f"/teams/{patch.team.id}").status_code == 403
    assert client.get("/organiser/").status_code == 403
