from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.config import settings
from tests.support.walk_lists import area, settings_universe  # noqa: F401  (fixtures)


@pytest.fixture
def noon(app):
    """Today's local noon (campaign timezone) as aware UTC: a 'now' whose hour and day are certain."""
    with app.app_context():
        tz = ZoneInfo(settings().timezone)
    today = datetime.now(tz).date()
    return datetime.combine(today, time(12), tzinfo=tz).astimezone(timezone.utc)


@pytest.fixture
def hours_ago(noon):
    return lambda h: noon - timedelta(hours=h)
from tests.support.exports import campaign  # noqa: F401  (fixture)
