"""Event fixtures: an event factory, a signed-in client per user, and the phone bank's fake Twilio."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Event, EventShift, EventWork, utcnow
from tests.support.phonebank import fake_twilio  # noqa: F401  (fixture)
from tests.support.web import PASSWORD, csrf_token_from



@pytest.fixture
def make_event(db):
    counter = iter(range(1, 10**6))

    def make(*, starts_in=timedelta(minutes=30), hours: float = 3, capacity=None, team=None, host=None,
             kind: str = "canvass", status: str = "approved", lists=(), sheets=(), shifts=(), lat=42.37, lon=-71.11,
             **kw):
        n = next(counter)
        start = utcnow() + starts_in
        event = Event(kind=kind, title=kw.pop("title", f"Event {n}"), starts_at=start,
                      ends_at=start + timedelta(hours=hours), capacity=capacity, team_id=team.id if team else None,
                      host_id=host.id if host else None, status=status, lat=lat, lon=lon,
                      checkin_code=f"code-{n:04d}-abcdefghijklmn", meeting_point="The library", **kw)
        db.add(event)
        db.flush()
        for walk_list in lists:
            db.add(EventWork(event_id=event.id, walk_list_id=walk_list.id))
        for sheet in sheets:
            db.add(EventWork(event_id=event.id, call_sheet_id=sheet.id))
        for capacity_ in shifts:
            db.add(EventShift(event_id=event.id, starts_at=event.starts_at, ends_at=event.ends_at, capacity=capacity_))
        db.commit()
        return event

    return make


class Signed:
    """A test client signed in through the real login form, with its CSRF token at hand."""

    def __init__(self, app, user):
        self.user = user
        self.client = app.test_client()
        self.token = csrf_token_from(self.client.get("/login").get_data(as_text=True))
        response = self.client.post("/login", data={"email": user.email, "password": PASSWORD,
                                                    "csrf_token": self.token})
        assert response.status_code == 302
        self.token = csrf_token_from(self.client.get("/login").get_data(as_text=True))

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, data=None, **kw):
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kw)


@pytest.fixture
def signed_in(app):
    return lambda user: Signed(app, user)
