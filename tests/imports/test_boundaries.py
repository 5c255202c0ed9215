"""Boundary import: good files upsert by code; every kind of bad geometry names its feature
and changes nothing."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from app.errors import ImportRejected, ValidationError
from app.imports.boundaries import check_geometry, import_boundaries
from app.models import AuditEntry, Household, Neighbourhood, Ward

from .helpers import WARDS, collection, feature, rect, snapshot

BOW_TIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
OPEN_RING = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}


def test_wards_then_neighbourhoods_get_parent_by_containment(db, areas):
    wards = dict(db.execute(sa.select(Ward.code, Ward.name)).all())
    assert wards == {"W": "West", "E": "East"}
    parents = dict(db.execute(sa.select(Neighbourhood.code, Neighbourhood.ward_id)).all())
    assert parents == {"W-S": areas["W"], "W-N": areas["W"], "E-S": areas["E"], "E-N": areas["E"]}
    assert db.execute(sa.select(AuditEntry.action)).scalars().all() == ["import.boundaries"] * 2


def test_parent_field_links_by_ward_code_even_against_geometry(db, areas):
    # The parent property wins: a district drawn in the West ward but labelled East stays East.
    data = collection(feature(rect(-71.119, 42.361, -71.118, 42.362), name="Odd", code="X-1", ward="E"))
    report = import_boundaries(db, source=data, level="neighbourhood", name_field="name", code_field="code",
                               parent_field="ward")
    db.commit()
    assert (report.imported, report.updated) == (1, 0)
    assert db.execute(sa.select(Neighbourhood.ward_id).where(Neighbourhood.code == "X-1")).scalar_one() == areas["E"]


def test_reimport_updates_by_code_and_replaces_households(db, areas, make_household):
    household = make_household(lon=-71.105, lat=42.375)  # in East North, not yet placed
    moved = json.loads(json.dumps(WARDS))
    moved["features"][0]["properties"]["name"] = "West (renamed)"
    report = import_boundaries(db, source=moved, level="ward", name_field="name", code_field="code")
    db.commit()
    assert (report.imported, report.updated, report.households_placed) == (0, 2, 1)
    assert db.execute(sa.select(sa.func.count()).select_from(Ward)).scalar_one() == 2
    assert db.execute(sa.select(Ward.name).where(Ward.code == "W")).scalar_one() == "West (renamed)"
    db.refresh(household)
    assert (household.ward_id, household.neighbourhood_id) == (areas["E"], areas["E-N"])


def test_multipolygon_and_name_as_default_code(db):
    multi = {"type": "MultiPolygon", "coordinates": [rect(0, 0, 1, 1)["coordinates"], rect(2, 2, 3, 3)["coordinates"]]}
    report = import_boundaries(db, source=collection(feature(multi, WD13NM="Barnes")), level="ward",
                               name_field="WD13NM")
    db.commit()
    assert report.imported == 1
    assert db.execute(sa.select(Ward.code)).scalar_one() == "Barnes"


def test_neighbourhood_outside_every_ward_is_reported(db, areas):
    report = import_boundaries(db, source=collection(feature(rect(10, 10, 11, 11), name="Far", code="F")),
                               level="neighbourhood", name_field="name", code_field="code")
    assert report.without_ward == ["F"]


BAD = [
    (collection(feature(OPEN_RING, name="Open", code="O")), "feature 0 ('Open'): ring 1 is not closed"),
    (collection(feature(rect(0, 0, 1, 1), name="Fine", code="F"), feature(BOW_TIE, name="Bow", code="B")),
     "feature 1 ('Bow'): invalid geometry: self-intersection at (0.5, 0.5)"),
    (collection(feature(rect(0, 0, 1, 1), label="No name", code="N")), "feature 0: has no 'name' property"),
    (collection(feature(rect(0, 0, 1, 1), name="", code="N")), "feature 0: has no 'name' property"),
    (collection(feature({"type": "Point", "coordinates": [0, 0]}, name="Dot", code="D")),
     "feature 0 ('Dot'): geometry is 'Point'; only Polygon and MultiPolygon"),
    (collection(feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, name="Thin", code="T")),
     "feature 0 ('Thin'): ring 1 has 3 positions; a ring needs at least 4"),
    (collection(feature(rect(0, 0, 200, 1), name="Wide", code="Wi")), "position out of range (lon 200, lat 0)"),
    (collection(feature({"type": "Polygon", "coordinates": [[[0, 0], ["a", 0], [1, 1], [0, 0]]]}, name="Txt", code="T")),
     "feature 0 ('Txt'): ring 1 has a position that is not [lon, lat]"),
    (collection(feature(rect(0, 0, 1, 1), name="A", code="same"), feature(rect(2, 2, 3, 3), name="B", code="same")),
     "feature 1 ('B'): code 'same' is already used by feature 0"),
    (collection(feature(None, name="Nothing", code="N")), "feature 0 ('Nothing'): has no geometry"),
    ("this is not json", "not GeoJSON: the file is not valid JSON"),
    ({"type": "Polygon", "coordinates": []}, "not GeoJSON: expected a FeatureCollection, got type 'Polygon'"),
    ([1, 2, 3], "not GeoJSON: expected a FeatureCollection object"),
    (collection(), "the FeatureCollection has no features"),
]


@pytest.mark.parametrize("data, message", BAD)
def test_bad_boundaries_are_rejected_and_change_nothing(db, areas, write_json, data, message):
    before = snapshot(db)
    with pytest.raises(ValidationError) as caught:
        import_boundaries(db, source=write_json(data), level="ward", name_field="name", code_field="code")
    db.rollback()
    assert message in caught.value.message
    assert snapshot(db) == before


def test_every_bad_feature_is_listed(db):
    data = collection(feature(OPEN_RING, name="One", code="1"), feature(rect(0, 0, 1, 1), name="Two", code="2"),
                      feature(BOW_TIE, name="Three", code="3"))
    with pytest.raises(ImportRejected) as caught:
        import_boundaries(db, source=data, level="ward", name_field="name", code_field="code")
    assert [d.split(":")[0] for d in caught.value.details] == ["feature 0 ('One')", "feature 2 ('Three')"]
    assert "(and 1 more)" in caught.value.message


@pytest.mark.parametrize("kwargs, message", [
    ({"level": "county"}, "level must be 'ward' or 'neighbourhood'"),
    ({"level": "ward", "parent_field": "ward"}, "--parent-field only applies to neighbourhoods"),
    ({"level": "neighbourhood", "parent_field": "ward"}, "feature 0 ('A'): ward 'ZZ' is not imported"),
    ({"level": "neighbourhood", "parent_field": "missing"}, "feature 0 ('A'): has no 'missing' property"),
])
def test_bad_options(db, areas, kwargs, message):
    data = collection(feature(rect(0, 0, 1, 1), name="A", code="A", ward="ZZ"))
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_boundaries(db, source=data, name_field="name", code_field="code", **kwargs)


coordinate = st.floats(min_value=-5, max_value=5, allow_nan=False, allow_infinity=False)
rings = st.lists(st.tuples(coordinate, coordinate), min_size=0, max_size=7)


@settings(max_examples=150, deadline=None)
@given(ring=rings, close=st.booleans())
def test_geometry_check_accepts_only_valid_closed_polygons(ring, close):
    coords = [list(p) for p in ring] + ([list(ring[0])] if close and ring else [])
    geometry = {"type": "Polygon", "coordinates": [coords]}
    shape, problem = check_geometry(geometry)
    if problem is None:
        assert shape.is_valid and not shape.is_empty
        assert coords[0] == coords[-1] and len(coords) >= 4
    else:
        assert shape is None and problem and isinstance(problem, str)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ring=rings, close=st.booleans())
def test_import_is_all_or_nothing_for_random_polygons(db, ring, close):
    coords = [list(p) for p in ring] + ([list(ring[0])] if close and ring else [])
    data = collection(feature(rect(0, 0, 1, 1), name="Good", code="G"),
                      feature({"type": "Polygon", "coordinates": [coords]}, name="Random", code="R"))
    try:
        report = import_boundaries(db, source=data, level="ward", name_field="name", code_field="code")
    except ImportRejected as exc:
        assert exc.details and all(d.startswith("feature 1 ('Random'): ") for d in exc.details)
        count = None
    else:
        assert report.imported == 2
        count = 2
    assert db.execute(sa.select(sa.func.count()).select_from(Ward)).scalar_one() == (count or 0)
    db.rollback()
    assert db.execute(sa.select(sa.func.count()).select_from(Household)).scalar_one() == 0
