"""Keeps ``household_summaries`` (app/models/summary.py) in step with contact events, and through
it ``walk_list_doors.last_door_at`` (list progress), ``person_supports`` (each person's latest
support answer, what universes select on), ``households.reached`` (the channels a household was
ever reached on: app/contacts/reach.py) and the activity rollups (app/contacts/rollup.py).

``record_contacts`` calls ``fold_events`` with the events it actually stored (never the replays
it recognised as duplicates) and their survey responses, in the same transaction, so a summary
row is never ahead of or behind its events. The counts are added, so each stored event must be
folded exactly once; the "latest" columns are compared before they are overwritten (events
arrive out of order from phones that were offline), so the result does not depend on the order
in which batches arrive. ``rebuild_summary`` recomputes every row from the events: after a bulk
load that bypassed record_contacts, or after config.toml changes which codes count as contacts;
on PostgreSQL it runs the same fold in SQL (app/contacts/rebuild_sql.py), where no event crosses
the wire.

The do-not-contact flag is not folded: the ledger is small and can change without an event,
so the maps read it directly.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..models import ActivityDay, Channel, ContactEvent, HouseholdSummary, PersonSupport, SurveyResponse, WalkListDoor
from ..sql import chunks, on_conflict
from . import coverage_rollup
from .reach import fold_reach, sync_reach
from .activity_totals import rebuild_activity_totals
from .rebuild_sql import rebuild_in_sql
from .rollup import fold_rollups, household_areas, household_ranges, rebuild_rollups

COUNTS = ("door_events", "door_contacts", "phone_events", "phone_contacts", "relational_events", "relational_contacts",
          "dnc_events",
          "supporters", "undecided", "against")


def _code_flags(settings: Settings) -> dict[tuple[str, str], tuple[bool, bool]]:
    return {(ch, c.code): (c.contact, c.dnc) for ch in Channel for c in settings.codes(ch).values()}


def _support_class(settings: Settings, level: str) -> str:
    if level in settings.supporter_values:
        return "supporters"
    return "against" if level in settings.against_values else "undecided"


def summarise(events, responses, settings: Settings) -> dict[int, dict]:
    """Summary rows for the households of ``events`` from these events alone.

    events: mappings with id, household_id, channel, code, recorded_at; responses: mappings
    with event_id and support_level, each belonging to one of the events.
    """
    flags = _code_flags(settings)
    rows: dict[int, dict] = {}
    where: dict[str, tuple[int, datetime]] = {}
    for e in events:
        hid, at, channel, code = e["household_id"], e["recorded_at"], e["channel"], e["code"]
        where[e["id"]] = (hid, at)
        row = rows.get(hid)
        if row is None:
            row = rows[hid] = dict(household_id=hid, last_at=None, last_channel=None, last_code=None, door_at=None,
                                   door_code=None, support_level=None, support_at=None, **dict.fromkeys(COUNTS, 0))
        if row["last_at"] is None or (at, channel, code) > (row["last_at"], row["last_channel"], row["last_code"]):
            row["last_at"], row["last_channel"], row["last_code"] = at, channel, code
        contact, dnc = flags.get((channel, code), (False, False))
        row[f"{channel}_events"] += 1
        row[f"{channel}_contacts"] += contact
        row["dnc_events"] += dnc
        if channel == Channel.DOOR and (row["door_at"] is None or (at, code) > (row["door_at"], row["door_code"])):
            row["door_at"], row["door_code"] = at, code
    for r in responses:
        level = r["support_level"]
        if level is None or r["event_id"] not in where:
            continue
        hid, at = where[r["event_id"]]
        row = rows[hid]
        row[_support_class(settings, level)] += 1
        if row["support_at"] is None or (at, level) > (row["support_at"], row["support_level"]):
            row["support_at"], row["support_level"] = at, level
    return rows


def _upsert_statement(conn) -> sa.Insert:
    """INSERT .. ON CONFLICT (household_id) DO UPDATE that adds the counts and keeps whichever
    "latest" is later (by time, then channel/code or level: the same order as ``summarise``)."""
    return on_conflict(conn, HouseholdSummary.__table__, name="household_summaries.fold", build=_fold_on_conflict)


def _fold_on_conflict(insert: sa.Insert) -> sa.Insert:
    new, old = insert.excluded, insert.table.c

    def later(*cols):
        return sa.and_(new[cols[0]].is_not(None), sa.or_(
            old[cols[0]].is_(None), sa.tuple_(*(new[c] for c in cols)) > sa.tuple_(*(old[c] for c in cols))))

    update = {name: old[name] + new[name] for name in COUNTS}
    for cols in (("last_at", "last_channel", "last_code"), ("door_at", "door_code"), ("support_at", "support_level")):
        cond = later(*cols)
        update.update({c: sa.case((cond, new[c]), else_=old[c]) for c in cols})
    return insert.on_conflict_do_update(index_elements=["household_id"], set_=update)


def fold_events(session: Session, *, events: list[dict], responses: list[dict], settings: Settings,
                areas: dict[int, tuple] | None = None) -> None:
    """Fold newly stored events (and their responses) into their households' summary rows, their
    list doors' ``last_door_at`` (list progress) and the dashboard's activity rollups
    (app.contacts.rollup).

    areas: household id -> (ward id, neighbourhood id) for these events' households, when the
    caller has read them already; otherwise they are looked up.
    """
    if not events:
        return
    conn = session.connection()
    if areas is None:
        areas = household_areas(session, (e["household_id"] for e in events))
    rows = summarise(events, responses, settings)
    stmt = _upsert_statement(conn).returning(*(HouseholdSummary.__table__.c[c] for c in coverage_rollup.RETURNED))
    ordered = [rows[hid] for hid in sorted(rows)]  # one lock order for every writer: no deadlocks
    after = [row for chunk in chunks(ordered) for row in conn.execute(stmt, chunk).all()]
    fold_reach(conn, added=rows, after=after)  # households.reached: a channel's first contact
    _mark_list_doors(conn, events)
    _fold_support(conn, events, responses)
    coverage_rollup.fold_coverage(conn, added=rows, after=after, areas=areas)  # shared rows: late, as the rollups
    # Last: the rollup rows are the ones concurrent writers share, so their row locks (PostgreSQL)
    # are held for the shortest time before the caller commits.
    fold_rollups(session, events=events, responses=responses, areas=areas, settings=settings)


def rebuild_summary(session: Session, *, settings: Settings | None = None) -> int:
    """Recompute every summary row, the activity rollups and list doors' ``last_door_at`` from
    all contact events; returns the number of household rows."""
    if settings is None:
        from ..config import settings as current_settings

        settings = current_settings()
    conn = session.connection()
    if conn.dialect.name == "postgresql":  # the same fold in SQL: no event crosses the wire
        count = rebuild_in_sql(conn, settings)
        if count is not None:
            # What the Python fold's rebuilds end with: the per-area rollups, from the rows just written.
            coverage_rollup.recount_coverage(conn)
            sync_reach(conn)
            coverage_rollup.rebuild_activity_areas(conn)
            rebuild_activity_totals(conn)
            return count
    count = rebuild_household_summaries(session, settings=settings)
    rebuild_rollups(session, settings=settings)
    doors, ev = WalkListDoor.__table__, ContactEvent.__table__.c
    conn.execute(sa.update(doors).values(last_door_at=sa.select(sa.func.max(ev.recorded_at)).where(
        ev.walk_list_id == doors.c.walk_list_id, ev.channel == Channel.DOOR, ev.household_id == doors.c.household_id,
    ).scalar_subquery()))
    return count


def rebuild_household_summaries(session: Session, *, settings: Settings, household_ids=None) -> int:
    """Recompute households' summary rows from their events: every household's, or only those of
    ``household_ids`` (after some of their events were deleted: a rehearsal's wipe); returns the
    number of rows written."""
    conn = session.connection()
    if household_ids is None:
        count = _rebuild_summaries(conn, settings, None)
    else:
        count = sum(_rebuild_summaries(conn, settings, part) for part in chunks(sorted(set(household_ids)), 900))
    rebuild_person_supports(session)  # the same answers, folded per person (universes count on it)
    return count


def _rebuild_summaries(conn, settings: Settings, household_ids) -> int:
    table = HouseholdSummary.__table__
    if household_ids is not None:
        coverage_rollup.shift_coverage(conn, household_ids, -1)  # area_coverage: out with the old flags...
        conn.execute(sa.delete(table).where(table.c.household_id.in_(household_ids)))
        count = _summarise_into(conn, settings, ContactEvent.__table__.c.household_id.in_(household_ids))
        coverage_rollup.shift_coverage(conn, household_ids, 1)  # ...and in with the rebuilt ones
        sync_reach(conn, household_ids)
        return count
    conn.execute(sa.delete(table))
    household = ContactEvent.__table__.c.household_id
    # A range at a time: a household's events and answers are all in its range (see REBUILD_STEP).
    count = sum(_summarise_into(conn, settings, sa.and_(household >= low, household < high))
                for low, high in household_ranges(conn))
    coverage_rollup.recount_coverage(conn)
    sync_reach(conn)
    return count


def _summarise_into(conn, settings: Settings, which) -> int:
    ev, sr, table = ContactEvent.__table__.c, SurveyResponse.__table__.c, HouseholdSummary.__table__
    events = sa.select(ev.id, ev.household_id, ev.channel, ev.code, ev.recorded_at).where(which)
    responses = (sa.select(sr.event_id, sr.support_level)
                 .select_from(SurveyResponse.__table__.join(ContactEvent.__table__, ev.id == sr.event_id))
                 .where(sr.support_level.is_not(None), which))
    rows = summarise(conn.execute(events).mappings().all(), conn.execute(responses).mappings().all(), settings)
    ordered = [rows[hid] for hid in sorted(rows)]
    for chunk in chunks(ordered):
        conn.execute(sa.insert(table), chunk)
    return len(rows)


# ---- each person's latest support answer (person_supports) ---------------------------------------
SUPPORT_COLUMNS = ("support_level", "support_at", "event_id")


def _later_support(insert: sa.Insert) -> sa.Insert:
    new, old = insert.excluded, insert.table.c
    later = sa.tuple_(new.support_at, new.event_id) > sa.tuple_(old.support_at, old.event_id)
    return insert.on_conflict_do_update(index_elements=["person_id"],
                                        set_={c: sa.case((later, new[c]), else_=old[c]) for c in SUPPORT_COLUMNS})


def _fold_support(conn, events: list[dict], responses: list[dict]) -> None:
    """Move each answering person's row to their newest support answer (by recorded_at, then event id)."""
    at = {e["id"]: e["recorded_at"] for e in events}
    latest: dict[int, dict] = {}
    for r in responses:
        pid, level, eid = r.get("person_id"), r.get("support_level"), r["event_id"]
        if pid is None or level is None or eid not in at:
            continue
        old = latest.get(pid)
        if old is None or (at[eid], eid) > (old["support_at"], old["event_id"]):
            latest[pid] = dict(person_id=pid, support_level=level, support_at=at[eid], event_id=eid)
    if latest:  # one row per person per statement (PostgreSQL updates a row once), in one lock order
        stmt = on_conflict(conn, PersonSupport.__table__, name="person_supports.fold", build=_later_support)
        for chunk in chunks([latest[pid] for pid in sorted(latest)]):
            conn.execute(stmt, chunk)


def rebuild_person_supports(session: Session) -> int:
    """Recompute every person's latest support answer from the answers; returns the number of rows."""
    conn = session.connection()
    sr, ce = SurveyResponse.__table__.c, ContactEvent.__table__.c
    rank = sa.func.row_number().over(partition_by=sr.person_id, order_by=(ce.recorded_at.desc(), ce.id.desc()))
    ranked = (sa.select(sr.person_id, sr.support_level, ce.recorded_at.label("support_at"), ce.id.label("event_id"),
                        rank.label("rank"))
              .select_from(SurveyResponse.__table__.join(ContactEvent.__table__, ce.id == sr.event_id))
              .where(sr.support_level.is_not(None), sr.person_id.is_not(None))).subquery()
    conn.execute(sa.delete(PersonSupport.__table__))
    return conn.execute(sa.insert(PersonSupport.__table__).from_select(
        ["person_id", *SUPPORT_COLUMNS],
        sa.select(ranked.c.person_id, ranked.c.support_level, ranked.c.support_at, ranked.c.event_id)
        .where(ranked.c.rank == 1))).rowcount


def rebuild_if_stale(session: Session, *, settings: Settings | None = None) -> bool:
    """Rebuild when there are events but no activity rollups: a database that migration 0002
    (which added the rollups and list progress) upgraded with outcomes already stored."""
    has_events = session.connection().execute(sa.select(ContactEvent.__table__.c.id).limit(1)).first()
    has_rollups = session.connection().execute(sa.select(ActivityDay.__table__.c.day).limit(1)).first()
    if has_events is None or has_rollups is not None:
        return False
    rebuild_summary(session, settings=settings)
    return True


def _list_door_update() -> sa.Update:
    doors = WalkListDoor.__table__
    at = sa.bindparam("at", type_=doors.c.last_door_at.type)
    return (sa.update(doors)
            .where(doors.c.walk_list_id == sa.bindparam("lid"), doors.c.household_id == sa.bindparam("hid"))
            .values(last_door_at=sa.case((sa.or_(doors.c.last_door_at.is_(None), doors.c.last_door_at < at), at),
                                         else_=doors.c.last_door_at)))


_MARK_LIST_DOORS = _list_door_update()


def _mark_list_doors(conn, events: list[dict]) -> None:
    """Move each list door's last_door_at forward to its newest door event on that list."""
    latest: dict[tuple[int, int], datetime] = {}
    for e in events:
        if e["channel"] == Channel.DOOR and e["walk_list_id"] is not None:
            key = (e["walk_list_id"], e["household_id"])
            if key not in latest or e["recorded_at"] > latest[key]:
                latest[key] = e["recorded_at"]
    if latest:  # sorted: one lock order for every writer
        conn.execute(_MARK_LIST_DOORS, [{"lid": lid, "hid": hid, "at": at} for (lid, hid), at in sorted(latest.items())])
