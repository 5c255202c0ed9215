"""Who is making the request: a User (email + password) or a PinPrincipal (list code + PIN).

Flask-Login stores "user:<id>:<generation>" or "pin:<id>" in the session; this loader turns it
back into an object, refusing deactivated users and sessions from an older generation (ended by a
password change or "sign out everywhere") at once. A revoked PIN (or one whose list was released)
becomes a LapsedPinPrincipal: anonymous to every page and read, but the phone's outbox may still
hand in what was recorded while the PIN was good (``app.api.views.post_outcomes``).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlmodel import select

from ..db import get_session
from ..extensions import login_manager
from ..models import ListPin, ListStatus, User, WalkList


@dataclass
class PinPrincipal:
    """A volunteer without an account, allowed into exactly one walk list."""

    pin: ListPin

    is_authenticated = True
    is_active = True
    is_anonymous = False
    role_set = frozenset({"pin"})

    @property
    def id(self) -> None:  # not a user: contact events record actor_pin_id instead
        return None

    @property
    def walk_list_id(self) -> int:
        return self.pin.walk_list_id

    @property
    def name(self) -> str:
        return self.pin.label or f"PIN volunteer {self.pin.id}"

    @property
    def email(self) -> str:
        return ""

    def has_role(self, *roles: str) -> bool:
        return "pin" in roles

    def get_id(self) -> str:
        return f"pin:{self.pin.id}"


@dataclass
class LapsedPinPrincipal:
    """A PIN joiner whose PIN was revoked or whose list was released. Not signed in: every
    ``is_authenticated`` check (pages, reads, roles) refuses it as it refuses anyone anonymous;
    only the outcome POST looks for ``pin`` and judges each door by the lapsed-hold rule
    (``app.auth.access.late_verdict``)."""

    pin: ListPin

    is_authenticated = False
    is_active = False
    is_anonymous = True
    role_set = frozenset()
    id = None
    email = ""
    name = ""

    def has_role(self, *roles: str) -> bool:
        return False

    def get_id(self) -> str:
        return f"pin:{self.pin.id}"


_users = User.__table__
# Every request loads its user: a Core query compiled once rather than session.get's ORM load
# (which cost a third of a door-knock POST). Deactivated users are refused in the query.
_new_user = sa.inspect(User).class_manager.new_instance
_ACTIVE_USER = sa.select(*_users.c).where(_users.c.id == sa.bindparam("id"), _users.c.is_active.is_(True))


def _active_user(session, user_id: int, generation: int) -> User | None:
    row = session.connection().execute(_ACTIVE_USER, {"id": user_id}).first()
    # The generation is on the row already read: ending sessions costs the hot path no query.
    if row is None or row.session_generation != generation:
        return None
    # Built the way the ORM builds a loaded row (no model __init__), then detached with its
    # identity, as if loaded and expunged: every column is loaded, and a caller that changes it
    # (change_password) session.add()s it back, which UPDATEs the row.
    configure_mappers()  # a fresh worker's first request may come before any ORM query
    user = _new_user()
    user.__dict__.update(row._mapping)
    make_transient_to_detached(user)
    return user


def load_principal(token: str):
    kind, _, rest = (token or "").partition(":")
    # "user:<id>" (signed in before generations existed) is generation 0.
    raw_id, _, raw_generation = rest.partition(":")
    if not raw_id.isdigit() or not (raw_generation or "0").isdigit():
        return None
    session = get_session()
    if kind == "user":
        return _active_user(session, int(raw_id), int(raw_generation or "0"))
    if kind == "pin":
        row = session.exec(
            select(ListPin, WalkList.status).join(WalkList, WalkList.id == ListPin.walk_list_id)
            .where(ListPin.id == int(raw_id))
        ).first()
        if row is None:
            return None
        pin, status = row
        return PinPrincipal(pin) if pin.revoked_at is None and status == ListStatus.ACTIVE else LapsedPinPrincipal(pin)
    return None


login_manager.user_loader(load_principal)
