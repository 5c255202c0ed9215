import pytest

from tests.support.pollingday import districts, polling_day  # noqa: F401  (fixtures)


@pytest.fixture
def settings(app):
    from app.config import settings as current

    with app.app_context():
        return current()


@pytest.fixture
def us_voters(db, districts) -> dict:
    """The made-up US voter file (tests/pollingday/data/us_voters.csv: voter ids TV000001..8,
    fictional 555-01xx numbers) imported into the districts' ward: voter id -> person id.
    Juniper St is in district AA, Larch Rd in AB."""
    import sqlalchemy as sa

    from app.db import write_transaction
    from app.imports.addresses import import_addresses
    from app.imports.mapping import MAPPINGS_DIR, Mapping
    from app.models import Person
    from tests.support.pollingday import DATA

    mapping = Mapping.load(MAPPINGS_DIR / "us_voterfile.toml")
    write_transaction(db, lambda s: import_addresses(s, csv_path=DATA / "us_voters.csv", mapping=mapping))
    ids = dict(db.execute(sa.select(Person.external_id, Person.id)).all())
    db.rollback()
    return ids


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
