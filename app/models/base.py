from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC now: what every datetime column holds."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
