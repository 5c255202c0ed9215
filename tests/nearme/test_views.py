"""The near-me pages: ask, offer, take, share, hand back; the lead's rules and who is out."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.models import (AuditEntry, PostcodeCentroid, SelfServeCheckout, TeamSelfServe, TrainingCompletion,
                        TrainingModule, WalkPosition)
from tests.support.nearme import centre, make_patch


@pytest.fixture
def patch(db, make_ward, make_team, make_user):
    found = make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user, volunteers=2)
    lat, lon = centre()
    db.add(PostcodeCentroid(postcode="02139", lat=lat, lon=lon))
    db.commit()
    return found


def _sign_in(auth, user):
    assert auth.login(user.email).status_code == 302


def _take(client, auth, *, minutes="20", km="1", postcode="02139"):
    page = client.get("/nearme/offer", query_string={"minutes": minutes, "km": km, "postcode": postcode})
    assert page.status_code == 200 and "Take it" in page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    form = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)
            for name in ("csrf_token", "minutes", "km", "lat", "lon", "key")}
    return client.post("/nearme/take", data=form)


def test_a_volunteer_asks_takes_shares_and_hands_back(client, auth, db, patch):
    volunteer = patch.volunteers[0]
    _sign_in(auth, volunteer)
    assert "Minutes I have" in client.get("/nearme").get_data(as_text=True)
    response = _take(client, auth)
    assert response.status_code == 302 and "/canvass/lists/" in response.headers["Location"]
    checkout = db.exec(select(SelfServeCheckout)).one()
    assert checkout.user_id == volunteer.id
    list_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Share my walk with my team lead" in list_page
    token = auth.csrf_token("/nearme")
    shared = client.post("/nearme/share", data={"csrf_token": token, "on": "1", "next": response.headers["Location"]})
    assert shared.status_code == 302 and shared.headers["Location"].endswith(response.headers["Location"])
    posted = client.post("/nearme/position", json={"lat": 42.361, "lon": -71.118}, headers={"X-CSRFToken": token})
    assert posted.status_code == 200
    assert client.post("/nearme/position", json={"lat": "x"}, headers={"X-CSRFToken": token}).status_code == 422
    assert client.post("/nearme/position", data="[1]", headers={"X-CSRFToken": token,
                                                                 "Content-Type": "application/json"}).status_code == 422
    db.rollback()  # a fresh snapshot: the requests committed since this session last read
    assert len(db.exec(select(WalkPosition)).all()) == 1
    # the lead sees who is out, their list, and when they last shared where they are
    auth.logout()
    _sign_in(auth, patch.lead)
    out = client.get(f"/nearme/teams/{patch.team.id}").get_data(as_text=True)
    assert "Vol 0" in out and "Sharing their walk" in out and "last position not yet" not in out
    auth.logout()
    _sign_in(auth, volunteer)
    token = auth.csrf_token("/nearme")
    assert client.post("/nearme/return", data={"csrf_token": token}).status_code == 302
    db.rollback()
    assert db.exec(select(SelfServeCheckout)).all() == [] and db.exec(select(WalkPosition)).all() == []
    assert client.post("/nearme/position", json={"lat": 42.36, "lon": -71.11},
                       headers={"X-CSRFToken": token}).status_code == 409


@pytest.mark.parametrize("query, message", [
    ({"minutes": "lots", "km": "1", "postcode": "02139"}, "Say how long you have"),
    ({"minutes": "60", "km": "99", "postcode": "02139"}, "Say how far you will go"),
    ({"minutes": "60", "km": "nan", "postcode": "02139"}, "Say how far you will go"),
    ({"minutes": "60", "km": "1", "postcode": "ZZ9 9ZZ"}, "We don&#39;t know the postcode"),
    ({"minutes": "60", "km": "1"}, "Use my location"),
    ({"minutes": "60", "km": "1", "lat": "1e999", "lon": "0"}, "could not read your location"),
    ({"minutes": "9" * 40, "km": "1", "postcode": "02139"}, "Say how long you have"),
])
def test_a_bad_request_is_answered_clearly_and_takes_nothing(client, auth, db, patch, query, message):
    _sign_in(auth, patch.volunteers[0])
    page = client.get("/nearme/offer", query_string=query)
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    token = auth.csrf_token("/nearme")
    assert client.post("/nearme/take", data={"csrf_token": token, **query}).status_code == 422
    assert db.exec(select(SelfServeCheckout)).all() == []


def test_far_away_the_offer_says_how_far_to_go(client, auth, db, patch):
    db.add(PostcodeCentroid(postcode="02140", lat=centre()[0] + 0.03, lon=centre()[1]))
    db.commit()
    _sign_in(auth, patch.volunteers[0])
    page = client.get("/nearme/offer", query_string={"minutes": "60", "km": "1", "postcode": "02140"})
    assert "No self-serve doors within 1 km" in page.get_data(as_text=True)
    assert "try 4 km" in page.get_data(as_text=True)


@pytest.mark.parametrize("app", [{"SELFSERVE": {"training": ["knocking-on-a-door"]}}], indirect=True)
def test_required_training_comes_first(client, auth, db, patch):
    module = TrainingModule(slug="knocking-on-a-door", title="Knocking on a door")
    db.add(module)
    db.commit()
    _sign_in(auth, patch.volunteers[0])
    page = client.get("/nearme").get_data(as_text=True)
    assert "Pass the training first: “Knocking on a door”" in page and "Minutes I have" not in page
    asked = {"minutes": "60", "km": "1", "postcode": "02139"}
    assert client.post("/nearme/take", data={"csrf_token": auth.csrf_token("/nearme"), **asked}).status_code == 403
    db.add(TrainingCompletion(module_id=module.id, user_id=patch.volunteers[0].id))
    db.commit()
    assert "Minutes I have" in client.get("/nearme").get_data(as_text=True)


def test_a_team_with_self_serve_off_offers_nothing(client, auth, db, patch):
    rules = db.get(TeamSelfServe, patch.team.id)
    rules.enabled = False
    db.add(rules)
    db.commit()
    _sign_in(auth, patch.volunteers[0])
    assert "has not opened self-serve canvassing" in client.get("/nearme").get_data(as_text=True)
    assert client.get("/nearme/offer", query_string={"minutes": "60", "km": "1", "postcode": "02139"}).status_code == 302


def test_the_lead_sets_the_rules_and_another_lead_cannot(client, auth, db, patch, make_user, make_team, make_ward):
    _sign_in(auth, patch.lead)
    token = auth.csrf_token(f"/nearme/teams/{patch.team.id}")
    saved = client.post(f"/nearme/teams/{patch.team.id}", data={
        "csrf_token": token, "enabled": "y", "areas": [f"ward:{patch.ward.id}"], "universe": "", "return_minutes": "30"})
    assert saved.status_code == 302
    db.rollback()
    rules = db.get(TeamSelfServe, patch.team.id)
    assert rules.enabled and rules.return_minutes == 30 and rules.areas == f"ward:{patch.ward.id}"
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "selfserve.rules")).first() is not None
    for bad in ({"areas": ["ward:999999"]}, {"return_minutes": "2"}, {"universe": "99999999999999999999"},
                {"enabled": "y", "areas": []}):
        form = {"csrf_token": token, "enabled": "y", "areas": [f"ward:{patch.ward.id}"], "universe": "",
                "return_minutes": "30", **bad}
        assert client.post(f"/nearme/teams/{patch.team.id}", data=form).status_code in (404, 422)
    db.rollback()
    assert db.get(TeamSelfServe, patch.team.id).return_minutes == 30
    auth.logout()
    db.rollback()
    other = make_user(roles="volunteer")
    make_team(wards=[make_ward(code="W9", bounds=(-71.09, 42.36, -71.07, 42.38))], leads=[other])
    _sign_in(auth, other)
    assert client.get(f"/nearme/teams/{patch.team.id}").status_code == 403
