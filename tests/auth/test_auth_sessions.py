"""Sessions that really end: generations, lifetimes, CSRF rotation at sign-in."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest

from app.models import User
from tests.support.web import PASSWORD, csrf_token_from

NEW_PASSWORD = "a brand new password"


def _copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie (a stolen or left-behind one)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _post(client, url, data=None):
    token = csrf_token_from(client.get("/account").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def test_password_change_ends_every_other_session_and_keeps_this_one(app, client, auth, db):
    user = auth.login_as("canvasser")
    copied = _copy_of(app, client)
    elsewhere = app.test_client()
    assert auth.__class__(elsewhere, None).login(user.email).status_code == 302
    assert _signed_in(copied) and _signed_in(elsewhere)
    response = _post(client, "/account/password", {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(copied) and not _signed_in(elsewhere)
    db.expire_all()
    assert db.get(User, user.id).session_generation == 1


def test_a_refused_password_change_ends_nothing(app, client, auth):
    auth.login_as("canvasser")
    copied = _copy_of(app, client)
    response = _post(client, "/account/password", {"current": "not my password", "new": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD})
    assert response.status_code == 422 and "not right" in response.get_data(as_text=True)
    assert _signed_in(client) and _signed_in(copied)


def test_sign_out_everywhere_ends_every_session_this_one_too(app, client, auth, audit_rows):
    user = auth.login_as("organiser")
    copied = _copy_of(app, client)
    response = _post(client, "/account/sign-out-everywhere")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not _signed_in(client) and not _signed_in(copied)
    [entry] = audit_rows("auth.sign_out_everywhere")
    assert entry.actor_user_id == user.id
    assert auth.login(user.email).status_code == 302  # signing in again works at once
    assert _signed_in(client) and not _signed_in(copied)


def test_logout_ends_this_session_only(app, client, auth):
    """The office laptop's sign-out must not sign the volunteer's phone out mid-shift."""
    user = auth.login_as("canvasser")
    phone = app.test_client()
    assert auth.__class__(phone, None).login(user.email).status_code == 302
    assert auth.logout().status_code == 302
    assert not _signed_in(client) and _signed_in(phone)


def test_a_session_from_before_generations_is_generation_zero(app, client, auth, db):
    user = auth.login_as("canvasser")
    with client.session_transaction() as session:
        session["_user_id"] = f"user:{user.id}"  # the id as stored before this change
    assert _signed_in(client)
    stored = db.get(User, user.id)
    stored.session_generation = 1
    db.add(stored)
    db.commit()
    assert not _signed_in(client)


@pytest.mark.parametrize("token", ["user:1:x", "user:1:-1", "user::0", "user:1:0:0"])
def test_a_malformed_session_id_is_anonymous(app, client, auth, token):
    auth.login_as("canvasser")
    with client.session_transaction() as session:
        session["_user_id"] = token
    assert not _signed_in(client)


def test_sign_in_rotates_the_csrf_secret(client, make_user):
    user = make_user()
    before = csrf_token_from(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"email": user.email, "password": PASSWORD,
                                       "csrf_token": before}).status_code == 302
    stale = client.post("/logout", data={"csrf_token": before})
    assert stale.status_code == 400 and "expired" in stale.get_data(as_text=True)
    assert _signed_in(client)


@pytest.mark.parametrize("app", [{"AUTH": {"session_days": 2}}], indirect=True)
def test_a_session_lasts_the_configured_days(client, make_user, auth):
    user = make_user()
    response = auth.login(user.email)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    left = expires - datetime.now(timezone.utc)
    assert timedelta(days=1, hours=23) < left <= timedelta(days=2)


def test_use_keeps_a_session_alive_hourly(client, auth):
    auth.login_as("canvasser")
    two_hours_ago = int(time.time()) - 7200
    with client.session_transaction() as session:
        session["_seen"] = two_hours_ago
    response = client.get("/account")
    assert any(c.startswith("session=") for c in response.headers.getlist("Set-Cookie"))
    with client.session_transaction() as session:
        assert session["_seen"] > two_hours_ago
    # Within the hour nothing is re-signed: the phone's posts stay cheap.
    assert not any(c.startswith("session=") for c in client.get("/account").headers.getlist("Set-Cookie"))


def test_a_session_ends_after_the_maximum_days_however_much_it_is_used(client, auth):
    auth.login_as("canvasser")
    with client.session_transaction() as session:
        session["_since"] -= 15 * 86400
    assert not _signed_in(client)


def test_accepting_an_invite_to_an_old_account_ends_its_old_sessions(app, client, auth, db):
    from app.auth import operations as ops

    user = auth.login_as("canvasser")
    copied = _copy_of(app, client)
    stored = db.get(User, user.id)
    stored.is_active = False  # deactivated, then invited back with a new password
    db.add(stored)
    _, token = ops.create_invite(db, email=user.email, roles=["canvasser"], valid_days=1)
    db.commit()
    ops.accept_invite(db, token=token, name="Back again", password=NEW_PASSWORD)
    db.commit()
    assert db.get(User, user.id).session_generation == 1
    assert not _signed_in(copied)
