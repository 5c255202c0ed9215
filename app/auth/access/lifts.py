"""Polling day's lifts and committee rooms. A driver sees a voter's name, address, phone and
access needs only for the one lift they hold (claimed, by them, not finished); the queue they
are shown otherwise says how many are waiting and nothing about who. Committee-room staff and
organisers run the whole queue and the committee rooms' dashboards."""
from __future__ import annotations

from ...errors import Conflict, Forbidden
from .roles import is_user


def may_run_polling_day(principal) -> bool:
    """The committee room's pages: its dashboard, the whole lift queue, requesting a lift."""
    return is_user(principal) and principal.has_role("committee", "organiser")


def may_drive(principal) -> bool:
    return is_user(principal) and principal.has_role("driver")


def holds_lift(principal, lift) -> bool:
    return (may_drive(principal) and lift is not None and lift.status == "claimed"
            and lift.driver_id == principal.id)


def require_lift_holder(principal, lift) -> None:
    """Releasing or finishing a lift, or reading its voter: only the driver holding it."""
    if not may_drive(principal):
        raise Forbidden("Only drivers take lifts.")
    if not holds_lift(principal, lift):
        raise Conflict("You do not hold this lift (any more): take the next one from the queue.")
