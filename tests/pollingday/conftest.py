import pytest

from tests.support.pollingday import districts, polling_day  # noqa: F401  (fixtures)


@pytest.fixture
def settings(app):
    from app.config import settings as current

    with app.app_context():
        return current()
