"""Universe changes: create, update, delete. Each is audited; callers run them in
``write_transaction`` (the checks that decide the write read inside it)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..config import Settings
from ..errors import Conflict, ValidationError
from ..models import Universe, utcnow
from . import tree as trees
from .queries import checked, get_universe

MAX_NAME = 120


def _audit(session: Session, action: str, actor, universe: Universe, **detail) -> None:
    audit(session, action=action, actor_user_id=getattr(actor, "id", None),
          actor_label=getattr(actor, "email", "cli"), target=f"universe:{universe.id}", detail=detail)


def _clean_name(session: Session, name, *, universe_id: int | None = None) -> str:
    name = " ".join(str(name or "").split())
    if not name or len(name) > MAX_NAME:
        raise ValidationError(f"A universe's name is 1 to {MAX_NAME} characters.")
    clash = session.exec(select(Universe.id).where(sa.func.lower(Universe.name) == name.lower(),
                                                   Universe.id != (universe_id or 0))).first()
    if clash is not None:
        raise Conflict(f"There is already a universe called {name}.")
    return name


def create_universe(session: Session, *, name, definition, settings: Settings, actor=None) -> Universe:
    """Save a new universe from a tree (a dict or its JSON text)."""
    text = trees.dumps(checked(session, definition, settings=settings))
    universe = Universe(name=_clean_name(session, name), definition=text, created_by_id=getattr(actor, "id", None),
                        updated_by_id=getattr(actor, "id", None))
    session.add(universe)
    session.flush()
    _audit(session, "universe.create", actor, universe, name=universe.name, definition=text)
    return universe


def update_universe(session: Session, *, universe_id: int, name, definition, settings: Settings,
                    actor=None) -> Universe:
    universe = get_universe(session, universe_id=universe_id)
    text = trees.dumps(checked(session, definition, settings=settings))
    before = {"name": universe.name, "definition": universe.definition}
    universe.name = _clean_name(session, name, universe_id=universe_id)
    universe.definition, universe.updated_at = text, utcnow()
    universe.updated_by_id = getattr(actor, "id", None)
    session.add(universe)
    session.flush()
    _audit(session, "universe.update", actor, universe, before=before, name=universe.name, definition=text)
    return universe


def delete_universe(session: Session, *, universe_id: int, actor=None) -> str:
    """Delete a universe. Lists and sheets cut from it keep their people: they were chosen then."""
    universe = get_universe(session, universe_id=universe_id)
    name, text = universe.name, universe.definition
    session.delete(universe)
    session.flush()
    _audit(session, "universe.delete", actor, universe, name=name, definition=text)
    return name
