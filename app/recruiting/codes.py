"""Recruiting codes: eight characters a person can read out or type from a phone screen.

No 0/O, 1/I/L or U: nothing to misread. 30**8 (about 6.6e11) codes, so a guess hits one of
10,000 volunteers' codes about once in 65 million tries, and sign-up is rate-limited."""
from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from sqlmodel import Session

from ..models import RecruitCode, User
from ..recognition.names import first_name, short_name  # noqa: F401  (re-exported)

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
_JUNK = re.compile(r"[^0-9A-Z]")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str | None) -> str | None:
    """A typed or linked code in its stored form ("abcd-efgh " -> "ABCDEFGH"), or None when it
    cannot be one (so a lookup never even runs for junk)."""
    if not text or len(text) > 40:
        return None
    code = _JUNK.sub("", text.upper())
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def display(code: str) -> str:
    """How a person sees it: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def recruiter_for(session: Session, *, code: str | None) -> tuple[int, str] | None:
    """(user id, first name) of the active account whose code this is; None for junk, an
    unknown or retired code, or a deactivated account."""
    code = normalise(code)
    if code is None:
        return None
    row = session.execute(sa.select(User.id, User.name).join(RecruitCode, RecruitCode.user_id == User.id)
                          .where(RecruitCode.code == code, User.is_active.is_(True))).first()
    if row is None:
        return None
    return row.id, first_name(row.name)
