"""Changes to a volunteer's people-you-know list: add, edit, remove, answer "is this them?", and
record a talk through the one contact path (channel "relational"). Each runs inside the caller's
``write_transaction``; access is checked here (app.auth.access), so views, commands and tests
share the rules."""
from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..auth.access import require_knows_people, require_own_entry
from ..config import Settings
from ..contacts import Actor, Status, record_contacts
from ..errors import ValidationError
from ..imports.phones import PhoneError, parse_phone
from ..models import Channel, Person, RelationalEntry, RelationalRejection, utcnow
from .matching import Register, Wanted, match_one
from .names import fold, is_postcode, postcode_key, street_key

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
LIMITS = {"name": 100, "postcode": 20, "street": 200, "phone": 40}


def clean_entry(*, name: str, postcode: str, street: str, phone: str, settings: Settings) -> dict:
    """The fields as stored, or ValidationError naming every field to fix (``details``)."""
    values = {"name": name, "postcode": postcode, "street": street, "phone": phone}
    problems: dict[str, str] = {}
    for field, raw in values.items():
        if not isinstance(raw, str):
            values[field] = raw = ""
        values[field] = " ".join(raw.split())
        if len(raw) > LIMITS[field]:
            problems[field] = f"At most {LIMITS[field]} characters."
        elif _CONTROL.search(raw.replace("\t", " ")):
            problems[field] = "Contains a control character: type it again."
    if "name" not in problems and not fold(values["name"]):
        problems["name"] = "Their name, as you know them (first name and surname)."
    key = postcode_key(values["postcode"])
    if "postcode" not in problems and key and not is_postcode(key):
        problems["postcode"] = f"{values['postcode']!r} is not a postcode or ZIP code."
    if not key and "street" not in problems and not street_key(values["street"]) and "postcode" not in problems:
        problems["postcode"] = "Their postcode, or the street they live on."
    e164 = None
    if values["phone"] and "phone" not in problems:
        try:
            e164, _ = parse_phone(values["phone"], settings.default_region)
        except PhoneError:
            problems["phone"] = "That is not a phone number; check it, or leave it out."
    if problems:
        raise ValidationError("Please check: " + "; ".join(f"{f}: {m}" for f, m in problems.items()),
                              details=[problems])
    display = key[:-3] + " " + key[-3:] if key and not key.isdigit() else key
    return {"name": values["name"], "postcode": display, "street": values["street"], "phone": e164}


def _rematch(session: Session, entry: RelationalEntry, *, settings: Settings, register: Register | None = None) -> None:
    """Offer the best register entry this volunteer has not said no to and has not linked elsewhere."""
    rejected = set(session.exec(select(RelationalRejection.person_id).where(RelationalRejection.entry_id == entry.id)))
    linked = set(session.exec(select(RelationalEntry.person_id).where(
        RelationalEntry.owner_id == entry.owner_id, RelationalEntry.person_id.is_not(None), RelationalEntry.id != entry.id)))
    wanted = Wanted(key=entry.id, name=entry.name, postcode=entry.postcode, street=entry.street, phone=entry.phone,
                    exclude=frozenset(rejected | linked))
    found = match_one(session, wanted, register=register or Register(session), settings=settings)
    entry.suggested_person_id = found.person_id if found else None
    entry.checked_at = utcnow()


def add_entry(session: Session, *, principal, name: str, postcode: str = "", street: str = "", phone: str = "",
              settings: Settings) -> RelationalEntry:
    require_knows_people(principal)
    values = clean_entry(name=name, postcode=postcode, street=street, phone=phone, settings=settings)
    count = session.exec(select(sa.func.count()).select_from(RelationalEntry).where(
        RelationalEntry.owner_id == principal.id)).one()
    if count >= settings.relational.max_entries:
        raise ValidationError(f"You have listed {count} people, the most one volunteer may: remove someone first.")
    entry = RelationalEntry(owner_id=principal.id, **values)
    session.add(entry)
    session.flush()
    _rematch(session, entry, settings=settings)
    return entry


def update_entry(session: Session, *, principal, entry_id: int, name: str, postcode: str = "", street: str = "",
                 phone: str = "", settings: Settings) -> RelationalEntry:
    """New details; a change of name or place forgets the link and the noes (a new person)."""
    entry = require_own_entry(principal, session.get(RelationalEntry, entry_id))
    values = clean_entry(name=name, postcode=postcode, street=street, phone=phone, settings=settings)
    moved = any(values[f] != getattr(entry, f) for f in ("name", "postcode", "street"))
    for field, value in values.items():
        setattr(entry, field, value)
    entry.updated_at = utcnow()
    if moved:
        session.execute(sa.delete(RelationalRejection).where(RelationalRejection.entry_id == entry.id))
        entry.person_id = entry.confirmed_at = None
        _rematch(session, entry, settings=settings)
    session.add(entry)
    return entry


def delete_entry(session: Session, *, principal, entry_id: int) -> None:
    """Forget the entry (the talks recorded stay: they are the campaign's contact history)."""
    entry = require_own_entry(principal, session.get(RelationalEntry, entry_id))
    session.execute(sa.delete(RelationalRejection).where(RelationalRejection.entry_id == entry.id))
    session.delete(entry)


def answer_match(session: Session, *, principal, entry_id: int, answer: str, settings: Settings) -> RelationalEntry:
    """"yes": the person offered is who they meant; "no": offer the next best, if any."""
    entry = require_own_entry(principal, session.get(RelationalEntry, entry_id))
    if answer not in ("yes", "no"):
        raise ValidationError("Answer yes or no.")
    if entry.suggested_person_id is None:
        raise ValidationError("There is nobody to confirm for this person: edit their details, or remove them.")
    if answer == "yes":
        entry.person_id, entry.suggested_person_id, entry.confirmed_at = entry.suggested_person_id, None, utcnow()
        audit(session, action="relational.confirm", actor_user_id=principal.id, target=f"relational_entry:{entry.id}")
    else:
        session.add(RelationalRejection(entry_id=entry.id, person_id=entry.suggested_person_id))
        session.flush()
        _rematch(session, entry, settings=settings)
    entry.updated_at = utcnow()
    session.add(entry)
    return entry


def record_talk(session: Session, *, principal, entry_id: int, event_id: str, code: str, support_level: str = "",
                notes: str = "", settings: Settings, now: datetime | None = None) -> Status:
    """One conversation, through ``app.contacts.record_contacts`` with channel "relational": the
    form's event id makes a resend a duplicate, never a second contact."""
    entry = require_own_entry(principal, session.get(RelationalEntry, entry_id))
    if entry.person_id is None:
        raise ValidationError("Confirm who this is on the register before recording a talk.")
    person = session.get(Person, entry.person_id)
    if person is None:  # purged since: the entry was unlinked by the purge; a race at worst
        raise ValidationError("This person is no longer on the register.")
    event = {"id": event_id, "code": code, "household_id": person.household_id, "person_id": person.id,
             "recorded_at": (now or utcnow()).isoformat(), "notes": notes}
    if support_level:
        event["responses"] = [{"person_id": person.id, "support_level": support_level}]
    label = getattr(principal, "email", "")
    [status] = record_contacts(session, events=[event], actor=Actor(user_id=principal.id, label=label),
                               settings=settings, channel=Channel.RELATIONAL)
    return status
