"""RSVPs (capacity held under concurrency by locking the event row) and the host's attendance."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..auth import access
from ..clock import as_utc
from ..errors import Conflict, Forbidden, NotFound, ValidationError
from ..models import Event, EventShift, EventStatus, Rsvp, RsvpStatus, utcnow
from .operations import get_event


def going_count(session: Session, *, event_id: int, shift_id: int | None = None) -> int:
    query = select(sa.func.count(Rsvp.id)).where(Rsvp.event_id == event_id, Rsvp.status == RsvpStatus.GOING)
    if shift_id is not None:
        query = query.where(Rsvp.shift_id == shift_id)
    return session.exec(query).one()


def check_space(session: Session, *, event: Event, shift: EventShift | None) -> None:
    if event.capacity is not None and going_count(session, event_id=event.id) >= event.capacity:
        raise Conflict("Sorry, this event is full.")
    if shift is not None and shift.capacity is not None and \
            going_count(session, event_id=event.id, shift_id=shift.id) >= shift.capacity:
        raise Conflict("Sorry, that shift is full.")


def rsvp(session: Session, *, event_id: int, user_id: int, shift_id: int | None = None) -> Rsvp:
    """Say the user is going (idempotent). The event row is locked first (PostgreSQL; SQLite's
    writers queue anyway), so two people cannot both take the last place."""
    event = get_event(session, event_id, lock=True)
    if event.status != EventStatus.APPROVED:
        raise NotFound(f"Event {event_id} does not exist.")
    if as_utc(event.ends_at) <= utcnow():
        raise Conflict("This event is over.")
    shift = None
    if shift_id is not None:
        shift = session.get(EventShift, shift_id)
        if shift is None or shift.event_id != event.id:
            raise ValidationError("That shift is not part of this event.")
    row = session.exec(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == user_id)).first()
    if row is not None and row.status == RsvpStatus.GOING and row.shift_id == shift_id:
        return row
    if row is not None and row.status == RsvpStatus.GOING:
        row.status = RsvpStatus.CANCELLED  # moving shift: do not count the old place against the new one
        session.flush()
    check_space(session, event=event, shift=shift)
    row = row or Rsvp(event_id=event.id, user_id=user_id)
    row.status, row.shift_id, row.cancelled_at = RsvpStatus.GOING, shift_id, None
    session.add(row)
    session.flush()
    return row


def cancel_rsvp(session: Session, *, event_id: int, user_id: int) -> Rsvp | None:
    row = session.exec(select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.user_id == user_id)).first()
    if row is None or row.status == RsvpStatus.CANCELLED:
        return row
    row.status, row.cancelled_at = RsvpStatus.CANCELLED, utcnow()
    session.add(row)
    session.flush()
    return row


def record_attendance(session: Session, *, actor, event_id: int, attended: dict[int, bool]) -> int:
    """The host's record after the event: rsvp id -> attended. Unknown ids are refused whole."""
    event = get_event(session, event_id)
    if not access.may_manage_event(session, principal=actor, event=event):
        raise Forbidden("You may not record attendance for this event.")
    rows = {r.id: r for r in session.exec(select(Rsvp).where(Rsvp.event_id == event.id)).all()}
    unknown = set(attended) - set(rows)
    if unknown:
        raise ValidationError(f"RSVP {min(unknown)} is not part of this event.")
    for rsvp_id, value in attended.items():
        rows[rsvp_id].attended = bool(value)
        session.add(rows[rsvp_id])
    audit(session, action="event.attendance", actor_user_id=actor.id, target=f"event:{event.id}",
          detail={"rows": len(attended)})
    session.flush()
    return len(attended)
