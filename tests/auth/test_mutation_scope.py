"""app/auth/access/scope.py where the mutation check (scripts/bench/mutation.py --module scope) found
rules no other test held: the cut form's area keys, a place judged by its neighbourhood, call
sheets made for a list, the rollups' "no neighbourhood" (0, not NULL), the map's wards, a
neighbourhood's page and the work an event of a team may take."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.auth.access import (Scope, in_scope, require_neighbourhood_in_scope, require_sheet_in_scope,
                             scope_area_clause, scope_wards, sheet_in_scope, team_work_ids, teams_scope)
from app.errors import Forbidden, NotFound
from app.models import CallSheet, Neighbourhood

SCOPE = Scope(ward_ids=frozenset({1}), neighbourhood_ids=frozenset({2}), touched_ward_ids=frozenset({1}))


def _hoods(db, ward):
    return db.exec(select(Neighbourhood).where(Neighbourhood.ward_id == ward.id).order_by(Neighbourhood.code)).all()


def test_covers_key_reads_the_kind_then_the_id():
    assert SCOPE.covers_key("ward:1") is True and SCOPE.covers_key("hood:2") is True
    assert SCOPE.covers_key("ward:2") is False and SCOPE.covers_key("hood:1") is False
    for junk in ("other:1", "ward:", "ward:-1", "hood:x", "1", ""):
        assert SCOPE.covers_key(junk) is False, junk


def test_covers_area_judges_a_place_by_its_neighbourhood_else_its_whole_ward():
    assert SCOPE.covers_area(ward_id=1, neighbourhood_id=None) is True
    assert SCOPE.covers_area(ward_id=5, neighbourhood_id=2) is True   # a covered neighbourhood, whatever the ward
    assert SCOPE.covers_area(ward_id=1, neighbourhood_id=3) is False  # the ward is not enough for another one
    assert SCOPE.covers_area(ward_id=5, neighbourhood_id=None) is False
    assert SCOPE.covers_area(ward_id=None, neighbourhood_id=None) is False
    assert in_scope(None, ward_id=None, neighbourhood_id=None) is True
    assert in_scope(SCOPE, ward_id=5, neighbourhood_id=None) is False


def test_teams_scope_of_no_team_or_a_ward_and_another_ward_s_neighbourhood(db, make_ward, make_team):
    w1, w2 = make_ward("W1"), make_ward("W2", bounds=(-71.09, 42.36, -71.07, 42.38))
    east2, _ = _hoods(db, w2)
    team = make_team(wards=[w1], neighbourhoods=[east2])
    assert teams_scope(db, team_ids=set()) == Scope()
    assert teams_scope(db, team_ids={team.id}) == Scope(
        frozenset({w1.id}), frozenset({h.id for h in _hoods(db, w1)} | {east2.id}), frozenset({w1.id, w2.id}))


def test_the_rollups_no_neighbourhood_is_zero(db):
    """scope_area_clause(..., none=0): the activity rollups key "no neighbourhood" as 0."""
    rows = [(1, 0), (1, 2), (3, 2), (1, 3), (3, 0), (1, None), (None, 0)]
    table = sa.union_all(*[sa.select(sa.literal(w, sa.Integer).label("w"), sa.literal(h, sa.Integer).label("h"))
                           for w, h in rows]).subquery()

    def picked(none):
        query = sa.select(table.c.w, table.c.h).where(scope_area_clause(SCOPE, table.c.w, table.c.h, none=none))
        return set(db.connection().execute(query).all())

    assert picked(0) == {(1, 0), (1, 2), (3, 2)}
    assert picked(None) == {(1, None), (1, 2), (3, 2)}


def test_sheet_in_scope_for_a_list_outside_or_gone_and_a_whole_ward(db, make_user, make_ward, make_team,
                                                                    make_household, make_walk_list):
    w1, w2 = make_ward("W1"), make_ward("W2", bounds=(-71.09, 42.36, -71.07, 42.38))
    lead = make_user(roles="volunteer")
    team = make_team(wards=[w1], leads=[lead])
    scope = teams_scope(db, team_ids={team.id})
    mine = make_walk_list([make_household(w1)], ward=w1)
    theirs = make_walk_list([make_household(w2)], ward=w2)
    assert sheet_in_scope(db, scope, CallSheet(name="s", ward_id=w1.id)) is True
    assert sheet_in_scope(db, scope, CallSheet(name="s", walk_list_id=mine.id)) is True
    assert sheet_in_scope(db, scope, CallSheet(name="s", walk_list_id=theirs.id)) is False
    assert sheet_in_scope(db, scope, CallSheet(name="s", walk_list_id=theirs.id + 100)) is False
    assert sheet_in_scope(db, scope, CallSheet(name="s", ward_id=w2.id, walk_list_id=mine.id)) is False  # area first
    assert sheet_in_scope(db, scope, CallSheet(name="s")) is False  # campaign-wide: organisers only
    assert sheet_in_scope(db, None, CallSheet(name="s", ward_id=w2.id)) is True


def test_require_sheet_in_scope(db, make_user, make_ward, make_team):
    w1, w2 = make_ward("W1"), make_ward("W2", bounds=(-71.09, 42.36, -71.07, 42.38))
    lead, boss = make_user(roles="volunteer"), make_user(roles="organiser")
    make_team(wards=[w1], leads=[lead])
    mine, theirs = CallSheet(name="mine", ward_id=w1.id), CallSheet(name="theirs", ward_id=w2.id)
    db.add_all([mine, theirs])
    db.commit()
    assert require_sheet_in_scope(db, principal=lead, sheet_id=mine.id).id == mine.id
    assert require_sheet_in_scope(db, principal=boss, sheet_id=theirs.id).id == theirs.id
    with pytest.raises(Forbidden):
        require_sheet_in_scope(db, principal=lead, sheet_id=theirs.id)
    with pytest.raises(NotFound):
        require_sheet_in_scope(db, principal=lead, sheet_id=theirs.id + 100)


def test_require_neighbourhood_in_scope(db, make_user, make_ward, make_team):
    w1 = make_ward("W1")
    east, west = _hoods(db, w1)
    lead, boss = make_user(roles="volunteer"), make_user(roles="organiser")
    make_team(neighbourhoods=[east], leads=[lead])
    assert require_neighbourhood_in_scope(db, principal=lead, neighbourhood_id=east.id).id == east.id
    assert require_neighbourhood_in_scope(db, principal=boss, neighbourhood_id=west.id).id == west.id
    with pytest.raises(Forbidden):
        require_neighbourhood_in_scope(db, principal=lead, neighbourhood_id=west.id)
    with pytest.raises(NotFound):
        require_neighbourhood_in_scope(db, principal=lead, neighbourhood_id=west.id + 100)


def test_scope_wards_are_every_ward_or_the_touched_ones_by_name(db, make_ward):
    w1, w2 = make_ward("W1", name="Zed"), make_ward("W2", name="Alpha", bounds=(-71.09, 42.36, -71.07, 42.38))
    assert [w.id for w in scope_wards(db, None)] == [w2.id, w1.id]
    assert [w.id for w in scope_wards(db, Scope(touched_ward_ids=frozenset({w1.id})))] == [w1.id]
    assert scope_wards(db, Scope()) == []


def test_team_work_ids_are_the_team_s_active_lists_and_sheets(db, make_user, make_ward, make_team,
                                                              make_household, make_walk_list):
    w1, w2 = make_ward("W1"), make_ward("W2", bounds=(-71.09, 42.36, -71.07, 42.38))
    lead, member, boss = make_user(roles="volunteer"), make_user(roles="volunteer"), make_user(roles="organiser")
    team = make_team(wards=[w1], leads=[lead], members=[member])
    active = make_walk_list([make_household(w1)], ward=w1)
    released = make_walk_list([make_household(w1)], ward=w1)
    elsewhere = make_walk_list([make_household(w2)], ward=w2)
    released.status = "released"
    sheet, other_sheet = CallSheet(name="in", ward_id=w1.id), CallSheet(name="out", ward_id=w2.id)
    db.add_all([released, sheet, other_sheet])
    db.commit()
    assert team_work_ids(db, principal=boss, team_id=team.id) is None
    assert team_work_ids(db, principal=lead, team_id=team.id) == ({active.id}, {sheet.id})
    assert team_work_ids(db, principal=lead, team_id=None) == (set(), set())
    assert team_work_ids(db, principal=member, team_id=team.id) == (set(), set())
    assert elsewhere.id not in team_work_ids(db, principal=lead, team_id=team.id)[0]
