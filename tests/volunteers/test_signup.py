"""Sign-up -> the email really sent over SMTP -> its link -> signed in, confirmed, in the team."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from app.models import EmailToken, TeamMember, User, VolunteerProfile, utcnow
from tests.support.web import csrf_token_from
from tests.support.world import row_counts
from tests.volunteers.conftest import follow, signup_data, the_link, whoami


@pytest.fixture
def team(make_ward, make_team, make_user, postcodes):
    return make_team(wards=[make_ward()], leads=[make_user(roles="volunteer", name="Lena Lead")], name="Central")


def sign_up(client, **overrides):
    return client.post("/get-involved/sign-up" + overrides.pop("query", ""), data=signup_data(client, **overrides))


def test_the_whole_way_from_sign_up_to_signed_in(client, db, team, smtp):
    response = sign_up(client, phone="(617) 555-0123")
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    user = db.exec(select(User).where(User.email == "robin@example.org")).one()
    assert user.roles == "volunteer" and user.password_hash is None and user.phone == "+16175550123"
    profile = db.get(VolunteerProfile, user.id)
    assert profile.postcode == "SW1A 1AA" and (profile.lat, profile.lon) == (42.37, -71.11)
    assert profile.interests == "knock_doors phone" and profile.availability == "Saturday mornings"
    assert profile.consent_text.startswith("I agree that the campaign may store my details")
    assert profile.consented_at is not None and profile.email_confirmed_at is None
    assert db.exec(select(TeamMember).where(TeamMember.user_id == user.id)).one().team_id == team.id

    link = the_link(smtp, "robin@example.org")
    assert link.startswith("http://localhost/get-involved/confirm/")
    token = link.rsplit("/", 1)[1]
    stored = db.exec(select(EmailToken).where(EmailToken.user_id == user.id)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in stored.token_hash
    assert stored.purpose == "confirm"
    assert client.get("/me").status_code in (302, 401)  # not signed in before the link

    response = follow(client, link)
    assert response.status_code == 302 and response.headers["Location"] == "/me"
    html = whoami(client)
    assert "Hello, Robin" in html and "Central" in html and "Lena Lead" in html
    db.rollback()  # a new snapshot: the requests wrote since
    assert db.get(VolunteerProfile, user.id).email_confirmed_at is not None
    assert db.get(EmailToken, stored.id).used_at is not None
    assert db.get(User, user.id).last_login_at is not None


def test_the_public_base_url_makes_the_links(app, client, team, smtp):
    app.extensions["legwork_settings"] = _with_base(app, "https://legwork.example.org/")
    sign_up(client)
    assert the_link(smtp, "robin@example.org").startswith("https://legwork.example.org/get-involved/confirm/")


def _with_base(app, url):
    import dataclasses

    cfg = app.extensions["legwork_settings"]
    return dataclasses.replace(cfg, volunteers=dataclasses.replace(cfg.volunteers, public_base_url=url))


def test_a_used_link_does_not_work_twice(app, client, db, team, smtp):
    sign_up(client)
    link = the_link(smtp, "robin@example.org")
    assert follow(client, link).status_code == 302
    other = app.test_client()
    page = other.get(urlsplit(link).path)
    assert page.status_code == 410 and "already been used" in page.get_data(as_text=True)
    assert 'name="email"' in page.get_data(as_text=True)  # a form to ask for a new one
    before = row_counts(db)
    token = csrf_token_from(page.get_data(as_text=True))
    assert other.post(urlsplit(link).path, data={"csrf_token": token}).status_code == 410
    assert row_counts(db) == before
    assert other.get("/me").status_code != 200


def test_an_expired_link_changes_nothing(app, client, db, team, smtp):
    sign_up(client)
    link = the_link(smtp, "robin@example.org")
    db.execute(sa.update(EmailToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    page = client.get(urlsplit(link).path)
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)
    before = row_counts(db)
    response = client.post(urlsplit(link).path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert response.status_code == 410
    assert row_counts(db) == before
    assert db.exec(select(VolunteerProfile)).one().email_confirmed_at is None  # row_counts ended the snapshot


def test_the_link_lasts_as_long_as_configured(db, team, client, smtp):
    sign_up(client)
    stored = db.exec(select(EmailToken)).one()
    assert timedelta(minutes=59) < stored.expires_at - stored.created_at <= timedelta(minutes=60, seconds=5)


def test_an_unknown_link_is_a_404(client, db):
    page = client.get("/get-involved/confirm/not-a-token-we-sent")
    assert page.status_code == 404 and "not one we sent" in page.get_data(as_text=True)


@pytest.mark.parametrize("next_url, lands", [
    ("//evil.example/x", "/me"), ("http://evil.example/", "/me"), ("/\\evil.example", "/me"),
    ("javascript:alert(1)", "/me"), ("/events/12?x=1", "/events/12?x=1"),
])
def test_only_a_local_next_url_is_followed(client, db, team, smtp, next_url, lands):
    from urllib.parse import quote

    response = sign_up(client, query=f"?next={quote(next_url, safe='')}")
    assert response.status_code == 200
    db.rollback()
    stored = db.exec(select(EmailToken)).one()
    assert stored.next_url == ("" if lands == "/me" else next_url)
    assert follow(client, the_link(smtp, "robin@example.org")).headers["Location"] == lands


def test_an_existing_email_gets_a_sign_in_link_and_no_new_account(client, db, team, make_user, smtp):
    existing = make_user(email="robin@example.org", roles="volunteer", name="Robin Already", password=None)
    before = db.execute(sa.select(sa.func.count(User.id))).scalar_one()
    response = sign_up(client, email="Robin@Example.org ", name="Someone Else")
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert db.execute(sa.select(sa.func.count(User.id))).scalar_one() == before
    assert db.exec(select(VolunteerProfile)).all() == []
    message = smtp.to("robin@example.org")[0]
    assert message["Subject"] == "Your sign-in link"
    assert follow(client, the_link(smtp, "robin@example.org")).status_code == 302
    db.rollback()
    assert db.get(User, existing.id).name == "Robin Already"  # nothing about the account changed
    assert "Hello, Robin" in whoami(client)


def test_the_same_email_signing_up_twice_at_once_gets_a_link_not_an_error(client, db, team, make_user, smtp,
                                                                           monkeypatch):
    """Two sign-ups with one email at the same moment: the second's check for the email ran before
    the first committed, and its insert meets the unique email. It answers as for an existing
    account (a link), never a 500."""
    from app.auth import operations as auth_ops

    first = make_user(email="robin@example.org", roles="volunteer", name="Robin First", password=None)
    real = auth_ops.user_by_email
    calls = []

    def not_yet(session, *, email):  # the first request had not committed when this one looked
        calls.append(email)
        return None if len(calls) == 1 else real(session, email=email)

    monkeypatch.setattr(auth_ops, "user_by_email", not_yet)
    response = sign_up(client, email="robin@example.org", name="Robin Second")
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert len(calls) == 2  # the insert failed and the account was looked up again
    assert db.execute(sa.select(sa.func.count(User.id)).where(User.email == "robin@example.org")).scalar_one() == 1
    assert db.exec(select(VolunteerProfile)).all() == []
    assert smtp.to("robin@example.org")[0]["Subject"] == "Your sign-in link"
    db.rollback()
    assert db.get(User, first.id).name == "Robin First"


def test_an_account_with_a_password_is_reminded_not_opened_by_email(client, db, team, make_user, smtp):
    """An organiser's or canvasser's account reads voter data: a mailbox alone does not open it."""
    make_user(email="olive@example.org", roles="organiser")
    before = row_counts(db)
    response = sign_up(client, email="olive@example.org")
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert row_counts(db) == before  # no account, no profile, no token
    message = smtp.to("olive@example.org")[0]
    assert message["Subject"] == "Signing in"
    assert smtp.links(message) == ["http://localhost/login"]
    token = csrf_token_from(client.get("/get-involved/sign-in").get_data(as_text=True))
    client.post("/get-involved/sign-in", data={"email": "olive@example.org", "csrf_token": token})
    assert [m["Subject"] for m in smtp.to("olive@example.org")] == ["Signing in", "Signing in"]
    assert row_counts(db) == before


def test_a_new_and_an_existing_email_get_the_same_page(client, team, make_user, smtp):
    make_user(email="known@example.org", password=None)
    known = sign_up(client, email="known@example.org").get_data(as_text=True)
    fresh = sign_up(client, email="fresh@example.org").get_data(as_text=True)
    # The form's CSRF token carries the second it was made in: two requests may straddle one.
    strip = lambda html, email: re.sub(r'(name="csrf_token"[^>]*?value=")[^"]*', r"\1TOKEN", html.replace(  # noqa: E731
        email, "EMAIL").split("<main>")[1].split("</main>")[0])
    assert strip(known, "known@example.org") == strip(fresh, "fresh@example.org")


@pytest.mark.parametrize("phone, stored", [("", None), ("617-555-0199", "+16175550199"), ("+44 20 7946 0123", "+442079460123")])
def test_phone_is_stored_in_e164(client, db, team, smtp, phone, stored):
    assert sign_up(client, phone=phone).status_code == 200
    assert db.exec(select(User).where(User.email == "robin@example.org")).one().phone == stored


@pytest.mark.parametrize("overrides, field, message", [
    ({"phone": "12"}, "phone", "not a phone number we can call"),
    ({"email": "not-an-email"}, "email", "does not look like an email address"),
    ({"name": ""}, "name", "Please tell us your name."),
    ({"postcode": "ZZ9 9ZZ"}, "postcode", "We don&#39;t know the postcode ZZ9 9ZZ"),
    ({"consent": None}, "consent", "Please tick the box"),
    ({"availability": "x" * 501}, "availability", "Field cannot be longer than 500 characters."),
    ({"interests": ["knock_doors", "astrology"]}, "interests", "Choose from the boxes shown."),
])
def test_bad_input_is_a_422_with_the_field_message_and_nothing_written(client, db, team, smtp, overrides, field, message):
    before = row_counts(db)
    response = sign_up(client, **overrides)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'aria-invalid="true"' in html
    assert row_counts(db) == before and smtp.messages == []


def test_the_form_carries_the_consent_text_the_postcode_and_a_chosen_interest(client, team):
    html = client.get("/get-involved/sign-up?postcode=SW1A%201AA&interest=host").get_data(as_text=True)
    assert "I agree that the campaign may store my details" in html
    assert 'value="SW1A 1AA"' in html
    assert re.findall(r'<input[^>]*checked[^>]*>', html) == [
        '<input checked id="interests-4" name="interests" type="checkbox" value="host">']


def test_a_refused_email_keeps_the_sign_up_and_offers_to_send_again(client, db, team, smtp):
    smtp.refuse = True
    response = sign_up(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We could not send the email" in html and "Send it again" in html
    user = db.exec(select(User).where(User.email == "robin@example.org")).one()
    assert db.get(VolunteerProfile, user.id) is not None
    smtp.refuse = False
    again = client.post("/get-involved/sign-in", data={"email": "robin@example.org",
                                                       "csrf_token": csrf_token_from(html)})
    assert again.status_code == 200 and "Check your email" in again.get_data(as_text=True)
    message = smtp.to("robin@example.org")[0]
    assert message["Subject"] == "Confirm your email to start volunteering"  # still unconfirmed
    assert follow(client, the_link(smtp, "robin@example.org")).status_code == 302


def test_a_postcode_no_team_covers_joins_no_team(client, db, team, smtp):
    assert sign_up(client, postcode="SR1 1AE").status_code == 200
    db.rollback()
    user = db.exec(select(User).where(User.email == "robin@example.org")).one()
    assert db.exec(select(TeamMember).where(TeamMember.user_id == user.id)).all() == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["next", "postcode", "interest"]),
                              st.text(max_size=30) | st.sampled_from(["host", "//evil.example", "/me", "http://x"]),
                              max_size=3))
def test_any_sign_up_query_parameters_get_the_form(client, params):
    response = client.get("/get-involved/sign-up", query_string=params)
    if any(ord(c) < 32 or c == "\x7f" for v in params.values() for c in v):
        assert response.status_code in (200, 422)  # app/params refuses control characters
        return
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "evil.example" not in html.split("<form", 1)[1].split(">", 1)[0]  # never a foreign form action
