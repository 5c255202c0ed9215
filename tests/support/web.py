"""The test client and signing in through the real login form (CSRF on, as in production)."""
from __future__ import annotations

import contextvars
import re

from flask.testing import FlaskClient

PASSWORD = "correct horse battery"
# Still scrypt, at a cost that keeps sign-in tests fast (production uses werkzeug's defaults).
TEST_HASH_METHOD = "scrypt:1024:8:1"


class FreshContextClient(FlaskClient):
    """Each request runs in an empty context, so it gets its own app context (its own ``g``, DB
    session and Flask-Login user) as in production, even while the ``db`` fixture holds one open.
    Without this, Flask reuses the test's app context and a user loaded by one request is still
    ``current_user`` in the next, whatever changed in the database in between."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class AuthActions:
    """Signs the test client in through the real login form (CSRF on, as in production)."""

    def __init__(self, client, make_user):
        self._client = client
        self._make_user = make_user
        self.user = None

    def login(self, email: str, password: str = PASSWORD):
        page = self._client.get("/login")
        token = csrf_token_from(page.get_data(as_text=True))
        return self._client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def login_as(self, roles: str = "organiser", **kw):
        self.user = self._make_user(roles=roles, **kw)
        response = self.login(self.user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return self.user

    def logout(self):
        return self._client.post("/logout", data={"csrf_token": self.csrf_token()})

    def csrf_token(self, path: str = "/login") -> str:
        """A CSRF token for the client's current session (any page carries it in a meta tag)."""
        page = self._client.get(path)
        return csrf_token_from(page.get_data(as_text=True))
