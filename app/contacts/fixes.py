"""Corrections made at the door, stored exactly once and applied at once.

A fix comes in the phone's outbox with the door knocks (``POST /api/outcomes``, after the same
access check on its household and list) and is keyed on the phone's UUID: a resend is a
duplicate and changes nothing. Each is applied when stored, with what it replaced kept in
``before``, because every kind is safe to use before an organiser looks: a number or email
comes with the resident's consent; a resident moved away or deceased must stop being knocked
and called today, not after a review; a name or a new resident helps the next canvasser. The
organiser's review (``app.fixes``) accepts or reverts each one.
"""
from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from ..audit import audit
from ..clock import as_utc
from ..config import Settings
from ..db import write_transaction
from ..models import Person, PersonFix, utcnow
from ..sql import on_conflict
from .fix_rules import GONE_KINDS, validate_fix
from .validate import Reject, parse_event_id

FIELDS = {"add": (), "moved": ("gone", "phone_retired_at"), "deceased": ("gone", "phone_retired_at"),
          "name": ("first_name", "last_name"), "phone": ("phone", "phone_type", "phone_retired_at"),
          "email": ("email",)}


def as_json(value):
    """A column value as the JSON ``before`` / ``after`` keep (datetimes as UTC ISO text)."""
    return as_utc(value).isoformat() if hasattr(value, "isoformat") else value


def from_json(field: str, value):
    if field == "phone_retired_at" and value is not None:
        return datetime.fromisoformat(value)
    return value


def current(person: Person, fields) -> dict:
    return {f: as_json(getattr(person, f)) for f in fields}


class _Duplicate(Exception):
    """The fix's id is already stored: a resend."""


def _insert(session: Session, values: dict) -> bool:
    conn = session.connection()
    stmt = on_conflict(conn, PersonFix.__table__, name="person_fixes.insert_new", build=lambda insert: (
        insert.on_conflict_do_nothing(index_elements=["id"]).returning(insert.table.c.id)))
    return bool(list(conn.execute(stmt, [values]).scalars()))


def _change(session: Session, fix: dict, now) -> tuple[dict, dict, int]:
    """Apply one validated fix; (before, after, person id). Raises Reject when the person is not
    at the household the fix names."""
    kind, after = fix["kind"], dict(fix["after"])
    if kind == "add":
        person = Person(household_id=fix["household_id"], first_name=after["first_name"],
                        last_name=after["last_name"], phone=after.get("phone"),
                        phone_type=after.get("phone_type", ""), email=after.get("email"))
        session.add(person)
        session.flush()
        return {}, after, person.id
    person = session.get(Person, fix["person_id"])
    if person is None or person.household_id != fix["household_id"]:
        raise Reject(f"person {fix['person_id']} does not live at household {fix['household_id']}")
    before = current(person, FIELDS[kind])
    if kind in GONE_KINDS:
        # Off the walk lists (gone) and out of every call queue (a retired number is never dialled).
        after = {"gone": kind, "phone_retired_at": before["phone_retired_at"] or (as_json(now) if person.phone else None)}
    elif kind == "phone":
        after["phone_retired_at"] = None
    for field, value in after.items():
        setattr(person, field, from_json(field, value))
    person.updated_at = now
    session.add(person)
    return before, after, person.id


def store_fixes(session: Session, *, fixes: list[tuple[int, dict]], actor, out: list) -> None:
    """Insert and apply validated fixes in the session's transaction; ``out[position]`` gets each
    one's Status. Safe to re-run whole when ``write_transaction`` retries."""
    from .record import Status

    now = utcnow()
    for position, fix in fixes:
        row = dict(id=fix["id"], kind=fix["kind"], household_id=fix["household_id"], person_id=fix["person_id"],
                   walk_list_id=fix["walk_list_id"], actor_user_id=actor.user_id, actor_pin_id=actor.pin_id,
                   actor_label=actor.label[:254], consent_text=fix["consent_text"], consent_at=fix["consent_at"],
                   recorded_at=fix["recorded_at"], received_at=now, status="applied", before="{}", after="{}")
        try:
            with session.begin_nested():  # a refused fix leaves nothing behind, the others stand
                if not _insert(session, row):
                    raise _Duplicate
                before, after, person_id = _change(session, fix, now)
                session.execute(sa.update(PersonFix).where(PersonFix.id == fix["id"]).values(
                    person_id=person_id, before=json.dumps(before), after=json.dumps(after)))
        except _Duplicate:
            out[position] = Status(fix["id"], "duplicate")
            continue
        except Reject as err:
            out[position] = Status(fix["id"], "rejected", str(err))
            continue
        # The audit entry names the fix and the fields, never the values (they are personal data).
        audit(session, action=f"fix.{fix['kind']}", actor_user_id=actor.user_id, actor_label=actor.label,
              target=f"person:{person_id}", detail={"fix": fix["id"], "household": fix["household_id"],
                                                    "list": fix["walk_list_id"], "fields": sorted(after)})
        out[position] = Status(fix["id"], "stored")
    session.flush()


def record_fixes(session: Session, *, items: list, actor, settings: Settings) -> list:
    """One Status per fix item, in order, everything stored committed (its own write transaction)."""
    from .record import Status

    now = utcnow()
    out: list = [None] * len(items)
    valid: list[tuple[int, dict]] = []
    seen: set[str] = set()
    for position, raw in enumerate(items):
        try:
            fix = validate_fix(raw, settings=settings, now=now)
        except Reject as err:
            try:
                event_id = parse_event_id(raw.get("id"))
            except Reject:
                event_id = str(raw.get("id"))
            out[position] = Status(event_id, "rejected", str(err))
            continue
        if fix["id"] in seen:
            out[position] = Status(fix["id"], "duplicate")
            continue
        seen.add(fix["id"])
        valid.append((position, fix))
    if valid:
        def run(s: Session) -> list:
            attempt = list(out)
            store_fixes(s, fixes=valid, actor=actor, out=attempt)
            return attempt
        out = write_transaction(session, run)
    return out


__all__ = ["record_fixes", "store_fixes", "FIELDS", "current", "as_json", "from_json"]
