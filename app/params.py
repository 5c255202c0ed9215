"""Ids in URLs and numbers or dates in query strings: bounded, with a clear message.

A path id beyond a database BIGINT is no row of ours (404), and ``int_arg`` / ``date_arg`` turn
a query parameter into a value or a ``ValidationError`` saying what to fix, so no parameter can
reach the database as an integer it overflows on or a date the clock arithmetic overflows on.
"""
from __future__ import annotations

from datetime import date

from werkzeug.routing import IntegerConverter

from .errors import ValidationError

MAX_ID = 2**63 - 1  # a database BIGINT
# Dates a campaign can mean; beyond them date arithmetic (a day later, a time zone) overflows.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)


class IdConverter(IntegerConverter):
    """``<int:...>`` for row ids: at most a BIGINT, so a bigger number is a 404, not a 500."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def int_arg(args, name: str, label: str, *, default: int | None = None, minimum: int = 1,
            maximum: int = MAX_ID, hint: str = "") -> int | None:
    """An integer query parameter between ``minimum`` and ``maximum``; blank or absent: default.
    ``hint`` replaces "must be a whole number from ... to ..." (an id picked from a list)."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19 or not minimum <= int(raw) <= maximum:
        hint = hint or f"must be a whole number from {minimum} to {maximum}"
        raise ValidationError(f"{label} {hint} (got {raw[:20]!r}).")
    return int(raw)


def date_arg(args, name: str, label: str) -> date | None:
    """A date query parameter (YYYY-MM-DD) in the years a campaign can mean; blank or absent: None."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"{label} must be a date like 2024-11-05 (got {raw[:20]!r}).") from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(f"{label} must be between {EARLIEST_DATE} and {LATEST_DATE} (got {raw[:20]!r}).")
    return value
