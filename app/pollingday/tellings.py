"""Tellings: a teller's "this voter has voted" (or the undo of one), and the strike-off it makes.

``store_tellings`` is the one write path (POST /api/tellings, tests, later the demo and the
benchmark), run inside ``write_transaction``: it reads what it judges by inside the transaction,
so a retry judges again. Idempotent on the phone's UUID, like ``app.contacts.record_contacts``:
a replayed item is a duplicate and stores nothing. ``voted`` is then rebuilt for the people the
batch touched: a person's strike-off is their earliest telling (by recorded_at) not undone.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from ..contacts import Status, parse_id
from ..contacts.validate import Reject, parse_event_id, parse_timestamp
from ..models import Elector, Household, Neighbourhood, Person, StationDistrict, Telling, Voted, utcnow
from ..sql import chunks, on_conflict
from .elections import current_election_id
from .numbers import BadNumber, ElectorNumber, parse_elector_number


@dataclass
class _Facts:
    """What the batch refers to, read once: each station's districts (id -> code), the electors
    its numbers name, the people its person_ids name (-> their district ids), earlier tellings."""

    stations: dict[int, dict[int, str]]
    electors: dict[tuple, tuple[int, str]]
    people: dict[int, set[int]]
    told: dict[str, tuple[int, int, str | None]]   # telling id -> (station, person, undoes)


def _shape(raw) -> dict:
    """The item's fields, checked for shape only (what the database holds comes later)."""
    if not isinstance(raw, dict):
        raise Reject("each telling must be an object")
    item = {"id": parse_event_id(raw.get("id")), "recorded_at": parse_timestamp(raw.get("recorded_at"), now=utcnow())}
    if raw.get("undoes") is not None:
        try:
            item["undoes"] = parse_event_id(raw.get("undoes"))
        except Reject:
            raise Reject("undoes must be the UUID of an earlier telling") from None
        if item["undoes"] == item["id"]:
            raise Reject("a telling cannot undo itself")
        return item
    item["station_id"] = parse_id(raw.get("station_id"))
    if item["station_id"] is None:
        raise Reject("station_id must be a positive integer id")
    number, person = raw.get("elector_number"), raw.get("person_id")
    if (number is None) == (person is None):
        raise Reject("give either elector_number or person_id")
    if person is not None:
        item["person_id"] = parse_id(person)
        if item["person_id"] is None:
            raise Reject("person_id must be a positive integer id")
        return item
    try:
        item["number"] = parse_elector_number(number)
    except BadNumber as exc:
        raise Reject(str(exc)) from None
    item["elector_number"] = number.strip()
    return item


def _facts(session: Session, items: list[dict]) -> _Facts:
    conn = session.connection()
    station_ids = sorted({i["station_id"] for i in items if "station_id" in i})
    stations: dict[int, dict[int, str]] = {}
    for part in chunks(station_ids, 900):
        for sid, hid, code in conn.execute(sa.select(StationDistrict.station_id, Neighbourhood.id, Neighbourhood.code)
                                           .join(Neighbourhood, Neighbourhood.id == StationDistrict.neighbourhood_id)
                                           .where(StationDistrict.station_id.in_(part))):
            stations.setdefault(sid, {})[hid] = code
    numbers = {i["number"] for i in items if "number" in i}
    electors = {}
    for part in chunks(sorted(numbers), 300):
        match = sa.or_(*(sa.and_(Elector.prefix == n.prefix, Elector.number == n.number, Elector.suffix == n.suffix)
                         for n in part))
        for prefix, number, suffix, pid in conn.execute(
                sa.select(Elector.prefix, Elector.number, Elector.suffix, Elector.person_id).where(match)):
            electors[(prefix, number, suffix)] = (pid, prefix)
    person_ids = sorted({i["person_id"] for i in items if "person_id" in i})
    people: dict[int, set[int]] = {}
    for part in chunks(person_ids, 900):
        # A person's district: their elector number's, else their household's neighbourhood.
        for pid, home, listed in conn.execute(
                sa.select(Person.id, Household.neighbourhood_id, Neighbourhood.id)
                .join(Household, Household.id == Person.household_id)
                .outerjoin(Elector, Elector.person_id == Person.id)
                .outerjoin(Neighbourhood, Neighbourhood.code == Elector.prefix)
                .where(Person.id.in_(part))):
            people[pid] = {listed} if listed is not None else ({home} if home is not None else set())
    wanted = sorted({i["undoes"] for i in items if "undoes" in i} | {i["id"] for i in items})
    told = {}
    for part in chunks(wanted, 900):
        for tid, sid, pid, undoes in conn.execute(sa.select(Telling.id, Telling.station_id, Telling.person_id,
                                                            Telling.undoes).where(Telling.id.in_(part))):
            told[tid] = (sid, pid, undoes)
    return _Facts(stations, electors, people, told)


def _judge(item: dict, facts: _Facts, earlier: dict[str, tuple[int, int, str | None]]) -> dict:
    """The row to store for a well-shaped item, or Reject. ``earlier``: tellings stored before
    it, in the database or earlier in this batch."""
    if "undoes" in item:
        target = earlier.get(item["undoes"])
        if target is None:
            raise Reject(f"undoes {item['undoes']}, a telling this server has not received")
        if target[2] is not None:
            raise Reject("an undo cannot be undone: tell the voter again instead")
        return {"station_id": target[0], "person_id": target[1], "elector_number": "", "undoes": item["undoes"]}
    districts = facts.stations.get(item["station_id"])
    if districts is None:
        raise Reject(f"polling station {item['station_id']} does not exist or has no districts")
    if "number" in item:
        number: ElectorNumber = item["number"]
        found = facts.electors.get((number.prefix, number.number, number.suffix))
        if found is None:
            raise Reject(f"no elector {number} on the register")
        if found[1] not in districts.values():
            raise Reject(f"elector {number} is in district {found[1]}, which does not vote at this station "
                         f"(it takes {', '.join(sorted(districts.values()))})")
        return {"station_id": item["station_id"], "person_id": found[0], "elector_number": item["elector_number"],
                "undoes": None}
    where = facts.people.get(item["person_id"])
    if where is None:
        raise Reject(f"person {item['person_id']} does not exist")
    if not where & set(districts):
        raise Reject(f"person {item['person_id']} does not vote at this station")
    return {"station_id": item["station_id"], "person_id": item["person_id"], "elector_number": "", "undoes": None}


def store_tellings(session: Session, *, items: list, actor_user_id: int | None) -> list[Status]:
    """Judge and store a batch of tellings and undos; one Status per item, in order. Writes in
    the caller's transaction (run it in ``write_transaction``). Each stored item belongs to the
    current election (``current_election``)."""
    shaped: list[dict | Status] = []
    for raw in items:
        try:
            shaped.append(_shape(raw))
        except Reject as err:
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            shaped.append(Status(str(raw_id)[:36] if raw_id is not None else "?", "rejected", str(err)))
    good = [s for s in shaped if isinstance(s, dict)]
    facts = _facts(session, good)
    earlier = dict(facts.told)
    now, rows, out, election_id = utcnow(), [], [], current_election_id(session)
    for s in shaped:
        if isinstance(s, Status):
            out.append(s)
        elif s["id"] in earlier:
            out.append(Status(s["id"], "duplicate"))
        else:
            try:
                row = _judge(s, facts, earlier)
            except Reject as err:
                out.append(Status(s["id"], "rejected", str(err)))
                continue
            rows.append({**row, "id": s["id"], "recorded_at": s["recorded_at"], "received_at": now,
                         "actor_user_id": actor_user_id, "election_id": election_id})
            earlier[s["id"]] = (row["station_id"], row["person_id"], row["undoes"])
            out.append(Status(s["id"], "stored"))
    stored = _insert(session, rows)
    # A concurrent post stored the same id between our read and our insert: a duplicate too.
    out = [Status(s.id, "duplicate") if s.status == "stored" and s.id not in stored else s for s in out]
    refresh_voted(session, person_ids={r["person_id"] for r in rows if r["id"] in stored})
    return out


def _insert(session: Session, rows: list[dict]) -> set[str]:
    conn, stored = session.connection(), set()
    stmt = on_conflict(conn, Telling.__table__, name="tellings.insert_new", build=lambda insert: (
        insert.on_conflict_do_nothing(index_elements=["id"]).returning(insert.table.c.id)))
    for part in chunks(rows):
        stored |= set(conn.execute(stmt, list(part)).scalars())
    return stored


def refresh_voted(session: Session, *, person_ids: set[int]) -> None:
    """Rebuild the strike-off of these people from their tellings."""
    conn = session.connection()
    for part in chunks(sorted(person_ids), 900):
        undone = sa.select(Telling.undoes).where(Telling.undoes.is_not(None), Telling.person_id.in_(part))
        first: dict[int, tuple[str, object]] = {}
        for pid, tid, when in conn.execute(
                sa.select(Telling.person_id, Telling.id, Telling.recorded_at)
                .where(Telling.person_id.in_(part), Telling.undoes.is_(None), Telling.id.not_in(undone))
                .order_by(Telling.person_id, Telling.recorded_at, Telling.id)):
            first.setdefault(pid, (tid, when))
        current = dict(conn.execute(sa.select(Voted.person_id, Voted.telling_id).where(Voted.person_id.in_(part))).all())
        stale = [pid for pid, tid in current.items() if first.get(pid, (None,))[0] != tid]
        if stale:
            conn.execute(sa.delete(Voted.__table__).where(Voted.__table__.c.person_id.in_(stale)))
        fresh = [{"person_id": pid, "telling_id": tid, "voted_at": when} for pid, (tid, when) in first.items()
                 if current.get(pid) != tid]
        if fresh:
            # Two posts racing for one person (PostgreSQL): the earlier telling stays.
            stmt = on_conflict(conn, Voted.__table__, name="voted.upsert_earliest", build=lambda insert: (
                insert.on_conflict_do_update(
                    index_elements=["person_id"],
                    set_={"telling_id": insert.excluded.telling_id, "voted_at": insert.excluded.voted_at},
                    where=insert.excluded.voted_at < insert.table.c.voted_at)))
            conn.execute(stmt, fresh)
