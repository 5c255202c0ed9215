"""The organiser uploads the get-involved page's postcode centroids: checked whole first, a bad
row named by its line and nothing written, re-uploading updates."""
from __future__ import annotations

import sqlalchemy as sa

from app.models import PostcodeCentroid
from tests.support.imports import post_postcodes


def _centroids(db) -> dict:
    db.rollback()
    return {p: (lat, lon) for p, lat, lon in db.execute(
        sa.select(PostcodeCentroid.postcode, PostcodeCentroid.lat, PostcodeCentroid.lon))}


def test_an_upload_imports_and_a_second_updates(client, auth, db):
    auth.login_as("organiser")
    response = post_postcodes(client, auth, "postcode,lat,lon\nsw1a1aa,51.501,-0.141\n02139-4307,42.36,-71.10\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 postcodes imported or updated, 0 rows rejected" in page
    assert _centroids(db) == {"SW1A 1AA": (51.501, -0.141), "02139": (42.36, -71.10)}
    post_postcodes(client, auth, "postcode,lat,lon\nSW1A 1AA,51.5,-0.14\n")
    assert _centroids(db)["SW1A 1AA"] == (51.5, -0.14)


def test_a_bad_row_is_named_by_line_and_nothing_is_written(client, auth, db):
    auth.login_as("organiser")
    response = post_postcodes(client, auth, "postcode,lat,lon\nSW1A 1AA,51.5,-0.14\nNOT A CODE,51.5,-0.14\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nothing was imported" in page and "row 3: &#39;NOT A CODE&#39; is not a UK postcode" in page
    assert _centroids(db) == {}


def test_skip_bad_imports_the_good_rows_and_lists_the_bad(client, auth, db):
    auth.login_as("organiser")
    response = post_postcodes(client, auth, "postcode,lat,lon\nSW1A 1AA,51.5,-0.14\nSW1A 2AA,95,-0.14\n", skip_bad="y")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 rows rejected" in page and "row 3: lat 95 is out of range" in page
    assert list(_centroids(db)) == ["SW1A 1AA"]


def test_no_file_or_a_canvasser_changes_nothing(client, auth, db):
    auth.login_as("organiser")
    token = auth.csrf_token("/organiser/imports")
    response = client.post("/organiser/imports/postcodes", data={"csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a CSV file." in response.get_data(as_text=True)
    auth.login_as("canvasser")
    assert post_postcodes(client, auth, "postcode,lat,lon\nSW1A 1AA,51.5,-0.14\n").status_code == 403
    assert _centroids(db) == {}
