"""A list's PINs: account-less access to one list (its code + a PIN), handed out by an organiser
or team lead, never stored in the clear, revoked at will. Each takes an explicit session and
leaves committing to the caller."""
from __future__ import annotations

import secrets

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit import audit
from ..auth.access import Scope
from ..errors import Conflict, NotFound
from ..models import ListPin, ListStatus, WalkList, utcnow
from .operations import get_list


def create_pin(session: Session, *, walk_list_id: int, label: str = "", created_by_id: int | None,
               length: int = 8, scope: Scope | None = None) -> tuple[ListPin, str]:
    """A new PIN for a list: returns the row and the PIN itself, which is never stored or shown again."""
    walk_list = get_list(session, walk_list_id, scope=scope)
    if walk_list.status != ListStatus.ACTIVE:
        raise Conflict(f"{walk_list.name} has been released; it cannot get a PIN.")
    pin = "".join(str(secrets.randbelow(10)) for _ in range(max(4, int(length))))
    row = ListPin(walk_list_id=walk_list_id, pin_hash=generate_password_hash(pin), label=label.strip()[:120],
                  created_by_id=created_by_id)
    session.add(row)
    session.flush()
    audit(session, action="pin.create", actor_user_id=created_by_id, target=f"walk_list:{walk_list_id}",
          detail={"pin": row.id, "label": row.label})
    return row, pin


def revoke_pin(session: Session, *, pin_id: int, by_id: int | None, scope: Scope | None = None) -> ListPin:
    row = session.get(ListPin, pin_id)
    if row is None:
        raise NotFound(f"PIN {pin_id} does not exist.")
    get_list(session, row.walk_list_id, scope=scope)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        audit(session, action="pin.revoke", actor_user_id=by_id, target=f"walk_list:{row.walk_list_id}",
              detail={"pin": row.id})
        session.flush()
    return row


def check_pin(session: Session, *, code: str, pin: str) -> ListPin | None:
    """The live PIN matching a list code, or None. Same answer for a wrong code and a wrong PIN."""
    code = (code or "").strip().upper()
    pin = (pin or "").strip()
    if not code or not pin.isdigit():
        return None
    rows = session.exec(select(ListPin).join(WalkList, WalkList.id == ListPin.walk_list_id).where(
        WalkList.code == code, WalkList.status == ListStatus.ACTIVE, ListPin.revoked_at.is_(None))).all()
    return next((row for row in rows if check_password_hash(row.pin_hash, pin)), None)
