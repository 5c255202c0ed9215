import pytest


@pytest.fixture
def settings(app):
    from app.config import settings as current

    with app.app_context():
        return current()


@pytest.fixture
def town(db, settings, make_ward):
    """The made-up town of tests/universes/town.py (households, people, events, answers, votes)."""
    from tests.universes.town import build_town

    return build_town(db, settings, make_ward=make_ward)


@pytest.fixture
def save_universe(db, settings):
    """save_universe(tree, name=...) -> the new universe's id (through the operation, as the page does)."""
    from app.db import write_transaction
    from app.universes.operations import create_universe

    counter = iter(range(1, 10**6))

    def save(tree: dict, *, name: str | None = None) -> int:
        universe = write_transaction(db, lambda s: create_universe(
            s, name=name or f"Universe {next(counter)}", definition=tree, settings=settings))
        return universe.id

    return save
