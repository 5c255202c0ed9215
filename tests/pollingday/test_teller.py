"""The teller's pages and GET /api/stations/<id>/electors: who may open them, a station that does
not exist, and the electors list holding that station's electors only, with no phone numbers.
(A PIN joiner's refusal is in tests/security/test_access_matrix.py.)"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.models import Elector, Person, Telling

TELLER_URLS = ("/polling-day/teller", "/polling-day/teller/{west}", "/api/stations/{west}/electors")


def urls(polling_day):
    return [u.format(west=polling_day.west) for u in TELLER_URLS]


@pytest.mark.parametrize("roles", ["teller", "organiser"])
def test_tellers_and_organisers_open_the_pages(client, auth, polling_day, roles):
    auth.login_as(roles)
    for url in urls(polling_day):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("roles", ["canvasser", "caller", "volunteer"])
def test_others_are_refused(client, auth, polling_day, roles):
    auth.login_as(roles)
    for url in urls(polling_day):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_sign_in(client, polling_day):
    pages, api = urls(polling_day)[:2], urls(polling_day)[2]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get(api).status_code == 401


def test_an_unknown_station_is_404(client, auth, polling_day):
    auth.login_as("teller")
    missing = max(polling_day.west, polling_day.east) + 100
    assert client.get(f"/polling-day/teller/{missing}").status_code == 404
    assert client.get(f"/api/stations/{missing}/electors").status_code == 404


def test_the_station_list_and_page_show_the_districts(client, auth, polling_day):
    auth.login_as("teller")
    chooser = client.get("/polling-day/teller").get_data(as_text=True)
    assert "Testville Library" in chooser and "Beech Road School" in chooser
    page = client.get(f"/polling-day/teller/{polling_day.east}").get_data(as_text=True)
    assert 'data-prefixes="AB"' in page and 'data-kind="tellings"' in page and "Teller rules" in page


def test_electors_are_only_the_stations_and_carry_no_phone(client, auth, db, polling_day):
    def phones(s):  # every elector gets a phone: none may reach the teller's phone
        for pid in s.execute(sa.select(Elector.person_id)).scalars().all():
            s.get(Person, pid).phone = f"+4477009{pid:05d}"

    write_transaction(db, phones)
    auth.login_as("teller")
    response = client.get(f"/api/stations/{polling_day.west}/electors")
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.get_json()
    electors = body["electors"]
    expected = db.execute(sa.select(sa.func.count()).select_from(Elector).where(Elector.prefix == "AA")).scalar_one()
    db.rollback()
    assert len(electors) == expected > 0
    assert all(e["number"].startswith("AA-") for e in electors)
    assert {frozenset(e) for e in electors} == {frozenset({"person_id", "number", "first_name", "last_name",
                                                           "address"})}
    assert "+44770" not in response.get_data(as_text=True)
    first = next(e for e in electors if e["number"] == "AA-1")
    assert (first["last_name"], first["first_name"]) == ("Ampleforth", "Ada") and "Acacia Avenue" in first["address"]
    assert any(e["number"] == "AA-5/1" for e in electors)


def test_a_person_found_by_search_can_be_told(client, auth, db, polling_day):
    """The search hands the phone person_ids the tellings endpoint accepts for that station."""
    auth.login_as("teller")
    token = auth.csrf_token("/account")
    elector = client.get(f"/api/stations/{polling_day.west}/electors").get_json()["electors"][0]
    item = {"id": "5b0f2a52-8a3e-4d8e-9a43-7c1f3d1b2a10", "station_id": polling_day.west,
            "person_id": elector["person_id"], "recorded_at": "2026-05-07T09:00:00Z"}
    response = client.post("/api/tellings", json={"tellings": [item]}, headers={"X-CSRFToken": token})
    assert response.get_json()["results"] == [{"id": item["id"], "status": "stored"}]
    assert db.get(Telling, item["id"]).person_id == elector["person_id"]
    db.rollback()


def test_a_station_with_no_districts_has_no_electors(client, auth, db, polling_day):
    from app.models import PollingStation

    def add(s):
        station = PollingStation(key="empty hall", name="Empty Hall")
        s.add(station)
        s.flush()
        return station.id

    empty = write_transaction(db, add)
    auth.login_as("teller")
    assert client.get(f"/api/stations/{empty}/electors").get_json() == {"station_id": empty, "electors": []}


def test_the_teller_worker_keeps_the_teller_shell(client):
    body = client.get("/polling-day/sw.js").get_data(as_text=True)
    assert '"cachePrefix": "legwork-teller-shell-"' in body and "/static/pollingday/teller.js" in body
    assert '"/api/stations/"' in body
