"""Phone-bank fixtures: people in the live queue, callers, a frozen "now", a fake Twilio.

Registered as fixtures by tests/phonebank/conftest.py and the browser tests that need them."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app.config import TwilioSettings, settings as app_settings
from app.models import CallQueueEntry, Person
from app.phonebank import queue
from tests.support.servers import serve_in_thread

# 16:00 UTC on a weekday in October: 12:00 in New York, 09:00 in Los Angeles, 17:00 in London.
NOON_EAST = datetime(2024, 10, 15, 16, 0, tzinfo=timezone.utc)

EAST = "+1617555{:04d}"   # Boston: America/New_York
WEST = "+1415555{:04d}"   # San Francisco: America/Los_Angeles
UK = "+44207946{:04d}"    # London: Europe/London

TWILIO = {
    "account_sid": "AC" + "0123456789abcdef" * 2,
    "auth_token": "test-auth-token-0123456789abcdef",
    "caller_id": "+16175550100",
    "public_base_url": "https://legwork.example.org",
}


@pytest.fixture
def settings(app):
    with app.app_context():
        yield app_settings()


@pytest.fixture
def make_callee(db, make_household, settings):
    """A household whose first resident has ``phone``, queued for calling (unless queued=False)."""
    numbers = iter(range(1, 10000))

    def make(pattern: str = EAST, *, phone: str | None = None, queued: bool = True, people: int = 1,
             priority: float = 0.0, **kw):
        phone = phone or pattern.format(next(numbers))
        household = make_household(phone=phone, people=people, **kw)
        person = db.exec(sa.select(Person).where(Person.household_id == household.id)
                         .order_by(Person.id)).scalars().first()
        if queued:
            db.add(CallQueueEntry(person_id=person.id, phone=phone, priority=priority,
                                  timezone=queue.timezone_for_number(phone, settings.timezone)))
        db.commit()  # also ends the read: a stale SQLite snapshot could not write after the app did
        return person

    return make


@pytest.fixture
def make_caller(make_user):
    def make(name: str = "Casey", **kw):
        return make_user(roles="caller", name=name, **kw)

    return make


def entry_for(db, person_id: int) -> CallQueueEntry:
    db.expire_all()
    return db.exec(sa.select(CallQueueEntry).where(CallQueueEntry.person_id == person_id)).scalars().one()


def new_id() -> str:
    return str(uuid.uuid4())


# ---- a local stand-in for api.twilio.com -------------------------------------------------------
class FakeTwilio:
    """Records each request the SDK sends; answers like Twilio's Calls resource (or with an error)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.fail_with: tuple[int, dict] | None = None
        self.url = ""

    def __call__(self, environ, start_response):
        import json

        from werkzeug.wrappers import Request, Response

        request = Request(environ)
        self.requests.append({"method": request.method, "path": request.path, "form": request.form.to_dict(flat=False),
                              "auth": request.authorization})
        if self.fail_with:
            status, body = self.fail_with
        else:
            status, body = 201, {"sid": "CA" + f"{len(self.requests):032x}", "status": "queued",
                                 "to": request.form.get("To"), "from": request.form.get("From")}
        return Response(json.dumps(body), status=status, mimetype="application/json")(environ, start_response)


@pytest.fixture
def fake_twilio():
    fake = FakeTwilio()
    with serve_in_thread(fake) as (url, _network):
        fake.url = url
        yield fake


def use_twilio(app, **overrides):
    """Give the running app Twilio settings (settings are frozen at start-up, so swap them)."""
    import dataclasses

    current = app.extensions["legwork_settings"]
    app.extensions["legwork_settings"] = dataclasses.replace(current, twilio=TwilioSettings(**{**TWILIO, **overrides}))
