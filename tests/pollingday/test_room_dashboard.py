"""The committee room's dashboard: pledges, voted and % per district and station, telling
coverage by hour, lifts waiting, turnout by hour, and the sizing calculator."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.db import write_transaction
from app.pollingday import lifts
from app.pollingday.operations import set_committee_room
from app.pollingday.tellings import store_tellings
from tests.support.pledges import answer, person_by_number
from tests.support.pollingday import telling


def _room(db):
    return write_transaction(db, lambda s: set_committee_room(s, name="Testville room", district_codes=["AA", "AB"]).id)


def _tell(db, station, number, at):
    write_transaction(db, lambda s: store_tellings(s, items=[telling(station, number, recorded_at=at.isoformat())],
                                                   actor_user_id=None))


def test_the_figures(client, auth, db, polling_day):
    room_id = _room(db)
    for number in ("AA-1", "AA-3", "AA-6", "AB-1"):
        answer(db, person_by_number(db, number), "1")
    answer(db, person_by_number(db, "AA-2"), "1")      # postal: on the reminder list, not a pledge
    answer(db, person_by_number(db, "AB-3"), "5")      # against
    hour = datetime.now(timezone.utc).replace(minute=5, second=0, microsecond=0) - timedelta(hours=1)
    _tell(db, polling_day.west, "AA-1", hour)
    _tell(db, polling_day.west, "AA-4", hour)         # voted, not a pledge
    _tell(db, polling_day.east, "AB-1", hour + timedelta(minutes=70))
    write_transaction(db, lambda s: lifts.request_lift(s, person_id=person_by_number(db, "AA-3")))
    auth.login_as("committee")
    data = client.get(f"/polling-day/rooms/{room_id}/live.json").get_json()
    west, east = data["districts"]
    assert (west["pledges"], west["pledges_voted"], west["percent"], west["voted"], west["lifts_waiting"]) == (3, 1, 33, 2, 1)
    assert (east["pledges"], east["pledges_voted"], east["percent"], east["voted"]) == (1, 1, 100, 1)
    assert data["total"]["pledges"] == 4 and data["total"]["pledges_voted"] == 2 and data["lifts_waiting"] == 1
    stations = {s["label"]: s for s in data["stations"]}
    assert sum(stations["Testville Library"]["tellings_by_hour"].values()) == 2
    assert sum(stations["Beech Road School"]["tellings_by_hour"].values()) == 1
    assert sum(p + o for p, o in data["turnout"].values()) == 3
    assert sum(p for p, _ in data["turnout"].values()) == 2
    assert "<svg" in data["html"] and "Telling coverage" in data["html"]

    page = client.get(f"/polling-day/rooms/{room_id}?votes=3&turnout=75")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "4 pledges needed" in text and "4 held" in text and "enough" in text
    assert 'data-every="10"' in text
    bad = client.get(f"/polling-day/rooms/{room_id}?votes=3&turnout=0")
    assert bad.status_code == 422 and "between 1 and 100" in bad.get_data(as_text=True)
    assert "Testville room" in client.get("/polling-day/rooms").get_data(as_text=True)
    assert client.get("/polling-day/rooms/999999").status_code == 404


def test_others_are_refused(client, auth, db, polling_day):
    room_id = _room(db)
    auth.login_as("driver")
    assert client.get(f"/polling-day/rooms/{room_id}/live.json").status_code == 403


def test_the_postal_reminder_list(client, auth, db, polling_day):
    room_id = _room(db)
    answer(db, person_by_number(db, "AA-2"), "1")      # Bryn: postal
    answer(db, person_by_number(db, "AA-1"), "1")      # Ada: votes in person
    auth.login_as("committee")
    text = client.get(f"/polling-day/rooms/{room_id}/postal").get_data(as_text=True)
    assert "Bryn Ampleforth" in text and "Ada Ampleforth" not in text
    assert "1 pledged postal voter<" in client.get(f"/polling-day/rooms/{room_id}").get_data(as_text=True)


def test_any_calculator_input_is_an_answer_or_a_message(client, auth, db, polling_day):
    from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

    room_id = _room(db)
    auth.login_as("committee")
    numbers = st.one_of(st.text(max_size=30), st.integers(-10**12, 10**12).map(str),
                        st.decimals(allow_nan=True, allow_infinity=True).map(str))

    @hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(votes=numbers, turnout=numbers)
    def check(votes, turnout):
        response = client.get(f"/polling-day/rooms/{room_id}", query_string={"votes": votes, "turnout": turnout})
        assert response.status_code in (200, 422)
        text = response.get_data(as_text=True)
        assert ("pledges needed" in text) == (response.status_code == 200 and bool(votes or turnout))

    check()


def test_the_chart_scales_to_the_busiest_hour():
    from types import SimpleNamespace

    from app.pollingday.dashboard import chart

    board = SimpleNamespace(hours=[7, 8, 9], turnout={7: (10, 30), 9: (20, 0)})
    bars = chart(board, height=160, axis=20)
    assert [b.hour for b in bars] == [7, 8, 9]
    assert bars[0].pledged_h + bars[0].other_h == 140 and bars[0].other_y == 0
    assert bars[1].pledged_h == bars[1].other_h == 0 and bars[2].pledged_h == 70
    assert chart(SimpleNamespace(hours=[], turnout={})) == []
