"""How lists and times are shown to people: natural order of names, the campaign's clock."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from app.clock import campaign_time
from app.sorting import natural_key
from tests.support.canvass import done


@pytest.mark.parametrize("names, expected", [
    (["Ward 9 · 10", "Ward 9 · 2", "Ward 9 · 1"], ["Ward 9 · 1", "Ward 9 · 2", "Ward 9 · 10"]),
    (["Ward 10 · 1", "Ward 9 · 14"], ["Ward 9 · 14", "Ward 10 · 1"]),
    (["b", "A", "a"], ["A", "a", "b"]),
    (["List", "", "List 3"], ["", "List", "List 3"]),
])
def test_natural_key_orders_numbers_by_value(names, expected):
    assert sorted(names, key=natural_key) == expected


def _parts_key(text):
    """The definition natural_key implements faster: a tuple of its parts, digit runs by value."""
    parts = re.split(r"(\d+)", text)
    return tuple((1, int(p), "") if i % 2 else (0, 0, p.casefold()) for i, p in enumerate(parts)), text


@hsettings(max_examples=300, deadline=None)
@given(names=st.lists(st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=12), max_size=30))
def test_natural_key_orders_as_the_parts_would(names):
    assert sorted(names, key=natural_key) == sorted(names, key=_parts_key)


@pytest.mark.parametrize("when, fmt, expected", [
    (datetime(2026, 12, 1, 15, 25, tzinfo=timezone.utc), "%Y-%m-%d %H:%M", "2026-12-01 10:25 EST"),
    (datetime(2026, 7, 1, 3, 5), "%Y-%m-%d %H:%M", "2026-06-30 23:05 EDT"),  # naive means UTC
    (None, "%H:%M", ""),
])
def test_campaign_time_is_on_the_campaign_clock(app, when, fmt, expected):
    with app.app_context():  # config.toml: America/New_York
        assert campaign_time(when, fmt) == expected


def test_lists_page_in_natural_order_with_local_times(auth, db, make_ward, make_household, make_walk_list):
    ward = make_ward("W1", "Ward 1")
    homes = [make_household(ward, street="Elm St", house_number=str(n)) for n in range(1, 4)]
    for n in (10, 2, 1):
        make_walk_list([homes[n % 3]], name=f"Ward 1 · {n}", ward=ward)
    auth.login_as("organiser")
    make_walk_list([homes[0]], name="Ward 1 · 3", ward=ward, assign_to=auth.user)
    done(db)
    html = auth._client.get("/organiser/lists").get_data(as_text=True)
    names = re.findall(r">(Ward 1 · \d+)</a>", html)
    assert names == ["Ward 1 · 1", "Ward 1 · 2", "Ward 1 · 3", "Ward 1 · 10"]
    assert "(UTC)" not in html
    people = auth._client.get("/organiser/volunteers").get_data(as_text=True)
    assert re.search(r"Signed in \d{4}-\d\d-\d\d \d\d:\d\d E[SD]T", people)  # just now, on Boston's clock


@pytest.mark.parametrize("page, within, pattern", [
    ("/organiser/lists", None, r'<option value="ward:\d+"[^>]*>Ward (\d+) \(whole ward\)'),  # area to cut
    ("/phonebank/sheets", None, r'<option value="ward:\d+"[^>]*>Ward (\d+)<'),                  # who to call
    ("/organiser/dashboard", None, r'<a href="/organiser/dashboard\?ward=\d+[^"]*">Ward (\d+)</a>'),  # wards table
    ("/organiser/dashboard", 'id="d-ward"', r'<option value="\d+"[^>]*>Ward (\d+)<'),          # a ward's view
    ("/organiser/dashboard", 'id="x-ward"', r'<option value="\d+"[^>]*>Ward (\d+)<'),          # export filter
    ("/maps/", None, r'<option value="\d+"[^>]*>Ward (\d+)<'),                                 # ward picker
])
def test_ward_pickers_and_tables_are_in_natural_order(auth, db, make_ward, page, within, pattern):
    for code in ("1", "10", "11", "2"):  # Cambridge, MA's wards are numbered; its file lists them so
        make_ward(code, f"Ward {code}", neighbourhoods=1)
    auth.login_as("organiser")
    html = auth._client.get(page).get_data(as_text=True)
    if within:  # that one menu
        html = html[html.index(within):]
        html = html[:html.index("</select>")]
    assert re.findall(pattern, html) == ["1", "2", "10", "11"]


def test_favicon_is_served_for_pages_that_name_none(client):
    response = client.get("/favicon.ico")  # folium's map pages: the browser asks here
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data
