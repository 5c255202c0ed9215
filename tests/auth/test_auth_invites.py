"""Invites: an organiser makes a one-time link (and QR code); the volunteer sets a password."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth import operations as ops
from app.models import Invite, User, utcnow
from tests.support.web import PASSWORD

NEW_PASSWORD = "a long new password"


@pytest.fixture
def organiser(auth):
    return auth.login_as("organiser", name="Olive")


def create_invite(client, auth, email="newbie@example.org", roles=("canvasser",)):
    token = auth.csrf_token("/organiser/volunteers")
    return client.post("/organiser/volunteers/invite",
                       data={"email": email, "roles": list(roles), "csrf_token": token})


def invite_token(response) -> str:
    match = re.search(r"/invite/([A-Za-z0-9_-]+)", response.get_data(as_text=True))
    assert match, "no invite link on the page"
    return match.group(1)


def accept(client, auth, token, *, name="Newbie", password=NEW_PASSWORD, confirm=None):
    csrf = auth.csrf_token()
    return client.post(f"/invite/{token}", data={"name": name, "password": password,
                                                 "confirm": password if confirm is None else confirm,
                                                 "csrf_token": csrf})


def test_invite_shows_link_and_qr_and_stores_only_a_hash(organiser, client, auth, db):
    response = create_invite(client, auth, roles=("canvasser", "caller"))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    token = invite_token(response)
    assert "<svg" in text and "<path" in text, "the QR code is missing"
    assert "<script" not in text.split("</main>")[0].split("<main>")[1]
    invite = db.exec(sa.select(Invite)).scalars().one()
    assert invite.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invite.token_hash
    assert invite.roles == "canvasser caller"
    expected_expiry = utcnow() + timedelta(days=7)
    assert abs((invite.expires_at.replace(tzinfo=None) - expected_expiry.replace(tzinfo=None)).total_seconds()) < 120


def test_invite_accepted_creates_signed_in_user_and_dies(organiser, client, auth, db):
    token = invite_token(create_invite(client, auth, roles=("caller",)))
    auth.logout()
    page = client.get(f"/invite/{token}")
    assert page.status_code == 200 and "newbie@example.org" in page.get_data(as_text=True)
    response = accept(client, auth, token)
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # signed in straight away
    user = db.exec(sa.select(User).where(User.email == "newbie@example.org")).scalars().one()
    assert (user.name, user.roles, user.is_active) == ("Newbie", "caller", True)
    assert user.password_hash.startswith("scrypt:")
    db.rollback()
    db.expire_all()
    assert db.exec(sa.select(Invite)).scalars().one().user_id == user.id
    auth.logout()
    again = client.get(f"/invite/{token}")
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    assert auth.login("newbie@example.org", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("fields, message", [
    ({"password": "too short"}, "At least 10 characters"),
    ({"confirm": "something else entirely"}, "The two passwords differ"),
    ({"name": ""}, "Please tell us your name"),
])
def test_bad_invite_form_changes_nothing(organiser, client, auth, db, fields, message):
    token = invite_token(create_invite(client, auth))
    auth.logout()
    response = accept(client, auth, token, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.exec(sa.select(User).where(User.email == "newbie@example.org")).first() is None
    assert db.exec(sa.select(Invite.used_at)).scalar_one() is None


def test_expired_and_unknown_invites_are_refused(organiser, client, auth, db):
    token = invite_token(create_invite(client, auth))
    invite = db.exec(sa.select(Invite)).scalars().one()
    invite.expires_at = utcnow() - timedelta(minutes=1)
    db.add(invite)
    db.commit()
    auth.logout()
    expired = accept(client, auth, token)
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)
    unknown = client.get("/invite/not-a-real-token")
    assert unknown.status_code == 404 and "not valid" in unknown.get_data(as_text=True)
    assert db.exec(sa.select(User).where(User.email == "newbie@example.org")).first() is None


def test_invite_reactivates_a_deactivated_volunteer_with_the_invites_roles(organiser, client, auth, db, make_user):
    old = make_user(email="back@example.org", roles="caller", is_active=False)
    token = invite_token(create_invite(client, auth, email="Back@Example.org", roles=("canvasser",)))
    auth.logout()
    assert accept(client, auth, token, name="Back Again").status_code == 302
    db.rollback()
    db.expire_all()
    user = db.get(User, old.id)
    assert (user.is_active, user.roles, user.name) == (True, "canvasser", "Back Again")


@pytest.mark.parametrize("email, roles, message", [
    ("not-an-email", ("canvasser",), "is not an email address"),
    ("taken@example.org", ("canvasser",), "already has an account"),
    ("fine@example.org", (), "Choose at least one role"),
    ("fine@example.org", ("admin",), "Not a valid choice"),
])
def test_bad_invite_request_changes_nothing(organiser, client, auth, db, make_user, email, roles, message):
    make_user(email="taken@example.org")
    response = create_invite(client, auth, email=email, roles=roles)
    assert response.status_code in (409, 422)
    assert message.lower() in response.get_data(as_text=True).lower()
    assert db.exec(sa.select(Invite)).first() is None


def test_only_organisers_invite(auth, client):
    auth.login_as("canvasser caller")
    assert create_invite(client, auth).status_code == 403


def test_two_accepts_of_one_invite_one_wins(app, db, make_user):
    with app.test_request_context():
        invite, token = ops.create_invite(db, email="race@example.org", roles=["caller"], valid_days=1)
        db.commit()
        ops.accept_invite(db, token=token, name="First", password=PASSWORD)
        db.commit()
        with pytest.raises(ops.InviteUnusable):
            ops.accept_invite(db, token=token, name="Second", password=PASSWORD)


def test_invite_cannot_take_over_an_account_made_since(organiser, client, auth, db, make_user):
    token = invite_token(create_invite(client, auth, email="late@example.org"))
    make_user(email="late@example.org", roles="caller")  # e.g. made on the CLI meanwhile
    auth.logout()
    response = accept(client, auth, token, name="Intruder")
    assert response.status_code == 410 and "already has an account" in response.get_data(as_text=True)
    assert auth.login("late@example.org").status_code == 302  # their own password still works
    db.rollback()
    assert db.exec(sa.select(Invite.used_at)).scalar_one() is None
