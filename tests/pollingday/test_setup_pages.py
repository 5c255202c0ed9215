"""The set-up pages: an organiser creates and edits the election, polling stations and committee
rooms; bad input is the form again with what to fix (422) and changes nothing; committee-room
staff may look; ids that are no row are 404s."""
from __future__ import annotations

import html
import re
from datetime import date, time

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.models import AuditEntry, CommitteeRoom, CommitteeRoomDistrict, Election, Neighbourhood, PollingStation, StationDistrict
from app.params import MAX_ID
from app.pollingday.operations import create_election, save_station, set_committee_room
from app.pollingday.stations import import_stations, station_key

BIG = 2**63


def _post(client, auth, url, **data):
    return client.post(url, data={"csrf_token": auth.csrf_token(), **data})


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _words(response) -> str:
    """The page as a reader sees it: no tags, one space between words."""
    return " ".join(re.sub(r"<[^>]+>", " ", _text(response)).split())


def _rows(db, model) -> list:
    rows = db.execute(sa.select(model)).scalars().all()
    db.rollback()
    return rows


def _codes(db, link, column, owner_id) -> list[str]:
    codes = db.execute(sa.select(Neighbourhood.code).join(link, link.neighbourhood_id == Neighbourhood.id)
                       .where(column == owner_id).order_by(Neighbourhood.code)).scalars().all()
    db.rollback()
    return list(codes)


ELECTION = dict(name="County council", polling_date="2027-05-06", polls_open="07:00", polls_close="22:00")


def test_an_organiser_sets_up_the_day_from_the_pages(client, auth, db, districts):
    auth.login_as("organiser")
    assert "/polling-day/setup" in _text(client.get("/organiser/"))
    page = _words(client.get("/polling-day/setup"))
    assert "No election yet" in page and "No polling station for 2 of 2 polling districts (AA, AB)" in page

    assert _post(client, auth, "/polling-day/setup/elections/new", **ELECTION, rehearsal="y").status_code == 302
    election = _rows(db, Election)[0]
    assert (election.name, election.polling_date, election.polls_open, election.polls_close, election.rehearsal,
            election.purge_after) == ("County council", date(2027, 5, 6), time(7), time(22), True, None)
    page = _words(client.get("/polling-day/setup"))
    assert "2027-06-05 (default: 30 days)" in page and "Wipe the rehearsal" in page and "current" in page
    form = _text(client.get(f"/polling-day/setup/elections/{election.id}"))
    assert 'value="County council"' in form and 'value="2027-05-06"' in form and "(2027-06-05)" in form
    assert _post(client, auth, f"/polling-day/setup/elections/{election.id}", **dict(
        ELECTION, name="County council 2027", polls_close="21:30", purge_after="2027-05-20")).status_code == 302
    db.rollback()
    election = db.get(Election, election.id)
    assert (election.name, election.polls_close, election.rehearsal, election.purge_after) == (
        "County council 2027", time(21, 30), False, date(2027, 5, 20))
    db.rollback()
    page = _words(client.get("/polling-day/setup"))
    assert "2027-05-20" in page and "default: 30 days" not in page and "Wipe the rehearsal" not in page

    assert _post(client, auth, "/polling-day/setup/stations/new", name="Testville Library", address="1 Main St",
                 note="Rear entrance", lat="42.37", lon="-71.11", opens="08:00", closes="",
                 districts=["AA", "AB"]).status_code == 302
    station = _rows(db, PollingStation)[0]
    assert (station.key, station.note, station.lat, station.lon, station.opens, station.closes) == (
        station_key("Testville Library", "1 Main St"), "Rear entrance", 42.37, -71.11, time(8), None)
    assert _codes(db, StationDistrict, StationDistrict.station_id, station.id) == ["AA", "AB"]
    form = _text(client.get(f"/polling-day/setup/stations/{station.id}"))
    assert 'value="Testville Library"' in form and '<option selected value="AB">' in form
    # Renamed here, it is matched by its new name and address from now on.
    assert _post(client, auth, f"/polling-day/setup/stations/{station.id}", name="Testville Library (Hall)",
                 address="1 Main St", districts=["AB"]).status_code == 302
    db.rollback()
    station = db.get(PollingStation, station.id)
    assert (station.name, station.key, station.note, station.lat, station.opens) == (
        "Testville Library (Hall)", station_key("Testville Library (Hall)", "1 Main St"), "", None, None)
    assert _codes(db, StationDistrict, StationDistrict.station_id, station.id) == ["AB"]
    assert "No polling station for 1 of 2 polling districts (AA)" in _words(client.get("/polling-day/setup"))

    assert _post(client, auth, "/polling-day/setup/rooms/new", name="Mill Lane", address="3 Mill Lane",
                 districts=["AA"]).status_code == 302
    room = _rows(db, CommitteeRoom)[0]
    assert _post(client, auth, f"/polling-day/setup/rooms/{room.id}", name="Mill Lane Hall", address="",
                 districts=["AA", "AB"]).status_code == 302
    db.rollback()
    room = db.get(CommitteeRoom, room.id)
    assert (room.name, room.address) == ("Mill Lane Hall", "")
    assert _codes(db, CommitteeRoomDistrict, CommitteeRoomDistrict.committee_room_id, room.id) == ["AA", "AB"]
    page = _text(client.get("/polling-day/setup"))
    assert "Mill Lane Hall" in page and f"/polling-day/rooms/{room.id}" in page and "No committee room covers" not in page
    assert len(_rows(db, CommitteeRoom)) == 1
    actions = [a.action for a in _rows(db, AuditEntry) if a.action.startswith("pollingday.")]
    assert actions == ["pollingday.election"] * 2 + ["pollingday.station"] * 2 + ["pollingday.committee_room"] * 2


@pytest.mark.parametrize("change, message", [
    ({"name": "  "}, "Give the election a name."),
    ({"polling_date": "2027-02-30"}, "Not a valid date value."),
    ({"polling_date": ""}, "Give the polling day's date."),
    ({"polls_open": "25:00"}, "Not a valid time value."),
    ({"polls_open": "22:00", "polls_close": "07:00"}, "Polls must open before they close (22:00 is not before 07:00)."),
    ({"polling_date": "1900-05-06"}, "Polling day must be between 2000-01-01 and 2100-12-31."),
    ({"polling_date": "9999-12-31"}, "Polling day must be between 2000-01-01 and 2100-12-31."),
    ({"purge_after": "2027-05-05"}, "The purge date must be on or after polling day (2027-05-06)"),
    ({"name": "x" * 201}, "Field cannot be longer than 200 characters."),
])
def test_a_bad_election_is_the_form_again_and_nothing_changes(client, auth, db, change, message):
    existing = write_transaction(db, lambda s: create_election(
        s, name="Kept", polling_date=date(2027, 5, 6), polls_open=time(7), polls_close=time(22)).id)
    auth.login_as("organiser")
    for url in ("/polling-day/setup/elections/new", f"/polling-day/setup/elections/{existing}"):
        response = _post(client, auth, url, **{**ELECTION, **change})
        assert response.status_code == 422 and message in _text(response), _text(response)[:3000]
    assert [(e.name, e.polls_open, e.purge_after) for e in _rows(db, Election)] == [("Kept", time(7), None)]


@pytest.mark.parametrize("change, message", [
    ({"name": ""}, "Give the polling station's name."),
    ({"districts": []}, "Choose the polling districts that vote at the station."),
    ({"districts": ["AA", "ZZ"]}, "'ZZ' is not a valid choice"),
    ({"lat": "42.37"}, "Give both the latitude and the longitude, or neither."),
    ({"lat": "91", "lon": "0"}, "Latitude must be a number between -90 and 90."),
    ({"lat": "nan", "lon": "0"}, "Latitude must be a number between -90 and 90."),
    ({"lon": "east", "lat": "0"}, "Not a valid float value."),
    ({"opens": "20:00", "closes": "08:00"}, "The station must open before it closes (20:00 is not before 08:00)."),
    ({"name": "Beech Road School", "address": "2 Beech Road"}, "Another polling station, 'Beech Road School', has this"),
    ({"note": "n" * 301}, "Field cannot be longer than 300 characters."),
])
def test_a_bad_station_is_the_form_again_and_nothing_changes(client, auth, db, districts, change, message):
    def stations(s):
        save_station(s, name="Beech Road School", address="2 Beech Road", district_codes=["AB"])
        return save_station(s, name="Library", address="1 Main St", district_codes=["AA"]).id

    library = write_transaction(db, stations)
    before = [(s.key, s.lat, s.opens) for s in _rows(db, PollingStation)]
    auth.login_as("organiser")
    good = dict(name="Library", address="1 Main St", note="", lat="", lon="", opens="", closes="", districts=["AA"])
    for url in ("/polling-day/setup/stations/new", f"/polling-day/setup/stations/{library}"):
        response = _post(client, auth, url, **{**good, **change})
        assert response.status_code == 422 and message in _text(response), _text(response)[:3000]
    assert [(s.key, s.lat, s.opens) for s in _rows(db, PollingStation)] == before
    assert _codes(db, StationDistrict, StationDistrict.station_id, library) == ["AA"]


@pytest.mark.parametrize("change, message", [
    ({"name": ""}, "Give the committee room's name."),
    ({"name": "Elm Street"}, "Another committee room is already called 'Elm Street'."),
    ({"districts": []}, "Choose the polling districts the committee room covers."),
    ({"districts": ["QQ"]}, "'QQ' is not a valid choice"),
    ({"address": "a" * 301}, "Field cannot be longer than 300 characters."),
])
def test_a_bad_committee_room_is_the_form_again_and_nothing_changes(client, auth, db, districts, change, message):
    def rooms(s):
        set_committee_room(s, name="Elm Street", district_codes=["AB"])
        return set_committee_room(s, name="Mill Lane", district_codes=["AA"]).id

    mill = write_transaction(db, rooms)
    auth.login_as("organiser")
    for url in ("/polling-day/setup/rooms/new", f"/polling-day/setup/rooms/{mill}"):
        response = _post(client, auth, url, **{"name": "Mill Lane", "address": "", "districts": ["AA"], **change})
        assert response.status_code == 422 and message in _text(response), _text(response)[:3000]
    assert sorted(r.name for r in _rows(db, CommitteeRoom)) == ["Elm Street", "Mill Lane"]
    assert _codes(db, CommitteeRoomDistrict, CommitteeRoomDistrict.committee_room_id, mill) == ["AA"]


def test_a_station_set_up_here_is_what_a_reimport_updates(db, districts):
    station_id = write_transaction(db, lambda s: save_station(
        s, name="Testville Library", address="1 Main St", district_codes=["AA"]).id)
    places = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {
        "type": "Point", "coordinates": [-71.11, 42.37]}, "properties": {
        "LOCATION": "Testville  library", "Address": "1 main st", "W_P": "AA,AB"}}]}
    report = write_transaction(db, lambda s: import_stations(s, source=places))
    assert (report.imported, report.updated) == (0, 1)
    assert [s.id for s in _rows(db, PollingStation)] == [station_id]
    assert _codes(db, StationDistrict, StationDistrict.station_id, station_id) == ["AA", "AB"]


def test_committee_staff_may_look_but_not_change(client, auth, db, districts):
    write_transaction(db, lambda s: create_election(s, name="County council", polling_date=date(2027, 5, 6),
                                                    polls_open=time(7), polls_close=time(22), rehearsal=True))
    write_transaction(db, lambda s: set_committee_room(s, name="Mill Lane", district_codes=["AA"]))
    auth.login_as("committee")
    page = _text(client.get("/polling-day/setup"))
    assert "County council" in page and "Mill Lane" in page and "you can look" in page
    assert "edit</a>" not in page and "Add an election" not in page and "Wipe the rehearsal" not in page
    assert client.get("/polling-day/setup/elections/new").status_code == 403
    assert _post(client, auth, "/polling-day/setup/rooms/new", name="X", districts=["AA"]).status_code == 403
    assert len(_rows(db, CommitteeRoom)) == 1
    auth.logout()
    auth.login_as("driver")
    assert client.get("/polling-day/setup").status_code == 403


@pytest.mark.parametrize("path", [
    f"/polling-day/setup/elections/{BIG}", f"/polling-day/setup/elections/{MAX_ID + 1}",
    f"/polling-day/setup/stations/{BIG}", f"/polling-day/setup/stations/{2**64}",
    f"/polling-day/setup/rooms/{BIG}", f"/polling-day/setup/rooms/{MAX_ID + 1}",
    "/polling-day/setup/elections/999999", "/polling-day/setup/stations/999999", "/polling-day/setup/rooms/999999",
])
def test_ids_that_are_no_row_are_404(client, auth, db, path):
    auth.login_as("organiser")
    assert client.get(path).status_code == 404
    assert _post(client, auth, path, name="X").status_code == 404


@pytest.mark.parametrize("path", [f"/polling-day/setup/elections/{BIG}/wipe", f"/polling-day/setup/elections/{MAX_ID + 1}/wipe",
                                  "/polling-day/setup/elections/999999/wipe"])
def test_wiping_an_election_that_is_no_row_is_404(client, auth, path):
    auth.login_as("organiser")
    assert _post(client, auth, path, confirm="y").status_code == 404
