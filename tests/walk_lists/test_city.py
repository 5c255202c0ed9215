"""Whole-city cuts from a universe (app.walk_lists.city): every free door with someone in the
universe, in any ward, cut into lists that never span a ward or neighbourhood, saved ward by ward."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.auth.access import Scope
from app.db import write_transaction
from app.errors import ValidationError
from app.models import Neighbourhood, WalkList, WalkListDoor
from app.walk_lists.city import cut_city, save_any
from tests.support.canvass import done


@pytest.fixture
def two_wards(db, area, make_ward, make_household, settings_universe):
    """Ward 9 (the ``area`` fixture) and Ward 3 east of it (2 neighbourhoods of 10 doors)."""
    ward9, hoods9, doors9 = area
    ward3 = make_ward("W3", "Ward 3", bounds=(-71.10, 42.36, -71.08, 42.38))
    hoods3 = db.exec(sa.select(Neighbourhood).where(Neighbourhood.ward_id == ward3.id)
                     .order_by(Neighbourhood.code)).scalars().all()
    doors3 = [make_household(ward3, street=f"Ash St {h}", house_number=str(i + 1), lon=-71.099 + h * 0.01 + i * 1.5e-4,
                             lat=42.37, neighbourhood_id=hood.id) for h, hood in enumerate(hoods3) for i in range(10)]
    done(db)
    universe = settings_universe({"kind": "neighbourhood", "ids": [hoods9[1].id, hoods3[0].id]})
    return ward9, hoods9, doors9, ward3, hoods3, doors3, universe


def test_the_whole_city_is_cut_from_a_universe_and_saved_ward_by_ward(db, two_wards):
    ward9, hoods9, doors9, ward3, hoods3, doors3, universe = two_wards
    proposal = cut_city(db, universe_id=universe, target_size=12)
    cut = {h for t in proposal.turfs for h in t.household_ids}
    assert cut == {d.id for d in doors9[24:]} | {d.id for d in doors3[:10]}
    assert (proposal.ward_id, proposal.neighbourhood_id, proposal.area_name) == (None, None, "Whole city")
    hood_of = {d.id: (d.ward_id, d.neighbourhood_id) for d in doors9 + doors3}
    for turf in proposal.turfs:
        assert {hood_of[h] for h in turf.household_ids} == {(turf.ward_id, turf.neighbourhood_id)}
    saved = write_transaction(db, lambda s: save_any(s, proposal=proposal, created_by_id=None))
    names = sorted(w.name for w in saved)
    assert names == ["Ward 3 · 1", "Ward 9 · 1", "Ward 9 · 2"]
    assert {(w.ward_id, w.neighbourhood_id) for w in saved} == {(ward9.id, hoods9[1].id), (ward3.id, hoods3[0].id)}
    on_lists = set(db.exec(sa.select(WalkListDoor.household_id)).scalars())
    assert on_lists == cut
    again = cut_city(db, universe_id=universe, target_size=12)
    assert again.turfs == [] and again.skipped_in_active_list == len(cut)
    with pytest.raises(ValidationError, match="every door is already on an active list"):
        save_any(db, proposal=again)


def test_a_whole_city_cut_needs_a_universe_and_a_sane_size(db, two_wards):
    with pytest.raises(ValidationError, match="Choose a universe"):
        cut_city(db, universe_id=None, target_size=12)
    with pytest.raises(ValidationError, match="between 1 and 1000"):
        cut_city(db, universe_id=two_wards[-1], target_size=0)
    assert db.exec(sa.select(sa.func.count(WalkList.id))).scalar_one() == 0


def test_a_team_leads_whole_city_is_their_areas(db, two_wards):
    ward9, hoods9, doors9, ward3, hoods3, doors3, universe = two_wards
    scope = Scope(ward_ids=frozenset({ward3.id}), neighbourhood_ids=frozenset(h.id for h in hoods3),
                  touched_ward_ids=frozenset({ward3.id}))
    proposal = cut_city(db, universe_id=universe, target_size=12, scope=scope)
    assert {h for t in proposal.turfs for h in t.household_ids} == {d.id for d in doors3[:10]}
    saved = write_transaction(db, lambda s: save_any(s, proposal=proposal, scope=scope))
    assert [w.ward_id for w in saved] == [ward3.id]


def test_a_ward_cut_still_saves_as_before(db, area):
    from app.walk_lists import cut_area

    ward, hoods, doors = area
    proposal = cut_area(db, ward_id=ward.id, target_size=24)
    saved = write_transaction(db, lambda s: save_any(s, proposal=proposal))
    assert sorted(w.name for w in saved) == ["Ward 9 · 1", "Ward 9 · 2"]
