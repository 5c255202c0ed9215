"""Operations on the whole database: backup and restore, and data protection (purging personal
data after an election, answering a subject-access request). Each is a plain function, wrapped
by a CLI command below."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from .audit import audit
from .clock import as_utc
from .config import settings
from .db import engine_for, session_scope, write_transaction
from .errors import NotFound, ValidationError
from .models import (BallotStatus, CallAttempt, ContactEvent, DoNotContact, Election, FollowUp, Household, Person,
                     PersonFix, SurveyResponse,
                     VotingHistory)
from .purge import compact_after_purge, purge_personal_data
from .relational.privacy import entries_about_person
from .surveys.queries import survey_answers_of


# ---- backup / restore ----------------------------------------------------------------------
def _pg_args(engine: sa.Engine) -> tuple[str, list[str]]:
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    schema = current_app.config.get("DATABASE_SCHEMA")
    return url, (["-n", schema] if schema else [])


def backup(*, engine: sa.Engine, out: Path) -> Path:
    """SQLite: the online backup API (consistent while the app keeps writing). PostgreSQL: pg_dump.

    The copy holds every voter record, so it is readable by its owner only (0600), whatever the
    umask: the file is made private before a byte is written to it.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name != "sqlite" and not shutil.which("pg_dump"):
        raise ValidationError("pg_dump is not installed (apt-get install postgresql-client)")
    old_umask = os.umask(0o077)  # and any journal file sqlite3 or pg_dump makes beside it
    try:
        os.close(os.open(out, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(out, 0o600)  # an existing file keeps its mode through os.open
        if engine.dialect.name == "sqlite":
            src = sqlite3.connect(engine.url.database)
            dst = sqlite3.connect(out)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
            return out
        url, schema_args = _pg_args(engine)
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", *schema_args, "--file", str(out), url],
                       check=True, capture_output=True)
        return out
    finally:
        os.umask(old_umask)


def backup_checksum(*, dialect: str, path: Path) -> tuple[int, str]:
    """``outcomes_checksum`` of what a backup file holds (not of the live database)."""
    if dialect == "sqlite":
        engine = sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
        try:
            with Session(engine) as session:
                return outcomes_checksum(session)
        finally:
            engine.dispose()
    # pg_restore prints the archive's contact_events as COPY text: its column list, then tab-separated rows.
    dump = subprocess.run(["pg_restore", "--data-only", "--table=contact_events", "--file=-", str(path)],
                          check=True, capture_output=True, text=True).stdout
    rows, columns, copying = [], [], False
    for line in dump.splitlines():
        if line.startswith("COPY ") and "contact_events" in line:
            columns = [c.strip() for c in line[line.index("(") + 1:line.index(")")].split(",")]
            copying = True
        elif copying and line == "\\.":
            copying = False
        elif copying:
            rows.append(dict(zip(columns, line.split("\t"))))
    return _checksum((r["id"], r["channel"], r["code"], int(r["household_id"]),
                      None if r["person_id"] == "\\N" else int(r["person_id"]),
                      as_utc(datetime.fromisoformat(r["recorded_at"]))) for r in rows)


def restore(*, engine: sa.Engine, source: Path) -> None:
    """Replace the database's contents with a backup made by ``backup``."""
    if not source.exists():
        raise ValidationError(f"no backup at {source}")
    engine.dispose()  # no pooled connection may keep the old pages
    if engine.dialect.name == "sqlite":
        src = sqlite3.connect(source)
        dst = sqlite3.connect(engine.url.database)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return
    url, schema_args = _pg_args(engine)
    subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *schema_args,
                    "-d", url, str(source)], check=True, capture_output=True)


def outcomes_checksum(session: Session) -> tuple[int, str]:
    """(count, sha256) over every contact event's identity and content: a round-trip check."""
    return _checksum(session.exec(select(ContactEvent.id, ContactEvent.channel, ContactEvent.code,
                                         ContactEvent.household_id, ContactEvent.person_id,
                                         ContactEvent.recorded_at)).all())


def _checksum(rows) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for row in sorted(rows):
        digest.update(repr((row[0], row[1], row[2], row[3], row[4], as_utc(row[5]).isoformat())).encode())
        count += 1
    return count, digest.hexdigest()


# ---- data protection -----------------------------------------------------------------------
def export_person(session: Session, *, person_id: int) -> dict:
    """Everything Legwork holds about one person: a subject-access request's answer."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person with id {person_id}")
    household = session.get(Household, person.household_id)
    events = session.exec(
        select(ContactEvent).where(sa.or_(
            ContactEvent.person_id == person_id,
            ContactEvent.id.in_(select(SurveyResponse.event_id).where(SurveyResponse.person_id == person_id)),
        )).order_by(ContactEvent.recorded_at)).all()
    responses = {r.event_id: r for r in session.exec(select(SurveyResponse).where(SurveyResponse.person_id == person_id))}

    answers = survey_answers_of(session, person_id=person_id)

    def event_dict(e: ContactEvent) -> dict:
        out = e.model_dump(include={"id", "channel", "code", "recorded_at", "notes"})
        if e.id in responses:
            out["response"] = responses[e.id].model_dump(exclude={"id", "event_id", "person_id"})
        if e.id in answers:
            out["answers"] = answers[e.id]
        return out

    ledger = session.exec(select(DoNotContact).where(sa.or_(
        DoNotContact.person_id == person_id, sa.and_(DoNotContact.phone.is_not(None), DoNotContact.phone == person.phone)))).all()
    calls = session.exec(select(CallAttempt).where(CallAttempt.person_id == person_id)).all()
    ballot = session.get(BallotStatus, person_id)
    history = session.exec(select(Election.name, Election.polling_date, VotingHistory.method)
                           .join(Election, Election.id == VotingHistory.election_id)
                           .where(VotingHistory.person_id == person_id).order_by(Election.polling_date)).all()
    fixes = session.exec(select(PersonFix).where(PersonFix.person_id == person_id).order_by(PersonFix.recorded_at)).all()
    follow_ups = session.exec(select(FollowUp).where(FollowUp.person_id == person_id).order_by(FollowUp.created_at)).all()
    return {
        "person": person.model_dump(exclude={"household_id"}),
        "fixes_at_the_door": [f.model_dump(include={"kind", "recorded_at", "status", "before", "after", "consent_text",
                                                    "consent_at"}) for f in fixes],
        "follow_ups": [f.model_dump(include={"kind", "note", "status", "created_at", "done_at", "done_note"})
                       for f in follow_ups],
        "household": household.model_dump(include={"house_number", "suffix", "street", "unit", "postcode", "city"}),
        "contacts": [event_dict(e) for e in events],
        "do_not_contact": [d.model_dump(include={"channel", "reason", "created_at"}) for d in ledger],
        "calls": [c.model_dump(include={"started_at", "disposition", "twilio_status", "duration_s"}) for c in calls],
        "ballot_status": ballot.model_dump(include={"status", "status_date", "updated_at"}) if ballot else None,
        "voting_history": [{"election": name, "date": day, "method": method} for name, day, method in history],
        "known_by_volunteers": entries_about_person(session, person_id=person_id),
    }


# ---- CLI -----------------------------------------------------------------------------------
@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(out):
    """Write a consistent copy of the database to OUT (SQLite file or pg_dump archive)."""
    engine = engine_for()
    try:
        backup(engine=engine, out=out)
    except ValidationError as err:  # a missing tool is the user's to fix: a message, not a traceback
        raise click.ClickException(err.message) from None
    count, digest = backup_checksum(dialect=engine.dialect.name, path=out)  # what the file holds
    click.echo(f"Backed up to {out}: {count} outcomes, checksum {digest[:16]}")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(source, yes):
    """Replace the database with the backup in SOURCE."""
    if not yes:
        click.confirm(f"Replace every row in the database with {source}?", abort=True)
    try:
        restore(engine=engine_for(), source=source)
    except ValidationError as err:  # a mistyped path: a message, not a traceback
        raise click.ClickException(err.message) from None
    with session_scope() as session:
        count, digest = outcomes_checksum(session)
    click.echo(f"Restored from {source}: {count} outcomes, checksum {digest[:16]}")


@click.command("purge-personal-data")
@click.option("--before", required=True, help="YYYY-MM-DD: purge people not re-imported since this date.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def purge_command(before, yes):
    """Remove personal data after an election, keeping anonymous counts."""
    try:
        when = datetime.strptime(before, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        raise click.BadParameter(f"{before!r} is not a date like 2026-11-30", param_hint="--before") from None
    if not yes:
        click.confirm(f"Permanently remove personal data recorded before {before}?", abort=True)
    with session_scope() as session:
        config = settings()
        counts = write_transaction(session, lambda s: purge_personal_data(s, before=when, settings=config))
    done = compact_after_purge(engine_for())
    click.echo(f"Purged {counts['people']} people and {counts['answers_removed']} survey answers; scrubbed notes and "
               f"locations of {counts['events_scrubbed']} events; {done}.")


@click.command("export-person")
@click.argument("person_id", type=int)
@with_appcontext
def export_person_command(person_id):
    """Print everything held about one person as JSON (subject-access request)."""
    with session_scope() as session:
        try:
            data = export_person(session, person_id=person_id)
        except NotFound as err:
            raise click.ClickException(err.message) from None
        write_transaction(session, lambda s: audit(s, action="export.person", actor_label="cli",
                                                   target=f"person:{person_id}"))
    click.echo(json.dumps(data, indent=2, default=str))


commands = [backup_command, restore_command, purge_command, export_person_command]
