"""Signing in and out: credentials, open redirects, CSRF, rate limits, deactivation."""
from __future__ import annotations

import pytest

from app.models import User
from tests.support.web import PASSWORD


def test_login_success_redirects_home_records_and_audits(client, make_user, post_login, signed_in, audit_rows, db):
    user = make_user(email="ada@example.org", roles="organiser")
    response = post_login("  ADA@example.org ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in()
    db.rollback()
    db.expire_all()
    assert db.get(User, user.id).last_login_at is not None
    [entry] = audit_rows("auth.login")
    assert (entry.actor_user_id, entry.actor_label) == (user.id, "ada@example.org")


@pytest.mark.parametrize("email, password", [
    ("ada@example.org", "wrong password!"),
    ("nobody@example.org", PASSWORD),
    ("ada@example.org", ""),
])
def test_login_failure_is_refused_and_audited(client, make_user, post_login, signed_in, audit_rows, email, password):
    make_user(email="ada@example.org")
    response = post_login(email, password)
    assert response.status_code in (401, 422)
    assert not signed_in()
    if password:
        assert "do not match an account" in response.get_data(as_text=True)
        [entry] = audit_rows("auth.login")
        assert entry.action == "auth.login_failed" and entry.actor_label == email
    else:
        assert audit_rows("auth.login") == []


def test_user_without_password_cannot_sign_in(make_user, post_login, signed_in):
    make_user(email="pending@example.org", password=None)
    assert post_login("pending@example.org", "").status_code == 422
    assert post_login("pending@example.org", "anything at all").status_code == 401
    assert not signed_in()


def test_safe_next_is_followed(make_user, post_login):
    make_user(email="ada@example.org")
    response = post_login("ada@example.org", PASSWORD, next_url="/account?tab=password")
    assert response.headers["Location"] == "/account?tab=password"


@pytest.mark.parametrize("bad_next", [
    "https://evil.example/",
    "http:evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "/%09/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "%2F%2Fevil.example",
])
def test_open_redirect_refused(make_user, post_login, bad_next):
    make_user(email="ada@example.org")
    response = post_login("ada@example.org", PASSWORD, next_url=bad_next)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_tab_in_next_refused(make_user, client, auth):
    # A raw control character (not percent-encoded in the query): browsers drop it, making "/\t/x" "//x".
    make_user(email="ada@example.org")
    token = auth.csrf_token()
    response = client.post("/login", query_string={"next": "/\t/evil.example"},
                           data={"email": "ada@example.org", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_login_page_renders_for_signed_in_user(auth, client):
    auth.login_as("canvasser")
    page = client.get("/login")
    assert page.status_code == 200
    assert "You are signed in as" in page.get_data(as_text=True)


def test_login_without_csrf_token_is_refused_and_changes_nothing(client, make_user, signed_in, audit_rows, db):
    user = make_user(email="ada@example.org")
    response = client.post("/login", data={"email": "ada@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "expired or was not sent by Legwork" in response.get_data(as_text=True)
    assert not signed_in()
    db.rollback()
    db.expire_all()
    assert db.get(User, user.id).last_login_at is None
    assert audit_rows() == []


def test_logout_needs_post_with_csrf(auth, client, signed_in):
    auth.login_as("canvasser")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert signed_in()
    response = auth.logout()
    assert response.status_code == 302
    assert not signed_in()


def test_deactivated_user_cannot_sign_in_and_session_ends(auth, client, db, post_login, signed_in, audit_rows):
    user = auth.login_as("canvasser")
    assert signed_in()
    db.rollback()
    db.expire_all()
    stored = db.get(User, user.id)
    stored.is_active = False
    db.add(stored)
    db.commit()
    assert not signed_in(), "an existing session must stop working at once"
    response = post_login(user.email, PASSWORD)
    assert response.status_code == 401
    assert "deactivated" in response.get_data(as_text=True)
    assert not signed_in()
    assert audit_rows("auth.login_failed")[-1].detail == '{"reason": "deactivated"}'


def test_change_password(auth, client, db, post_login, signed_in):
    user = auth.login_as("caller")
    token = auth.csrf_token("/account")
    bad = client.post("/account/password", data={"current": "not it at all", "new": "new password 123",
                                                 "confirm": "new password 123", "csrf_token": token})
    assert bad.status_code == 422 and "current password is not right" in bad.get_data(as_text=True)
    short = client.post("/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short",
                                                   "csrf_token": token})
    assert short.status_code == 422 and "At least 10 characters" in short.get_data(as_text=True)
    ok = client.post("/account/password", data={"current": PASSWORD, "new": "new password 123",
                                                "confirm": "new password 123", "csrf_token": token})
    assert ok.status_code == 302
    auth.logout()
    assert post_login(user.email, PASSWORD).status_code == 401
    assert post_login(user.email, "new password 123").status_code == 302


def test_account_page_shows_roles(auth, client):
    auth.login_as("canvasser caller", name="Grace")
    text = client.get("/account").get_data(as_text=True)
    assert "Grace" in text and "canvasser" in text and "caller" in text


LIMITED = [{"RATELIMIT_ENABLED": True, "AUTH": {"login_rate_limit": "3 per minute"}}]


# Per-account limits, which slow down but never lock out: tests/auth/test_auth_limits.py.
@pytest.mark.parametrize("app", LIMITED, indirect=True)
def test_rate_limit_per_address(make_user, post_login, client):
    make_user(email="ada@example.org")
    for i in range(3):
        assert post_login(f"guess{i}@example.org", "guess guess guess", addr="10.1.1.1").status_code == 401
    assert post_login("ada@example.org", PASSWORD, addr="10.1.1.1").status_code == 429
    # Another address, same account: still allowed, and the page itself is never limited.
    assert post_login("ada@example.org", PASSWORD, addr="10.1.1.2").status_code == 302
    assert client.get("/login", environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 200


def test_sign_in_returns_to_the_page_that_asked(client, make_user, auth):
    make_user(email="org@example.org", roles="organiser")
    bounce = client.get("/organiser/volunteers")
    assert bounce.status_code == 302 and bounce.headers["Location"].startswith("/login?next=")
    token = auth.csrf_token()
    response = client.post(bounce.headers["Location"], data={"email": "org@example.org", "password": PASSWORD,
                                                             "csrf_token": token})
    assert response.headers["Location"] == "/organiser/volunteers"
