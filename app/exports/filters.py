"""The exports' filters from a query string: area, campaign-local dates, channel and outcome.
Every mistake is a ValidationError saying what to fix (a 422), an area outside a team lead's
areas a Forbidden."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ..auth.access import Scope, scope_area_clause
from ..config import Settings
from ..errors import Forbidden, ValidationError
from ..models import Channel, ContactEvent, Household, Neighbourhood, Ward
from ..params import date_arg, int_arg

PICKED = "must be chosen from the list"


@dataclass(frozen=True)
class ExportFilters:
    ward_id: int | None = None
    neighbourhood_id: int | None = None
    date_from: date | None = None   # campaign-local dates, inclusive
    date_to: date | None = None
    channel: str | None = None
    code: str | None = None

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v is not None}

    @property
    def picks_contacts(self) -> bool:
        """Whether any filter is about the contacts themselves (not only where people live)."""
        return any(v is not None for v in (self.date_from, self.date_to, self.channel, self.code))


def parse_area(args, *, session: Session, scope: Scope | None) -> tuple[int | None, int | None]:
    """(ward id, neighbourhood id) from ``ward`` and ``neighbourhood``: a clear 422 for a bad one,
    403 for an area outside a team lead's ``scope``. The chase list reads its area with it too."""
    ward_id = int_arg(args, "ward", "Ward", hint=PICKED)
    if ward_id is not None and session.get(Ward, ward_id) is None:
        raise ValidationError("That ward does not exist.")
    hood_id = int_arg(args, "neighbourhood", "Neighbourhood", hint=PICKED)
    if hood_id is not None:
        hood = session.get(Neighbourhood, hood_id)
        if hood is None:
            raise ValidationError("That neighbourhood does not exist.")
        if ward_id is not None and hood.ward_id != ward_id:
            raise ValidationError("That neighbourhood is not in the chosen ward.")
    if scope is not None and (ward_id is not None and ward_id not in scope.touched_ward_ids
                              or hood_id is not None and hood_id not in scope.neighbourhood_ids):
        raise Forbidden("That area is outside your team's areas.")
    return ward_id, hood_id


def parse_filters(args, *, session: Session, settings: Settings, scope: Scope | None = None) -> ExportFilters:
    ward_id, hood_id = parse_area(args, session=session, scope=scope)
    date_from, date_to = date_arg(args, "from", "From"), date_arg(args, "to", "To")
    if date_from and date_to and date_from > date_to:
        raise ValidationError("The From date is after the To date.")
    channel = (args.get("channel") or "").strip() or None
    if channel is not None and channel not in tuple(Channel):
        raise ValidationError("Channel must be door, phone or relational.")
    code = (args.get("code") or "").strip() or None
    if code is not None:
        known = set(settings.codes(channel)) if channel else {c for ch in Channel for c in settings.codes(ch)}
        if code not in known:
            raise ValidationError(f"Unknown outcome code {code[:40]!r}" + (f" for {channel}." if channel else "."))
    return ExportFilters(ward_id, hood_id, date_from, date_to, channel, code)


def _midnight_utc(day: date, tz: ZoneInfo) -> datetime:
    """The instant ``day`` begins on the campaign's clock."""
    return datetime.combine(day, datetime.min.time(), tzinfo=tz).astimezone(dt_timezone.utc)


def area_conditions(filters, scope: Scope | None) -> list:
    """SQL on Household: the chosen ward or neighbourhood (``filters``: anything with ``ward_id``
    and ``neighbourhood_id``, as the chase list's Area), inside a team lead's areas."""
    conds = []
    if filters.ward_id is not None:
        conds.append(Household.ward_id == filters.ward_id)
    if filters.neighbourhood_id is not None:
        conds.append(Household.neighbourhood_id == filters.neighbourhood_id)
    if scope is not None:
        conds.append(scope_area_clause(scope, Household.ward_id, Household.neighbourhood_id))
    return conds


def contact_conditions(filters: ExportFilters, *, timezone: str, as_of: datetime, event=ContactEvent) -> list:
    """SQL on ContactEvent (or an alias of it): the dates, channel and outcome, and nothing the
    server received after the export began (so the audited row count is the count of rows sent)."""
    tz = ZoneInfo(timezone)
    conds = [event.received_at <= as_of]
    if filters.date_from:
        conds.append(event.recorded_at >= _midnight_utc(filters.date_from, tz))
    if filters.date_to:
        conds.append(event.recorded_at < _midnight_utc(filters.date_to + timedelta(days=1), tz))
    if filters.channel:
        conds.append(event.channel == filters.channel)
    if filters.code:
        conds.append(event.code == filters.code)
    return conds
