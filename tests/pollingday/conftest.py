import pytest

from tests.support.pollingday import chase, districts, polling_day, us_voters  # noqa: F401  (fixtures)


@pytest.fixture
def settings(app):
    from app.config import settings as current

    with app.app_context():
        return current()


@pytest.fixture
def make_election(db):
    """make_election(name=..., polling_date=...) -> the new election's id."""
    from datetime import date, time

    from app.db import write_transaction
    from app.models import Election

    def make(*, name: str = "County council", polling_date: date = date(2026, 5, 7)) -> int:
        def add(s):
            found = Election(name=name, polling_date=polling_date, polls_open=time(7), polls_close=time(22))
            s.add(found)
            s.flush()
            return found.id
        return write_transaction(db, add)

    return make


@pytest.fixture
def election(make_election) -> int:
    """A past election (7 May 2026), by id."""
    return make_election()
