"""Email me a sign-in link: a volunteer without a password signs in from the link really sent over
SMTP; nobody learns whether an address has an account; one inbox cannot be flooded."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import EmailToken
from tests.support.web import csrf_token_from
from tests.support.world import row_counts
from tests.volunteers.conftest import follow, signup_data, the_link, whoami


@pytest.fixture
def team(make_ward, make_team, make_user, postcodes):
    return make_team(wards=[make_ward()], leads=[make_user(roles="volunteer", name="Lena Lead")], name="Central")


def test_email_me_a_link_signs_a_volunteer_in(client, db, make_user, smtp):
    user = make_user(email="vol@example.org", roles="volunteer", password=None, name="Val")
    page = client.get("/get-involved/sign-in?next=/me")
    response = client.post("/get-involved/sign-in?next=/me", data={"email": "VOL@example.org",
                                                                   "csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert response.status_code == 200
    assert smtp.to("vol@example.org")[0]["Subject"] == "Your sign-in link"
    assert follow(client, the_link(smtp, "vol@example.org")).headers["Location"] == "/me"
    assert "Hello, Val" in whoami(client)
    db.rollback()
    assert db.exec(select(EmailToken).where(EmailToken.user_id == user.id)).one().purpose == "sign_in"


@pytest.mark.parametrize("email", ["nobody@example.org", "not an email"])
def test_email_me_a_link_for_no_account_sends_nothing_and_says_the_same(client, db, smtp, email):
    page = client.get("/get-involved/sign-in")
    before = row_counts(db)
    response = client.post("/get-involved/sign-in", data={"email": email,
                                                          "csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert smtp.messages == [] and row_counts(db) == before


def test_a_deactivated_account_gets_no_link(client, db, make_user, smtp):
    make_user(email="gone@example.org", roles="volunteer", is_active=False)
    page = client.get("/get-involved/sign-in")
    client.post("/get-involved/sign-in", data={"email": "gone@example.org",
                                               "csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert smtp.messages == []


def test_the_login_page_offers_a_sign_in_link(client):
    html = client.get("/login").get_data(as_text=True)
    assert "/get-involved/sign-in" in html and "Email me a sign-in link" in html


LIMITED = {"RATELIMIT_ENABLED": True, "VOLUNTEERS": {"mail_per_address_limit": "2 per hour",
                                                      "mail_rate_limit": "100 per minute"}}


@pytest.mark.parametrize("app", [LIMITED], indirect=True)
def test_nobody_can_make_legwork_flood_one_inbox(app, client, team, make_user, smtp):
    make_user(email="target@example.org", roles="volunteer", password=None)
    statuses = []
    for path in ("/get-involved/sign-in", "/get-involved/sign-up", "/get-involved/sign-in"):
        token = csrf_token_from(client.get("/get-involved/sign-in").get_data(as_text=True))
        data = signup_data(client, email="target@example.org") if path.endswith("sign-up") else {"email": "target@example.org"}
        data["csrf_token"] = token
        statuses.append(client.post(path, data=data).status_code)
    assert statuses == [200, 200, 429]
    assert len(smtp.to("target@example.org")) == 2
    token = csrf_token_from(client.get("/get-involved/sign-in").get_data(as_text=True))
    assert client.post("/get-involved/sign-in", data={"email": "other@example.org", "csrf_token": token}).status_code == 200
