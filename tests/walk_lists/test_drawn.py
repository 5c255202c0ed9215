"""Hand-drawn turfs (app.walk_lists.drawn): the free doors inside an outline become a list, routed;
redrawing adds the free doors newly inside and takes off the rest, except doors with an outcome."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.errors import Conflict, Forbidden, ValidationError
from app.models import AuditEntry, WalkList, WalkListDoor, WalkListRemovedDoor
from app.walk_lists.drawn import preview_drawn, save_drawn
from tests.support.canvass import done
from tests.support.maps import record


def box(west, south, east, north):
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]}


ELM0 = box(-71.1192, 42.3698, -71.1172, 42.3702)        # hood 0's Elm St row (12 doors)
HOOD0 = box(-71.1192, 42.3698, -71.1172, 42.3710)       # hood 0: Elm and Oak rows (24 doors)
HALF_ELM_AND_OAK0 = {"type": "Polygon", "coordinates": [[  # Elm doors 7-12, and all of Oak
    [-71.11815, 42.3698], [-71.1172, 42.3698], [-71.1172, 42.3710], [-71.1192, 42.3710], [-71.1192, 42.3705],
    [-71.11815, 42.3705], [-71.11815, 42.3698]]]}


def _doors(db, walk_list_id):
    rows = db.exec(sa.select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id == walk_list_id)
                   .order_by(WalkListDoor.position)).scalars().all()
    done(db)
    return rows


def test_a_drawn_turf_takes_the_free_doors_inside_and_is_routed(db, area):
    ward, hoods, doors = area
    drawn = preview_drawn(db, polygon=ELM0)
    assert sorted(drawn.household_ids) == sorted(d.id for d in doors[:12])
    assert drawn.minutes > 0 and drawn.length_m > 0 and drawn.neighbourhood_id == hoods[0].id
    saved = write_transaction(db, lambda s: save_drawn(s, drawn=drawn, by_id=None))
    assert _doors(db, saved.id) == drawn.household_ids
    walk_list = db.get(WalkList, saved.id)
    assert (walk_list.name, walk_list.door_count, walk_list.ward_id) == ("W9 district 1 · 1", 12, ward.id)
    assert json.loads(walk_list.hull) == ELM0
    [entry] = db.exec(sa.select(AuditEntry).where(AuditEntry.action == "lists.draw")).scalars().all()
    assert json.loads(entry.detail)["doors"] == 12
    # Those doors are now taken: the whole of hood 0 gives only the Oak row.
    assert sorted(preview_drawn(db, polygon=HOOD0).household_ids) == sorted(d.id for d in doors[12:24])
    with pytest.raises(ValidationError, match="All 12 doors inside that outline are already on active lists"):
        preview_drawn(db, polygon=ELM0)


@pytest.mark.parametrize("polygon, message", [
    ({"type": "Point", "coordinates": [0, 0]}, "must be a GeoJSON Polygon"),
    (box(0, 0, 1, 1)["coordinates"], "must be a GeoJSON Polygon"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}, "at least 3 corners"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "crosses itself"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [0, 95], [1, 1], [0, 0]]]}, "latitude must be between -90 and 90"),
    (box(10, 10, 11, 11), "no doors with a location inside"),
])
def test_bad_outlines_are_refused_with_a_reason_and_change_nothing(db, area, polygon, message):
    with pytest.raises(ValidationError, match=message):
        preview_drawn(db, polygon=polygon)
    assert db.exec(sa.select(sa.func.count(WalkList.id))).scalar_one() == 0


def test_redrawing_adds_free_doors_removes_the_rest_and_keeps_doors_with_outcomes(db, area, make_user):
    ward, hoods, doors = area
    organiser = make_user(roles="organiser")
    saved = write_transaction(db, lambda s: save_drawn(s, drawn=preview_drawn(s, polygon=ELM0), by_id=None))
    walk_list = db.get(WalkList, saved.id)
    record(db, doors[0], "spoke", walk_list=walk_list)  # Elm 1: outside the new outline, but knocked
    drawn = preview_drawn(db, polygon=HALF_ELM_AND_OAK0, walk_list_id=saved.id)
    assert drawn.kept == [doors[0].id]
    assert sorted(drawn.removed) == sorted(d.id for d in doors[1:6])
    assert sorted(drawn.added) == sorted(d.id for d in doors[12:24])
    stale = preview_drawn(db, polygon=box(-71.1192, 42.3698, -71.1070, 42.3710))  # a new list: Oak 0 and hood 1
    write_transaction(db, lambda s: save_drawn(s, drawn=drawn, by_id=organiser.id))
    after = _doors(db, saved.id)
    assert sorted(after) == sorted([doors[0].id] + [d.id for d in doors[6:24]])
    walk_list = db.get(WalkList, saved.id)
    assert walk_list.door_count == 19 and json.loads(walk_list.hull) == HALF_ELM_AND_OAK0
    removed = db.exec(sa.select(WalkListRemovedDoor)).scalars().all()
    assert sorted(r.household_id for r in removed) == sorted(d.id for d in doors[1:6])
    assert {r.removed_by_id for r in removed} == {organiser.id}
    [entry] = db.exec(sa.select(AuditEntry).where(AuditEntry.action == "lists.redraw")).scalars().all()
    assert json.loads(entry.detail) == {"doors": 19, "added": 12, "removed": 5, "kept_with_outcomes": 1}
    # The door with an outcome keeps its progress; a preview whose doors were taken since is refused.
    assert db.exec(sa.select(WalkListDoor.last_door_at).where(WalkListDoor.household_id == doors[0].id)).scalar_one()
    with pytest.raises(Conflict, match="Preview it again"):
        write_transaction(db, lambda s: save_drawn(s, drawn=stale, by_id=None))
    # Drawn back onto the list, a removed door is no longer a removed one.
    write_transaction(db, lambda s: save_drawn(s, drawn=preview_drawn(s, polygon=HOOD0, walk_list_id=saved.id),
                                               by_id=None))
    assert len(_doors(db, saved.id)) == 24
    assert db.exec(sa.select(sa.func.count(WalkListRemovedDoor.id))).scalar_one() == 0


def test_a_released_list_cannot_be_redrawn(db, area):
    from app.walk_lists import release_list

    saved = write_transaction(db, lambda s: save_drawn(s, drawn=preview_drawn(s, polygon=ELM0), by_id=None))
    write_transaction(db, lambda s: release_list(s, walk_list_id=saved.id, by_id=None))
    with pytest.raises(Conflict, match="released"):
        preview_drawn(db, polygon=HOOD0, walk_list_id=saved.id)


def test_a_team_lead_draws_only_inside_their_areas(db, area):
    from app.auth.access import Scope

    ward, hoods, doors = area
    scope = Scope(neighbourhood_ids=frozenset({hoods[1].id}), touched_ward_ids=frozenset({ward.id}))
    with pytest.raises(ValidationError, match="outside your team's areas"):
        preview_drawn(db, polygon=ELM0, scope=scope)
    both = box(-71.1192, 42.3698, -71.1070, 42.3702)  # the Elm rows of both neighbourhoods
    drawn = preview_drawn(db, polygon=both, scope=scope)
    assert sorted(drawn.household_ids) == sorted(d.id for d in doors[24:36])
    assert drawn.skipped_outside_scope == 12
    assert preview_drawn(db, polygon=both).neighbourhood_id is None  # an organiser's spans both
    with pytest.raises(Forbidden):
        outer = Scope(neighbourhood_ids=frozenset({hoods[0].id, hoods[1].id}))
        preview_drawn(db, polygon=both, scope=outer)
