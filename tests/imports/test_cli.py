"""The import commands through the Flask CLI: summaries, exit codes, reports."""
from __future__ import annotations

import sqlalchemy as sa

from app.models import Household, Neighbourhood, Person, Ward

from .helpers import NEIGHBOURHOODS, WARDS, address_row, snapshot

MAPPING = """name = "cli test"
[columns]
external_id = "id"
house_number = "number"
street = "street"
building_key = ["parcel", "building"]
lon = "lon"
lat = "lat"
"""


def test_import_boundaries_command(runner, db, write_json):
    result = runner.invoke(args=["import-boundaries", str(write_json(WARDS, "wards.geojson")), "--level", "ward",
                                 "--name-field", "name", "--code-field", "code"])
    assert result.exit_code == 0, result.output
    assert "2 ward boundaries: 2 imported, 0 updated" in result.output
    result = runner.invoke(args=["import-boundaries", str(write_json(NEIGHBOURHOODS, "n.geojson")), "--level",
                                 "neighbourhood", "--name-field", "name", "--code-field", "code"])
    assert result.exit_code == 0, result.output
    assert db.execute(sa.select(sa.func.count()).select_from(Neighbourhood)).scalar_one() == 4
    db.rollback()


def test_import_boundaries_command_rejects_bad_geometry(runner, db, write_json):
    data = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Open"},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}}]}
    result = runner.invoke(args=["import-boundaries", str(write_json(data)), "--level", "ward", "--name-field", "name"])
    assert result.exit_code == 1
    assert "feature 0 ('Open'): ring 1 is not closed" in result.output
    assert db.execute(sa.select(sa.func.count()).select_from(Ward)).scalar_one() == 0
    db.rollback()


def test_import_addresses_command_is_idempotent(runner, db, areas, write_csv, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text(MAPPING)
    path = write_csv([address_row(1), address_row(2, lon=-71.0, lat=42.0)])
    args = ["import-addresses", str(path), "--mapping", str(mapping)]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "2 imported, 0 updated, 0 rejected, 1 outside every ward" in first.output
    again = runner.invoke(args=args)
    assert "0 imported, 2 updated, 0 rejected, 1 outside every ward" in again.output
    assert db.execute(sa.select(sa.func.count()).select_from(Household)).scalar_one() == 2
    db.rollback()


def test_bad_rows_fail_the_command_and_change_nothing(runner, db, areas, write_csv, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text(MAPPING)
    before = snapshot(db)
    result = runner.invoke(args=["import-addresses", str(write_csv([address_row(1), address_row(2, lat="nan")])),
                                 "--mapping", str(mapping)])
    assert result.exit_code == 1
    assert "1 of 2 rows rejected, nothing was imported" in result.output
    assert "row 3: lat 'nan' is not a finite number" in result.output
    assert snapshot(db) == before


def test_skip_bad_writes_the_report_and_exits_non_zero(runner, db, areas, write_csv, tmp_path, app):
    mapping = tmp_path / "m.toml"
    mapping.write_text(MAPPING)
    path = write_csv([address_row(1), address_row(2, lat="nan"), address_row(3)])
    report = tmp_path / "bad.csv"
    result = runner.invoke(args=["import-addresses", str(path), "--mapping", str(mapping), "--skip-bad",
                                 "--report", str(report)])
    assert result.exit_code == 1
    assert "2 imported, 0 updated, 1 rejected, 0 outside every ward" in result.output
    assert report.read_text().splitlines() == ["row,reason", "3,lat 'nan' is not a finite number"]
    assert db.execute(sa.select(Household.external_id).order_by(Household.external_id)).scalars().all() == ["A1", "A3"]
    db.rollback()
    # Without --report the report lands in the instance folder.
    result = runner.invoke(args=["import-addresses", str(path), "--mapping", str(mapping), "--skip-bad"])
    assert result.exit_code == 1
    written = list((tmp_path / "instance").glob("import-report-*.csv"))
    assert len(written) == 1 and "3,lat 'nan'" in written[0].read_text()


def test_bad_mapping_file_is_a_clear_error(runner, write_csv, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text("[columns]\nstreet = 'street'\n")
    result = runner.invoke(args=["import-addresses", str(write_csv([address_row(1)])), "--mapping", str(mapping)])
    assert result.exit_code == 1
    assert "map external_id to a column, or give household_key" in result.output


def test_fake_people_command(runner, db, make_household):
    make_household(people=0)
    make_household(people=0)
    make_household(people=1)
    result = runner.invoke(args=["fake-people", "--seed", "4", "--per-household", "2-2"])
    assert result.exit_code == 0, result.output
    assert "Added 4 made-up residents." in result.output
    assert db.execute(sa.select(sa.func.count()).select_from(Person)).scalar_one() == 5
    db.rollback()
    result = runner.invoke(args=["fake-people", "--per-household", "three"])
    assert result.exit_code == 2 and "use A-B" in result.output
