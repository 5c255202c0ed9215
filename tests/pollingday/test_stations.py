"""Polling stations from a GeoJSON of polling places, linked to the districts that vote there."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.errors import ImportRejected
from app.models import Neighbourhood, PollingStation, StationDistrict
from app.pollingday.stations import import_stations


def place(name="Testville Library", address="1 High St", codes="AA", lon=-71.11, lat=42.37, **props):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"LOCATION": name, "Address": address, "W_P": codes, **props}}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def served(db) -> dict:
    """station name -> sorted district codes."""
    rows = db.execute(sa.select(PollingStation.name, Neighbourhood.code)
                      .join(StationDistrict, StationDistrict.station_id == PollingStation.id)
                      .join(Neighbourhood, Neighbourhood.id == StationDistrict.neighbourhood_id)).all()
    db.rollback()
    out = {}
    for name, code in rows:
        out.setdefault(name, []).append(code)
    return {name: sorted(codes) for name, codes in out.items()}


def run(db, data, **kw):
    return write_transaction(db, lambda s: import_stations(s, source=data, **kw))


def test_places_with_one_name_and_address_are_one_station(db, districts):
    report = run(db, collection(place(codes="AA"), place(name=" testville  library", codes="AB"),
                                place(name="Beech Road School", address="2 Beech Rd", codes="AB, AA")))
    assert report.summary() == "3 polling places: 2 stations imported, 0 updated, 4 station-district links, 0 rejected"
    assert served(db) == {"Testville Library": ["AA", "AB"], "Beech Road School": ["AA", "AB"]}


def test_reimport_updates_and_resets_the_districts(db, districts):
    run(db, collection(place(codes="AA, AB")))
    report = run(db, collection(place(codes="AB", LOCATION_NOTE="Rear entrance")))
    assert (report.imported, report.updated) == (0, 1)
    assert served(db) == {"Testville Library": ["AB"]}
    assert db.execute(sa.select(PollingStation.note)).scalar_one() == "Rear entrance"
    db.rollback()


def test_a_split_precinct_votes_with_its_precinct(db, make_ward):
    make_ward("1", neighbourhoods=2)  # neighbourhoods 1-1, 1-2
    run(db, collection(place(codes="1-2A")))
    assert served(db) == {"Testville Library": ["1-2"]}


@pytest.mark.parametrize("feature, reason", [
    (place(codes="ZZ"), "no polling district (neighbourhood) with code 'ZZ': import the boundaries first"),
    (place(codes=""), "has no district code ('W_P')"),
    (place(name=""), "has no 'LOCATION'"),
    (place(name="x" * 201), "name is longer than 200 characters"),
    (place(lon=200), "has coordinates out of range"),
    (place(lon="east"), "has coordinates that are not numbers"),
    ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {}}, "needs a Point geometry"),
    ("a string", "is not a GeoJSON feature"),
])
def test_a_bad_place_is_reported_and_nothing_is_imported(db, districts, feature, reason):
    with pytest.raises(ImportRejected) as err:
        run(db, collection(place(name="Good"), feature))
    assert err.value.details == [f"feature 2: {reason}"]
    assert db.execute(sa.select(sa.func.count()).select_from(PollingStation)).scalar_one() == 0
    db.rollback()
    assert run(db, collection(place(name="Good"), feature), skip_bad=True).imported == 1


@pytest.mark.shared_data
def test_cambridge_polling_places_serve_every_precinct(runner, db, shared_data, tmp_path):
    data = shared_data / "cambridge-ma"
    result = runner.invoke(args=["import-boundaries", str(data / "wards_precincts.geojson"), "--level", "neighbourhood",
                                 "--name-field", "WardPrecinct", "--code-field", "WardPrecinct"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["import-stations", str(data / "pollinglocations.geojson")])
    assert result.exit_code == 0, result.output
    places = json.loads((data / "pollinglocations.geojson").read_text(encoding="utf-8"))["features"]
    stations = {(p["properties"]["LOCATION"].strip().casefold(), p["properties"]["Address"].strip().casefold())
                for p in places}
    assert f"{len(places)} polling places: {len(stations)} stations imported" in result.output
    by_station = served(db)
    precincts = {code for codes in by_station.values() for code in codes}
    assert len(precincts) == 33  # every precinct, the "A" halves with their precinct
    assert by_station["Reservoir Church"] == ["11-1", "11-2"]
    assert by_station["M.I.T. Welcome Center"] == ["1-2", "5-2"]
    again = runner.invoke(args=["import-stations", str(data / "pollinglocations.geojson")])
    assert f"0 stations imported, {len(stations)} updated" in again.output
