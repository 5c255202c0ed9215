"""The statewide map's ward shapes as their own JSON (app/maps/wards.py): the page carries the
figures only, the shapes draw what the page drew before, and a browser that has them is told
"unchanged" (304) until the boundaries change."""
from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import shape
from sqlmodel import select

from app.db import write_transaction
from app.imports.boundaries import import_boundaries
from app.maps import coverage, render
from app.models import Ward

from tests.support.maps import drawn_areas, embedded_layers


@pytest.fixture
def state(monkeypatch, city, make_ward):
    """The city scenario's ward and a second (no doors) as a "state": past CITY_MAP_DOORS."""
    from app.maps import views

    monkeypatch.setattr(views, "CITY_MAP_DOORS", 6, raising=False)  # the scenario has 7 doors
    make_ward("W10", bounds=(-71.10, 42.36, -71.08, 42.38))
    return city


def _page_layer(client):
    response = client.get("/maps/city")
    assert response.status_code == 200
    return response, embedded_layers(response.get_data(as_text=True))["coverageLayer"][0]


def _before(db) -> dict:
    """What base code (3b49729) embedded in the page: render.area_features of every ward with the
    rollup's coverage folded by ward, the drill-down to the ward overview."""
    wards = db.exec(select(Ward).order_by(Ward.code)).all()
    cov = coverage.by_ward(coverage.coverage_by_area(db))
    return render.area_features(wards, cov, url=lambda ward: f"/maps/?ward={ward.id}")


def test_the_shapes_and_figures_draw_what_the_page_drew_before(app, client, auth, db, state):
    auth.login_as("organiser")
    response, layer = _page_layer(client)
    html = response.get_data(as_text=True)
    assert '"coordinates"' not in html  # the page is the figures; the shapes are a separate address
    drawn = drawn_areas(client, layer)["features"]
    with app.test_request_context():
        before = _before(db)["features"]
    assert [f["properties"] for f in drawn] == [f["properties"] for f in before]
    assert any(f["properties"]["door_attempted"] for f in drawn)  # the scenario's knocks are there
    for now, then in zip(drawn, before):  # rectangles: nothing to simplify away
        assert shape(now["geometry"]).equals(shape(then["geometry"]))


def test_a_second_load_is_a_304_until_the_boundaries_change(client, auth, db, state):
    auth.login_as("organiser")
    url = _page_layer(client)[1][0]["shapes"]
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Cache-Control"] == "private, max-age=86400"
    assert f"v={etag.strip(chr(34))}" in url  # the page names the version it was drawn with
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    bare = client.get("/maps/city/wards.json")  # an address without the version: asked about each time
    assert bare.headers["Cache-Control"] == "private, no-cache" and bare.headers["ETag"] == etag

    ward = state["ward"]
    renamed = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Riverside"},
                                                          "geometry": json.loads(ward.boundary)}]}
    write_transaction(db, lambda s: import_boundaries(s, source=renamed, level="ward", name_field="name"))
    changed = client.get("/maps/city/wards.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Riverside" in {f["properties"]["name"] for f in changed.get_json()["features"]}
    assert _page_layer(client)[1][0]["shapes"] != url  # a new page asks for the new shapes


def test_only_organisers_get_the_shapes(client, auth, state):
    assert client.get("/maps/city/wards.json").status_code in (302, 401)
    auth.login_as("team_lead")
    assert client.get("/maps/city/wards.json").status_code == 403


@pytest.mark.shared_data
def test_real_wards_are_simplified_without_gaps(app, client, auth, db, shared_data):
    """Cambridge's 11 wards (2,409 points): fewer points, every one within the tolerance of the
    real edge, and still a coverage (neighbours share their simplified edges: no slivers)."""
    source = shared_data / "cambridge-ma" / "wards.geojson"
    write_transaction(db, lambda s: import_boundaries(s, source=source, level="ward", name_field="Ward"))
    auth.login_as("organiser")
    real = {w.id: shape(json.loads(w.boundary)) for w in db.exec(select(Ward))}
    drawn = {f["properties"]["id"]: shape(f["geometry"]) for f in client.get("/maps/city/wards.json").get_json()["features"]}
    assert drawn.keys() == real.keys()
    west, south, east, north = shapely.total_bounds(list(real.values()))
    tolerance = max(east - west, north - south) / 4096
    assert sum(shapely.get_num_coordinates(g) for g in drawn.values()) < 0.8 * sum(
        shapely.get_num_coordinates(g) for g in real.values())
    for ward_id, geom in drawn.items():
        assert geom.is_valid and shapely.hausdorff_distance(geom, real[ward_id]) < 4 * tolerance
    assert shapely.coverage_is_valid(list(drawn.values()))


@pytest.mark.parametrize("boundary", ["not json", '{"type": "Point", "coordinates": [1, 2]}', "{}"])
def test_a_broken_boundary_is_drawn_as_no_shape_not_a_500(client, auth, db, state, boundary):
    ward = db.get(Ward, state["ward"].id)
    ward.boundary = boundary  # by hand: the import refuses such a boundary
    db.add(ward)
    db.commit()
    auth.login_as("organiser")
    assert client.get("/maps/city").status_code == 200
    drawn = {f["properties"]["id"]: f["geometry"] for f in client.get("/maps/city/wards.json").get_json()["features"]}
    assert drawn[ward.id] is None and all(geometry for key, geometry in drawn.items() if key != ward.id)


def test_a_browser_that_takes_gzip_gets_the_shapes_compressed(client, auth, state):
    import gzip

    auth.login_as("organiser")
    plain = client.get("/maps/city/wards.json")
    zipped = client.get("/maps/city/wards.json", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.get_data()) == plain.get_data() and zipped.headers["ETag"] != plain.headers["ETag"]
    again = client.get("/maps/city/wards.json", headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304
