"""Dashboard totals by ward, neighbourhood, list and volunteer; last hour; by day; the chart."""
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from app.config import settings
from app.organiser.dashboard import build_dashboard
from tests.support.maps import record


@pytest.fixture
def activity(db, make_ward, make_household, make_walk_list, make_user, hours_ago):
    ward = make_ward("W2", neighbourhoods=1)
    homes = [make_household(ward) for _ in range(5)]
    ann = make_user(roles="canvasser", name="Ann")
    bob = make_user(roles="caller", name="Bob")
    walk = make_walk_list(homes, name="W2 · 1", assign_to=ann, ward=ward)
    record(db, homes[0], "spoke", user=ann, walk_list=walk, when=hours_ago(0.2), support="1")
    record(db, homes[1], "not_home", user=ann, walk_list=walk, when=hours_ago(0.5))
    record(db, homes[2], "refused", user=ann, walk_list=walk, when=hours_ago(2), support="4")
    record(db, homes[3], "do_not_contact", user=ann, walk_list=walk, when=hours_ago(3))
    record(db, homes[4], "not_home", user=ann, walk_list=walk, when=hours_ago(72))   # three days ago
    record(db, homes[1], "spoke", channel="phone", user=bob, when=hours_ago(0.3), support="3")
    record(db, homes[4], "no_answer", channel="phone", user=bob, when=hours_ago(4))
    return {"ward": ward, "ann": ann, "bob": bob, "walk": walk}


def test_totals_by_period_group_and_last_hour(db, activity, noon):
    today = build_dashboard(db, settings=settings(), period="today", now=noon)
    t = today.total
    assert (t.knocks, t.door_contacts, t.calls, t.connected, t.dnc) == (4, 2, 2, 1, 1)
    assert (t.supporters, t.undecided, t.against) == (1, 1, 1)
    assert (t.hour_knocks, t.hour_calls) == (2, 1)
    assert t.contact_rate == 0.5
    vols = {row.label: row.tally for row in today.volunteers}
    assert (vols["Ann"].knocks, vols["Ann"].calls, vols["Bob"].knocks, vols["Bob"].calls) == (4, 0, 0, 2)
    assert [row.label for row in today.volunteers] == ["Ann", "Bob"]   # busiest first
    (walk_row,) = today.lists
    assert (walk_row.label, walk_row.tally.knocks, walk_row.extra["progress"].done) == ("W2 · 1", 4, 5)
    (ward_row,) = today.wards
    assert (ward_row.tally.knocks, ward_row.tally.calls) == (4, 2)

    everything = build_dashboard(db, settings=settings(), period="all", now=noon)
    assert (everything.total.knocks, everything.total.calls) == (5, 2)


def test_by_day_and_hourly_chart(db, activity, noon):
    data = build_dashboard(db, settings=settings(), period="7d", now=noon)
    days = dict(data.days)
    local_noon = noon.astimezone(ZoneInfo(settings().timezone))
    assert days[local_noon.date()].knocks == 4
    assert days[(local_noon - timedelta(days=3)).date()].knocks == 1
    hours = {h: (k, c) for h, k, c in data.hours}
    assert hours[11] == (2, 1)      # 11:00-12:00 local: two knocks and one call
    assert hours[9] == (1, 0) and hours[8] == (0, 1)
    assert sum(k for k, _ in hours.values()) == 4


def test_dashboard_page_reads_at_a_glance(client, auth, activity):
    auth.login_as("organiser")
    response = client.get("/organiser/dashboard?period=all")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<span class="big">5</span> doors knocked', html)
    assert re.search(r'<span class="big">2</span> calls made', html)
    assert '<rect class="bar-door"' in html
    assert "Ann" in html and "Bob" in html and "W2 · 1" in html
    # a stalled list is one click from its page (reassign, new PIN), not only its map and sheet
    assert re.search(r'<a href="/organiser/lists/\d+">W2 · 1</a>', html)


@pytest.mark.parametrize("period, message", [("yesterday", "Unknown period"), ("<b>", "Unknown period")])
def test_bad_period_is_explained(client, auth, period, message):
    auth.login_as("organiser")
    response = client.get("/organiser/dashboard", query_string={"period": period})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/organiser/dashboard", "/organiser/dashboard/export.csv",
                                  "/organiser/walk-sheets/1"])
def test_dashboard_pages_are_for_organisers_only(client, auth, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login_as("canvasser")
    assert client.get(path).status_code == 403


def test_list_table_keeps_the_busiest_lists(db, client, auth, activity, make_household, make_walk_list,
                                            hours_ago, noon, monkeypatch):
    from app.organiser import dashboard as dash

    quiet_home = make_household(activity["ward"])
    quiet = make_walk_list([quiet_home], name="W2 · 2", assign_to=activity["ann"], ward=activity["ward"])
    record(db, quiet_home, "not_home", user=activity["ann"], walk_list=quiet, when=hours_ago(1))
    assert [row.label for row in build_dashboard(db, settings=settings(), period="today", now=noon).lists] == [
        "W2 · 1", "W2 · 2"]
    monkeypatch.setattr(dash, "LIST_ROWS", 1)
    data = build_dashboard(db, settings=settings(), period="today", now=noon)
    assert [row.label for row in data.lists] == ["W2 · 1"] and data.list_count == 2
    assert data.lists[0].extra["progress"].done == 5
    auth.login_as("organiser")
    html = client.get("/organiser/dashboard?period=all").get_data(as_text=True)
    assert "2 lists had activity in this period" in html and 'href="/organiser/lists"' in html
    assert "W2 · 2" not in html.split("Busiest walk lists")[1].split("Volunteers")[0]
