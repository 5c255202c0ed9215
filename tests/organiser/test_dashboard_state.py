"""A state's dashboard: wards summarised (the most and least knocked), each ward's own view with
its neighbourhoods, the busiest volunteers only; the figures are the same as the whole table's."""
import re

import pytest
from sqlmodel import select

from app.config import settings
from app.models import Neighbourhood
from app.organiser import dashboard as dash
from tests.support.maps import record


@pytest.fixture
def state(db, make_ward, make_household, make_user, monkeypatch, hours_ago):
    monkeypatch.setattr(dash, "AREA_DETAIL", 3)
    monkeypatch.setattr(dash, "AREA_EXTREMES", 1)
    ann = make_user(roles="canvasser", name="Ann")
    wards = [make_ward(f"S{n}", name=f"Ward {n}", bounds=(-71.12 + n * 0.01, 42.36, -71.11 + n * 0.01, 42.37),
                       neighbourhoods=2) for n in range(5)]
    homes = {w.id: [make_household(w) for _ in range(4)] for w in wards}
    for n, ward in enumerate(wards):  # ward n: n of its 4 doors knocked
        for home in homes[ward.id][:n]:
            record(db, home, "spoke", user=ann, when=hours_ago(0.5))
    return wards, homes


def test_the_state_view_summarises_wards_and_leaves_neighbourhoods_to_each_ward(client, auth, db, state):
    wards, _ = state
    auth.login_as("organiser")
    page = client.get("/organiser/dashboard").get_data(as_text=True)
    ranks = dict(re.findall(r'data-ward="(\d+)" data-rank="(\w+)"', page))
    assert ranks == {str(wards[4].id): "most", str(wards[0].id): "least"}
    assert "data-neighbourhood=" not in page and 'id="neighbourhoods-by-ward"' in page
    assert 'data-city-households="20"' in page and 'data-city-door-attempted="10"' in page

    ward = wards[3]
    page = client.get(f"/organiser/dashboard?ward={ward.id}&period=all").get_data(as_text=True)
    hoods = db.exec(select(Neighbourhood.id).where(Neighbourhood.ward_id == ward.id)).all()
    assert set(re.findall(r'data-neighbourhood="(\d+)"', page)) == {str(h) for h in hoods}
    assert 'data-city-households="4"' in page and 'data-city-door-attempted="3"' in page
    assert re.findall(r'data-ward="(\d+)"', page) == [str(ward.id)]


def test_a_ward_view_counts_that_ward_only(db, state, noon):
    wards, _ = state
    from app.auth.access import ward_scope

    view = dash.build_dashboard(db, settings=settings(), period="all", scope=ward_scope(db, None, wards[2].id))
    assert (view.total.knocks, view.city.households, view.city.door_attempted) == (2, 4, 2)
    whole = dash.build_dashboard(db, settings=settings(), period="all")
    assert (whole.total.knocks, whole.ward_count, len(whole.wards)) == (10, 5, 2)


def test_only_the_busiest_volunteers_are_listed(db, state, make_user, make_household, monkeypatch, hours_ago):
    monkeypatch.setattr(dash, "VOLUNTEER_ROWS", 1)
    bob = make_user(roles="canvasser", name="Bob")
    record(db, make_household(state[0][0]), "spoke", user=bob, when=hours_ago(0.5))
    data = dash.build_dashboard(db, settings=settings(), period="today")
    assert ([r.label for r in data.volunteers], data.volunteer_count) == (["Ann"], 2)


@pytest.mark.parametrize("query, status", [("ward=999999", 404), ("ward=x", 422), ("ward=0", 422)])
def test_a_bad_ward_is_explained(client, auth, query, status):
    auth.login_as("organiser")
    assert client.get(f"/organiser/dashboard?{query}").status_code == status


def test_a_lead_sees_only_wards_of_their_areas(client, auth, db, state, make_user, make_team):
    wards, _ = state
    lead = make_user(roles="canvasser", name="Lead")
    make_team(wards=[wards[1]], leads=[lead])
    auth.login(lead.email)
    assert client.get(f"/organiser/dashboard?ward={wards[2].id}").status_code == 403
    page = client.get(f"/organiser/dashboard?ward={wards[1].id}").get_data(as_text=True)
    assert 'data-city-households="4"' in page and 'data-city-door-attempted="1"' in page


def test_a_state_view_sums_its_areas_per_ward_in_the_database(db, state):
    """A state's page has no precinct rows: its activity and coverage come summed per ward, not
    a row per precinct (5,000 of them) folded in Python."""
    import sqlalchemy as sa

    statements = []
    engine = db.get_bind()
    listen = lambda _c, _cur, statement, *_a: statements.append(" ".join(statement.split()))  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        for period in dash.PERIODS:
            dash.build_dashboard(db, settings=settings(), period=period)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    per_area = [s for s in statements if re.search(r"FROM (activity_days|activity_areas|area_coverage)\b", s)]
    assert per_area and not [s for s in per_area if "neighbourhood_id" in s.split(" FROM ")[0]]


def test_the_timeline_from_the_hour_rollup_matches_the_day_rollup(db, state, make_household, make_user, noon):
    """The state's fortnight is summed from the hour rollup (each row a local hour, inside one local
    day); a ward's from the day rollup. Both days hold the same counts, either side of midnight."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from app.auth.access import ward_scope

    wards, _ = state
    tz = ZoneInfo(settings().timezone)
    cal = make_user(roles="caller", name="Cal")
    home = make_household(wards[0])
    for hours in (11.6, 12.4, 36.5, 60.1, 24 * 6 + 11.9):  # 00:24 and 23:36 local, and days before
        record(db, home, "spoke", user=cal, when=noon - timedelta(hours=hours))
    record(db, home, "no_answer", channel="phone", user=cal, when=noon - timedelta(hours=12.2))
    whole, _ = dash.timeline(db, now=noon, tz=tz)
    # Every event is in ward 0 or a ward the state fixture knocked: add the wards' days up.
    by_ward = [dash.timeline(db, now=noon, tz=tz, scope=ward_scope(db, None, w.id))[0] for w in wards]
    for i, (day, tally) in enumerate(whole):
        wards_sum = [sum(getattr(days[i][1], f) for days in by_ward) for f in ("knocks", "door_contacts", "calls", "dnc")]
        assert [tally.knocks, tally.door_contacts, tally.calls, tally.dnc] == wards_sum, day
    assert sum(t.knocks for _, t in whole) == 10 + 5 and sum(t.calls for _, t in whole) == 1
