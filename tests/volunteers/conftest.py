"""Fixtures for the volunteers tests: known postcodes, events near them, and the sign-up form."""
from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from tests.support.web import csrf_token_from

# Inside make_ward()'s default ward (-71.12..-71.10, 42.36..42.38) and far outside it.
HOME = ("SW1A 1AA", 42.37, -71.11)
FAR = ("SR1 1AE", 42.90, -71.50)   # about 70 km away


@pytest.fixture
def postcodes(db):
    from app.models import PostcodeCentroid

    for code, lat, lon in (HOME, FAR, ("02139", 42.365, -71.105)):
        db.add(PostcodeCentroid(postcode=code, lat=lat, lon=lon))
    db.commit()
    return {"home": HOME[0], "far": FAR[0], "zip": "02139"}


@pytest.fixture
def make_event(db):
    from app.models import Event, Rsvp, utcnow

    def make(*, title="Saturday canvass", kind="canvass", lat=HOME[1] + 0.001, lon=HOME[2], capacity=None,
             status="approved", starts_in=timedelta(days=2), hours=3, going=(), **kw):
        start = utcnow() + starts_in
        event = Event(kind=kind, title=title, starts_at=start, ends_at=start + timedelta(hours=hours), lat=lat, lon=lon,
                      capacity=capacity, status=status, checkin_code=uuid.uuid4().hex, meeting_point="The library",
                      **kw)
        db.add(event)
        db.flush()
        for user in going:
            db.add(Rsvp(event_id=event.id, user_id=user.id, status="going"))
        db.commit()
        return event

    return make


def signup_data(client, **overrides) -> dict:
    token = csrf_token_from(client.get("/get-involved/sign-up").get_data(as_text=True))
    data = {"name": "Robin Newcomer", "email": "robin@example.org", "phone": "", "postcode": HOME[0].lower().replace(" ", ""),
            "availability": "Saturday mornings", "interests": ["knock_doors", "phone"], "consent": "y",
            "csrf_token": token}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def the_link(smtp, address: str) -> str:
    messages = smtp.to(address)
    assert len(messages) == 1, [m["Subject"] for m in messages]
    links = [link for link in smtp.links(messages[0]) if "/get-involved/confirm/" in link]
    assert len(links) == 1
    return links[0]


def follow(client, link: str):
    """Open the emailed link as a browser would: the page, then its button (its script presses it)."""
    path = urlsplit(link).path
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    assert 'id="confirm-form"' in html and "volunteers/confirm.js" in html
    return client.post(path, data={"csrf_token": csrf_token_from(html)})


def whoami(client) -> str:
    return client.get("/me").get_data(as_text=True)
