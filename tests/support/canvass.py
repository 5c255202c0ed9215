"""Shared set-up for the canvassing and phone-API tests: a ward, two walk lists, two canvassers.

The ``field`` and ``token`` fixtures are registered by the conftest of each package that uses them
(tests/api, tests/canvass)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app.models import ContactEvent, DoNotContact, SurveyResponse


@dataclass
class Field:
    ward: object
    mine: object          # walk list assigned to the signed-in canvasser
    theirs: object        # walk list assigned to another canvasser
    my_doors: list
    their_doors: list
    me: object
    other: object


def build_field(auth, make_user, make_ward, make_household, make_walk_list, *, sign_in: bool = True) -> Field:
    ward = make_ward("W1", "Ward 9")
    my_doors = [make_household(ward, street="Elm St", house_number=str(n), lon=-71.119 + n * 1e-4, lat=42.371, people=2)
                for n in range(1, 7)]
    their_doors = [make_household(ward, street="Oak St", house_number=str(n), lon=-71.115 + n * 1e-4, lat=42.372)
                   for n in range(1, 4)]
    me = auth.login_as("canvasser") if sign_in else make_user(roles="canvasser")
    other = make_user(roles="canvasser")
    mine = make_walk_list(my_doors, name="Ward 9 · 1", assign_to=me, ward=ward)
    theirs = make_walk_list(their_doors, name="Ward 9 · 2", assign_to=other, ward=ward)
    return Field(ward, mine, theirs, my_doors, their_doors, me, other)


def outcome(household, walk_list=None, code="not_home", **extra) -> dict:
    item = {"id": str(uuid.uuid4()), "household_id": household.id, "code": code,
            "recorded_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")}
    if walk_list is not None:
        item["walk_list_id"] = walk_list.id
    item.update(extra)
    return item


def post(client, token, outcomes=None, *, json=None, headers=None):
    body = {"outcomes": outcomes} if json is None else json
    return client.post("/api/outcomes", json=body, headers={"X-CSRFToken": token, **(headers or {})})


def counts(db) -> tuple[int, int, int]:
    """(contact events, survey responses, do-not-contact entries): what a refused request must not change."""
    done(db)
    out = tuple(db.execute(sa.select(sa.func.count()).select_from(m)).scalar_one()
                for m in (ContactEvent, SurveyResponse, DoNotContact))
    done(db)
    return out


def done(db) -> None:
    """End the test session's transaction (commit, so loaded objects stay loaded): a read left open
    holds SQLite's write lock (BEGIN IMMEDIATE) and an old snapshot while the app handles requests."""
    db.commit()


@pytest.fixture
def field(auth, make_user, make_ward, make_household, make_walk_list):
    """A signed-in canvasser with a six-door list; another canvasser with a three-door list."""
    return build_field(auth, make_user, make_ward, make_household, make_walk_list)


@pytest.fixture
def token(auth, field):
    return auth.csrf_token("/canvass/join")
