"""The organiser's import page: organisers only, CSRF on, summaries and bad rows on the page,
and a bad upload changes nothing."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, Household, Ward
from tests.support.imports import CAMBRIDGE_STYLE, post_addresses, post_boundaries, upload

from .helpers import ADDRESS_HEADER, NEIGHBOURHOODS, WARDS, snapshot


def test_page_is_for_organisers_only(client, auth):
    assert client.get("/organiser/imports").status_code in (302, 401)
    auth.login_as("canvasser")
    assert client.get("/organiser/imports").status_code == 403
    token = auth.csrf_token()
    response = client.post("/organiser/imports/boundaries", data={"csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 403


def test_page_lists_bundled_mappings(client, auth):
    auth.login_as("organiser")
    page = client.get("/organiser/imports").get_data(as_text=True)
    for name in ("cambridge.toml", "uk_register.toml", "us_voterfile.toml"):
        assert name in page


def test_post_without_csrf_token_is_refused(client, auth, db):
    auth.login_as("organiser")
    response = client.post("/organiser/imports/boundaries", content_type="multipart/form-data",
                           data={"b-level": "ward", "b-name_field": "name", "b-geojson": upload(json.dumps(WARDS), "w.geojson")})
    assert response.status_code == 400
    assert db.execute(sa.select(sa.func.count()).select_from(Ward)).scalar_one() == 0


def test_upload_boundaries_then_addresses(client, auth, db):
    user = auth.login_as("organiser")
    response = post_boundaries(client, auth, WARDS)
    assert response.status_code == 200
    assert "2 ward boundaries: 2 imported, 0 updated" in response.get_data(as_text=True)
    response = post_boundaries(client, auth, NEIGHBOURHOODS, level="neighbourhood")
    assert "4 neighbourhood boundaries: 4 imported" in response.get_data(as_text=True)
    csv_text = CAMBRIDGE_STYLE + "1,10,,Elm St,P1,B1,-71.115,42.365\n2,12,A,Elm St,P1,B1,-71.0,42.0\n"
    response = post_addresses(client, auth, csv_text)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "<dt>Imported</dt><dd>2</dd>" in page and "<dt>Outside every ward</dt><dd>1</dd>" in page
    db.rollback()
    assert db.execute(sa.select(sa.func.count()).select_from(Household)).scalar_one() == 2
    actors = db.execute(sa.select(AuditEntry.action, AuditEntry.actor_user_id)
                        .where(AuditEntry.action.like("import.%"))).all()
    assert sorted(actors) == sorted([("import.boundaries", user.id)] * 2 + [("import.addresses", user.id)])


def test_bad_geojson_upload_shows_the_feature_and_changes_nothing(client, auth, db):
    auth.login_as("organiser")
    before = snapshot(db)
    bad = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Bow", "code": "B"},
           "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}}]}
    response = post_boundaries(client, auth, bad)
    assert response.status_code == 422
    assert "feature 0 (&#39;Bow&#39;): invalid geometry: self-intersection" in response.get_data(as_text=True)
    assert snapshot(db) == before


def test_bad_rows_are_listed_and_nothing_is_imported(client, auth, db):
    auth.login_as("organiser")
    before = snapshot(db)
    csv_text = CAMBRIDGE_STYLE + "1,10,,Elm St,P1,,-71.115,42.365\n2,12,,,P2,,-71.1,42.3\n3,14,,Elm St,P3,,x,42.3\n"
    response = post_addresses(client, auth, csv_text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported" in page
    assert "<td>3</td><td>missing street (column street)</td>" in page
    assert "<td>4</td><td>lon &#39;x&#39; is not a number</td>" in page
    assert snapshot(db) == before


def test_skip_bad_imports_the_good_rows(client, auth, db):
    auth.login_as("organiser")
    csv_text = CAMBRIDGE_STYLE + "1,10,,Elm St,P1,,-71.115,42.365\n2,12,,,P2,,-71.1,42.3\n"
    response = post_addresses(client, auth, csv_text, skip_bad="y")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Imported the good rows" in page and "<td>3</td><td>missing street" in page
    db.rollback()
    assert db.execute(sa.select(Household.external_id)).scalars().all() == ["1"]


def test_uploaded_mapping_and_postcodes(client, auth, db):
    auth.login_as("organiser")
    post_boundaries(client, auth, WARDS)
    mapping = ('household_key = ["number", "street", "postcode"]\n[columns]\nperson_external_id = "elector"\n'
               'house_number = "number"\nstreet = "street"\npostcode = "postcode"\n')
    response = post_addresses(client, auth, "elector,number,street,postcode\nE1,3,High St,ab1 2cd\n",
                              mapping="__upload__", mapping_file=upload(mapping, "register.toml"),
                              postcodes_file=upload("postcode,lat,lon\nAB1 2CD,42.375,-71.105\n", "pc.csv"))
    assert response.status_code == 200, response.get_data(as_text=True)
    db.rollback()
    assert db.execute(sa.select(Household.postcode, Household.ward_id.is_not(None))).one() == ("AB1 2CD", True)


@pytest.mark.parametrize("fields, message", [
    ({"mapping": "__upload__"}, "Choose a mapping file to upload."),
    ({"csv_file": upload("x", "addresses.xlsx")}, "Upload a .csv file."),
    ({"mapping": "__upload__", "mapping_file": upload("[columns", "m.toml")}, "is not valid TOML"),
    ({"csv_file": upload(b"\xff\xfe\x00", "a.csv")}, "the CSV is not UTF-8 text"),
])
def test_bad_address_forms(client, auth, db, fields, message):
    auth.login_as("organiser")
    before = snapshot(db)
    response = post_addresses(client, auth, ",".join(ADDRESS_HEADER) + "\n", **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert snapshot(db) == before


def test_page_counts_read_as_english(client, auth, db):
    auth.login_as("organiser")
    page = client.get("/organiser/imports").get_data(as_text=True)
    assert "0 wards, 0 neighbourhoods, 0 households, 0 people" in " ".join(page.split())
    post_boundaries(client, auth, {**WARDS, "features": WARDS["features"][:1]})
    page = client.get("/organiser/imports").get_data(as_text=True)
    assert "1 ward, 0 neighbourhoods" in " ".join(page.split())
