"""Phone-bank state changes: make sheets, queue them, record a disposition, place a bridged call.

Used by the views, the CLI and the tests alike. Keyword-only arguments, an explicit session;
nothing here commits except where a function says so: callers wrap writers in
``app.db.write_transaction`` (SQLite takes its write lock up front; lock errors are retried).
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from itertools import groupby

import phonenumbers
from sqlmodel import Session, select

from walklists import CallSheet as SheetValue
from walklists import split_call_sheets

from ..audit import audit
from ..auth.access import Scope as AreaScope, list_in_scope, sheet_in_scope
from ..config import Settings
from ..contacts import Actor, ledger_blocks, record_contacts
from ..db import write_transaction
from ..errors import Conflict, Forbidden, NotFound, ValidationError
from ..models import CallAttempt, CallQueueEntry, CallSheet, CallSheetEntry, Channel, Person, User, WalkList, utcnow
from ..universes.queries import get_universe, universe_people
from . import queue, selection, telephony

MAX_CALL_BACK = timedelta(days=90)


# ---- organiser: sheets and the queue --------------------------------------------------------
def make_call_sheets(session: Session, *, scope: str, criteria: str, priority: str, sheet_size: int,
                     actor_user_id: int | None, settings: Settings, name: str = "",
                     area_scope: AreaScope | None = None, universe_id: int | None = None) -> list[CallSheet]:
    """Split the chosen people into sheets (one time zone each) and save them. ``area_scope``: a
    team lead's areas (None: anywhere); ``scope`` is the one ward, neighbourhood or list to call;
    ``universe_id``: only that universe's people there (app.universes)."""
    where = selection.parse_scope(session, scope)
    if area_scope is not None and not _where_in_scope(session, where, area_scope):
        raise Forbidden(f"{where.name} is outside your team's areas.")
    if not 1 <= sheet_size <= 1000:
        raise ValidationError("Sheet size must be between 1 and 1000 numbers.")
    universe = get_universe(session, universe_id=universe_id) if universe_id is not None else None
    people, blocked = selection.callees(
        session, scope=where, criteria=criteria, priority=priority, settings=settings,
        person_ids=universe_people(session, universe_id=universe.id, settings=settings) if universe else None)
    values: list[SheetValue] = split_call_sheets(people, sheet_size, do_not_contact=blocked)
    among = f" in the universe {universe.name}" if universe else ""
    if not values:
        raise ValidationError(f"No one in {where.name}{among} with a callable number matches "
                              f"“{selection.criteria_label(criteria)}”.")
    label = f"{where.name} · {universe.name}" if universe else where.name
    base = name.strip() or f"{label} · {criteria.replace('_', ' ')}"
    sheets = save_call_sheets(session, values=values, base=base, criteria=criteria, actor_user_id=actor_user_id,
                              where=where)
    audit(session, action="phonebank.sheets", actor_user_id=actor_user_id, target=scope,
          detail={"criteria": criteria, "priority": priority, "sheets": [s.id for s in sheets],
                  **({"universe": universe.id} if universe else {})})
    return sheets


def save_call_sheets(session: Session, *, values: list[SheetValue], base: str, criteria: str,
                     actor_user_id: int | None, where: selection.Scope | None = None) -> list[CallSheet]:
    """Store split_call_sheets' sheets as "<base> · n/m", made at one moment (the sheets page lists
    batches newest first, each 1/n to n/n). ``where``: the area they were made for (None: no area,
    so organisers only); ``criteria`` says how the people were chosen (a CRITERIA key, or
    queue.KNOCKUP for polling day's knock-up)."""
    base = base[:100]
    sheets = []
    made_at = utcnow()
    for number, value in enumerate(values, start=1):
        sheet = CallSheet(
            name=f"{base} · {number}/{len(values)}", timezone=value.timezone, criteria=criteria,
            ward_id=where.id if where is not None and where.kind == "ward" else None,
            neighbourhood_id=where.id if where is not None and where.kind == "neighbourhood" else None,
            walk_list_id=where.id if where is not None and where.kind == "list" else None,
            created_by_id=actor_user_id, created_at=made_at,
        )
        session.add(sheet)
        session.flush()
        for position, entry in enumerate(value.entries):
            for person in entry.people:
                session.add(CallSheetEntry(sheet_id=sheet.id, person_id=int(person.id), phone=entry.phone,
                                           position=position, priority=person.priority))
        sheets.append(sheet)
    return sheets


def _where_in_scope(session: Session, where: selection.Scope, area_scope: AreaScope) -> bool:
    if where.kind == "list":
        walk_list = session.get(WalkList, where.id)
        return walk_list is not None and list_in_scope(area_scope, walk_list)
    return area_scope.covers_key(f"{'ward' if where.kind == 'ward' else 'hood'}:{where.id}")


def enqueue_sheet(session: Session, *, sheet_id: int, actor_user_id: int | None, settings: Settings,
                  area_scope: AreaScope | None = None) -> int:
    """Put a sheet's numbers into the live queue; returns how many were added.

    A number already waiting or claimed is not queued twice, and numbers blocked since the sheet
    was made (ledger, retired) are left out.
    """
    sheet = session.get(CallSheet, sheet_id)
    if sheet is None:
        raise NotFound("There is no such call sheet.")
    if not sheet_in_scope(session, area_scope, sheet):
        raise Forbidden("That call sheet is outside your team's areas.")
    if sheet.in_queue:
        raise Conflict(f"“{sheet.name}” is already in the live queue.")
    live = set(session.exec(select(CallQueueEntry.phone).where(CallQueueEntry.status.in_(queue.LIVE))))
    rows = session.exec(select(CallSheetEntry).where(CallSheetEntry.sheet_id == sheet_id)
                        .order_by(CallSheetEntry.position, CallSheetEntry.priority, CallSheetEntry.person_id)).all()
    added = 0
    for _, group in groupby(rows, key=lambda r: r.position):
        first = next(group)
        person = session.get(Person, first.person_id)
        if (first.phone in live or person is None or person.phone != first.phone or person.phone_retired_at
                or ledger_blocks(session, person_id=person.id, household_id=person.household_id, phone=person.phone)):
            continue
        zone = sheet.timezone if sheet.timezone != "unknown" else queue.timezone_for_number(first.phone, settings.timezone)
        session.add(CallQueueEntry(person_id=first.person_id, sheet_id=sheet.id, phone=first.phone,
                                   timezone=zone, priority=first.priority))
        live.add(first.phone)
        added += 1
    sheet.in_queue = True
    audit(session, action="phonebank.enqueue", actor_user_id=actor_user_id, target=f"sheet:{sheet.id}",
          detail={"added": added})
    return added


# ---- caller: a call and its outcome -----------------------------------------------------------
def own_attempt(session: Session, *, attempt_id: int, caller) -> CallAttempt:
    """The attempt, if it is this caller's (organisers may look at anyone's)."""
    attempt = session.get(CallAttempt, attempt_id)
    if attempt is None:
        raise NotFound("That call is no longer open: it may have been skipped or handed back.")
    if attempt.caller_id != caller.id and not caller.has_role("organiser"):
        raise Forbidden("That call belongs to another caller.")
    return attempt


def callers_own_attempt(session: Session, *, attempt_id: int, caller) -> CallAttempt:
    """The attempt, only if this caller made it: acting on a call is its caller's alone."""
    attempt = own_attempt(session, attempt_id=attempt_id, caller=caller)
    if attempt.caller_id != caller.id:
        raise Forbidden("Only the caller who made this call can act on it.")
    return attempt


def record_disposition(session: Session, *, attempt_id: int, caller, event_id: str, code: str,
                       settings: Settings, now: datetime, notes: str = "", spoke_with: int | None = None,
                       support_level: str | None = None, issues: list[str] | None = None,
                       volunteer_interest: bool = False, call_back_at: datetime | None = None,
                       answers: dict | None = None, asks: dict | None = None) -> CallAttempt:
    """Store the call's outcome through app.contacts, then apply the queue's retry rules. ``asks``:
    a poster, a postal-vote form, a question to follow up (each makes a follow-up, app.followups).

    ``call_back_at`` is UTC. Idempotent on ``event_id``: a double-submitted form records once.
    """
    now = queue.as_utc(now)
    call_back_at = queue.as_utc(call_back_at) if call_back_at is not None else None
    attempt = own_attempt(session, attempt_id=attempt_id, caller=caller)
    if attempt.caller_id != caller.id:
        raise Forbidden("Only the caller who made this call can record its outcome.")
    if attempt.disposition is not None:
        if attempt.event_id == event_id:
            return attempt
        raise Conflict("This call's outcome is already recorded.")
    codes = settings.codes(Channel.PHONE)
    if code not in codes:
        raise ValidationError("Choose what happened on the call.")
    disposition = codes[code]
    if disposition.schedule:
        if call_back_at is None:
            raise ValidationError("Choose when to call back.")
        if not now < call_back_at <= now + MAX_CALL_BACK:
            raise ValidationError("The call-back time must be in the future, within 90 days.")
    person = session.get(Person, attempt.person_id)
    subject = spoke_with or person.id
    event = {"id": event_id, "code": code, "household_id": person.household_id, "person_id": subject,
             "call_attempt_id": attempt.id, "recorded_at": now.isoformat(), "notes": notes or ""}
    asks = asks or {}
    flags = {"poster": bool(asks.get("poster")), "postal_vote": bool(asks.get("postal_vote"))}
    if disposition.contact and (support_level or issues or volunteer_interest or answers or any(flags.values())):
        event["responses"] = [{"person_id": subject, "support_level": support_level or None,
                               "issues": list(issues or []), "volunteer_interest": bool(volunteer_interest),
                               "answers": dict(answers or {}), **flags}]
    if disposition.contact and asks.get("follow_up"):
        event["follow_up"] = asks["follow_up"]
    actor = Actor(user_id=caller.id, label=getattr(caller, "email", ""))
    [status] = record_contacts(session, events=[event], actor=actor, settings=settings, channel=Channel.PHONE)
    if status.status == "rejected":
        raise ValidationError(f"The outcome was not saved: {status.reason}.")
    attempt.disposition, attempt.event_id, attempt.ended_at = code, status.id, now
    entry = session.get(CallQueueEntry, attempt.queue_entry_id) if attempt.queue_entry_id else None
    queue.apply_disposition(session, entry=entry, attempt=attempt, code=disposition, now=now,
                            settings=settings, call_back_at=call_back_at if disposition.schedule else None)
    return attempt


def skip_call(session: Session, *, attempt_id: int, caller, now: datetime) -> None:
    """The caller hands their call back uncalled. Theirs alone: an organiser who could skip it would
    pull the claim out from under a caller mid-call, and the outcome they then record is lost."""
    attempt = callers_own_attempt(session, attempt_id=attempt_id, caller=caller)
    if attempt.disposition is not None:
        raise Conflict("This call's outcome is already recorded; it cannot be skipped.")
    queue.release(session, attempt=attempt, now=now)


def parse_phone(raw: str, *, settings: Settings) -> str:
    """A number as typed by a volunteer -> E.164, or a clear error."""
    try:
        number = phonenumbers.parse((raw or "").strip(), settings.default_region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(f"“{(raw or '').strip()[:30]}” is not a phone number we can ring.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def start_bridged_call(session: Session, *, attempt_id: int, caller, caller_phone: str, settings: Settings,
                       twiml_path: str, status_path: str, now: datetime) -> CallAttempt:
    """Ring the caller's own phone through Twilio, bridged to the voter (see telephony).

    Checks, then asks Twilio outside any transaction (a slow Twilio must not hold SQLite's write
    lock), then stores the call's SID in a write transaction of its own: this commits.
    """
    attempt = own_attempt(session, attempt_id=attempt_id, caller=caller)
    if attempt.caller_id != caller.id:
        raise Forbidden("Only the caller who claimed this call can place it.")
    if attempt.disposition is not None:
        raise Conflict("This call's outcome is already recorded.")
    if not telephony.bridging_enabled(settings):
        raise ValidationError("Calling through the campaign is not set up; use the phone link instead.")
    phone = parse_phone(caller_phone, settings=settings)
    person = session.get(Person, attempt.person_id)
    if person.phone_retired_at or ledger_blocks(session, person_id=person.id, household_id=person.household_id,
                                                phone=attempt.phone):
        raise Conflict("This number may not be called any more.")
    caller_id = caller.id
    session.rollback()
    placed = telephony.place_bridged_call(settings, caller_phone=phone, twiml_path=twiml_path,
                                          status_path=status_path)

    def store(s: Session) -> CallAttempt:
        row = s.get(CallAttempt, attempt_id)
        if row.twilio_call_sid != placed.sid:  # a status callback may already have stored it
            row.twilio_call_sid, row.twilio_status, row.status_updated_at = placed.sid, placed.status, now
            row.duration_s = None
        user = s.get(User, caller_id)
        if user is not None and user.phone != phone:
            user.phone = phone  # offered again on the next call
        return row

    return write_transaction(session, store)


def new_event_id() -> str:
    return str(uuid.uuid4())
