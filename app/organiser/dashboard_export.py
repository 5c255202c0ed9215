"""CSV export of recorded outcomes, filtered by area, local dates, channel and code.

Reading personal data in bulk is audited: the caller writes the audit entry (with the filters
and the row count) and commits it before the first row leaves the server.
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from ..auth.access import Scope, scope_area_clause
from ..clock import as_utc
from ..config import Settings
from ..errors import Forbidden, ValidationError
from ..models import Channel, ContactEvent, Household, ListPin, Neighbourhood, SurveyResponse, User, WalkList, Ward
from ..params import date_arg, int_arg
from ..sql import chunks
from .dashboard import local_midnight_utc

# recorded_at_local is on the campaign's clock (config.toml timezone), the clock the From/To dates
# filter by and the organiser reads; the UTC columns stay for joining with other systems.
COLUMNS = ("event_id", "recorded_at_utc", "recorded_at_local", "received_at_utc", "channel", "code", "outcome", "contact",
           "household_id", "address", "ward", "neighbourhood", "walk_list", "volunteer", "person_id",
           "support_levels", "notes")


@dataclass(frozen=True)
class OutcomeFilters:
    ward_id: int | None = None
    neighbourhood_id: int | None = None
    date_from: date | None = None   # campaign-local dates, inclusive
    date_to: date | None = None
    channel: str | None = None
    code: str | None = None

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v is not None}


PICKED = "must be chosen from the list"


def parse_filters(args, *, session: Session, settings: Settings, scope: Scope | None = None) -> OutcomeFilters:
    """Filters from a query string; every mistake is a ValidationError saying what to fix (an
    area outside a team lead's ``scope``: Forbidden)."""
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
    date_from, date_to = date_arg(args, "from", "From"), date_arg(args, "to", "To")
    if date_from and date_to and date_from > date_to:
        raise ValidationError("The From date is after the To date.")
    channel = (args.get("channel") or "").strip() or None
    if channel not in (None, "door", "phone"):
        raise ValidationError("Channel must be door or phone.")
    code = (args.get("code") or "").strip() or None
    if code is not None:
        known = set(settings.codes(channel)) if channel else {code for ch in Channel for code in settings.codes(ch)}
        if code not in known:
            raise ValidationError(f"Unknown outcome code {code[:40]!r}" + (f" for {channel}." if channel else "."))
    return OutcomeFilters(ward_id, hood_id, date_from, date_to, channel, code)


def _conditions(filters: OutcomeFilters, tz: ZoneInfo) -> list:
    conds = []
    if filters.ward_id is not None:
        conds.append(Household.ward_id == filters.ward_id)
    if filters.neighbourhood_id is not None:
        conds.append(Household.neighbourhood_id == filters.neighbourhood_id)
    if filters.date_from:
        conds.append(ContactEvent.recorded_at >= local_midnight_utc(filters.date_from, tz))
    if filters.date_to:
        conds.append(ContactEvent.recorded_at < local_midnight_utc(filters.date_to + timedelta(days=1), tz))
    if filters.channel:
        conds.append(ContactEvent.channel == filters.channel)
    if filters.code:
        conds.append(ContactEvent.code == filters.code)
    return conds


def _utc(when) -> str:
    return as_utc(when).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(when, tz: ZoneInfo) -> str:
    """Wall-clock text a spreadsheet reads as a date and time (no zone suffix: the header says whose)."""
    return as_utc(when).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet: neutralise it.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def fetch_outcomes(session: Session, *, filters: OutcomeFilters, settings: Settings,
                   scope: Scope | None = None) -> list[tuple]:
    """Every matching event as a CSV row (oldest first), read in one go so the caller can end the
    transaction before streaming: on SQLite an open transaction would hold up volunteers' writes.
    ``scope``: only events at households in a team lead's areas."""
    tz = ZoneInfo(settings.timezone)
    conds = _conditions(filters, tz)
    if scope is not None:
        conds.append(scope_area_clause(scope, Household.ward_id, Household.neighbourhood_id))
    labels = {(ch, c.code): (c.label, c.contact) for ch in Channel for c in settings.codes(ch).values()}
    support: dict[str, list[str]] = {}
    for event_id, person_id, level in session.exec(
            select(SurveyResponse.event_id, SurveyResponse.person_id, SurveyResponse.support_level)
            .join(ContactEvent, ContactEvent.id == SurveyResponse.event_id)
            .join(Household, Household.id == ContactEvent.household_id)
            .where(SurveyResponse.support_level.is_not(None), *conds).order_by(SurveyResponse.person_id)):
        support.setdefault(event_id, []).append(f"{person_id}:{level}")
    stmt = (select(ContactEvent.id, ContactEvent.recorded_at, ContactEvent.received_at, ContactEvent.channel,
                   ContactEvent.code, ContactEvent.household_id, Household.house_number, Household.suffix,
                   Household.street, Household.unit, Ward.code, Neighbourhood.code, WalkList.name, User.email,
                   ListPin.label, ContactEvent.actor_pin_id, ContactEvent.person_id, ContactEvent.notes)
            .join(Household, Household.id == ContactEvent.household_id)
            .outerjoin(Ward, Ward.id == Household.ward_id)
            .outerjoin(Neighbourhood, Neighbourhood.id == Household.neighbourhood_id)
            .outerjoin(WalkList, WalkList.id == ContactEvent.walk_list_id)
            .outerjoin(User, User.id == ContactEvent.actor_user_id)
            .outerjoin(ListPin, ListPin.id == ContactEvent.actor_pin_id)
            .where(*conds).order_by(ContactEvent.recorded_at, ContactEvent.id))
    out = []
    for (eid, recorded, received, channel, code, hid, number, suffix, street, unit, ward, hood, walk, email,
         pin_label, pin_id, person_id, notes) in session.exec(stmt):
        label, contact = labels.get((channel, code), (code, False))
        line = f"{number}{suffix} {street}".strip()
        volunteer = email or (f"PIN: {pin_label or pin_id}" if pin_id else "")
        out.append((eid, _utc(recorded), _local(recorded, tz), _utc(received), channel, code, label,
                    "yes" if contact else "no", hid, f"{line}, {unit}" if unit else line, ward, hood, walk,
                    volunteer, person_id, " ".join(support.get(eid, [])), notes))
    return out


def iter_csv(rows: list[tuple]):
    """The CSV as text chunks, header first."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for chunk in chunks(rows):
        for row in chunk:
            writer.writerow([_cell(v) for v in row])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if buf.tell():
        yield buf.getvalue()
