"""Times as organisers read them: on the campaign's clock (settings.timezone), with its zone.

Everything is stored in UTC; an organiser in Boston should not have to add five hours to know
when a list was last worked.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask

from .config import settings


def as_utc(when: datetime) -> datetime:
    """Aware UTC; a naive datetime (what SQLite hands back) is read as UTC."""
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def campaign_time(when: datetime | None, fmt: str = "%Y-%m-%d %H:%M", *, zone: bool = True) -> str:
    """A stored datetime (aware, or naive UTC) as campaign-local text, e.g. "2026-12-01 10:25 EST"."""
    if when is None:
        return ""
    local = as_utc(when).astimezone(ZoneInfo(settings().timezone))
    return f"{local.strftime(fmt)} {local.tzname()}" if zone else local.strftime(fmt)


def campaign_today(now: datetime | None = None) -> date:
    """Today's date on the campaign's clock (UTC outside an app context)."""
    from flask import has_app_context

    now = as_utc(now) if now is not None else datetime.now(timezone.utc)
    return now.astimezone(ZoneInfo(settings().timezone)).date() if has_app_context() else now.date()


def init_app(app: Flask) -> None:
    app.add_template_filter(campaign_time, "campaign_time")
