"""Working the follow-up queue: claim one ("I'm on it"), let it go, tick it off with a note.
Each in the caller's write transaction, audited (ids only: the audit log names no resident)."""
from __future__ import annotations

from sqlmodel import Session

from ..audit import audit
from ..errors import Conflict, ValidationError
from ..models import FollowUp, utcnow

MAX_DONE_NOTE = 2000


def claim(session: Session, *, follow_up: FollowUp, user) -> FollowUp:
    """Say "I'm on it": refused when someone else holds it or it is done."""
    if follow_up.status == "done":
        raise Conflict("That follow-up is already done.")
    if follow_up.status == "claimed" and follow_up.claimed_by_id != user.id:
        raise Conflict("Someone else is already on that follow-up.")
    follow_up.status, follow_up.claimed_by_id, follow_up.claimed_at = "claimed", user.id, utcnow()
    session.add(follow_up)
    audit(session, action="followup.claim", actor_user_id=user.id, actor_label=user.email,
          target=f"follow_up:{follow_up.id}", detail={"kind": follow_up.kind})
    return follow_up


def release(session: Session, *, follow_up: FollowUp, user) -> FollowUp:
    """Give a claimed follow-up back to the queue (the claimer, an organiser or a lead may)."""
    if follow_up.status != "claimed":
        raise Conflict("That follow-up is not claimed.")
    follow_up.status, follow_up.claimed_by_id, follow_up.claimed_at = "open", None, None
    session.add(follow_up)
    audit(session, action="followup.release", actor_user_id=user.id, actor_label=user.email,
          target=f"follow_up:{follow_up.id}", detail={"kind": follow_up.kind})
    return follow_up


def clean_note(raw) -> str:
    note = (raw or "").strip() if isinstance(raw, str) else ""
    if len(note) > MAX_DONE_NOTE:
        raise ValidationError(f"The note is longer than {MAX_DONE_NOTE} characters.")
    if any(ord(c) < 32 and c not in "\n\r\t" for c in note):
        raise ValidationError("The note contains a control character.")
    return note


def mark_done(session: Session, *, follow_up: FollowUp, user, note: str) -> FollowUp:
    """Tick it off, with what was done ("poster dropped off Tuesday")."""
    if follow_up.status == "done":
        raise Conflict("That follow-up is already done.")
    follow_up.status, follow_up.done_by_id, follow_up.done_at = "done", user.id, utcnow()
    follow_up.done_note = clean_note(note)
    if follow_up.claimed_by_id is None:
        follow_up.claimed_by_id, follow_up.claimed_at = user.id, follow_up.done_at
    session.add(follow_up)
    audit(session, action="followup.done", actor_user_id=user.id, actor_label=user.email,
          target=f"follow_up:{follow_up.id}", detail={"kind": follow_up.kind})
    return follow_up
