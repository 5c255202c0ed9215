"""A walk list's name: organisers (and a team lead, for a list in their areas) rename a list, say
after a turf is re-walked or to match a paper map. Audited with the old and the new name."""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session

from ..audit import audit
from ..auth.access import Scope
from ..errors import ValidationError
from ..models import ListStatus, WalkList
from .operations import get_list

MAX_NAME = 120  # WalkList.name's column
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_name(name: str | None) -> str:
    """The name as it will be stored (runs of spaces made one), or ValidationError saying why not."""
    text = " ".join((name or "").split())
    if not text:
        raise ValidationError("Give the list a name.")
    if len(text) > MAX_NAME:
        raise ValidationError(f"A list's name is at most {MAX_NAME} characters ({len(text)} given).")
    if _CONTROL.search(text):  # (tabs and newlines were spaces, tidied above)
        raise ValidationError("A list's name cannot hold control characters.")
    return text


def rename_list(session: Session, *, walk_list_id: int, name: str, by_id: int | None,
                scope: Scope | None = None) -> WalkList:
    """Rename a list. Two active lists may not share a name (volunteers pick theirs by it)."""
    walk_list = get_list(session, walk_list_id, scope=scope)
    new = clean_name(name)
    if new == walk_list.name:
        return walk_list
    taken = session.execute(sa.select(WalkList.id).where(
        sa.func.lower(WalkList.name) == new.lower(), WalkList.id != walk_list_id,
        WalkList.status == ListStatus.ACTIVE)).first()
    if taken is not None:
        raise ValidationError(f"Another active list is already called “{new}”.")
    audit(session, action="lists.rename", actor_user_id=by_id, target=f"walk_list:{walk_list_id}",
          detail={"from": walk_list.name, "to": new})
    walk_list.name = new
    session.add(walk_list)
    session.flush()
    return walk_list
