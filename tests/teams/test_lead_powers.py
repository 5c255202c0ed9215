"""A team lead does, inside their team's areas only, what an organiser does: cut and hand out walk
lists, make call sheets, see maps and their team's volunteers. Outside them: refused, nothing saved."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app import walk_lists as ops
from app.auth.access import area_scope
from app.errors import Forbidden
from app.models import Assignment, AuditEntry, CallSheet, ListPin, User, WalkList
from tests.support.canvass import done


def _count(db, model, *where):
    done(db)
    return db.exec(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


@pytest.fixture
def as_lead(client, auth, patch):
    auth.login(patch.lead.email)
    return patch


def test_a_lead_cuts_in_their_area_and_not_in_another(client, db, as_lead, token):
    p, t = as_lead, token("/organiser/lists")
    page = client.get("/organiser/lists").get_data(as_text=True)
    assert f'value="ward:{p.ward.id}"' in page and f'value="ward:{p.other_ward.id}"' not in page
    forged = client.post("/organiser/lists/preview", data={"area": f"ward:{p.other_ward.id}", "target_size": 6, "csrf_token": t})
    assert forged.status_code == 422
    preview = client.post("/organiser/lists/preview", data={"area": f"ward:{p.ward.id}", "target_size": 6, "csrf_token": t})
    assert preview.status_code == 200
    signed = re.search(r'name="proposal"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="proposal"', preview.get_data(as_text=True))
    saved = client.post("/organiser/lists/save", data={"proposal": next(g for g in signed.groups() if g), "csrf_token": t})
    assert saved.status_code == 302 and _count(db, WalkList) == 2
    # The operations refuse an area outside the scope whatever the form said.
    scope = area_scope(db, principal=p.lead)
    with pytest.raises(Forbidden):
        ops.cut_area(db, ward_id=p.other_ward.id, target_size=6, scope=scope)
    theirs = ops.cut_area(db, ward_id=p.other_ward.id, target_size=6)
    with pytest.raises(Forbidden):
        ops.save_lists(db, proposal=theirs, scope=scope)
    db.rollback()
    assert _count(db, WalkList) == 2


def test_a_lead_with_one_neighbourhood_cannot_cut_the_whole_ward(db, make_user, make_team, patch):
    east, west = patch.hoods
    lead = make_user(roles="volunteer")
    make_team(neighbourhoods=[east], leads=[lead])
    scope = area_scope(db, principal=lead)
    assert ops.cut_area(db, neighbourhood_id=east.id, target_size=6, scope=scope).turfs
    for kw in (dict(ward_id=patch.ward.id), dict(neighbourhood_id=west.id)):
        with pytest.raises(Forbidden):
            ops.cut_area(db, target_size=6, scope=scope, **kw)


def test_the_lists_page_shows_only_lists_in_scope(client, db, as_lead, make_walk_list, make_household):
    p = as_lead
    make_walk_list([make_household(p.ward)], name="Mine · 1", ward=p.ward)
    theirs = make_walk_list([make_household(p.other_ward)], name="Theirs · 1", ward=p.other_ward)
    page = client.get("/organiser/lists").get_data(as_text=True)
    assert "Mine · 1" in page and "Theirs · 1" not in page
    for url in (f"/organiser/lists/{theirs.id}", f"/organiser/walk-sheets/{theirs.id}", f"/maps/lists/{theirs.id}"):
        assert client.get(url).status_code == 403, url


def test_a_lead_assigns_a_member_who_becomes_a_canvasser(client, db, as_lead, token, make_walk_list, make_household):
    p = as_lead
    mine = make_walk_list([make_household(p.ward)], ward=p.ward)
    detail = client.get(f"/organiser/lists/{mine.id}").get_data(as_text=True)
    assert "Mo Member" in detail and "Sam Stranger" not in detail  # only the team's members are offered
    t = token(f"/organiser/lists/{mine.id}")
    refused = client.post(f"/organiser/lists/{mine.id}/assign", data={"user_ids": [p.stranger.id], "csrf_token": t})
    assert refused.status_code == 403 and _count(db, Assignment) == 0
    given = client.post(f"/organiser/lists/{mine.id}/assign", data={"user_ids": [p.member.id], "csrf_token": t})
    assert given.status_code == 302
    done(db)
    db.expire_all()
    assert db.get(User, p.member.id).role_set == {"volunteer", "canvasser"}
    assert _count(db, Assignment, Assignment.user_id == p.member.id, Assignment.assigned_by_id == p.lead.id) == 1
    change = db.exec(sa.select(AuditEntry).where(AuditEntry.action == "role.change")).scalar_one()
    assert change.target == f"user:{p.member.id}" and change.actor_user_id == p.lead.id
    # PINs and release work on their list...
    assert client.post(f"/organiser/lists/{mine.id}/pins", data={"label": "door", "csrf_token": t}).status_code == 200
    assert client.post(f"/organiser/lists/{mine.id}/unassign/{p.member.id}", data={"csrf_token": t}).status_code == 302


def test_a_lead_is_refused_every_write_on_another_teams_list(client, db, as_lead, token, make_walk_list,
                                                             make_household, make_user):
    p = as_lead
    other = make_user(roles="canvasser")
    theirs = make_walk_list([make_household(p.other_ward)], ward=p.other_ward, assign_to=other)
    pin, _ = ops.create_pin(db, walk_list_id=theirs.id, created_by_id=None)
    db.commit()
    t = token()
    for url, data in ((f"/organiser/lists/{theirs.id}/assign", {"user_ids": [p.member.id]}),
                      (f"/organiser/lists/{theirs.id}/unassign/{other.id}", {}),
                      (f"/organiser/lists/{theirs.id}/release", {"confirm": "y"}),
                      (f"/organiser/lists/{theirs.id}/pins", {"label": "x"}),
                      (f"/organiser/lists/{theirs.id}/pins/{pin.id}/revoke", {})):
        assert client.post(url, data={**data, "csrf_token": t}).status_code == 403, url
    done(db)
    db.expire_all()
    assert db.get(WalkList, theirs.id).status == "active" and db.get(ListPin, pin.id).revoked_at is None
    assert _count(db, Assignment, Assignment.unassigned_at.is_(None)) == 1 and _count(db, ListPin) == 1


def test_call_sheets_are_scoped(client, db, as_lead, token, make_walk_list, make_household):
    p = as_lead
    mine, theirs = CallSheet(name="Mine sheet", ward_id=p.ward.id), CallSheet(name="Theirs sheet", ward_id=p.other_ward.id)
    everyone = CallSheet(name="Everyone sheet")
    db.add_all([mine, theirs, everyone])
    db.commit()
    page = client.get("/phonebank/sheets").get_data(as_text=True)
    assert "Mine sheet" in page and "Theirs sheet" not in page and "Everyone sheet" not in page
    assert f'value="ward:{p.ward.id}"' in page and f'value="ward:{p.other_ward.id}"' not in page
    assert client.get(f"/phonebank/sheets/{mine.id}").status_code == 200
    assert client.get(f"/phonebank/sheets/{theirs.id}").status_code == 403
    t = token("/phonebank/sheets")
    assert client.post(f"/phonebank/sheets/{theirs.id}/queue", data={"csrf_token": t}).status_code == 403
    forged = client.post("/phonebank/sheets", data={"scope": f"ward:{p.other_ward.id}", "criteria": "all",
                                                    "priority": "not_home_first", "sheet_size": 50, "csrf_token": t})
    assert forged.status_code == 422
    made = client.post("/phonebank/sheets", data={"scope": f"ward:{p.ward.id}", "criteria": "all",
                                                  "priority": "not_home_first", "sheet_size": 50, "csrf_token": t})
    assert made.status_code == 302
    assert _count(db, CallSheet, CallSheet.ward_id == p.ward.id) > 1
    done(db)
    db.expire_all()
    assert db.get(CallSheet, theirs.id).in_queue is False
    assert _count(db, CallSheet, CallSheet.ward_id == p.other_ward.id) == 1


def test_maps_are_scoped(client, db, as_lead):
    p = as_lead
    east, _ = p.hoods
    overview = client.get("/maps/").get_data(as_text=True)
    assert p.ward.name in overview and p.other_ward.name not in overview
    assert client.get(f"/maps/?ward={p.other_ward.id}").status_code == 200  # falls back to their own ward
    assert p.other_ward.name not in client.get(f"/maps/?ward={p.other_ward.id}").get_data(as_text=True)
    assert client.get(f"/maps/neighbourhoods/{east.id}").status_code == 200
    from app.models import Neighbourhood

    far = db.exec(sa.select(Neighbourhood).where(Neighbourhood.ward_id == p.other_ward.id)).scalars().first()
    assert client.get(f"/maps/neighbourhoods/{far.id}").status_code == 403
    assert client.get("/maps/city").status_code == 403  # every door of the city: organisers only


def test_the_volunteers_page_shows_a_lead_their_team_read_only(client, db, as_lead, token):
    p = as_lead
    page = client.get("/organiser/volunteers").get_data(as_text=True)
    assert "Mo Member" in page and "Lee Lead" in page and "Sam Stranger" not in page and "Oz Other" not in page
    assert "Invite a volunteer" not in page and "Save roles" not in page and "Deactivate" not in page
    t = token("/organiser/volunteers")
    assert client.post(f"/organiser/volunteers/{p.member.id}/roles", data={"roles": ["organiser"], "csrf_token": t}).status_code == 403
    assert client.post(f"/organiser/volunteers/{p.member.id}/deactivate", data={"csrf_token": t}).status_code == 403
    done(db)
    db.expire_all()
    assert db.get(User, p.member.id).roles == "volunteer" and db.get(User, p.member.id).is_active


def test_a_lead_is_shown_the_pages_they_may_use(client, as_lead):
    home = client.get("/organiser/").get_data(as_text=True)
    assert 'href="/organiser/"' in home  # the Organise link in the top bar
    for page in ("/organiser/lists", "/teams", "/organiser/volunteers", "/phonebank/sheets", "/maps/"):
        assert f'href="{page}"' in home
    for page in ("/organiser/imports", "/organiser/audit", "/organiser/do-not-contact"):
        assert f'href="{page}' not in home
    assert client.get("/organiser/imports").status_code == 403
