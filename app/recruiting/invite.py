"""A recruiting link opened on a device: its code is kept in a first-party cookie, so a sign-up
on that device days later is still credited; the sign-up form shows whose it is."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from sqlmodel import Session

from ..config import settings
from . import codes

COOKIE = "legwork_invite"


@dataclass(frozen=True)
class Invite:
    code: str           # as stored
    first_name: str     # the recruiter's, shown as "Invited by ..."

    @property
    def shown(self) -> str:
        return codes.display(self.code)


def lookup(session: Session, code: str | None) -> Invite | None:
    found = codes.recruiter_for(session, code=code)
    return Invite(codes.normalise(code), found[1]) if found is not None else None


def incoming(session: Session) -> Invite | None:
    """The invite this request carries: the link's ?r= first, else the device's cookie."""
    return lookup(session, request.args.get("r")) or lookup(session, request.cookies.get(COOKIE))


PUBLIC_PAGES = ("volunteers.get_involved", "volunteers.signup")


def wants_remembering(response) -> bool:
    return request.endpoint in PUBLIC_PAGES and bool(request.args.get("r")) and response.status_code < 500


def remember(response, session: Session):
    """Keep a good ?r= code on this device (a bad one changes nothing)."""
    invite = lookup(session, request.args.get("r"))
    if invite is not None and request.cookies.get(COOKIE) != invite.code:
        response.set_cookie(COOKIE, invite.code, max_age=settings().recruiting.cookie_days * 86400, httponly=True,
                            samesite="Lax", secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response
