"""Who is making the request: a User (email + password) or a PinPrincipal (list code + PIN).

Flask-Login stores "user:<id>" or "pin:<id>" in the session; this loader turns it back into
an object, refusing deactivated users and revoked PINs at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from ..db import get_session
from ..extensions import login_manager
from ..models import ListPin, User, WalkList


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


def load_principal(token: str):
    kind, _, raw_id = (token or "").partition(":")
    if not raw_id.isdigit():
        return None
    session = get_session()
    if kind == "user":
        user = session.get(User, int(raw_id))
        return user if user is not None and user.is_active else None
    if kind == "pin":
        row = session.exec(
            select(ListPin).join(WalkList, WalkList.id == ListPin.walk_list_id)
            .where(ListPin.id == int(raw_id), ListPin.revoked_at.is_(None), WalkList.status == "active")
        ).first()
        return PinPrincipal(row) if row is not None else None
    return None


login_manager.user_loader(load_principal)
