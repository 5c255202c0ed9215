"""THE write path for contact events, door and phone alike, and for the do-not-contact ledger.

Every outcome a phone submits, every call disposition, every "do not contact" comes through
``record_contacts``. It is idempotent on the event id the client generated: replaying a batch
stores nothing twice, and two volunteers recording the same door both keep their record.
The caller checks access first (``app.auth.access``) and commits afterwards.
"""
from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from .audit import audit
from .config import Settings
from .contacts_summary import fold_events
from .models import ContactEvent, DoNotContact, Household, Person, SurveyResponse, utcnow

MAX_NOTES = 2000
MAX_CLOCK_SKEW = timedelta(days=1)  # a phone clock further in the future than this is wrong
_INSERT_CHUNK = 500  # rows per INSERT: 15 columns each stays far below every bound-parameter limit


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


class _Reject(Exception):
    pass


def parse_event_id(raw) -> str:
    try:
        return str(uuid.UUID(str(raw)))
    except (ValueError, TypeError, AttributeError):
        raise _Reject("id must be a UUID") from None


def parse_timestamp(raw, *, now: datetime) -> datetime:
    if not isinstance(raw, str):
        raise _Reject("recorded_at must be an ISO 8601 timestamp")
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise _Reject(f"recorded_at {raw[:40]!r} is not an ISO 8601 timestamp") from None
    # A phone that sends no offset is taken to mean UTC (the outbox script always sends Z).
    when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    if when > now + MAX_CLOCK_SKEW:
        raise _Reject("recorded_at is more than a day in the future: check the phone's clock")
    return when


MAX_ID = 2**63 - 1  # a database BIGINT; anything larger is no id of ours


def parse_id(raw) -> int | None:
    """A row id from JSON (an integer or a string of digits), or None when it cannot be one."""
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        return None
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if 0 < value <= MAX_ID else None


def _int(raw, name: str) -> int:
    value = parse_id(raw)
    if value is None:
        raise _Reject(f"{name} must be a positive integer id")
    return value


def _coord(raw, name: str, limit: float) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw) or abs(raw) > limit:
        raise _Reject(f"{name} must be a number within ±{limit:g}")
    return float(raw)


def _flag(raw, name: str) -> bool:
    if raw is None:
        return False
    if not isinstance(raw, bool):
        raise _Reject(f"{name} must be true or false")
    return raw


def _responses(raw, *, household_people: set[int], settings: Settings) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _Reject("responses must be a list")
    scale = {value for value, _ in settings.support_scale}
    issues_allowed = set(settings.issues)
    out, seen = [], set()
    for item in raw:
        if not isinstance(item, dict):
            raise _Reject("each response must be an object")
        person_id = _int(item.get("person_id"), "responses.person_id")
        if person_id not in household_people:
            raise _Reject(f"person {person_id} does not live at this household")
        if person_id in seen:
            raise _Reject(f"person {person_id} appears twice in responses")
        seen.add(person_id)
        support = item.get("support_level")
        if support is not None and str(support) not in scale:
            raise _Reject(f"support_level {support!r} is not on the campaign's scale")
        issues = item.get("issues") or []
        if not isinstance(issues, list) or not all(isinstance(i, str) for i in issues):
            raise _Reject("issues must be a list of strings")
        unknown = [i for i in issues if i not in issues_allowed]
        if unknown:
            raise _Reject(f"unknown issue {unknown[0]!r}")
        out.append(dict(
            person_id=person_id,
            support_level=None if support is None else str(support),
            issues="|".join(issues),
            volunteer_interest=_flag(item.get("volunteer_interest"), "volunteer_interest"),
            postal_vote=_flag(item.get("postal_vote"), "postal_vote"),
            poster=_flag(item.get("poster"), "poster"),
        ))
    return out


def _validate(raw: dict, *, channel: str, settings: Settings, households: dict, people: dict,
              now: datetime) -> dict:
    codes = settings.codes(channel)
    code = raw.get("code")
    if not isinstance(code, str) or code not in codes:
        raise _Reject(f"unknown {channel} code {str(code)[:40]!r}")
    household_id = _int(raw.get("household_id"), "household_id")
    if household_id not in households:
        raise _Reject(f"household {household_id} does not exist")
    household_people = {pid for pid, hid in people.items() if hid == household_id}
    person_id = raw.get("person_id")
    if person_id is not None:
        person_id = _int(person_id, "person_id")
        if person_id not in household_people:
            raise _Reject(f"person {person_id} does not live at household {household_id}")
    notes = raw.get("notes") or ""
    if not isinstance(notes, str) or len(notes) > MAX_NOTES:
        raise _Reject(f"notes must be text of at most {MAX_NOTES} characters")
    return dict(
        event=dict(
            channel=channel,
            code=code,
            household_id=household_id,
            person_id=person_id,
            walk_list_id=_int(raw["walk_list_id"], "walk_list_id") if raw.get("walk_list_id") is not None else None,
            call_attempt_id=_int(raw["call_attempt_id"], "call_attempt_id") if raw.get("call_attempt_id") is not None else None,
            recorded_at=parse_timestamp(raw.get("recorded_at"), now=now),
            lat=_coord(raw.get("lat"), "lat", 90),
            lon=_coord(raw.get("lon"), "lon", 180),
            accuracy_m=_coord(raw.get("accuracy_m"), "accuracy_m", 1e6),
            notes=notes,
        ),
        responses=_responses(raw.get("responses"), household_people=household_people, settings=settings),
        code=codes[code],
    )


_INSERT_IGNORE: dict[str, sa.Insert] = {}
_HOUSEHOLD_PEOPLE = (
    sa.select(Household.__table__.c.id, Household.__table__.c.ward_id, Household.__table__.c.neighbourhood_id,
              Person.__table__.c.id)
    .select_from(Household.__table__.outerjoin(Person.__table__, Person.__table__.c.household_id == Household.__table__.c.id))
    .where(Household.__table__.c.id.in_(sa.bindparam("hids", expanding=True)))
)


def _insert_events(session: Session, rows: list[dict]) -> set[str]:
    """One INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id for the batch; the ids written.

    RETURNING rather than rowcount: psycopg reports no reliable rowcount for this statement.
    The statement object is built once per dialect, so SQLAlchemy's compiled cache serves it
    and executemany becomes one multi-row INSERT ("insertmanyvalues").
    """
    conn = session.connection()
    dialect = conn.dialect.name
    stmt = _INSERT_IGNORE.get(dialect)
    if stmt is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = ContactEvent.__table__
        stmt = _INSERT_IGNORE[dialect] = insert(table).on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id)
    return set(conn.execute(stmt, rows).scalars())


def record_contacts(session: Session, *, events: list, actor: Actor, settings: Settings,
                    channel: str = "door") -> list[Status]:
    """Validate and store contact events; one Status per input item, in order.

    Nothing is committed here: the caller commits, so a batch is all-or-nothing on a DB error
    (and the client's retry is safe because ids are idempotent).
    """
    if channel not in ("door", "phone"):
        raise ValueError(f"unknown channel {channel!r}")
    now = utcnow()
    household_ids, person_ids = set(), set()
    for raw in events:
        if isinstance(raw, dict):
            for key, bucket in (("household_id", household_ids), ("person_id", person_ids)):
                value = parse_id(raw.get(key))
                if value is not None:
                    bucket.add(value)
    households, people = {}, {}
    if household_ids:
        # One Core query (compiled once) for both: the households that exist and who lives there.
        for hid, ward, hood, pid in session.connection().execute(_HOUSEHOLD_PEOPLE, {"hids": sorted(household_ids)}):
            households[hid] = (ward, hood)
            if pid is not None:
                people[pid] = hid

    statuses: list[Status | None] = []
    pending: list[tuple[int, dict, dict]] = []  # (position in statuses, row values, validated item)
    seen_in_batch: set[str] = set()
    for raw in events:
        event_id = str(raw.get("id")) if isinstance(raw, dict) else "?"
        try:
            if not isinstance(raw, dict):
                raise _Reject("each outcome must be an object")
            event_id = parse_event_id(raw.get("id"))
            if event_id in seen_in_batch:
                statuses.append(Status(event_id, "duplicate"))
                continue
            item = _validate(raw, channel=channel, settings=settings, households=households, people=people, now=now)
        except _Reject as err:
            statuses.append(Status(event_id, "rejected", str(err)))
            continue
        seen_in_batch.add(event_id)
        values = dict(item["event"], id=event_id, actor_user_id=actor.user_id, actor_pin_id=actor.pin_id,
                      received_at=now)
        pending.append((len(statuses), values, item))
        statuses.append(None)

    stored: set[str] = set()
    for start in range(0, len(pending), _INSERT_CHUNK):
        stored |= _insert_events(session, [values for _, values, _ in pending[start:start + _INSERT_CHUNK]])
    responses = []
    for position, values, item in pending:
        event_id = values["id"]
        if event_id not in stored:  # already in the database: a replay
            statuses[position] = Status(event_id, "duplicate")
            continue
        responses += [dict(response, event_id=event_id) for response in item["responses"]]
        if item["code"].dnc:
            _add_to_ledger(session, event=values, responses=item["responses"], actor=actor)
        statuses[position] = Status(event_id, "stored")
    if responses:
        session.connection().execute(sa.insert(SurveyResponse.__table__), responses)
    # What the maps and dashboard read: fold only what was stored, in this transaction.
    fold_events(session, events=[v for _, v, _ in pending if v["id"] in stored], responses=responses, settings=settings,
                areas=households)
    session.flush()
    return statuses


def _add_to_ledger(session: Session, *, event: dict, responses: list[dict], actor: Actor) -> None:
    """Do-not-contact at the door or on the phone stops both channels."""
    person_ids = {r["person_id"] for r in responses}
    if event["person_id"]:
        person_ids.add(event["person_id"])
    reason = f"{event['channel']}: {event['code']}"
    common = dict(channel="all", reason=reason, source_event_id=event["id"], created_by_id=actor.user_id)
    if person_ids:
        phones = dict(session.exec(select(Person.id, Person.phone).where(Person.id.in_(person_ids))).all())
        for pid in sorted(person_ids):
            phone = phones.get(pid) if event["channel"] == "phone" else None
            session.add(DoNotContact(person_id=pid, household_id=event["household_id"], phone=phone, **common))
    else:
        session.add(DoNotContact(household_id=event["household_id"], **common))
    audit(session, action="dnc.add", actor_user_id=actor.user_id, actor_label=actor.label,
          target=f"household:{event['household_id']}", detail={"event": event["id"], "people": sorted(person_ids)})


def ledger_blocks(session: Session, *, person_id: int | None = None, household_id: int | None = None,
                  phone: str | None = None) -> bool:
    """True when the ledger says not to contact this person, household (door-level entry) or number."""
    conds = []
    if person_id is not None:
        conds.append(DoNotContact.person_id == person_id)
    if household_id is not None:
        conds.append(sa.and_(DoNotContact.household_id == household_id, DoNotContact.person_id.is_(None)))
    if phone:
        conds.append(DoNotContact.phone == phone)
    if not conds:
        return False
    return session.exec(select(DoNotContact.id).where(sa.or_(*conds)).limit(1)).first() is not None
