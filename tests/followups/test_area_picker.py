"""The follow-ups page at state size: past the pickers' threshold its area filter is one searched
field (app/organiser/pickers.py), not every ward's and neighbourhood's <option>; a name typed
without JavaScript is resolved when sent, and one that names no area, or several, is said (422)
with nothing filtered away, exported or changed."""
from __future__ import annotations

import html

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from sqlmodel import select

from app.models import AuditEntry, FollowUp, Neighbourhood
from tests.followups.test_lead_scope import _follow_up
from tests.support.canvass import done

PICKERS = pytest.mark.parametrize("app", [{"PICKER_MIN": 1}], indirect=True)


@pytest.fixture
def two_wards(db, make_ward, make_household):
    east = make_ward("E1", "East Ward")
    west = make_ward("W1", "West Ward", bounds=(-71.09, 42.36, -71.07, 42.38))
    _follow_up(db, make_household(east), "Poster for the east")
    _follow_up(db, make_household(west, lon=-71.08, lat=42.37), "Question from the west")
    done(db)
    return east, west


def _get(client, query=""):
    response = client.get(f"/organiser/follow-ups{query}")
    return response.status_code, html.unescape(response.get_data(as_text=True))


def test_a_small_campaign_keeps_the_selects(client, auth, two_wards):
    auth.login_as("organiser")
    status, text = _get(client)
    assert status == 200 and 'id="f-ward"' in text and "data-picker-url" not in text


@PICKERS
@pytest.mark.parametrize("typed", ["West Ward", "west ward (whole ward)", "W1", "ward:{west}"])
def test_an_area_typed_or_picked_filters_the_queue(client, auth, two_wards, typed):
    east, west = two_wards
    auth.login_as("organiser")
    status, text = _get(client)
    assert status == 200 and "<option value=\"" + str(west.id) not in text and 'name="area"' in text
    assert 'data-picker-url="/organiser/pickers/areas"' in text and "organiser/picker.js" in text
    status, text = _get(client, "?area=" + typed.format(west=west.id).replace(" ", "+"))
    assert status == 200 and "Question from the west" in text and "Poster for the east" not in text
    assert f'data-picker-value="ward:{west.id}"' in text and 'value="West Ward (whole ward)"' in text
    assert f"export.csv?area=ward:{west.id}" in text  # the export gets the key, not the text


@PICKERS
def test_a_bookmark_by_id_shows_its_area_in_the_field(client, auth, db, two_wards):
    east, _ = two_wards
    hood = db.exec(select(Neighbourhood).where(Neighbourhood.ward_id == east.id).order_by(Neighbourhood.code)).first()
    auth.login_as("organiser")
    status, text = _get(client, f"?ward={east.id}")
    assert status == 200 and "Poster for the east" in text and "Question from the west" not in text
    assert 'value="East Ward (whole ward)"' in text
    assert _get(client, f"?neighbourhood={hood.id}")[0] == 200
    assert _get(client, "?ward=999999")[0] == 422  # as before the picker


@PICKERS
@pytest.mark.parametrize("typed, message", [("Atlantis", "is called “Atlantis”"),
                                            ("East Ward", "names 2 areas"),
                                            ("whole city", "is called “whole city”")])
def test_an_area_that_names_nothing_or_several_is_said_and_nothing_changes(client, auth, db, two_wards, make_ward,
                                                                            typed, message):
    make_ward("E2", "East Ward", bounds=(-71.07, 42.36, -71.05, 42.38))  # a name two wards have
    auth.login_as("organiser")
    before = db.execute(sa.select(FollowUp.id, FollowUp.status)).all()
    status, text = _get(client, f"?area={typed}")
    assert status == 422 and message in text and "Showing every area." in text
    assert f'value="{typed}"' in text and 'aria-invalid="true"' in text
    assert "Poster for the east" in text and "Question from the west" in text
    audits = db.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one()
    export = client.get(f"/organiser/follow-ups/export.csv?area={typed}")
    assert export.status_code == 422 and message in html.unescape(export.get_data(as_text=True))
    done(db)
    assert db.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one() == audits  # nothing exported
    assert db.execute(sa.select(FollowUp.id, FollowUp.status)).all() == before


@PICKERS
def test_a_lead_can_name_only_their_areas(client, auth, two_wards, make_team):
    east, west = two_wards
    lead = auth.login_as("volunteer")
    make_team(wards=[east], leads=[lead])
    status, text = _get(client, "?area=East+Ward")
    assert status == 200 and "Poster for the east" in text
    status, text = _get(client, "?area=West+Ward")
    assert status == 422 and "Question from the west" not in text and "Poster for the east" in text


@PICKERS
def test_any_typed_area_is_resolved_or_refused_never_a_500(client, auth, two_wards):
    auth.login_as("organiser")

    @hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(area=st.text(max_size=130), ward=st.sampled_from(["", "1", "x", "99999999999"]))
    def check(area, ward):
        response = client.get("/organiser/follow-ups", query_string={"area": area, "ward": ward})
        assert response.status_code in (200, 422), (area, ward, response.status_code)

    check()
