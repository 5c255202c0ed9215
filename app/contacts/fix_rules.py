"""Checking one correction a canvasser made at the door (``app.contacts.fixes`` stores it).

A fix travels in the phone's outbox with the door knocks, as an item with ``"type": "fix"``:
``{"id": uuid, "type": "fix", "fix": kind, "household_id", "walk_list_id", "person_id",
"first_name", "last_name", "phone", "email", "consent": {"text", "at"}, "recorded_at"}``.
Pure functions over the raw JSON; a problem raises ``Reject`` with the reason the phone shows.
"""
from __future__ import annotations

import re
from datetime import datetime

from ..config import Settings
from ..imports.phones import PhoneError, parse_phone
from .validate import Reject, parse_event_id, parse_id, parse_timestamp

KINDS = ("add", "moved", "deceased", "name", "phone", "email")
GONE_KINDS = ("moved", "deceased")
MAX_NAME = 100       # people.first_name / last_name
MAX_EMAIL = 254      # RFC 5321's path limit
MAX_PHONE_TEXT = 40  # anything longer is not a phone number, however it is written
MAX_CONSENT = 1000
# Every C0 and C1 control, and the invisible format characters a paste can bring along.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
# One @, something before it, a dotted domain after it, no spaces: what a mail server can deliver
# to. Deliberately no more: real addresses break stricter patterns.
_EMAIL = re.compile(r"^[^@\s]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def is_fix(raw) -> bool:
    return isinstance(raw, dict) and raw.get("type") == "fix"


def clean_text(raw, name: str, limit: int) -> str:
    """Text a person typed: controls stripped, spaces collapsed, at most ``limit`` characters."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise Reject(f"{name} must be text")
    text = " ".join(_CONTROLS.sub("", raw).split())
    if len(text) > limit:
        raise Reject(f"{name} is longer than {limit} characters")
    return text


def _names(raw: dict) -> dict:
    first = clean_text(raw.get("first_name"), "first_name", MAX_NAME)
    last = clean_text(raw.get("last_name"), "last_name", MAX_NAME)
    if not first and not last:
        raise Reject("give a first or last name")
    return {"first_name": first, "last_name": last}


def clean_phone(raw, settings: Settings) -> tuple[str, str]:
    """(E.164, type) in the campaign's default region."""
    text = clean_text(raw, "phone", MAX_PHONE_TEXT)
    if not text:
        raise Reject("phone is empty")
    try:
        return parse_phone(text, settings.default_region)
    except PhoneError as err:
        raise Reject(str(err)) from None


def clean_email(raw) -> str:
    text = clean_text(raw, "email", MAX_EMAIL)
    if not _EMAIL.match(text):
        raise Reject(f"email {text[:60]!r} is not an email address")
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def _consent(raw, *, now: datetime) -> tuple[str, datetime]:
    """The wording the canvasser read out and when the resident agreed. The phone's own copy of
    the wording is stored (not today's setting): it is what this person heard."""
    if not isinstance(raw, dict):
        raise Reject("a phone number or email needs the resident's consent")
    text = clean_text(raw.get("text"), "consent.text", MAX_CONSENT)
    if not text:
        raise Reject("a phone number or email needs the consent wording that was read out")
    return text, parse_timestamp(raw.get("at"), now=now)


def validate_fix(raw: dict, *, settings: Settings, now: datetime) -> dict:
    """The fix's row values and what it changes (``after``); raises Reject."""
    kind = raw.get("fix")
    if not isinstance(kind, str) or kind not in KINDS:
        raise Reject(f"fix must be one of {', '.join(KINDS)} (got {str(kind)[:40]!r})")
    household_id = parse_id(raw.get("household_id"))
    walk_list_id = parse_id(raw.get("walk_list_id"))
    if household_id is None or walk_list_id is None:
        raise Reject("a fix needs the household_id and walk_list_id it was made on")
    person_id = None
    if kind != "add":
        person_id = parse_id(raw.get("person_id"))
        if person_id is None:
            raise Reject("person_id must be a positive integer id")
    after: dict = {}
    if kind in ("add", "name"):
        after.update(_names(raw))
    if kind == "phone" or (kind == "add" and raw.get("phone")):
        after["phone"], after["phone_type"] = clean_phone(raw.get("phone"), settings)
    if kind == "email" or (kind == "add" and raw.get("email")):
        after["email"] = clean_email(raw.get("email"))
    consent_text, consent_at = "", None
    if "phone" in after or "email" in after:
        consent_text, consent_at = _consent(raw.get("consent"), now=now)
    return dict(id=parse_event_id(raw.get("id")), kind=kind, household_id=household_id, person_id=person_id,
                walk_list_id=walk_list_id, recorded_at=parse_timestamp(raw.get("recorded_at"), now=now),
                consent_text=consent_text, consent_at=consent_at, after=after)


__all__ = ["KINDS", "GONE_KINDS", "is_fix", "validate_fix", "clean_text", "clean_phone", "clean_email"]
