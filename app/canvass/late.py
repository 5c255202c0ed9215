"""Outcomes that arrive after their holder lost the list, and outcomes refused for good.

A door recorded while the volunteer held the list is stored even when it reaches the server
after the list was released, the volunteer unassigned or their PIN revoked, within
``[canvass] late_grace_hours`` (the rule is ``app.auth.access.late_verdict``); each such door gets
an ``outcome.late`` audit row in the transaction that stores it. Whatever is refused for good is
kept (``RefusedOutcome``, once per event id, no notes) with an ``outcome.refused`` audit row, so
the organiser sees it on the list's page instead of the phone retrying in silence.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from ..audit import audit
from ..auth.access import Hold
from ..config import Settings
from ..contacts import Actor, Status, record_contacts
from ..db import write_transaction
from ..models import ContactEvent, RefusedOutcome, WalkList, utcnow
from .data import iso


@dataclass(frozen=True)
class Refusal:
    event_id: str           # canonical UUID
    household_id: int | None
    walk_list_id: int | None  # only a list the sender holds or held
    reason: str
    recorded_at: object = None  # datetime, when the phone sent a readable one


def store_late(session: Session, *, items: list[tuple[dict, Hold]], actor: Actor, settings: Settings) -> list[Status]:
    """Store doors recorded before their hold ended; audit each one stored, in one transaction."""
    def work(s: Session) -> list[Status]:
        statuses = record_contacts(s, events=[item for item, _ in items], actor=actor, settings=settings)
        for (item, hold), status in zip(items, statuses):
            if status.status == "stored":
                audit(s, action="outcome.late", actor_user_id=actor.user_id, actor_label=actor.label,
                      target=f"walk_list:{hold.walk_list_id}",
                      detail={"event": status.id, "household": item.get("household_id"), "list": hold.walk_list_id,
                              "hold_ended": iso(hold.ended_at), "how": hold.how})
        return statuses
    return write_transaction(session, work)


def stored_by(session: Session, *, event_ids: set[str], actor: Actor) -> set[str]:
    """Which of these ids this actor already stored: a phone that lost the answer and resends
    after its hold ended is told ``duplicate``, not that its door was refused."""
    if not event_ids:
        return set()
    who = (ContactEvent.actor_pin_id == actor.pin_id) if actor.pin_id is not None else (
        ContactEvent.actor_user_id == actor.user_id)
    return set(session.exec(select(ContactEvent.id).where(ContactEvent.id.in_(event_ids), who)).all())


def record_refusals(session: Session, *, refusals: list[Refusal], actor: Actor, label: str) -> int:
    """Keep each refused event once (a phone may resend before it reads the answer) and audit
    the ones new here. Returns how many were new."""
    if not refusals:
        return 0
    now = utcnow()
    rows = {r.event_id: dict(event_id=r.event_id, walk_list_id=r.walk_list_id, household_id=r.household_id,
                             actor_user_id=actor.user_id, actor_pin_id=actor.pin_id, actor_label=label[:254],
                             reason=r.reason, recorded_at=r.recorded_at, refused_at=now) for r in refusals}

    def work(s: Session) -> int:
        conn = s.connection()
        # An organiser sees every list id, real or not: attach a refusal only to a list that exists.
        named = {row["walk_list_id"] for row in rows.values()} - {None}
        real = set(s.exec(select(WalkList.id).where(WalkList.id.in_(named))).all()) if named else set()
        for row in rows.values():
            if row["walk_list_id"] not in real:
                row["walk_list_id"] = None
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        table = RefusedOutcome.__table__
        stmt = insert(table).on_conflict_do_nothing(index_elements=["event_id"]).returning(table.c.event_id)
        new = set(conn.execute(stmt, list(rows.values())).scalars())
        for event_id in sorted(new):
            row = rows[event_id]
            target = f"walk_list:{row['walk_list_id']}" if row["walk_list_id"] else f"household:{row['household_id']}"
            audit(s, action="outcome.refused", actor_user_id=actor.user_id, actor_label=actor.label, target=target,
                  detail={"event": event_id, "household": row["household_id"], "list": row["walk_list_id"],
                          "reason": row["reason"]})
        return len(new)
    return write_transaction(session, work)


def refused_counts(session: Session) -> dict[int | None, int]:
    """Refused outcomes per walk list (None: doors on no list their sender held)."""
    rows = session.exec(select(RefusedOutcome.walk_list_id, sa.func.count()).group_by(RefusedOutcome.walk_list_id)).all()
    return {walk_list_id: n for walk_list_id, n in rows}


def refused_on_list(session: Session, *, walk_list_id: int) -> list[tuple[str, list[RefusedOutcome]]]:
    """A list's refused outcomes, grouped by who sent them (newest first within each)."""
    rows = session.exec(select(RefusedOutcome).where(RefusedOutcome.walk_list_id == walk_list_id)
                        .order_by(RefusedOutcome.actor_label, RefusedOutcome.refused_at.desc())).all()
    grouped: dict[str, list[RefusedOutcome]] = {}
    for row in rows:
        grouped.setdefault(row.actor_label, []).append(row)
    return list(grouped.items())


__all__ = ["Refusal", "store_late", "stored_by", "record_refusals", "refused_counts", "refused_on_list"]
