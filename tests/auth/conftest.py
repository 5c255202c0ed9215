"""Helpers for the account tests: posting the real forms with real CSRF tokens."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import AuditEntry


@pytest.fixture
def post_login(client, auth):
    """POST the login form (with a valid CSRF token) from a chosen client address."""
    def post(email, password, *, next_url=None, addr="127.0.0.1"):
        token = auth.csrf_token()
        url = "/login" + (f"?next={next_url}" if next_url is not None else "")
        return client.post(url, data={"email": email, "password": password, "csrf_token": token},
                           environ_base={"REMOTE_ADDR": addr})

    return post


@pytest.fixture
def signed_in(client):
    def check() -> bool:
        return client.get("/account").status_code == 200

    return check


@pytest.fixture
def audit_rows(db):
    """Audit entries so far, oldest first, optionally only those whose action starts with prefix."""
    def rows(prefix: str = "") -> list[AuditEntry]:
        db.rollback()  # end any read transaction, then forget what was loaded
        db.expire_all()
        found = db.exec(sa.select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
        return [a for a in found if a.action.startswith(prefix)]

    return rows
