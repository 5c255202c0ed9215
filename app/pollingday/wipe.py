"""Wiping an election's polling-day data: a rehearsal's once the teams have drilled
(``wipe_rehearsal``, the set-up page's button and ``flask wipe-rehearsal``), and any election's once
its purge date has passed (``purge_polling_day``, ``flask purge-polling-day``, run daily).

What goes: the election's tellings (and the strike-off they made: ``voted`` is rebuilt for the
people they named, from whatever tellings of theirs remain), its lift requests, its knock-up rounds
with their walk lists (doors, assignments, PINs, refused outcomes, and the contact events recorded
on them with their survey answers). The maps' household summaries of the doors those events were at
and the dashboard's day and hour rollups of the days they were recorded on are then recomputed from
the events that remain, so no count keeps a wiped event. A do-not-contact entry a knocker recorded
stays in the ledger (whoever asked is not contacted again), no longer pointing at its event.
What stays: the register, stations, committee rooms, pledges (door and phone answers on ordinary
lists), and the election itself, marked ``wiped_at``; ``current_election`` then passes over it.

Each function runs in the caller's write transaction and reads what it deletes inside it, so a
retried transaction (``write_transaction``) wipes the same again; wiping twice finds nothing more.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from ..audit import audit
from ..clock import as_utc
from ..config import Settings
from ..contacts import rebuild_household_summaries
from ..contacts.rollup import local_day, rebuild_rollups
from ..errors import Conflict, NotFound
from ..models import (Assignment, CallSheet, ContactEvent, DoNotContact, Election, EventWork, FollowUp, KnockupRound,
                      LiftRequest, ListPin, ListSurvey, PersonFix, RefusedOutcome, Rsvp, SelfServeCheckout,
                      SurveyAnswer, SurveyResponse, Telling, WalkList, WalkListDoor, WalkListRemovedDoor, utcnow)
from .elections import purge_date
from .tellings import refresh_voted

# What a wipe counts and deletes, in the order it deletes them (children first).
COUNTED = ("survey_responses", "contact_events", "refused_outcomes", "list_doors", "assignments", "list_pins",
           "walk_lists", "knockup_rounds", "tellings", "lifts")


def _queries(election_id: int) -> dict[str, tuple[sa.Table, sa.ColumnElement]]:
    """Each kind of row the election's wipe removes: (table, the condition choosing its rows).
    Subqueries, not lists of ids, so no statement grows with the day's size; each condition is on
    its own table's columns (a subquery of the table being deleted from would be correlated away)."""
    rounds = sa.select(KnockupRound.id).where(KnockupRound.election_id == election_id)
    lists = sa.select(WalkList.id).where(WalkList.knockup_round_id.in_(rounds))
    pins = sa.select(ListPin.id).where(ListPin.walk_list_id.in_(lists))
    # A PIN reaches one list, so whatever its holder recorded (with the list's id or without) is
    # that list's; a PIN holder's refused outcome names no list when it named one they did not hold.
    on_lists = sa.or_(ContactEvent.walk_list_id.in_(lists), ContactEvent.actor_pin_id.in_(pins))

    def t(model):
        return model.__table__

    return {
        "survey_responses": (t(SurveyResponse), SurveyResponse.event_id.in_(sa.select(ContactEvent.id).where(on_lists))),
        "contact_events": (t(ContactEvent), on_lists),
        "refused_outcomes": (t(RefusedOutcome), sa.or_(RefusedOutcome.walk_list_id.in_(lists),
                                                       RefusedOutcome.actor_pin_id.in_(pins))),
        "list_doors": (t(WalkListDoor), WalkListDoor.walk_list_id.in_(lists)),
        "assignments": (t(Assignment), Assignment.walk_list_id.in_(lists)),
        "list_pins": (t(ListPin), ListPin.walk_list_id.in_(lists)),
        "walk_lists": (t(WalkList), WalkList.knockup_round_id.in_(rounds)),
        "knockup_rounds": (t(KnockupRound), KnockupRound.election_id == election_id),
        "tellings": (t(Telling), Telling.election_id == election_id),
        "lifts": (t(LiftRequest), LiftRequest.election_id == election_id),
    }


def count_election_data(session: Session, *, election_id: int) -> dict[str, int]:
    """How many rows of each kind a wipe of the election would delete (``--dry-run``)."""
    conn = session.connection()
    return {name: conn.execute(sa.select(sa.func.count()).select_from(table).where(where)).scalar_one()
            for name, (table, where) in _queries(election_id).items()}


def _election(session: Session, election_id: int) -> Election:
    election = session.get(Election, election_id)
    if election is None:
        raise NotFound("No such election.")
    return election


def wipe_election_data(session: Session, *, election_id: int, actor_label: str, actor_user_id: int | None = None,
                       settings: Settings | None = None, now: datetime | None = None) -> dict[str, int]:
    """Delete the election's polling-day data (see the module's docstring) and mark it wiped;
    returns how many rows of each kind went, and ``voters_rebuilt`` / ``households_rebuilt``."""
    if settings is None:
        from ..config import settings as current_settings

        settings = current_settings()
    election = _election(session, election_id)
    conn = session.connection()
    queries = _queries(election_id)
    counts = count_election_data(session, election_id=election_id)
    # What the derived data must be recomputed for, read before the rows it comes from go.
    ev, events_where = ContactEvent.__table__.c, queries["contact_events"][1]
    tz = ZoneInfo(settings.timezone)
    households, days = set(), set()
    for household_id, recorded_at in conn.execute(sa.select(ev.household_id, ev.recorded_at).where(events_where)):
        households.add(household_id)
        days.add(local_day(as_utc(recorded_at), tz))
    voters = set(conn.execute(sa.select(Telling.person_id).where(queries["tellings"][1]).distinct()).scalars())

    conn.execute(sa.update(DoNotContact.__table__).where(DoNotContact.source_event_id.in_(
        sa.select(ev.id).where(events_where))).values(source_event_id=None))
    lists = sa.select(WalkList.id).where(queries["walk_lists"][1])
    # Other things a knock-up list may be tied to: an event's work (a knocking-up shift), a
    # volunteer's check-in, a call sheet made from the list. Those stay, without the list.
    conn.execute(sa.delete(EventWork.__table__).where(EventWork.walk_list_id.in_(lists)))
    conn.execute(sa.update(Rsvp.__table__).where(Rsvp.walk_list_id.in_(lists)).values(walk_list_id=None))
    conn.execute(sa.update(CallSheet.__table__).where(CallSheet.walk_list_id.in_(lists)).values(walk_list_id=None))
    # Follow-ups asked for on a wiped knock-up door go with it; fixes made there stay, without the list.
    conn.execute(sa.delete(FollowUp.__table__).where(FollowUp.event_id.in_(sa.select(ev.id).where(events_where))))
    for table in (FollowUp.__table__, PersonFix.__table__):
        conn.execute(sa.update(table).where(table.c.walk_list_id.in_(lists)).values(walk_list_id=None))
    # Answers to the survey's own questions go with their events; a list's survey choice, the doors
    # a redraw took off it and a self-serve check-out go with the list.
    conn.execute(sa.delete(SurveyAnswer.__table__).where(SurveyAnswer.event_id.in_(sa.select(ev.id).where(events_where))))
    for model in (ListSurvey, WalkListRemovedDoor, SelfServeCheckout):
        conn.execute(sa.delete(model.__table__).where(model.__table__.c.walk_list_id.in_(lists)))
    pins = sa.select(ListPin.id).where(ListPin.walk_list_id.in_(lists))
    conn.execute(sa.update(PersonFix.__table__).where(PersonFix.actor_pin_id.in_(pins)).values(actor_pin_id=None))
    for name in COUNTED:
        table, where = queries[name]
        conn.execute(sa.delete(table).where(where))

    refresh_voted(session, person_ids=voters)
    rebuilt = rebuild_household_summaries(session, settings=settings, household_ids=households) if households else 0
    # Rebuilt from the events left on those days. (After ``purge-personal-data`` the support counts
    # it kept per area have no answers left to come from: this wipe, like ``rebuild-summary``, then
    # loses them for those days. The polling-day purge normally runs long before that one.)
    rebuild_rollups(session, settings=settings, days=days)
    election.wiped_at = election.wiped_at or as_utc(now or utcnow())
    session.add(election)
    session.flush()
    counts.update(voters_rebuilt=len(voters), households_rebuilt=rebuilt)
    audit(session, action="pollingday.wipe", actor_user_id=actor_user_id, actor_label=actor_label,
          target=f"election:{election_id}", detail={"rehearsal": election.rehearsal, **counts})
    return counts


def wipe_rehearsal(session: Session, *, election_id: int, actor_label: str, actor_user_id: int | None = None,
                   settings: Settings | None = None, now: datetime | None = None) -> dict[str, int]:
    """``wipe_election_data`` for a rehearsal only: a real election's data goes by its purge date."""
    election = _election(session, election_id)
    if not election.rehearsal:
        raise Conflict(f"{election.name} is not a rehearsal: a real election's polling-day data is kept until its "
                       "purge date (flask purge-polling-day).")
    return wipe_election_data(session, election_id=election_id, actor_label=actor_label, actor_user_id=actor_user_id,
                              settings=settings, now=now)


@dataclass
class Purged:
    election_id: int
    name: str
    purge_date: date
    counts: dict[str, int]


def due_for_purge(session: Session, *, today: date, settings: Settings) -> list[Election]:
    """Elections not yet wiped whose purge date has passed (is before ``today``)."""
    live = session.execute(sa.select(Election).where(Election.wiped_at.is_(None))
                           .order_by(Election.polling_date, Election.id)).scalars()
    return [e for e in live if purge_date(e, settings=settings) < today]


def purge_polling_day(session: Session, *, today: date, settings: Settings, dry_run: bool = False,
                      actor_label: str = "cli", now: datetime | None = None) -> list[Purged]:
    """Wipe every election due for purge (``dry_run``: only count what would go). Running it again
    finds nothing more to do: a wiped election is never due."""
    out = []
    for election in due_for_purge(session, today=today, settings=settings):
        when = purge_date(election, settings=settings)
        if dry_run:
            counts = count_election_data(session, election_id=election.id)
        else:
            counts = wipe_election_data(session, election_id=election.id, actor_label=actor_label, settings=settings,
                                        now=now)
        out.append(Purged(election.id, election.name, when, counts))
    return out
