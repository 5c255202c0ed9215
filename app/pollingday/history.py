"""After the poll: who voted, into each person's voting history (``voting_history``), for universes
next time. Two ways in: the marked register (UK: the elector numbers marked as having voted, in
person or by post) and, in the US, the ballot statuses already imported (returned: postal,
voted early: early). Both are idempotent: a re-run writes each (person, election) once, and a
changed method is updated. And the turnout summary by polling district.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..audit import audit
from ..errors import ImportRejected, NotFound, ValidationError
from ..imports.rows import BadRow, RowError, stream_rows
from ..models import BallotStatus, Election, Elector, Household, Neighbourhood, Person, VotingHistory, utcnow
from ..sorting import natural_key
from ..sql import chunks, on_conflict
from .ballot_mapping import VOTED
from .numbers import BadNumber, ElectorNumber, parse_elector_number, parse_parts

METHODS = ("in_person", "postal", "early")
# A marked register's method column, in the words offices and campaigns write.
METHOD_WORDS = {"": None, "in person": "in_person", "in_person": "in_person", "person": "in_person",
                "polling station": "in_person", "station": "in_person", "ps": "in_person", "p": "in_person",
                "postal": "postal", "post": "postal", "postal vote": "postal", "pv": "postal", "a": "postal",
                "mail": "postal", "by mail": "postal", "early": "early", "early vote": "early", "e": "early"}
NUMBER_COLUMNS = ("elector number", "elector_number", "elector no", "number", "elector")
PART_COLUMNS = ("elector number prefix", "elector number", "elector number suffix")
METHOD_COLUMNS = ("method", "marker", "vote method", "voted", "how voted")


def require_election(session: Session, election_id: int) -> Election:
    election = session.get(Election, election_id)
    if election is None:
        raise NotFound(f"There is no election {election_id}.")
    return election


@dataclass
class HistoryReport:
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    duplicates: int = 0   # an elector listed again (same method): one voter, one row
    rejected: list[RowError] = field(default_factory=list)
    report_path: Path | None = None

    def summary(self) -> str:
        return (f"{self.rows} rows: {self.new} voters recorded, {self.changed} changed, {self.unchanged} already "
                f"recorded, {self.duplicates} listed twice, {len(self.rejected)} rejected")


def _columns(header: list[str], number_column: str | None, method_column: str | None):
    """(how to read the number: ("parts", i, j, k) or ("whole", i)), method index or None."""
    lower = [h.strip().casefold() for h in header]

    def find(names, *, given=None, what=""):
        if given is not None:
            if given.strip().casefold() not in lower:
                raise ValidationError(f"the marked register has no column {given[:60]!r} "
                                      f"(its columns are {', '.join(h[:40] for h in header[:40])})")
            return lower.index(given.strip().casefold())
        return next((lower.index(n) for n in names if n in lower), None)

    if number_column is None and all(c in lower for c in PART_COLUMNS[:2]):
        number = ("parts", *(lower.index(c) if c in lower else None for c in PART_COLUMNS))
    else:
        at = find(NUMBER_COLUMNS, given=number_column)
        if at is None:
            raise ValidationError("the marked register needs an elector number column (\"Elector Number\" "
                                  "written like AB-123 or AB-123/1, or the register's Elector Number Prefix, "
                                  "Elector Number and Elector Number Suffix; or say which with --number-column); "
                                  f"its columns are {', '.join(h[:40] for h in header[:40])}")
        number = ("whole", at)
    return number, find(METHOD_COLUMNS, given=method_column)


def _number(row: list[str], how) -> ElectorNumber:
    def cell(i):
        return row[i] if i is not None and i < len(row) else ""
    if how[0] == "parts":
        return parse_parts(cell(how[1]), cell(how[2]), cell(how[3]))
    return parse_elector_number(cell(how[1]))


def import_marked_register(session: Session, *, election_id: int, source, skip_bad: bool = False,
                           default_method: str = "in_person", number_column: str | None = None,
                           method_column: str | None = None, actor_label: str = "cli") -> HistoryReport:
    """Each marked elector gets a voting-history row for the election. An unknown or malformed
    number, or an unknown method, is a bad row: nothing is written unless ``skip_bad``."""
    require_election(session, election_id)
    if default_method not in METHODS:
        raise ValidationError(f"method must be one of {', '.join(METHODS)}")
    rows = stream_rows(source, what="marked register")
    first = next(rows, None)
    if first is None:
        raise ValidationError("the marked register is empty (it needs a header row)")
    how, method_at = _columns(first[1], number_column, method_column)
    report = HistoryReport()
    wanted: dict[ElectorNumber, tuple[int, str]] = {}
    for line, row in rows:
        report.rows += 1
        try:
            key = _number(row, how)
            word = " ".join((row[method_at] if method_at is not None and method_at < len(row) else "").split())
            if word.casefold() not in METHOD_WORDS:
                raise BadRow(f"method {word[:30]!r} is not in person, postal or early")
            method = METHOD_WORDS[word.casefold()] or default_method
            if key in wanted and wanted[key][1] != method:
                raise BadRow(f"{key} is listed twice with different methods (first on row {wanted[key][0]})")
        except (BadNumber, BadRow) as exc:
            report.rejected.append(RowError(line, str(exc)))
            continue
        report.duplicates += key in wanted
        wanted.setdefault(key, (line, method))
    if report.rows == 0:
        raise ValidationError("the marked register has a header but no rows")
    known: dict[tuple, int] = {}
    for part in chunks(sorted({k.prefix for k in wanted}), 900):
        for person_id, prefix, number, suffix in session.execute(
                sa.select(Elector.person_id, Elector.prefix, Elector.number, Elector.suffix)
                .where(Elector.prefix.in_(list(part)))):
            known[(prefix, number, suffix)] = person_id
    methods: dict[int, str] = {}
    for key, (line, method) in wanted.items():
        person_id = known.get((key.prefix, key.number, key.suffix))
        if person_id is None:
            report.rejected.append(RowError(line, f"no elector {key} on the register"))
        else:
            methods[person_id] = method
    report.rejected.sort(key=lambda e: e.row)
    if report.rejected and not skip_bad:
        raise ImportRejected(f"{len(report.rejected)} of {report.rows} rows rejected, nothing was imported: "
                             f"{report.rejected[0]}", details=[str(e) for e in report.rejected])
    _write(session, election_id=election_id, methods=methods, report=report)
    audit(session, action="import.marked_register", actor_label=actor_label, target=f"election:{election_id}",
          detail={"rows": report.rows, "new": report.new, "changed": report.changed, "rejected": len(report.rejected)})
    return report


def record_early_votes(session: Session, *, election_id: int, actor_label: str = "cli") -> HistoryReport:
    """The US path: everyone whose ballot is returned (postal) or voted early (early) gets a
    voting-history row for the election."""
    require_election(session, election_id)
    methods = {pid: "early" if status == "voted_early" else "postal" for pid, status in session.execute(
        sa.select(BallotStatus.person_id, BallotStatus.status).where(BallotStatus.status.in_(VOTED)))}
    report = HistoryReport(rows=len(methods))
    _write(session, election_id=election_id, methods=methods, report=report)
    audit(session, action="pollingday.early_votes", actor_label=actor_label, target=f"election:{election_id}",
          detail={"voters": report.rows, "new": report.new, "changed": report.changed})
    return report


def _write(session: Session, *, election_id: int, methods: dict[int, str], report: HistoryReport) -> None:
    old: dict[int, str] = {}
    for part in chunks(sorted(methods), 900):
        old.update(session.execute(sa.select(VotingHistory.person_id, VotingHistory.method).where(
            VotingHistory.election_id == election_id, VotingHistory.person_id.in_(list(part)))).all())
    now, writes = utcnow(), []
    for person_id, method in sorted(methods.items()):
        if old.get(person_id) == method:
            report.unchanged += 1
            continue
        report.new, report.changed = report.new + (person_id not in old), report.changed + (person_id in old)
        writes.append({"person_id": person_id, "election_id": election_id, "method": method, "imported_at": now})
    conn = session.connection()
    stmt = on_conflict(conn, VotingHistory.__table__, name="voting_history.upsert", build=lambda insert: (
        insert.on_conflict_do_update(index_elements=["person_id", "election_id"], set_={
            "method": insert.excluded.method, "imported_at": insert.excluded.imported_at})))
    for part in chunks(writes):
        conn.execute(stmt, list(part))


# ---- turnout ---------------------------------------------------------------------------------
@dataclass
class TurnoutLine:
    neighbourhood_id: int | None
    label: str
    electors: int = 0
    voted: int = 0
    by_method: dict = field(default_factory=dict)

    @property
    def percent(self) -> float | None:
        return round(100 * self.voted / self.electors, 1) if self.electors else None


def voting_history_summary(session: Session, *, election_id: int) -> tuple[list[TurnoutLine], TurnoutLine]:
    """Turnout by polling district: (one line per district, the total). A person's district is
    their elector number's prefix when they are on the register (as the pledges read it), else
    their household's neighbourhood (US voters have no elector number); people in neither are
    the line "No district"."""
    require_election(session, election_id)
    by_prefix = aliased(Neighbourhood)
    district = sa.func.coalesce(by_prefix.id, Household.neighbourhood_id).label("district")
    voters = (sa.select(district, VotingHistory.method, sa.func.count().label("n"))
              .select_from(Person).join(Household, Household.id == Person.household_id)
              .outerjoin(Elector, Elector.person_id == Person.id)
              .outerjoin(by_prefix, by_prefix.code == Elector.prefix)
              .outerjoin(VotingHistory, sa.and_(VotingHistory.person_id == Person.id,
                                                VotingHistory.election_id == election_id))
              .group_by(district, VotingHistory.method))
    names = {h.id: h for h in session.execute(sa.select(Neighbourhood)).scalars()}
    lines: dict[int | None, TurnoutLine] = {}
    total = TurnoutLine(None, "All districts")
    for hood_id, method, count in session.execute(voters):
        hood = names.get(hood_id)
        line = lines.setdefault(hood_id, TurnoutLine(hood_id, f"{hood.code} {hood.name}" if hood else "No district"))
        for target in (line, total):
            target.electors += count
            if method is not None:
                target.voted += count
                target.by_method[method] = target.by_method.get(method, 0) + count
    ordered = sorted(lines.values(), key=lambda l: (l.neighbourhood_id is None, natural_key(l.label)))
    return ordered, total
