"""The US ballot-status file, imported daily: each listed voter's ballot (requested, sent,
returned, voted early, rejected) into ``ballot_statuses``, matched by voter id
(``Person.external_id``, what the voter-file import stored).

The file is read as a stream, one row at a time, keeping only (voter id, status, date) per voter;
every row is checked before anything is written. A bad row (unknown status, bad date, a voter id
nobody has) is reported by its line, and nothing is written unless ``skip_bad``. A re-import
updates each voter's row: the office's file is the truth of the day.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from ..audit import audit
from ..errors import ImportRejected, ValidationError
from ..imports.rows import BadRow, RowError, stream_rows
from ..models import BallotStatus, Person, utcnow
from ..sql import chunks, on_conflict
from . import ballot_tally
from .ballot_mapping import BALLOT_MAPPING, STATUSES, BallotMapping


@dataclass
class BallotReport:
    rows: int = 0
    new: int = 0           # voters with no ballot status before
    changed: int = 0       # status or date changed
    unchanged: int = 0
    duplicates: int = 0    # rows superseded by a later (or later-dated) row for the same voter
    by_status: Counter = field(default_factory=Counter)
    rejected: list[RowError] = field(default_factory=list)
    report_path: Path | None = None

    def summary(self) -> str:
        statuses = ", ".join(f"{self.by_status[s]} {s.replace('_', ' ')}" for s in STATUSES if self.by_status[s])
        return (f"{self.rows} rows: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
                f"{self.duplicates} superseded, {len(self.rejected)} rejected" + (f" ({statuses})" if statuses else ""))


def _read(source, mapping: BallotMapping, report: BallotReport) -> dict[str, tuple[int, str, date | None]]:
    """voter id -> (line, status, date): the latest-dated row per voter (a tie: the later row)."""
    rows = stream_rows(source, what="ballot-status file")
    first = next(rows, None)
    if first is None:
        raise ValidationError("the ballot-status file is empty (it needs a header row)")
    header = [h.strip() for h in first[1]]
    mapping.check_header(header)
    index = {name: i for i, name in reversed(list(enumerate(header)))}
    width = len(header)
    found: dict[str, tuple[int, str, date | None]] = {}
    for line, row in rows:
        report.rows += 1
        try:
            voter_id, status, when = mapping.read(row + [""] * (width - len(row)), index)
        except BadRow as exc:
            report.rejected.append(RowError(line, str(exc)))
            continue
        before = found.get(voter_id)
        if before is not None:
            report.duplicates += 1
            if (before[2] or date.min) > (when or date.min):
                continue
        found[voter_id] = (line, status, when)
    if report.rows == 0:
        raise ValidationError("the ballot-status file has a header but no rows")
    return found


def import_ballot_status(session: Session, *, source, mapping: BallotMapping | None = None, skip_bad: bool = False,
                         actor_label: str = "cli", actor_user_id: int | None = None) -> BallotReport:
    """Set each listed voter's ballot status. Raises ImportRejected (nothing written) when any
    row is bad, unless ``skip_bad``. ``source``: a path or a text stream (read from its start)."""
    mapping = mapping or BallotMapping.load(BALLOT_MAPPING)
    report = BallotReport()
    found = _read(source, mapping, report)
    people: dict[str, int] = {}
    for part in chunks(sorted(found), 900):
        people.update(session.execute(sa.select(Person.external_id, Person.id)
                                      .where(Person.external_id.in_(list(part)))).all())
    for voter_id in [v for v in found if v not in people]:
        report.rejected.append(RowError(found.pop(voter_id)[0], f"no person with voter id {voter_id[:64]!r} "
                                                                "(import the voter file first)"))
    report.rejected.sort(key=lambda e: e.row)
    if report.rejected and not skip_bad:
        raise ImportRejected(f"{len(report.rejected)} of {report.rows} rows rejected, nothing was imported: "
                             f"{report.rejected[0]}", details=[str(e) for e in report.rejected])
    wanted = {people[v]: (status, when) for v, (_line, status, when) in found.items()}
    old: dict[int, tuple] = {}
    for part in chunks(sorted(wanted), 900):
        old.update((pid, (status, when)) for pid, status, when in session.execute(
            sa.select(BallotStatus.person_id, BallotStatus.status, BallotStatus.status_date)
            .where(BallotStatus.person_id.in_(list(part)))))
    now, writes = utcnow(), []
    for person_id, (status, when) in wanted.items():
        report.by_status[status] += 1
        if person_id not in old:
            report.new += 1
        elif old[person_id] == (status, when):
            report.unchanged += 1
            continue
        else:
            report.changed += 1
        writes.append({"person_id": person_id, "status": status, "status_date": when, "updated_at": now})
    conn = session.connection()
    stmt = on_conflict(conn, BallotStatus.__table__, name="ballot_statuses.upsert", build=lambda insert: (
        insert.on_conflict_do_update(index_elements=["person_id"], set_={
            "status": insert.excluded.status, "status_date": insert.excluded.status_date,
            "updated_at": insert.excluded.updated_at})))
    for part in chunks(writes):
        conn.execute(stmt, list(part))
    if writes:
        ballot_tally.forget(session)  # the state's table must not show the last file's figures
    audit(session, action="import.ballot_status", actor_label=actor_label, actor_user_id=actor_user_id,
          target=Path(source).name if isinstance(source, (str, Path)) else "upload",
          detail={"rows": report.rows, "new": report.new, "changed": report.changed,
                  "rejected": len(report.rejected)})
    return report
