"""The dashboard's ward menu past the pickers' threshold (a state's 1,000 wards): a search field,
not every ward as an <option> (twice: the menu and the export's); without JavaScript a typed
name or code is resolved when sent, and one naming no ward is refused by name, on the page."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

PICKERS = pytest.mark.parametrize("app", [{"PICKER_MIN": 2}], indirect=True)


@pytest.fixture
def wards(make_ward):
    return [make_ward(f"T{n}", name=f"Town {n}", bounds=(-71.12 + n * 0.01, 42.36, -71.11 + n * 0.01, 42.37))
            for n in range(3)]


def _search(client, q, **params):
    response = client.get("/organiser/pickers/areas", query_string={"q": q, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [(r["value"], r["label"]) for r in response.get_json()["results"]]


def test_a_few_wards_keep_the_menu(client, auth, wards):
    auth.login_as("organiser")
    html = client.get("/organiser/dashboard").get_data(as_text=True)
    assert f'<option value="{wards[1].id}">Town 1</option>' in html and "data-picker-url" not in html


@PICKERS
def test_past_the_threshold_the_menu_is_a_search(client, auth, wards):
    auth.login_as("organiser")
    html = client.get("/organiser/dashboard?period=7d").get_data(as_text=True)
    assert ">Town 1</option>" not in html and 'id="x-ward"' in html
    assert 'data-picker-url="/organiser/pickers/areas?wards=1"' in html and "organiser/picker.js" in html
    assert _search(client, "town 1", wards=1) == [(str(wards[1].id), "Town 1")]
    assert _search(client, "T2", wards=1) == [(str(wards[2].id), "Town 2")]  # by code
    assert all(value.isdigit() for value, _ in _search(client, "T", wards=1))  # wards only, no precincts


@PICKERS
@pytest.mark.parametrize("typed", ["Town 1", "  town   1 ", "t1", "{id}"])
def test_a_typed_name_code_or_id_shows_that_ward(client, auth, wards, typed):
    auth.login_as("organiser")
    response = client.get("/organiser/dashboard", query_string={"ward": typed.format(id=wards[1].id), "period": "all"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Dashboard: Town 1</h1>" in html
    assert f'data-picker-value="{wards[1].id}"' in html and 'value="Town 1"' in html
    assert f'<input type="hidden" name="ward" value="{wards[1].id}">' in html  # the export's ward: the one shown


@PICKERS
def test_a_name_naming_no_ward_is_refused_by_name_on_the_page(client, auth, wards):
    auth.login_as("organiser")
    response = client.get("/organiser/dashboard", query_string={"ward": "Nowhere <b>"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "No ward is called “Nowhere &lt;b&gt;”" in html and 'aria-invalid="true"' in html
    assert 'value="Nowhere &lt;b&gt;"' in html and "<h1>Dashboard</h1>" in html


@PICKERS
def test_a_lead_finds_only_wards_of_their_areas(client, auth, wards, make_user, make_team, db):
    lead = make_user(roles="canvasser", name="Lead")
    make_team(wards=[wards[0], wards[2]], leads=[lead])
    auth.login(lead.email)
    assert [label for _, label in _search(client, "town", wards=1)] == ["Town 0", "Town 2"]
    refused = client.get("/organiser/dashboard", query_string={"ward": "Town 1"})
    assert refused.status_code == 422 and "No ward of your areas is called “Town 1”" in refused.get_data(as_text=True)
    assert client.get("/organiser/dashboard", query_string={"ward": str(wards[1].id)}).status_code == 403
    shown = client.get("/organiser/dashboard", query_string={"ward": "town 2"}).get_data(as_text=True)
    assert "<h1>Dashboard: Town 2</h1>" in shown


@PICKERS
@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=120))
def test_any_typed_ward_is_answered_never_a_500(client, auth, wards, typed):
    if not getattr(auth, "user", None):
        auth.login_as("organiser")
    response = client.get("/organiser/dashboard", query_string={"ward": typed})
    assert response.status_code in (200, 404, 422), typed
    if response.status_code == 200 and typed.strip():
        assert re.search(r"<h1>Dashboard: Town \d</h1>", response.get_data(as_text=True))
