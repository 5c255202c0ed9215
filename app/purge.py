"""After an election: remove personal data, keep only what cannot identify a person or a household.

What people said at the door (support, issues) is political opinion; tied to an address it is
personal data even once the names are gone. So a purge removes the survey answers themselves, and
the only trace of them left is the dashboard's counts per day and area (ward, neighbourhood), not
per list or volunteer. The do-not-contact ledger keeps its households and numbers: whoever asked
is never contacted again (a person's entry becomes their household's, since nobody can tell any
more which of its people asked: it errs on the side of not knocking).

Deleting rows is not enough on disk: SQLite leaves old pages in free space and in the -wal file.
``compact_after_purge`` rewrites the database (VACUUM) and empties the -wal file; on PostgreSQL it
rewrites the purged tables (VACUUM FULL).
"""
from __future__ import annotations

import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from .audit import audit
from .config import Settings
from .contacts import rebuild_household_summaries
from .contacts.activity_totals import rebuild_activity_totals
from .relational.privacy import purge_entries
from .models import (ActivityDay, BallotStatus, CallAttempt, CallQueueEntry, CallSheetEntry, ContactEvent, DoNotContact,
                     Elector, FollowUp, LiftRequest, Person, PersonFix, PersonSupport, SurveyAnswer, SurveyResponse,
                     Telling, Voted,
                     VotingHistory, WalkPosition, WelcomeNudge)

PURGED_TABLES = ("people", "contact_events", "survey_responses", "survey_answers", "call_attempts", "call_queue",
                 "call_sheet_entries", "do_not_contact", "electors", "tellings", "voted", "lift_requests", "ballot_statuses",
                 "voting_history", "relational_entries", "relational_rejections", "household_summaries",
                 "person_supports", "activity_days", "audit_log", "welcome_nudges", "walk_positions", "person_fixes",
                 "follow_ups")
SUPPORT_COUNTS = ("supporters", "undecided", "against")


def purge_personal_data(session: Session, *, before: datetime, settings: Settings, actor_label: str = "cli") -> dict:
    """Remove people (names, numbers, voter ids) not re-imported since ``before``, their survey
    answers, and the notes, locations and survey answers of every contact event recorded before it.
    Writes in the caller's transaction; safe to run again (``write_transaction`` may retry it)."""
    people = select(Person.id).where(Person.updated_at < before)
    old_events = select(ContactEvent.id).where(ContactEvent.recorded_at < before)
    counts = {"people": session.exec(select(sa.func.count()).select_from(people.subquery())).one()}
    # Calls made keep their outcome and caller (anonymous counts), not whom or which queue entry.
    session.execute(sa.update(CallAttempt).where(CallAttempt.person_id.in_(people))
                    .values(person_id=None, phone="", queue_entry_id=None))
    # A purged person's elector number, polling-day record, ballot status and voting history go with them.
    for model in (CallSheetEntry, CallQueueEntry, Voted, Telling, Elector, BallotStatus, VotingHistory, PersonSupport):
        session.execute(sa.delete(model).where(model.person_id.in_(people)))
    from .pollingday.ballot_tally import forget  # here: the pollingday package loads its views

    forget(session)  # the chase's kept counts included them: it counts afresh
    # A lift request names a voter, their address, phone and access needs, register or not.
    counts["lifts_removed"] = session.execute(sa.delete(LiftRequest).where(sa.or_(
        LiftRequest.person_id.in_(people), LiftRequest.created_at < before))).rowcount
    # The survey's own questions' answers go with the responses they were given in.
    counts["question_answers_removed"] = session.execute(sa.delete(SurveyAnswer).where(sa.or_(
        SurveyAnswer.person_id.in_(people), SurveyAnswer.event_id.in_(old_events)))).rowcount
    # Fixes from the door hold names, numbers, emails and consent; follow-ups the questions asked.
    counts["fixes_removed"] = session.execute(sa.delete(PersonFix).where(sa.or_(
        PersonFix.person_id.in_(people), PersonFix.recorded_at < before))).rowcount
    counts["follow_ups_removed"] = session.execute(sa.delete(FollowUp).where(sa.or_(
        FollowUp.person_id.in_(people), FollowUp.event_id.in_(old_events)))).rowcount
    counts["answers_removed"] = session.execute(sa.delete(SurveyResponse).where(sa.or_(
        SurveyResponse.person_id.in_(people), SurveyResponse.event_id.in_(old_events)))).rowcount
    counts.update(purge_entries(session, people=people, before=before))  # people you know (app/relational)
    session.execute(sa.update(DoNotContact).where(DoNotContact.person_id.in_(people)).values(person_id=None))
    session.execute(sa.update(ContactEvent).where(ContactEvent.person_id.in_(people)).values(person_id=None))
    result = session.execute(sa.update(ContactEvent).where(ContactEvent.recorded_at < before)
                             .values(notes="", lat=None, lon=None, accuracy_m=None))
    counts["events_scrubbed"] = result.rowcount
    session.execute(sa.delete(Person).where(Person.updated_at < before))
    # Who welcomed whom, when, is only kept to rate-limit the welcomes: none older than ``before``.
    counts["welcomes_removed"] = session.execute(sa.delete(WelcomeNudge).where(WelcomeNudge.sent_at < before)).rowcount
    # Where volunteers walked (shared with their lead; normally gone by the next day anyway).
    counts["positions_removed"] = session.execute(sa.delete(WalkPosition).where(WalkPosition.recorded_at < before)).rowcount
    _support_counts_by_area_only(session, through=before.astimezone(ZoneInfo(settings.timezone)).date())
    rebuild_activity_totals(session.connection())  # the lists' and volunteers' all-time support went with them
    # their support fields (and people's latest support, person_supports) came from the answers
    rebuild_household_summaries(session, settings=settings)
    audit(session, action="data.purge", actor_label=actor_label, detail={"before": before.isoformat(), **counts})
    return counts


def _support_counts_by_area_only(session: Session, *, through) -> None:
    """Move the support counts of days up to ``through`` from per-list and per-volunteer rows (a
    list is a street or two) to their area's row; events and contacts stay where they are."""
    t = ActivityDay.__table__.c
    detailed = sa.or_(t.walk_list_id != 0, t.actor_user_id != 0, t.actor_pin_id != 0)
    sums = session.execute(
        sa.select(t.day, t.ward_id, t.neighbourhood_id, t.channel, *[sa.func.sum(t[c]) for c in SUPPORT_COUNTS])
        .where(t.day <= through, detailed).group_by(t.day, t.ward_id, t.neighbourhood_id, t.channel)).all()
    session.execute(sa.update(ActivityDay.__table__).where(t.day <= through, detailed)
                    .values(**{c: 0 for c in SUPPORT_COUNTS}))
    for day, ward, hood, channel, *moved in sums:
        if not any(moved):
            continue
        key = dict(day=day, ward_id=ward, neighbourhood_id=hood, walk_list_id=0, actor_user_id=0, actor_pin_id=0,
                   channel=channel)
        row = session.get(ActivityDay, key) or ActivityDay(**key)
        for name, value in zip(SUPPORT_COUNTS, moved):
            setattr(row, name, getattr(row, name) + int(value or 0))
        session.add(row)
    session.flush()


def compact_after_purge(engine: sa.Engine) -> str:
    """Leave no purged byte in the database's files; returns what was done, for the operator.

    Run after the purge has committed, with no transaction open on this process's connections.
    """
    engine.dispose()  # pooled connections hold nothing we need, and VACUUM wants the file to itself
    if engine.dialect.name == "sqlite":
        conn = sqlite3.connect(engine.url.database, isolation_level=None, timeout=30)
        try:
            conn.execute("PRAGMA secure_delete=ON")
            conn.execute("VACUUM")  # every page rewritten: nothing left in free pages
            busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
        if busy:
            return "database rewritten, but another process was reading: stop the server and run the purge again"
        return "database rewritten and its -wal file emptied"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in PURGED_TABLES:
            conn.exec_driver_sql(f'VACUUM FULL "{table}"')
    return "purged tables rewritten (VACUUM FULL)"
