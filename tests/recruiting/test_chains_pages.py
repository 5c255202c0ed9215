"""The chains page at a state's size: a page of chains (biggest first), each drawn two levels deep
with at most CHILDREN recruits under its volunteer, one volunteer's own chain a page at a time, and
a search by name; a lead finds and opens only their teams' volunteers. Any parameter is a page or
a clear error, never a 500."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.recruiting.queries import CHILDREN, PAGE
from tests.support.recruiting import make_volunteer


@pytest.fixture
def crowd(db, make_user, make_ward, make_team):
    zed = make_volunteer(db, make_user, name="Zed Big")
    recruits = [make_volunteer(db, make_user, name=f"Rec {i:02d}", recruited_by=zed) for i in range(CHILDREN + 2)]
    mid = recruits[0]
    deep = [make_volunteer(db, make_user, name=f"Deep {i}", recruited_by=mid) for i in range(3)]
    lone = [make_volunteer(db, make_user, name=f"Lone {i:02d}") for i in range(PAGE + 5)]
    lead = make_user(roles="volunteer", name="Lee Lead")
    make_team(wards=[make_ward()], leads=[lead], members=[deep[0], lone[0]], name="Central")
    return dict(zed=zed, recruits=recruits, mid=mid, deep=deep, lone=lone, lead=lead)


def test_a_page_of_chains_biggest_first_two_levels_deep(client, auth, crowd):
    auth.login_as(roles="organiser")
    html = client.get("/recruiting").get_data(as_text=True)
    assert html.index("Zed Big") < html.index("Rec 00") < html.index("Lone 00")
    assert "brought 12 (15 down the chain)" in html and "brought 3" in html  # Zed; Rec 00, drawn under Zed
    assert "Deep 0" not in html                                         # Rec 00's own chain: a link
    assert len(re.findall(r">Rec \d\d<", html)) == CHILDREN and "and 2 more they brought" in html
    # 27 chains: Zed's, then Lee Lead and the 25 on their own (alone, by name)
    assert "Page 1 of 2" in html and "Lone 17" in html and "Lone 18" not in html
    later = client.get("/recruiting?page=2").get_data(as_text=True)
    assert "Lone 18" in later and "Lone 24" in later and "Zed Big" not in later and "Page 2 of 2" in later
    assert client.get("/recruiting?page=99").get_data(as_text=True) == later  # past the end: the last page


def test_one_volunteers_chain_with_who_brought_them(client, auth, crowd):
    auth.login_as(roles="organiser")
    html = client.get(f"/recruiting?from={crowd['zed'].id}").get_data(as_text=True)
    assert len(re.findall(r">Rec \d\d<", html)) == CHILDREN + 2 and "Deep 2" in html
    html = client.get(f"/recruiting?from={crowd['mid'].id}").get_data(as_text=True)
    assert html.index("Zed Big") < html.index("Rec 00") < html.index("Deep 0") and "Rec 01" not in html
    assert "Brought 3." in html


def test_search_by_name(client, auth, crowd):
    auth.login_as(roles="organiser")
    html = client.get("/recruiting?q=lone 1").get_data(as_text=True)
    assert "10 volunteers named like" in html and "Lone 10" in html and "Lone 00" not in html
    assert "brought in by Zed Big" in client.get("/recruiting?q=rec 05").get_data(as_text=True)
    assert "0 volunteers named like" in client.get("/recruiting?q=nobody").get_data(as_text=True)


def test_a_lead_finds_and_opens_only_their_teams_volunteers(client, auth, crowd):
    auth.login(crowd["lead"].email)
    html = client.get("/recruiting").get_data(as_text=True)
    assert "Deep 0" in html and "brought in from outside your teams" in html and "Zed Big" not in html
    assert "3 volunteers, 3 chains" in html  # the lead too
    assert client.get(f"/recruiting?from={crowd['zed'].id}").status_code == 404
    assert "0 volunteers named like" in client.get("/recruiting?q=zed").get_data(as_text=True)


@pytest.mark.parametrize("query, says", [("page=two", "Page must be a whole number"),
                                         ("from=-1", "Volunteer must be a whole number"),
                                         ("q=" + "x" * 101, "at most 100 characters")])
def test_bad_parameters_are_a_clear_error(client, auth, crowd, query, says):
    auth.login_as(roles="organiser")
    response = client.get(f"/recruiting?{query}")
    assert response.status_code == 422 and says in response.get_data(as_text=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.one_of(st.text(max_size=6), st.integers(-3, 10**20).map(str)),
       focus=st.one_of(st.text(max_size=6), st.integers(-3, 10**6).map(str)), q=st.text(max_size=120))
def test_any_parameters_give_a_page_or_a_clear_error(client, auth, crowd, page, focus, q):
    if not getattr(client, "_signed_in", False):
        auth.login_as(roles="organiser")
        client._signed_in = True
    response = client.get("/recruiting", query_string={"page": page, "from": focus, "q": q})
    assert response.status_code in (200, 404, 422), (page, focus, q, response.status_code)
