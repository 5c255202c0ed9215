"""Ids in URLs and numbers or dates in query strings: bounded, with a clear message.

A path id beyond the schema's INTEGER is no row of ours (404), and ``int_arg`` / ``date_arg`` turn
a query parameter into a value or a ``ValidationError`` saying what to fix, so no parameter can
reach the database as an integer it overflows on or a date the clock arithmetic overflows on.
"""
from __future__ import annotations

from datetime import date

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from .errors import ValidationError

# Row ids are INTEGER columns (32-bit on PostgreSQL, which refuses a bigger parameter with
# "integer out of range"; SQLite stops at 2**63 - 1): no id of ours is larger.
MAX_ID = 2**31 - 1
# Dates a campaign can mean; beyond them date arithmetic (a day later, a time zone) overflows.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)


class IdConverter(IntegerConverter):
    """``<int:...>`` for row ids: at most MAX_ID, so a bigger number is a 404, not a 500."""

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


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)


def refuse_nul() -> None:
    """No NUL in a path, query parameter or form field: PostgreSQL cannot store or even compare
    text holding one (a 500 wherever it reached a query), and no person typed it."""
    if "\x00" in request.path:
        raise ValidationError("The address contains a NUL character.")
    for where, values in (("query parameter", request.args), ("form field", request.form)):
        for name, value in values.items(multi=True):
            if "\x00" in name or "\x00" in value:
                raise ValidationError(f"The {where} {name[:40]!r} contains a NUL character.")
