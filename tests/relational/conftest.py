"""Fixtures for people you know: made-up residents at chosen postcodes and streets, and a
signed-in volunteer's form posts."""
from __future__ import annotations

import pytest

from tests.support.web import csrf_token_from


@pytest.fixture
def resident(db):
    """A made-up person at a new door: ``resident("Ann", "Smith", postcode="CB1 2AB", street="Mill Road")``."""
    from app.models import Household, Person

    counter = iter(range(1, 10**6))

    def make(first: str, last: str, *, postcode: str = "", street: str = "Mill Road", house_number: str | None = None,
             phone: str | None = None, ward=None):
        n = next(counter)
        household = Household(street=street, postcode=postcode, house_number=house_number or str(100 + n),
                              building_key=f"r{n}", lon=-71.11, lat=42.37, ward_id=ward.id if ward else None)
        db.add(household)
        db.flush()
        person = Person(household_id=household.id, first_name=first, last_name=last, phone=phone)
        db.add(person)
        db.commit()
        return person

    return make


@pytest.fixture
def post(client):
    """POST a form with the session's CSRF token (read from the page's meta tag)."""
    def send(url: str, data: dict | None = None):
        token = csrf_token_from(client.get("/me/people").get_data(as_text=True))
        return client.post(url, data={**(data or {}), "csrf_token": token})

    return send


@pytest.fixture
def conf(app):
    from app.config import settings

    with app.app_context():
        return settings()
