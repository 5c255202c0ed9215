"""A ward to cut into walk lists, for the walk-list operations and the organiser's list pages.

Registered as a fixture by tests/walk_lists/conftest.py and tests/organiser/conftest.py."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import Neighbourhood
from tests.support.canvass import done


@pytest.fixture
def area(db, make_ward, make_household):
    """Ward 9: two neighbourhoods (west/east strips), 24 doors each on two streets."""
    ward = make_ward("W9", "Ward 9")
    hoods = db.exec(sa.select(Neighbourhood).where(Neighbourhood.ward_id == ward.id).order_by(Neighbourhood.code)).scalars().all()
    doors = []
    for h, (hood, lon0) in enumerate(zip(hoods, (-71.119, -71.109))):
        for i in range(24):
            street = "Elm St" if i < 12 else "Oak St"
            doors.append(make_household(ward, street=f"{street} {h}", house_number=str(i % 12 + 1),
                                        lon=lon0 + (i % 12) * 1.5e-4, lat=42.37 + (i // 12) * 8e-4,
                                        neighbourhood_id=hood.id))
    done(db)
    return ward, hoods, doors


@pytest.fixture
def settings_universe(db, app):
    """settings_universe(tree) -> the id of a new universe "Hood 1" (through the operation)."""
    from app.config import settings
    from app.db import write_transaction
    from app.universes.operations import create_universe

    def save(tree):
        with app.app_context():
            conf = settings()
        return write_transaction(db, lambda s: create_universe(s, name="Hood 1", definition=tree, settings=conf)).id
    return save
