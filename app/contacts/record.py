"""THE write path for contact events, door and phone alike, and for the do-not-contact ledger.

Every outcome a phone submits, every call disposition, every "do not contact" comes through
``record_contacts``. It is idempotent on the event id the client generated: replaying a batch
stores nothing twice, and two volunteers recording the same door both keep their record.
The caller checks access first (``app.auth.access``) and commits afterwards; the phone's POST
uses ``record_contacts_grouped``, which also commits. Validation lives in ``validate``, the ledger in ``ledger``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..db import write_transaction
from ..models import Channel, ContactEvent, Household, Person, SurveyAnswer, SurveyResponse, utcnow
from ..sql import chunks, on_conflict
from .answers import AnswerContext
from ..followups.create import add_follow_ups
from .ledger import add_to_ledger
from .summary import fold_events
from .validate import Reject, parse_event_id, parse_id, validate
from .write_group import write_group

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Actor:
    """Who is recording: a signed-in user, or a PIN joiner (pin_id) on one list."""

    user_id: int | None = None
    pin_id: int | None = None
    label: str = ""


@dataclass(frozen=True)
class Status:
    id: str
    status: str  # "stored", "duplicate" or "rejected"
    reason: str = ""

    def as_dict(self) -> dict:
        out = {"id": self.id, "status": self.status}
        if self.reason:
            out["reason"] = self.reason
        return out


_HOUSEHOLD_PEOPLE = (
    sa.select(Household.__table__.c.id, Household.__table__.c.ward_id, Household.__table__.c.neighbourhood_id,
              Person.__table__.c.id)
    .select_from(Household.__table__.outerjoin(Person.__table__, Person.__table__.c.household_id == Household.__table__.c.id))
    .where(Household.__table__.c.id.in_(sa.bindparam("hids", expanding=True)))
)


def _insert_events(session: Session, rows: list[dict]) -> set[str]:
    """One INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id for the rows; the ids written.

    RETURNING rather than rowcount: psycopg reports no reliable rowcount for this statement.
    """
    conn = session.connection()
    stmt = on_conflict(conn, ContactEvent.__table__, name="contact_events.insert_new", build=lambda insert: (
        insert.on_conflict_do_nothing(index_elements=["id"]).returning(insert.table.c.id)))
    return set(conn.execute(stmt, rows).scalars())


@dataclass
class Prepared:
    """One caller's events, checked against what the database held when they were read
    (``prepare_contacts``) and waiting to be stored (``store_prepared``). ``statuses`` has None
    where the event is pending; ``pending`` holds (position, row values, validated item)."""

    events: list
    actor: Actor
    channel: str
    statuses: list[Status | None]
    pending: list[tuple[int, dict, dict]]
    areas: dict[int, tuple]


def prepare_contacts(session: Session, *, events: list, actor: Actor, settings: Settings,
                     channel: str = Channel.DOOR) -> Prepared:
    """Read what the events refer to and validate them; writes nothing."""
    if channel not in tuple(Channel):
        raise ValueError(f"unknown channel {channel!r}")
    now = utcnow()
    household_ids = {hid for raw in events if isinstance(raw, dict)
                     for hid in (parse_id(raw.get("household_id")),) if hid is not None}
    households, people = {}, {}
    if household_ids:
        # One Core query (compiled once) for both: the households that exist and who lives there.
        for hid, ward, hood, pid in session.connection().execute(_HOUSEHOLD_PEOPLE, {"hids": sorted(household_ids)}):
            households[hid] = (ward, hood)
            if pid is not None:
                people[pid] = hid

    statuses: list[Status | None] = []
    pending: list[tuple[int, dict, dict]] = []
    seen_in_batch: set[str] = set()
    asked = AnswerContext(session, events)
    for raw in events:
        event_id = str(raw.get("id")) if isinstance(raw, dict) else "?"
        try:
            if not isinstance(raw, dict):
                raise Reject("each outcome must be an object")
            event_id = parse_event_id(raw.get("id"))
            if event_id in seen_in_batch:
                statuses.append(Status(event_id, "duplicate"))
                continue
            item = validate(raw, channel=channel, settings=settings, households=households, people=people, now=now)
            item["answers"] = asked.check(raw, item)
        except Reject as err:
            statuses.append(Status(event_id, "rejected", str(err)))
            continue
        seen_in_batch.add(event_id)
        values = dict(item["event"], id=event_id, actor_user_id=actor.user_id, actor_pin_id=actor.pin_id,
                      received_at=now)
        pending.append((len(statuses), values, item))
        statuses.append(None)
    return Prepared(events, actor, channel, statuses, pending, households)


def store_prepared(session: Session, batch: list[Prepared], *, settings: Settings) -> list[list[Status]]:
    """Store several callers' prepared events in the session's transaction: one INSERT, one fold.

    An id that is already stored, or that an earlier caller in the batch sent too (a phone's
    retry racing its first try), is a duplicate. Leaves ``batch`` untouched, so a transaction
    that is retried can call it again.
    """
    out = [list(p.statuses) for p in batch]
    first: dict[str, tuple[int, int, dict, dict]] = {}  # event id -> (caller, position, values, item)
    for caller, p in enumerate(batch):
        for position, values, item in p.pending:
            if values["id"] in first:
                out[caller][position] = Status(values["id"], "duplicate")
            else:
                first[values["id"]] = (caller, position, values, item)
    rows = [values for _, _, values, _ in first.values()]
    stored: set[str] = set()
    for chunk in chunks(rows):
        stored |= _insert_events(session, chunk)
    responses, answers, folded, areas = [], [], [], {}
    for event_id, (caller, position, values, item) in first.items():
        if event_id not in stored:  # already in the database: a replay
            out[caller][position] = Status(event_id, "duplicate")
            continue
        responses += [dict(response, event_id=event_id) for response in item["responses"]]
        answers += [dict(answer, event_id=event_id) for answer in item.get("answers", ())]
        if item["code"].dnc:
            add_to_ledger(session, event=values, responses=item["responses"], actor=batch[caller].actor)
        out[caller][position] = Status(event_id, "stored")
        folded.append(values)
    if responses:
        session.connection().execute(sa.insert(SurveyResponse.__table__), responses)
    if answers:
        session.connection().execute(sa.insert(SurveyAnswer.__table__), answers)
    # Answers that ask the campaign to act (a poster, a question...) join the follow-up queue
    # in the same transaction, so each exists exactly when its answer does.
    add_follow_ups(session, stored=[(first[e["id"]][2], first[e["id"]][3]) for e in folded])
    for p in batch:
        areas.update(p.areas)
    # What the maps and dashboard read: fold only what was stored, in this transaction.
    fold_events(session, events=folded, responses=responses, settings=settings, areas=areas)
    session.flush()
    return out


def record_contacts(session: Session, *, events: list, actor: Actor, settings: Settings,
                    channel: str = Channel.DOOR) -> list[Status]:
    """Validate and store contact events; one Status per input item, in order.

    Nothing is committed here: the caller commits, so a batch is all-or-nothing on a DB error
    (and the client's retry is safe because ids are idempotent).
    """
    prepared = prepare_contacts(session, events=events, actor=actor, settings=settings, channel=channel)
    return store_prepared(session, [prepared], settings=settings)[0]


def record_contacts_grouped(session: Session, *, events: list, actor: Actor, settings: Settings,
                            channel: str = Channel.DOOR) -> list[Status]:
    """``record_contacts`` in a write transaction of its own, committed, shared with whatever
    this process's other threads are storing at the same moment (``app.contacts.write_group.WriteGroup``): under load
    one INSERT, one fold and one commit serve several requests. Validation reads happen before,
    outside the write lock; a batch that fails is re-run caller by caller, each re-validated in
    its own transaction, so one caller's problem is never another's. Call it outside any write
    transaction (as the API view does): a thread holding the write lock while it waits for its
    turn would wait for itself.
    """
    prepared = prepare_contacts(session, events=events, actor=actor, settings=settings, channel=channel)
    if not prepared.pending:
        return list(prepared.statuses)
    try:
        return write_group(session).submit(
            session, prepared,
            many=lambda s, batch: store_prepared(s, batch, settings=settings),
            one=lambda s, p: record_contacts(s, events=p.events, actor=p.actor, settings=settings, channel=p.channel))
    except Exception as err:
        if not _refused(err):
            raise
        log.warning("a %s batch failed in the database (%s); storing its items one by one", channel, err)
        return _record_one_by_one(session, prepared, settings=settings)


def _refused(err: Exception) -> bool:
    """The database (or the driver) refused the data, as opposed to failing as a server: a
    dropped connection or a lock is the phone's to retry, never a reason to reject an outcome."""
    if isinstance(err, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return False
    return isinstance(err, (sa.exc.StatementError, ValueError, TypeError, OverflowError))


def _record_one_by_one(session: Session, prepared: Prepared, *, settings: Settings) -> list[Status]:
    """Defence in depth behind the validation: each pending item in a transaction of its own,
    so the good ones are stored and only the one the database refuses is rejected."""
    out = list(prepared.statuses)
    for position, values, _item in prepared.pending:
        raw = prepared.events[position]
        session.rollback()  # PostgreSQL refuses every statement in a transaction that failed
        try:
            [out[position]] = write_transaction(session, lambda s, raw=raw: record_contacts(
                s, events=[raw], actor=prepared.actor, settings=settings, channel=prepared.channel))
        except Exception as err:
            if not _refused(err):
                raise
            log.warning("outcome %s refused by the database: %s", values["id"], err, exc_info=True)
            out[position] = Status(values["id"], "rejected",
                                   "the server could not store this outcome (the database refused it)")
    return out


__all__ = ["Actor", "Status", "Prepared", "prepare_contacts", "store_prepared", "record_contacts",
           "record_contacts_grouped"]
