"""The demo ships a made-up centroid table: its households' postcodes resolve on the public page."""
from __future__ import annotations

import sqlalchemy as sa

from app.demo.town import NEIGHBOURHOOD_POSTCODES, POSTCODE, build_town, postcode_csv
from app.imports.centroids import canonical_postcode
from app.models import Household, PostcodeCentroid


def test_the_town_postcodes_are_an_import_file_inside_the_town():
    import io

    from shapely.geometry import Point, shape

    from app.imports.centroids import parse_centroids

    town = build_town(households=100, seed=3)
    rows = [item for _, item in parse_centroids(io.StringIO(postcode_csv(town)))]
    assert [r["postcode"] for r in rows] == [POSTCODE, *NEIGHBOURHOOD_POSTCODES]
    ward = shape(town.ward.boundary)
    for row, hood in zip(rows[1:], town.neighbourhoods):
        assert shape(hood.boundary).contains(Point(row["lon"], row["lat"]))
    assert ward.contains(Point(rows[0]["lon"], rows[0]["lat"]))


def test_the_demo_imports_them_and_every_household_postcode_resolves(runner, db, client):
    result = runner.invoke(args=["demo", "--households", "120", "--seed", "2"])
    assert result.exit_code == 0, result.output
    stored = dict(db.execute(sa.select(PostcodeCentroid.postcode, PostcodeCentroid.lat)).all())
    assert set(stored) == {POSTCODE, *NEIGHBOURHOOD_POSTCODES}
    for (postcode,) in db.execute(sa.select(Household.postcode).distinct()):
        assert canonical_postcode(postcode) in stored
    assert client.get("/get-involved", query_string={"postcode": POSTCODE}).status_code == 200


def test_real_addresses_get_the_middle_of_their_households(app, db, make_household):
    from app.db import session_scope, write_transaction
    from app.demo.commands import household_postcodes

    make_household(postcode="02139", lat=42.36, lon=-71.10)
    make_household(postcode="02139-4307", lat=42.38, lon=-71.12)
    make_household(postcode="sw1a1aa", lat=51.5, lon=-0.14)
    make_household(postcode="", lat=1, lon=1)
    with session_scope(app) as session:
        assert write_transaction(session, household_postcodes) == 2
    stored = {p: (round(lat, 6), round(lon, 6)) for p, lat, lon in
              db.execute(sa.select(PostcodeCentroid.postcode, PostcodeCentroid.lat, PostcodeCentroid.lon))}
    assert stored == {"02139": (42.37, -71.11), "SW1A 1AA": (51.5, -0.14)}
