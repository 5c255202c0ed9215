"""Cutting an area into walk lists, saving and releasing them (app.walk_lists operations)."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.errors import Conflict, ValidationError
from app.models import WalkList, WalkListDoor
from app import walk_lists as ops


def test_cut_area_balances_and_keeps_neighbourhoods_apart(db, area):
    ward, hoods, doors = area
    proposal = ops.cut_area(db, ward_id=ward.id, target_size=12, tolerance=0.1)
    assert len(proposal.turfs) == 4
    assert sorted(len(t.household_ids) for t in proposal.turfs) == [12, 12, 12, 12]
    hood_of = {d.id: d.neighbourhood_id for d in doors}
    for turf in proposal.turfs:
        assert {hood_of[h] for h in turf.household_ids} == {turf.neighbourhood_id}
        assert turf.minutes > 0 and turf.hull["type"] == "Polygon"
    assert sorted(h for t in proposal.turfs for h in t.household_ids) == sorted(d.id for d in doors)


def test_households_on_an_active_list_are_not_cut_again_until_released(db, area):
    ward, hoods, doors = area
    saved = ops.save_lists(db, proposal=ops.cut_area(db, neighbourhood_id=hoods[0].id, target_size=12), created_by_id=None)
    db.commit()
    assert [w.name for w in saved] == ["Ward 9 · 1", "Ward 9 · 2"]
    assert len({w.code for w in saved}) == 2 and all(re.fullmatch(r"[2-9A-Z]{6}", w.code) for w in saved)
    again = ops.cut_area(db, ward_id=ward.id, target_size=12)
    reserved = {h for w in saved for h in db.exec(sa.select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id == w.id)).scalars()}
    assert again.skipped_in_active_list == 24
    assert not reserved & {h for t in again.turfs for h in t.household_ids}
    ops.release_list(db, walk_list_id=saved[0].id, by_id=None)
    db.commit()
    after = ops.cut_area(db, ward_id=ward.id, target_size=12)
    assert after.skipped_in_active_list == 12
    with pytest.raises(Conflict):
        ops.release_list(db, walk_list_id=saved[0].id, by_id=None)


def test_saving_a_stale_proposal_is_refused_and_changes_nothing(db, area):
    ward, hoods, _ = area
    first = ops.cut_area(db, ward_id=ward.id, target_size=12)
    ops.save_lists(db, proposal=ops.cut_area(db, neighbourhood_id=hoods[1].id, target_size=24), created_by_id=None)
    db.commit()
    with pytest.raises(Conflict, match="Cut again"):
        ops.save_lists(db, proposal=first, created_by_id=None)
    db.rollback()
    assert db.exec(sa.select(sa.func.count()).select_from(WalkList)).scalar_one() == 1


@pytest.mark.parametrize("kwargs, message", [
    ({}, "either a ward or a neighbourhood"),
    ({"ward_id": 1, "neighbourhood_id": 1}, "either a ward or a neighbourhood"),
    ({"ward_id": 1, "target_size": 0}, "between 1 and 1000"),
])
def test_cut_area_bad_input(db, area, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        ops.cut_area(db, **{"target_size": 12, **kwargs})


def test_doors_far_from_the_rest_are_left_out_and_named(db, area, make_household):
    ward, hoods, doors = area
    # a mistyped location: the right street, coordinates ~8,000 km away
    far = make_household(ward, street="Elm St 0", house_number="99", lon=-150.0, lat=20.0, neighbourhood_id=hoods[0].id)
    db.commit()
    proposal = ops.cut_area(db, ward_id=ward.id, target_size=12)
    assert proposal.far_away == ["99 Elm St 0"]
    assert far.id not in {h for t in proposal.turfs for h in t.household_ids}
    assert sorted(h for t in proposal.turfs for h in t.household_ids) == sorted(d.id for d in doors)
    assert max(t.length_m for t in proposal.turfs) < 1_000
