"""import-streets: line strings in, each feature checked, the stored network replaced whole."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db import write_transaction
from app.errors import ImportRejected, ValidationError
from app.models import AuditEntry, StreetLineRow
from app.streets.importer import import_streets
from app.streets.queries import network_near

from .conftest import collection, feature

ELM = feature([[-71.12, 42.37], [-71.11, 42.37]], {"name": "Elm St", "highway": "residential", "osm_id": "w1"})
PATH = feature([[-71.11, 42.37], [-71.11, 42.371]], {"name": "", "highway": "footway", "osm_id": "w2"})
FAR = feature([[-4.48, 54.15], [-4.47, 54.15]], {"name": "Albany Road", "highway": "residential", "osm_id": "w3"})


def lines(db):
    out = db.execute(sa.select(StreetLineRow.ref, StreetLineRow.name, StreetLineRow.kind)
                     .order_by(StreetLineRow.ref)).all()
    db.rollback()
    return [tuple(r) for r in out]


def test_import_streets_command_stores_lines_with_names_and_kinds(runner, db, write_json):
    result = runner.invoke(args=["import-streets", str(write_json(collection(ELM, PATH, FAR)))])
    assert result.exit_code == 0, result.output
    assert "3 street features: 3 lines stored (2 named, by 'name'); 0 lines replaced" in result.output
    assert lines(db) == [("w1", "Elm St", "residential"), ("w2", "", "footway"), ("w3", "Albany Road", "residential")]
    entry = db.execute(sa.select(AuditEntry).where(AuditEntry.action == "import.streets")).scalar_one()
    assert json.loads(entry.detail)["lines"] == 3
    db.rollback()


def test_a_second_import_replaces_the_network(db):
    write_transaction(db, lambda s: import_streets(s, source=collection(ELM, PATH)))
    report = write_transaction(db, lambda s: import_streets(s, source=collection(FAR)))
    assert report.replaced == 2
    assert lines(db) == [("w3", "Albany Road", "residential")]


def test_cambridge_style_fields_multilines_and_no_ids(db):
    data = collection(feature([[[-71.12, 42.37], [-71.11, 42.37]], [[-71.11, 42.37], [-71.11, 42.38]]],
                              {"Street": "Cambridge St", "Label": "Cambridge St"}, "MultiLineString"),
                      feature([[-71.12, 42.36], [-71.11, 42.36]], {"Street": None, "Label": None}))
    report = write_transaction(db, lambda s: import_streets(s, source=data))
    assert report.name_field == "Street" and report.lines == 3 and report.named == 2
    assert lines(db) == [("0#1", "Cambridge St", ""), ("0#2", "Cambridge St", ""), ("1", "", "")]


@pytest.mark.parametrize("bad, message", [
    (feature([[-71.1, 42.3]], {"name": "A"}), "feature 1: line 1: needs at least 2 points"),
    (feature([[-71.1, 42.3], [-71.1, 95.0]], {"name": "A"}), "feature 1: line 1: point (-71.1, 95.0) is out of range"),
    (feature([[-71.1, 42.3], ["x", 42.4]], {"name": "A"}), "feature 1: line 1 has a position that is not [lon, lat]"),
    (feature([[[0, 0], [1, 0], [1, 1], [0, 0]]], {"name": "A"}, "Polygon"),
     "feature 1: geometry is 'Polygon'; only LineString and MultiLineString are streets"),
    ({"type": "Feature", "properties": {"name": "A"}, "geometry": None}, "feature 1: has no geometry"),
    ("not a feature", "feature 1: is not a GeoJSON Feature"),
    (feature([[-71.1, 42.3], [-71.2, 42.3]], {"name": "x" * 201}), "feature 1: name 'xxxxxxxxxxxxxxxxxxxx'... is longer"),
])
def test_a_bad_feature_is_named_and_nothing_changes(db, bad, message):
    write_transaction(db, lambda s: import_streets(s, source=collection(FAR)))
    with pytest.raises(ImportRejected) as err:
        write_transaction(db, lambda s: import_streets(s, source=collection(feature([[-71.0, 42.0], [-71.0, 42.1]],
                                                                                   {"name": "Ok"}), bad)))
    assert message in err.value.message
    assert "nothing was imported" in err.value.message
    assert lines(db) == [("w3", "Albany Road", "residential")]


def test_duplicate_ids_and_every_bad_feature_are_listed(db):
    data = collection(ELM, ELM, feature([[0, 0]], {"name": "B", "osm_id": "w9"}))
    with pytest.raises(ImportRejected) as err:
        write_transaction(db, lambda s: import_streets(s, source=data))
    assert err.value.details == ["feature 1: id 'w1' is already used by feature 0",
                                 "feature 2: line 1: needs at least 2 points, got 1"]


@pytest.mark.parametrize("source, message", [
    (b"{not json", "not GeoJSON: the file is not valid JSON"),
    (b"[" * 5000, "nested too deep"),
    ({"type": "FeatureCollection", "features": []}, "has no features"),
    ({"type": "Topology"}, "expected a FeatureCollection of street lines"),
    (collection(feature([[0, 0], [1, 1]], {"kind": "x"})), "which property holds the street name?"),
])
def test_files_that_are_not_street_lines_are_refused(db, source, message):
    with pytest.raises(ValidationError) as err:
        write_transaction(db, lambda s: import_streets(s, source=source))
    assert message in err.value.message
    assert lines(db) == []


def test_bad_file_through_the_command_exits_1_with_the_feature(runner, db, write_json):
    result = runner.invoke(args=["import-streets", str(write_json(collection(ELM, feature([[0, 0]], {"name": "B"}))))])
    assert result.exit_code == 1
    assert "feature 1: line 1: needs at least 2 points" in result.output
    assert lines(db) == []


def test_network_near_reads_only_lines_near_the_points(db):
    write_transaction(db, lambda s: import_streets(s, source=collection(ELM, PATH, FAR)))
    near = network_near(db, points=[(-71.115, 42.3705)])  # Elm St 55 m away, the footpath 411 m
    assert sorted(line.id for line in near.lines) == ["w1"]
    near = network_near(db, points=[(-71.115, 42.3705)], margin_m=450)
    assert sorted(line.id for line in near.lines) == ["w1", "w2"]
    assert network_near(db, points=[(10.0, 50.0)]) is None
    assert network_near(db, points=[]) is None
    db.rollback()


@pytest.mark.shared_data
@pytest.mark.parametrize("place, file, count, named", [
    ("cambridge-ma", "centerlines.geojson", 2644, 2643), ("isle-of-man", "streets.geojson", 10444, 3725)])
def test_real_street_files_import_whole(db, shared_data, place, file, count, named):
    report = write_transaction(db, lambda s: import_streets(s, source=shared_data / place / file))
    assert (report.lines, report.named) == (count, named)
    assert db.execute(sa.select(sa.func.count()).select_from(StreetLineRow)).scalar_one() == count
    db.rollback()


_json = st.recursive(st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                     max_leaves=20)
_coords = st.lists(st.lists(st.floats(-200, 200) | st.integers(-200, 200) | st.text(max_size=2), min_size=0, max_size=3),
                   max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({"type": st.sampled_from(["Feature", "feature", 3]),
                                       "properties": st.dictionaries(st.sampled_from(["name", "osm_id"]), _json) | _json,
                                       "geometry": st.fixed_dictionaries({"type": st.sampled_from(
                                           ["LineString", "MultiLineString", "Point"]), "coordinates": _coords | _json})
                                       | _json}), min_size=1, max_size=4))
def test_any_file_is_imported_or_refused_with_a_reason(db, features):
    try:
        write_transaction(db, lambda s: import_streets(s, source=collection(*features)))
    except ValidationError as err:
        assert err.message and all(d.startswith("feature ") for d in err.details)
    db.rollback()
