"""Importer input that once crashed or slipped through: GeoJSON nested deeper than any GeoJSON,
and control characters (NUL: stored on SQLite, a traceback on PostgreSQL) in CSV rows."""
from __future__ import annotations

import html

import pytest

from app.errors import ImportRejected, ValidationError
from app.imports.addresses import import_addresses
from app.imports.boundaries import import_boundaries, load_geojson
from tests.support.imports import post_addresses, upload

from .helpers import ADDRESS_MAPPING, address_row, snapshot

DEEP = "[" * 200_000 + "]" * 200_000


@pytest.mark.parametrize("text", [DEEP, '{"type": "FeatureCollection", "features": ' + DEEP + "}",
                                  '{"a": ' * 100_000 + "1" + "}" * 100_000])
def test_geojson_nested_too_deep_is_refused_naming_the_file(db, write_json, text):
    path = write_json(text, name="wards.geojson")
    with pytest.raises(ValidationError) as caught:
        import_boundaries(db, source=str(path), level="ward", name_field="name")
    assert str(path) in caught.value.message and "nested too deep" in caught.value.message


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = '{"type": "FeatureCollection", "name": "' + "[{" * 1000 + '\\"]]", "features": []}'
    assert load_geojson(text)["name"].startswith("[{[{")


def test_deep_geojson_upload_is_a_clear_error_and_changes_nothing(client, auth, db):
    auth.login_as("organiser")
    before = snapshot(db)
    form = {"csrf_token": auth.csrf_token("/organiser/imports"), "b-level": "ward", "b-name_field": "name",
            "b-geojson": upload(DEEP, "wards.geojson")}
    response = client.post("/organiser/imports/boundaries", data=form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "nested too deep" in response.get_data(as_text=True)
    assert snapshot(db) == before


@pytest.mark.parametrize("change, message", [
    ({"street": "Elm\x00 St"}, "row 3: column 'street' contains a control character (U+0000) at position 4"),
    ({"number": "\x1b[2J7"}, "row 3: column 'number' contains a control character (U+001B) at position 1"),
    ({"id": "A\x7f"}, "row 3: column 'id' contains a control character (U+007F) at position 2"),
    ({"building": "B\x00"}, "row 3: column 'building' contains a control character (U+0000) at position 2"),
])
def test_control_characters_in_a_row_are_refused_naming_the_column(db, areas, write_csv, change, message):
    before = snapshot(db)
    path = write_csv([address_row(1), address_row(2, **change), address_row(3)])
    with pytest.raises(ImportRejected) as caught:
        import_addresses(db, csv_path=path, mapping=ADDRESS_MAPPING)
    db.rollback()
    assert caught.value.details == [message]
    assert snapshot(db) == before


def test_tabs_and_line_breaks_in_a_cell_are_still_welcome(db, areas, write_csv):
    report = import_addresses(db, csv_path=write_csv([address_row(1, street="Elm\tSt\r\nNorth")]), mapping=ADDRESS_MAPPING)
    db.commit()
    assert report.imported == 1 and not report.rejected


def test_nul_in_an_uploaded_csv_is_a_row_error_on_the_page(client, auth, db, areas):
    auth.login_as("organiser")
    before = snapshot(db)
    csv_text = ("address_id,house_number,suffix,street,parcel_id,building_id,lon,lat\n"
                "1,5,,Elm St,P1,,-71.115,42.365\n2,7,,Elm\x00 St,P2,,-71.115,42.365\n")
    response = post_addresses(client, auth, csv_text)
    assert response.status_code == 422
    assert "row 3: column 'street' contains a control character (U+0000)" in html.unescape(response.get_data(as_text=True))
    assert snapshot(db) == before
