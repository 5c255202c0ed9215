"""The chase list at state size (issue 22): the rewritten queries give what the old ones gave on any
small campaign (tests/pollingday/chase_before.py is the oracle), the count stops at its cap, the CSV
streams in pages, and the page neither reloads its areas one by one nor lists a state's 6,000."""
from __future__ import annotations

import html

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from app.db import engine_for, write_transaction
from app.models import BallotStatus, DoNotContact, Neighbourhood, Person, PersonSupport, Voted, Ward, utcnow
from app.pollingday import chase as queries
from app.pollingday.ballot_mapping import STATUSES
from tests.pollingday import chase_before as before

VOTERS = [f"TV00000{i}" for i in range(1, 9)]
PICKERS = pytest.mark.parametrize("app", [{"PICKER_MIN": 1}], indirect=True)

campaigns = st.fixed_dictionaries({
    "ballots": st.lists(st.sampled_from((None, *STATUSES)), min_size=8, max_size=8),
    "support": st.lists(st.sampled_from((None, "1", "2", "3", "4", "5")), min_size=8, max_size=8),
    "person_dnc": st.sets(st.integers(0, 7)),
    "door_dnc": st.sets(st.integers(0, 7)),       # the household of the nth voter, for everyone there
    "door_dnc_named": st.sets(st.integers(0, 7)),  # the household of the nth voter, naming them only
    "phone_dnc": st.sets(st.integers(0, 7)),
    "voted": st.sets(st.integers(0, 7)),
})


def _write(db, ids: list[int], campaign: dict) -> None:
    def write(s):
        for table in (BallotStatus, PersonSupport, DoNotContact, Voted):
            s.execute(sa.delete(table))
        people = {p.id: p for p in s.execute(sa.select(Person).where(Person.id.in_(ids))).scalars()}
        for pid, status, level in zip(ids, campaign["ballots"], campaign["support"]):
            if status:
                s.add(BallotStatus(person_id=pid, status=status, status_date=None))
            if level:
                s.add(PersonSupport(person_id=pid, support_level=level, support_at=utcnow(), event_id="e"))
        for n in campaign["person_dnc"]:
            s.add(DoNotContact(person_id=ids[n], reason="asked"))
        for n in campaign["door_dnc"]:
            s.add(DoNotContact(household_id=people[ids[n]].household_id, reason="door"))
        for n in campaign["door_dnc_named"]:
            s.add(DoNotContact(household_id=people[ids[n]].household_id, person_id=ids[n], reason="door, named"))
        for n in campaign["phone_dnc"]:
            s.add(DoNotContact(phone=people[ids[n]].phone or "+16175550199", channel="phone"))
        for n in campaign["voted"]:
            s.add(Voted(person_id=ids[n], telling_id=f"t-{n}", voted_at=utcnow()))
    write_transaction(db, write)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(campaign=campaigns)
def test_the_list_counts_and_order_are_the_old_ones(db, us_voters, districts, settings, campaign):
    ids = [us_voters[v] for v in VOTERS]
    _write(db, ids, campaign)
    ward_id = db.execute(sa.select(Ward.id)).scalar_one()
    for area in (queries.Area(), queries.Area(ward_id=ward_id), queries.Area(neighbourhood_id=districts["AB"])):
        kw = dict(settings=settings, area=area)
        expected = before.chase_list(db, **kw)
        assert queries.chase_list(db, **kw) == expected
        assert queries.chase_list(db, limit=2, **kw) == expected[:2]
        assert queries.chase_count(db, **kw) == before.chase_count(db, **kw) == len(expected)
        for cap in (0, 1, 3):
            assert queries.chase_count(db, cap=cap, **kw) == min(len(expected), cap + 1)
        assert queries.status_counts(db, **kw) == before.status_counts(db, **kw)
        assert [r for page in queries.chase_pages(db, size=2, **kw) for r in page] == expected
        db.rollback()


@pytest.fixture
def everyone_chased(db, us_voters, districts):
    ids = [us_voters[v] for v in VOTERS]
    _write(db, ids, {"ballots": ["sent"] * 8, "support": ["1"] * 8, "person_dnc": set(), "door_dnc": set(),
                     "door_dnc_named": set(), "phone_dnc": set(), "voted": set()})
    return ids


def test_the_csv_pages_are_bounded_and_the_file_is_the_old_one(db, everyone_chased, settings):
    pages = list(queries.chase_pages(db, settings=settings, size=3))
    assert [len(p) for p in pages] == [3, 3, 2]
    assert queries.as_csv([r for p in pages for r in p]) == queries.as_csv(before.chase_list(db, settings=settings))


def test_the_csv_streams_the_whole_list(client, auth, db, everyone_chased, monkeypatch):
    auth.login_as("organiser")
    monkeypatch.setattr(queries, "chase_pages", _in_pages_of(2, queries.chase_pages))
    response = client.get("/polling-day/chase.csv")
    assert response.is_streamed
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == ",".join(queries.COLUMNS) and len(lines) == 9


def _in_pages_of(size, pages):
    return lambda session, **kw: pages(session, size=size, **{k: v for k, v in kw.items() if k != "size"})


def test_the_page_says_more_than_its_cap(client, auth, everyone_chased, monkeypatch):
    from app.pollingday import views_chase

    auth.login_as("organiser")
    monkeypatch.setattr(views_chase, "COUNT_CAP", 5)
    page = client.get("/polling-day/chase").get_data(as_text=True)
    assert "To chase: more than 5" in page and "The first 500 of more than 5" in page
    monkeypatch.setattr(views_chase, "COUNT_CAP", 8)
    assert "To chase: 8<" in client.get("/polling-day/chase").get_data(as_text=True)


def _statements(app, client, path: str) -> tuple[int, str]:
    sent = []
    engine = engine_for(app)
    listen = lambda *args: sent.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        page = client.get(path).get_data(as_text=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    return len(sent), page


def test_the_areas_are_read_once_whatever_their_number(app, client, auth, db, everyone_chased, make_ward):
    auth.login_as("organiser")
    few, _ = _statements(app, client, "/polling-day/chase")
    names = [make_ward(code=f"W{n + 10}", bounds=(-70.0 + n, 42.0, -69.9 + n, 42.1)).name for n in range(6)]
    db.rollback()
    many, page = _statements(app, client, "/polling-day/chase")
    assert all(f">{name}</option>" in page for name in names)
    assert many == few  # not one more per area (the template reloaded each expired Ward: 4 s at 6,000)


@PICKERS
def test_a_state_searches_its_areas(client, auth, db, everyone_chased, districts):
    auth.login_as("committee")
    page = client.get("/polling-day/chase").get_data(as_text=True)
    assert 'name="area"' in page and "<select" not in page and "data-picker-url=\"/polling-day/chase/areas\"" in page
    found = client.get("/polling-day/chase/areas?q=district").get_json()["results"]
    assert {r["value"] for r in found} >= {f"hood:{districts['AA']}", f"hood:{districts['AB']}"}
    page = client.get(f"/polling-day/chase?area=hood:{districts['AB']}").get_data(as_text=True)
    assert "To chase: 4" in page and "Frankie Umber" in page and "Avery Quill" not in page
    assert f"/polling-day/chase.csv?neighbourhood={districts['AB']}" in page
    assert 'value="hood:{}"'.format(districts["AB"]) in page.replace("data-picker-value=", "value=")
    code = db.get(Neighbourhood, districts["AB"]).code
    db.rollback()
    assert "To chase: 4" in client.get(f"/polling-day/chase?area={code}").get_data(as_text=True)


@PICKERS
@pytest.mark.parametrize("query, message", [
    ("area=nowhere", "No ward or neighbourhood"),
    ("area=hood:999999", "No ward or neighbourhood"),
    ("area=" + "x" * 101, "No ward or neighbourhood"),
    ("area=ward:1&ward=1", "Choose the area once"),
])
def test_a_bad_area_is_a_clear_422(client, auth, everyone_chased, query, message):
    auth.login_as("organiser")
    for path in ("/polling-day/chase", "/polling-day/chase.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, path
        assert message in html.unescape(response.get_data(as_text=True))


@PICKERS
def test_a_lead_searches_and_picks_only_their_areas(client, auth, db, everyone_chased, districts, make_team, make_user):
    lead = make_user(roles="volunteer")
    make_team(neighbourhoods=[db.get(Neighbourhood, districts["AB"])], leads=[lead])
    db.rollback()
    auth.login(lead.email)
    found = client.get("/polling-day/chase/areas?q=district").get_json()["results"]
    assert [r["value"] for r in found] == [f"hood:{districts['AB']}"]
    assert client.get(f"/polling-day/chase?area=hood:{districts['AA']}").status_code == 422
    auth.login_as("canvasser")
    assert client.get("/polling-day/chase/areas?q=district").status_code == 403
