"""Lifts to the polls: a request (from the committee room's form; later a knocker's "needs a
lift"), claimed by one driver at a time, then done, released back or cancelled.

A claim never hands one lift to two drivers, as the phone bank's call queue never hands one
person to two callers (app.phonebank.queue): PostgreSQL locks the chosen row with ``FOR UPDATE
SKIP LOCKED``, so concurrent drivers each skip to a different one; SQLite has one writer at a
time, so one ``UPDATE ... WHERE id = (SELECT ...) AND status = 'requested' RETURNING`` is atomic.
A driver holds at most one lift (a partial unique index on claimed lifts' driver_id).
Each state change runs in the caller's write transaction (``db.write_transaction``).
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..clock import as_utc
from ..db import is_sqlite
from ..errors import Conflict, NotFound, ValidationError
from ..models import CommitteeRoom, Household, LiftRequest, LiftStatus, Person, utcnow
from .elections import current_election_id

_lifts = LiftRequest.__table__
OPEN = (LiftStatus.REQUESTED, LiftStatus.CLAIMED)


def _text(value, *, field: str, limit: int, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValidationError(f"Give the {field}.")
    if len(text) > limit:
        raise ValidationError(f"The {field} must be at most {limit} characters.")
    return text


def request_lift(session: Session, *, name: str = "", address: str = "", wanted_at: datetime | None = None,
                 access_needs: str = "", phone: str = "", person_id: int | None = None,
                 committee_room_id: int | None = None, created_by_id: int | None = None, source: str = "form",
                 now: datetime | None = None, election_id: int | None = None) -> LiftRequest:
    """The one way a lift request is made. A voter on the register (``person_id``) brings their
    name and address unless others are given; ``wanted_at`` None: as soon as possible."""
    now = as_utc(now or utcnow())
    household_id = None
    if person_id is not None:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("No such voter.")
        household = session.get(Household, person.household_id)
        household_id = household.id if household else None
        name = name or person.full_name
        address = address or (household.address if household else "")
    if committee_room_id is not None and session.get(CommitteeRoom, committee_room_id) is None:
        raise NotFound("No such committee room.")
    wanted = as_utc(wanted_at) if wanted_at is not None else now
    if not now - timedelta(days=1) <= wanted <= now + timedelta(days=7):
        raise ValidationError("The pick-up time must be within the next week.")
    lift = LiftRequest(person_id=person_id, household_id=household_id, committee_room_id=committee_room_id,
                       name=_text(name, field="voter's name", limit=200, required=True),
                       address=_text(address, field="pick-up address", limit=300, required=True),
                       phone=_text(phone, field="phone number", limit=40),
                       access_needs=_text(access_needs, field="access needs", limit=500),
                       wanted_at=wanted, created_by_id=created_by_id, source=source[:20], created_at=now,
                       election_id=election_id if election_id is not None else current_election_id(session))
    session.add(lift)
    session.flush()
    audit(session, action="pollingday.lift_requested", actor_user_id=created_by_id, target=f"lift:{lift.id}",
          detail={"source": lift.source})
    return lift


def held_lift(session: Session, *, driver_id: int) -> LiftRequest | None:
    return session.exec(select(LiftRequest).where(LiftRequest.status == LiftStatus.CLAIMED,
                                                  LiftRequest.driver_id == driver_id)).first()


def claim_lift(session: Session, *, driver_id: int, now: datetime | None = None) -> LiftRequest | None:
    """The driver's lift: the one they hold, else the earliest wanted request still waiting;
    None when nobody is waiting."""
    now = as_utc(now or utcnow())
    held = held_lift(session, driver_id=driver_id)
    if held is not None:
        return held
    ready = (select(_lifts.c.id).where(_lifts.c.status == LiftStatus.REQUESTED)
             .order_by(_lifts.c.wanted_at, _lifts.c.id).limit(1))
    values = dict(status=LiftStatus.CLAIMED, driver_id=driver_id, claimed_at=now)
    if is_sqlite(session):
        claimed_id = session.execute(
            sa.update(_lifts).where(_lifts.c.id == ready.scalar_subquery(), _lifts.c.status == LiftStatus.REQUESTED)
            .values(**values).returning(_lifts.c.id)).scalar()
    else:
        claimed_id = session.execute(ready.with_for_update(skip_locked=True)).scalar()
        if claimed_id is not None:
            try:
                with session.begin_nested():
                    session.execute(sa.update(_lifts).where(_lifts.c.id == claimed_id).values(**values))
            except sa.exc.IntegrityError:
                # The same driver pressed twice at once and the other press won (the partial
                # unique index): theirs is the lift that press claimed; this row stays queued.
                return held_lift(session, driver_id=driver_id)
    if claimed_id is None:
        return None
    audit(session, action="pollingday.lift_claimed", actor_user_id=driver_id, target=f"lift:{claimed_id}")
    return session.get(LiftRequest, claimed_id, populate_existing=True)


def _held(session: Session, *, lift_id: int, driver_id: int) -> LiftRequest:
    lift = session.get(LiftRequest, lift_id, with_for_update=not is_sqlite(session))
    if lift is None or lift.status != LiftStatus.CLAIMED or lift.driver_id != driver_id:
        raise Conflict("You do not hold this lift (any more): take the next one from the queue.")
    return lift


def release_lift(session: Session, *, lift_id: int, driver_id: int) -> LiftRequest:
    """The driver cannot do it after all: back to the queue, at its place (its wanted time)."""
    lift = _held(session, lift_id=lift_id, driver_id=driver_id)
    lift.status, lift.driver_id, lift.claimed_at = LiftStatus.REQUESTED, None, None
    session.flush()
    audit(session, action="pollingday.lift_released", actor_user_id=driver_id, target=f"lift:{lift.id}")
    return lift


def finish_lift(session: Session, *, lift_id: int, driver_id: int, now: datetime | None = None) -> LiftRequest:
    lift = _held(session, lift_id=lift_id, driver_id=driver_id)
    lift.status, lift.done_at = LiftStatus.DONE, as_utc(now or utcnow())
    session.flush()
    audit(session, action="pollingday.lift_done", actor_user_id=driver_id, target=f"lift:{lift.id}")
    return lift


def cancel_lift(session: Session, *, lift_id: int, actor_user_id: int | None,
                now: datetime | None = None) -> LiftRequest:
    """The committee room calls a lift off (the voter went another way), claimed or not."""
    lift = session.get(LiftRequest, lift_id, with_for_update=not is_sqlite(session))
    if lift is None:
        raise NotFound("No such lift.")
    if lift.status not in OPEN:
        raise Conflict(f"This lift is already {lift.status}.")
    lift.status, lift.cancelled_at = LiftStatus.CANCELLED, as_utc(now or utcnow())
    session.flush()
    audit(session, action="pollingday.lift_cancelled", actor_user_id=actor_user_id, target=f"lift:{lift.id}")
    return lift


# ---- reads ------------------------------------------------------------------------------------
def queue(session: Session, *, limit: int = 500) -> list[tuple[LiftRequest, str | None]]:
    """Every lift, open ones first by wanted time, with its driver's name (committee rooms only)."""
    from ..models import User

    order = sa.case((LiftRequest.status.in_(OPEN), 0), else_=1)
    rows = session.execute(select(LiftRequest, User.name).outerjoin(User, User.id == LiftRequest.driver_id)
                           .order_by(order, LiftRequest.wanted_at, LiftRequest.id).limit(limit)).all()
    return [(lift, driver) for lift, driver in rows]


def waiting_count(session: Session) -> int:
    return session.execute(select(sa.func.count()).select_from(_lifts)
                           .where(_lifts.c.status == LiftStatus.REQUESTED)).scalar_one()
