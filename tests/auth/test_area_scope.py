"""A team lead's area scope (access.area_scope): whole wards cover their neighbourhoods, a single
neighbourhood covers only itself, and list/sheet placement is judged the same way in Python
(list_in_scope) and in SQL (scope_list_clause)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from app.auth.access import (Scope, area_scope, list_in_scope, may_lead, require_list_in_scope, scope_list_clause,
                             sheet_in_scope, team_member_ids)
from app.errors import Forbidden, NotFound
from app.models import CallSheet, Neighbourhood, TeamArea, WalkList


def _hoods(db, ward):
    return db.exec(select(Neighbourhood).where(Neighbourhood.ward_id == ward.id).order_by(Neighbourhood.code)).all()


def test_organiser_everything_nobody_nothing(db, make_user):
    organiser, volunteer = make_user(roles="organiser"), make_user(roles="volunteer")
    assert area_scope(db, principal=organiser) is None
    assert area_scope(db, principal=volunteer) == Scope()
    assert area_scope(db, principal=None) == Scope()
    assert not may_lead(db, principal=volunteer) and may_lead(db, principal=organiser)


def test_whole_ward_covers_its_neighbourhoods(db, make_user, make_ward, make_team):
    w1, w2 = make_ward("W1"), make_ward("W2", bounds=(-71.09, 42.36, -71.07, 42.38))
    lead, member = make_user(roles="volunteer"), make_user(roles="volunteer")
    make_team(wards=[w1], leads=[lead], members=[member])
    scope = area_scope(db, principal=lead)
    assert scope.ward_ids == {w1.id}
    assert scope.neighbourhood_ids == {h.id for h in _hoods(db, w1)}
    assert scope.touched_ward_ids == {w1.id}
    assert not scope.covers_area(ward_id=w2.id, neighbourhood_id=None)
    assert may_lead(db, principal=lead) and not may_lead(db, principal=member)
    assert team_member_ids(db, principal=lead) == {lead.id, member.id}
    assert area_scope(db, principal=member) == Scope()  # a member leads nothing


def test_one_neighbourhood_covers_only_itself(db, make_user, make_ward, make_team):
    w1 = make_ward("W1")
    east, west = _hoods(db, w1)
    lead = make_user(roles="volunteer")
    make_team(neighbourhoods=[east], leads=[lead])
    scope = area_scope(db, principal=lead)
    assert scope.ward_ids == frozenset() and scope.neighbourhood_ids == {east.id}
    assert scope.touched_ward_ids == {w1.id}  # the map may show the ward, with this neighbourhood only
    assert scope.covers_key(f"hood:{east.id}") and not scope.covers_key(f"hood:{west.id}")
    assert not scope.covers_key(f"ward:{w1.id}") and not scope.covers_key("ward:x") and not scope.covers_key("junk")
    # A list with no neighbourhood needs the whole ward; one in the neighbourhood is in.
    assert not list_in_scope(scope, WalkList(name="a", code="A", ward_id=w1.id))
    assert list_in_scope(scope, WalkList(name="b", code="B", ward_id=w1.id, neighbourhood_id=east.id))
    assert not list_in_scope(scope, WalkList(name="c", code="C", ward_id=w1.id, neighbourhood_id=west.id))


def test_require_list_in_scope(db, make_user, make_ward, make_team, make_household, make_walk_list):
    w1, w2 = make_ward("W1"), make_ward("W2", bounds=(-71.09, 42.36, -71.07, 42.38))
    lead = make_user(roles="volunteer")
    make_team(wards=[w1], leads=[lead])
    mine = make_walk_list([make_household(w1)], ward=w1)
    theirs = make_walk_list([make_household(w2)], ward=w2)
    assert require_list_in_scope(db, principal=lead, walk_list_id=mine.id).id == mine.id
    with pytest.raises(Forbidden):
        require_list_in_scope(db, principal=lead, walk_list_id=theirs.id)
    with pytest.raises(NotFound):
        require_list_in_scope(db, principal=lead, walk_list_id=theirs.id + 100)


def test_call_sheet_scope(db, make_user, make_ward, make_team, make_household, make_walk_list):
    w1, w2 = make_ward("W1"), make_ward("W2", bounds=(-71.09, 42.36, -71.07, 42.38))
    east, _ = _hoods(db, w1)
    lead = make_user(roles="volunteer")
    make_team(neighbourhoods=[east], leads=[lead])
    scope = area_scope(db, principal=lead)
    in_hood = make_walk_list([make_household(w1, neighbourhood_id=east.id)], ward=w1)
    in_hood.neighbourhood_id = east.id
    db.add(in_hood)
    db.commit()
    assert sheet_in_scope(db, scope, CallSheet(name="s", neighbourhood_id=east.id))
    assert not sheet_in_scope(db, scope, CallSheet(name="s", ward_id=w1.id))  # the whole ward is not theirs
    assert not sheet_in_scope(db, scope, CallSheet(name="s", ward_id=w2.id))
    assert sheet_in_scope(db, scope, CallSheet(name="s", walk_list_id=in_hood.id))
    assert not sheet_in_scope(db, scope, CallSheet(name="s"))  # campaign-wide: organisers only
    assert sheet_in_scope(db, None, CallSheet(name="s"))


# ---- random team areas against every placement of a list ----------------------------------------
@pytest.fixture
def geography(db, make_user, make_ward, make_team):
    wards = [make_ward(f"W{i}", bounds=(-71.2 + i * 0.05, 42.3, -71.16 + i * 0.05, 42.34)) for i in range(3)]
    hoods = {w.id: [h.id for h in _hoods(db, w)] for w in wards}
    orphan = Neighbourhood(code="N0", name="No ward", boundary=wards[0].boundary)  # a neighbourhood in no ward
    db.add(orphan)
    db.flush()
    placements = [(w.id, h) for w in wards for h in [None, *hoods[w.id]]] + [(None, orphan.id), (None, None)]
    lists = []
    for i, (ward_id, hood_id) in enumerate(placements):
        lists.append(WalkList(name=f"L{i}", code=f"C{i}", ward_id=ward_id, neighbourhood_id=hood_id))
    db.add_all(lists)
    lead = make_user(roles="volunteer")
    team = make_team(leads=[lead])
    db.commit()
    ward_of = {h: w for w, hs in hoods.items() for h in hs} | {orphan.id: None}
    return dict(lead=lead, team=team, wards=[w.id for w in wards], hoods=sorted(ward_of), ward_of=ward_of,
                lists=[(wl.id, wl.ward_id, wl.neighbourhood_id) for wl in lists])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_list_in_scope_agrees_with_a_direct_computation(db, geography, data):
    g = geography
    wards = data.draw(st.sets(st.sampled_from(g["wards"])))
    hoods = data.draw(st.sets(st.sampled_from(g["hoods"])))
    db.execute(sa.delete(TeamArea).where(TeamArea.team_id == g["team"].id))
    db.add_all([TeamArea(team_id=g["team"].id, ward_id=w) for w in wards]
               + [TeamArea(team_id=g["team"].id, neighbourhood_id=h) for h in hoods])
    db.commit()
    scope = area_scope(db, principal=g["lead"])

    def expected(ward_id, hood_id):
        if hood_id is not None:
            return hood_id in hoods or g["ward_of"][hood_id] in wards
        return ward_id is not None and ward_id in wards

    want = {lid for lid, w, h in g["lists"] if expected(w, h)}
    by_python = {lid for lid, w, h in g["lists"] if list_in_scope(scope, WalkList(ward_id=w, neighbourhood_id=h))}
    by_sql = set(db.exec(select(WalkList.id).where(scope_list_clause(scope))).all())
    db.rollback()
    assert by_python == want and by_sql == want
