from datetime import datetime, timezone


def utcnow() -> datetime:
    """Aware UTC now. SQLModel's UTCDateTime columns refuse naive datetimes and hand back
    aware UTC ones on SQLite and PostgreSQL alike, so comparisons never mix the two."""
    return datetime.now(timezone.utc)
