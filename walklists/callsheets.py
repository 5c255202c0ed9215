"""Splitting callable people into phone-bank call sheets.

Rules: one entry per phone number (a household sharing a landline is called once); people on the
do-not-contact list (by person id or by number) and people without a valid E.164 number are left
out; a sheet never mixes time zones, so a whole sheet is callable at once; within a time zone,
entries run by priority (lowest first; an entry's priority is the best of its people), then by
number, so the same people always give the same sheets.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Collection, Iterable

from .errors import InvalidSheetSizeError

__all__ = ["Callee", "CallEntry", "CallSheet", "split_call_sheets", "UNKNOWN_TIMEZONE", "is_e164"]

UNKNOWN_TIMEZONE = "unknown"
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def is_e164(phone: object) -> bool:
    """True for a number already in E.164 form ("+16175550123"); parsing is the caller's job."""
    return isinstance(phone, str) and _E164.match(phone) is not None


@dataclass(frozen=True)
class Callee:
    """A person who may be called.

    phone: E.164 as parsed by the caller (e.g. "+16175550123"); None or invalid -> left out.
    timezone: IANA name such as "America/New_York"; None -> grouped under "unknown".
    priority: used when split_call_sheets gets no priority function; lower is called first.
    """

    id: str
    phone: str | None
    household_id: str | None = None
    timezone: str | None = None
    priority: float = 0.0


@dataclass(frozen=True)
class CallEntry:
    """One number to dial and everyone reachable on it (sorted by priority, then id)."""

    phone: str
    people: tuple[Callee, ...]


@dataclass(frozen=True)
class CallSheet:
    """Up to sheet_size entries, all in one time zone."""

    timezone: str
    entries: tuple[CallEntry, ...]


def _priority_of(priority: Callable[[Callee], float] | None, person: Callee) -> float:
    value = float(person.priority if priority is None else priority(person))
    # NaN would make the sort order depend on input order; send such people last instead.
    return math.inf if math.isnan(value) else value


def split_call_sheets(
    people: Iterable[Callee],
    sheet_size: int,
    *,
    priority: Callable[[Callee], float] | None = None,
    do_not_contact: Collection[str] = (),
) -> list[CallSheet]:
    """Group callable people into sheets of at most sheet_size entries (phone numbers).

    priority: key per person, lower first (default: Callee.priority).
    do_not_contact: person ids and/or E.164 numbers to leave out.
    Sheets come ordered by time zone name ("unknown" last), then priority of their first entry.
    A number shared by people in different time zones goes under the zone of its best-priority person.
    """
    if isinstance(sheet_size, bool) or not isinstance(sheet_size, int) or sheet_size < 1:
        raise InvalidSheetSizeError(f"sheet_size must be an integer >= 1, got {sheet_size!r}")
    blocked = set(do_not_contact)
    by_phone: dict[str, list[tuple[float, str, Callee]]] = {}
    for person in people:
        if person.id in blocked or not is_e164(person.phone) or person.phone in blocked:
            continue
        by_phone.setdefault(person.phone, []).append((_priority_of(priority, person), person.id, person))

    by_zone: dict[str, list[tuple[float, str, CallEntry]]] = {}
    for phone, members in by_phone.items():
        members.sort(key=lambda m: (m[0], m[1]))
        best = members[0]
        zone = best[2].timezone or UNKNOWN_TIMEZONE
        entry = CallEntry(phone=phone, people=tuple(m[2] for m in members))
        by_zone.setdefault(zone, []).append((best[0], phone, entry))

    sheets: list[CallSheet] = []
    for zone in sorted(by_zone, key=lambda z: (z == UNKNOWN_TIMEZONE, z)):
        entries = [e for _, _, e in sorted(by_zone[zone], key=lambda x: (x[0], x[1]))]
        for i in range(0, len(entries), sheet_size):
            sheets.append(CallSheet(timezone=zone, entries=tuple(entries[i : i + sheet_size])))
    return sheets
