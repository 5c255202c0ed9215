"""The organiser's share message: its placeholders, checked when saved, and the share links
(WhatsApp, SMS, email) that carry it."""
from __future__ import annotations

import string
from urllib.parse import quote

from sqlmodel import Session, select

from ..config import settings
from ..errors import ValidationError
from ..models import RecruitMessage

PLACEHOLDERS = {"name": "the volunteer's first name", "link": "their recruiting link",
                "code": "their code, to type on another device", "campaign": "the campaign's name"}
MAX_LENGTH = 1000


def check(body: str) -> str:
    """The message as it will be stored, or a ValidationError that says what to fix."""
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write the message volunteers will share.")
    if len(body) > MAX_LENGTH:
        raise ValidationError(f"Keep the message under {MAX_LENGTH} characters (it is {len(body)}).")
    known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(body) if name is not None]
    except ValueError:
        raise ValidationError("A { or } has no partner: placeholders look like {name}; "
                              "write {{ or }} for a brace itself.") from None
    for name, spec, conv in fields:
        if name not in PLACEHOLDERS or spec or conv:
            raise ValidationError(f"Unknown placeholder {{{name}}}: use {known}.")
    if "{link}" not in body and "{code}" not in body:
        raise ValidationError("Put {link} (or at least {code}) in the message, or nobody is credited.")
    return body


def current(session: Session) -> str:
    row = session.exec(select(RecruitMessage).order_by(RecruitMessage.id)).first()
    return row.body if row is not None else settings().recruiting.message


def render(body: str, *, name: str, link: str, code: str) -> str:
    """Fill the placeholders. A message from config.toml that does not pass ``check`` is shown
    as written rather than failing the volunteer's page (the organiser's page says what is wrong)."""
    try:
        check(body)
    except ValidationError:
        return body
    return body.format(name=name, link=link, code=code, campaign=settings().campaign_name)


def share_links(text: str, *, subject: str) -> dict[str, str]:
    return {"whatsapp": "https://wa.me/?text=" + quote(text, safe=""),
            "sms": "sms:?&body=" + quote(text, safe=""),
            "email": f"mailto:?subject={quote(subject, safe='')}&body={quote(text, safe='')}"}
