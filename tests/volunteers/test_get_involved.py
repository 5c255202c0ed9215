"""The public get-involved page: postcode (or shared location) -> local team and events near."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.world import row_counts
from tests.volunteers.conftest import FAR, HOME


@pytest.fixture
def local(db, make_ward, make_team, make_user, postcodes):
    ward = make_ward()
    lead = make_user(roles="volunteer", name="Lena Leaderson")
    team = make_team(wards=[ward], leads=[lead], name="Fernley Central")
    team.description = "We knock doors on Saturdays."
    db.add(team)
    db.commit()
    return ward, team


def page(client, **params):
    response = client.get("/get-involved", query_string=params)
    return response, response.get_data(as_text=True)


def test_the_page_asks_for_a_postcode(client):
    response, html = page(client)
    assert response.status_code == 200
    assert 'name="postcode"' in html and "share-location" in html and "locate.js" in html


def test_a_known_postcode_finds_the_team_and_its_lead_by_first_name(client, local):
    response, html = page(client, postcode="sw1a1aa")
    assert response.status_code == 200
    assert "Fernley Central" in html and "We knock doors on Saturdays." in html
    assert "Led by Lena" in html and "Leaderson" not in html
    assert "/get-involved/sign-up?postcode=SW1A+1AA" in html


def test_a_team_covering_one_neighbourhood_is_found_only_there(client, db, make_ward, make_team, postcodes):
    from sqlmodel import select

    from app.models import Neighbourhood

    ward = make_ward()
    hoods = db.exec(select(Neighbourhood).where(Neighbourhood.ward_id == ward.id).order_by(Neighbourhood.code)).all()
    make_team(neighbourhoods=[hoods[0]], name="West strip")   # -71.12..-71.11: HOME (-71.11) is on its edge
    make_team(neighbourhoods=[hoods[1]], name="East strip")
    _, html = page(client, lat="42.37", lon="-71.115")
    assert "West strip" in html and "East strip" not in html


def test_events_near_show_spaces_left_full_and_no_limit(client, local, make_event, make_user):
    people = [make_user(roles="volunteer") for _ in range(3)]
    make_event(title="Open canvass", capacity=5, going=people[:2])
    make_event(title="Tiny phone bank", kind="phone_bank", capacity=1, going=people[2:], lat=HOME[1] + 0.02)
    make_event(title="Big social", kind="social", capacity=None, starts_in=timedelta(days=5))
    _, html = page(client, postcode="SW1A 1AA")
    assert "3 spaces left" in html
    assert re.search(r"Tiny phone bank.*?<strong class=\"full\">full</strong>", html, re.S)
    assert "no limit" in html
    assert "/events/" in html and "Phone bank" in html and "Door knocking" in html
    # nearest first
    assert html.index("Open canvass") < html.index("Big social") < html.index("Tiny phone bank")
    assert 'id="events-map"' in html and "openstreetmap.org/?mlat=" in html


def test_cancelled_rsvps_do_not_take_a_space(client, db, local, make_event, make_user):
    from app.models import Rsvp

    event = make_event(title="Open canvass", capacity=2)
    db.add(Rsvp(event_id=event.id, user_id=make_user(roles="volunteer").id, status="cancelled"))
    db.commit()
    _, html = page(client, postcode="SW1A 1AA")
    assert "2 spaces left" in html


def test_far_past_proposed_and_cancelled_events_are_not_listed(client, local, make_event):
    make_event(title="Far away", lat=FAR[1], lon=FAR[2])
    make_event(title="Over already", starts_in=timedelta(hours=-5), hours=2)
    make_event(title="Just an idea", status="proposed")
    make_event(title="Called off", status="cancelled")
    make_event(title="Happening now", starts_in=timedelta(hours=-1), hours=3)
    _, html = page(client, postcode="SW1A 1AA")
    for title in ("Far away", "Over already", "Just an idea", "Called off"):
        assert title not in html
    assert "Happening now" in html


def test_nothing_near_invites_them_to_host(client, local, make_event):
    make_event(title="Far away", lat=FAR[1], lon=FAR[2])
    response, html = page(client, postcode="SW1A 1AA")
    assert response.status_code == 200
    assert "Nothing is planned within 15 km of you yet." in html
    assert "interest=host" in html and "Far away" not in html and 'id="events-map"' not in html


@pytest.mark.parametrize("postcode, shown", [("ZZ9 9ZZ", "ZZ9 9ZZ"), ("not a postcode", "not a postcode"),
                                             ("12345", "12345"), ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;")])
def test_an_unknown_or_malformed_postcode_is_a_plain_422(client, db, local, postcode, shown):
    before = row_counts(db)
    response, html = page(client, postcode=postcode)
    assert response.status_code == 422
    assert f"We don&#39;t know the postcode {shown}; check it, or share your location." in html
    assert "<b>x</b>" not in html
    assert row_counts(db) == before


def test_a_shared_location_finds_the_same(client, local, make_event):
    make_event(title="Open canvass")
    response, html = page(client, lat="42.3701", lon="-71.1102")
    assert response.status_code == 200
    assert "Fernley Central" in html and "Open canvass" in html
    assert "sign-up?postcode" not in html  # no postcode to carry over


@pytest.mark.parametrize("lat, lon", [("91", "0"), ("nan", "1"), ("inf", "1"), ("42", ""), ("x", "y"), ("1e999", "2")])
def test_an_unreadable_location_is_a_422(client, local, lat, lon):
    response, html = page(client, lat=lat, lon=lon)
    assert response.status_code == 422
    assert "We could not read your location" in html


def test_the_page_shows_no_voter_data(client, db, local, make_household, make_event):
    household = make_household(local[0], street="Quillon Crescent", lat=HOME[1], lon=HOME[2])
    make_event(title="Open canvass")
    from sqlmodel import select

    from app.models import Person

    person = db.exec(select(Person).where(Person.household_id == household.id)).first()
    _, html = page(client, postcode="SW1A 1AA")
    assert "Open canvass" in html
    for secret in (person.first_name, person.last_name, person.phone, "Quillon Crescent"):
        assert secret not in html


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["postcode", "lat", "lon", "interest", "next"]),
                              st.text(max_size=40) | st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{1,6})?", fullmatch=True),
                              max_size=3))
def test_any_query_parameters_get_a_page_never_an_error(client, local, params):
    response = client.get("/get-involved", query_string=params)
    assert response.status_code in (200, 422)
    if response.status_code == 422 and not any(ord(c) < 32 or c == "\x7f" for v in params.values() for c in v):
        assert "field-error" in response.get_data(as_text=True)  # (control characters: app/params refuses them)
