"""Households (and people) from a CSV and a mapping: validate every row, geocode by lon/lat
or postcode, place by point-in-polygon, then upsert in bulk by external id.

Speed matters (a city's whole address list in a few seconds on a small server): rows are
built as plain dicts and written with executemany (COPY on PostgreSQL); existing ids come from
one query per chunk; placement is one vectorised shapely query per level and chunk. Memory
matters too (a state's list may come as one million-row upload): the file is read twice as a
stream, a check pass then a write pass in chunks, so only digests of the keys are held, never
the rows.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session

from ..audit import audit
from ..errors import ImportRejected, ValidationError
from ..models import Household, Person, utcnow
from ..sql import chunks
from .mapping import Mapping
from .bulk import bulk_insert, bulk_update
from .placement import Placer
from .electors import adopt_known_numbers, write_electors
from .keys import KeyLines
from .register_rows import RegisterReader
from .rows import BadRow, RowError, RowReader, data_rows, load_postcodes, stream_rows

HOUSEHOLD_COLUMNS = ("house_number", "suffix", "street", "unit", "postcode", "city", "building_key",
                     "lon", "lat", "ward_id", "neighbourhood_id")

# Rows per write in the second pass: big enough that the per-chunk queries are few, small
# enough that a chunk's dicts stay a few MB (and a chunk's ids fit SQLite's IN-list path).
CHUNK_ROWS = 5000

__all__ = ["ImportReport", "RowError", "import_addresses", "write_report"]


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0           # households inserted
    updated: int = 0            # households already known by external id
    rejected: list[RowError] = field(default_factory=list)
    outside: int = 0            # households (of this file) inside no ward
    people_imported: int = 0
    people_updated: int = 0
    electors_imported: int = 0   # elector numbers new to the register (register mappings)
    electors_changed: int = 0    # elector rows whose markers (postal, proxy) changed
    report_path: Path | None = None

    def summary(self) -> str:
        text = (f"{self.imported} imported, {self.updated} updated, {len(self.rejected)} rejected, "
                f"{self.outside} outside every ward")
        if self.people_imported or self.people_updated:
            text += f"; people: {self.people_imported} imported, {self.people_updated} updated"
        if self.electors_imported or self.electors_changed:
            text += f"; elector numbers: {self.electors_imported} new, {self.electors_changed} changed"
        return text


def write_report(report: ImportReport, path: str | Path) -> Path:
    """The rejected rows as CSV (row, reason), for the organiser to fix and re-import."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "reason"])
        writer.writerows([e.row, e.reason] for e in report.rejected)
    report.report_path = path
    return path


def _check(csv_path, reader: RowReader, report: ImportReport, progress, total: int) -> np.ndarray:
    """The first pass: every row checked, bad ones in ``report.rejected`` (in row order). Keeps no
    row, only digests of the keys (``KeyLines``). Returns, by line, whether the row is the first
    good one of its household: with people, several rows share a household and the first
    row's address stands."""
    has_people = reader.mapping.has_people
    people, households = KeyLines(), KeyLines()
    errors: list[RowError] = []
    last = 0
    for done, (line, row) in enumerate(data_rows(csv_path), start=1):
        try:
            row = reader.pad(row)
            household = reader.household(row)
            person = reader.person(row)
            if has_people:
                people.add(person["external_id"], line)
            households.add(household["external_id"], line)
        except BadRow as exc:
            errors.append(RowError(line, str(exc)))
        if progress and done % 1000 == 0:
            progress(done, total)
        report.rows, last = done, line
    if has_people:
        _, again, first_of = people.firsts()
        firsts, _, _ = households.firsts(skip=set(again.tolist()))
    else:
        firsts, again, first_of = households.firsts()
    if len(again):
        errors += _duplicates(csv_path, reader, dict(zip(again.tolist(), first_of.tolist())))
        errors.sort(key=lambda e: e.row)
    report.rejected = errors
    first_of_household = np.zeros(last + 1, dtype=bool)
    first_of_household[firsts] = True
    return first_of_household


def _duplicates(csv_path, reader: RowReader, first_of: dict[int, int]) -> list[RowError]:
    """The errors for rows whose id came before (line -> the first line), naming the id: the
    check pass kept digests only, so the ids are read again (only when there are duplicates)."""
    people = reader.mapping.has_people
    name = "person_external_id" if people else "external_id"
    errors = []
    for line, row in data_rows(csv_path):
        if line in first_of:
            row = reader.pad(row)
            key = reader.person(row)["external_id"] if people else reader.household(row)["external_id"]
            errors.append(RowError(line, f"duplicate {name} {key!r} (first on row {first_of[line]})"))
    return errors


def _existing(session: Session, model, keys, *columns) -> dict:
    """external id -> row (id, plus ``columns``) for the keys already in the table."""
    keys = list(keys)
    select = sa.select(model.external_id, model.id, *columns)
    if session.get_bind().dialect.name == "postgresql":
        # By the unique index, a long IN list at a time: a scan of the whole column would read
        # every door of a state for each file (quadratic over a statewide load of many files).
        found = {}
        for part in chunks(keys, 10_000):
            found.update((row[0], row) for row in session.execute(select.where(model.external_id.in_(part))))
        return found
    if len(keys) > 5000:
        # A big file on SQLite: one scan of the whole id column beats dozens of IN lists.
        wanted = set(keys)
        rows = session.execute(select.where(model.external_id.is_not(None))).all()
        return {row[0]: row for row in rows if row[0] in wanted}
    found = {}
    for part in chunks(keys, 900):  # under SQLite's bound-parameter limit
        found.update((row[0], row) for row in session.execute(select.where(model.external_id.in_(part))))
    return found


def import_addresses(session: Session, *, csv_path, mapping: Mapping, postcodes_path=None, postcodes: dict | None = None,
                     skip_bad: bool = False,
                     default_region: str = "US", progress: Callable[[int, int], None] | None = None,
                     actor_label: str = "cli", actor_user_id=None, source_name: str | None = None,
                     chunk_rows: int = CHUNK_ROWS) -> ImportReport:
    """Import households (and people) from ``csv_path`` (a path or a seekable text stream).

    Raises ImportRejected (nothing written) when any row is bad, unless ``skip_bad``: then the
    good rows are written and ``report.rejected`` lists the bad ones. ``progress(done, total)``
    is called as rows are read and written. ``postcodes``: an already loaded table (as
    ``load_postcodes`` gives) instead of ``postcodes_path``. A register mapping
    (``Mapping.has_electors``) also writes each person's elector number. The caller commits.

    The file is read as a stream, twice, and never held: the first pass checks every row, the
    second writes ``chunk_rows`` rows at a time, all in the caller's one transaction.
    """
    region = (mapping.default_region or default_region or "US").upper()
    if postcodes_path is not None:
        postcodes = load_postcodes(postcodes_path)
    first = next(stream_rows(csv_path, what="CSV"), None)
    if first is None:
        raise ValidationError("the CSV is empty (it needs a header row and at least one row)")
    header = [h.strip() for h in first[1]]
    reader = (RegisterReader if mapping.has_electors else RowReader)(mapping, header, postcodes=postcodes, region=region)
    # The total for progress needs the row count first: a bare CSV read, cheap beside the checks.
    total = 2 * sum(1 for _ in data_rows(csv_path)) if progress else 0
    report = ImportReport()
    first_of_household = _check(csv_path, reader, report, progress, total)
    if not report.rows:
        raise ValidationError("the CSV has a header but no rows")
    if report.rejected and not skip_bad:
        first = report.rejected[0]
        more = f" (and {len(report.rejected) - 1} more)" if len(report.rejected) > 1 else ""
        exc = ImportRejected(f"{len(report.rejected)} of {report.rows} rows rejected, nothing was imported: "
                             f"{first}{more}", details=[str(e) for e in report.rejected])
        exc.report = report
        raise exc

    writer = _ChunkWriter(session, mapping, report, utcnow())
    rejected = {e.row for e in report.rejected}
    chunk: list[tuple[dict | None, dict | None]] = []
    done = report.rows
    for line, row in data_rows(csv_path):
        if line in rejected:
            continue
        row = reader.pad(row)
        household = reader.household(row)
        person = reader.person(row)
        if person is not None:
            person["household"] = household["external_id"]
        # A household is written from its first row; later rows only add their person.
        chunk.append((household if first_of_household[line] else None, person))
        if len(chunk) >= chunk_rows:
            writer.write(chunk)
            done += len(chunk)
            chunk = []
            if progress:
                progress(min(done, total), total)
    writer.write(chunk)
    if progress:
        progress(total, total)
    audit(session, action="import.register" if mapping.has_electors else "import.addresses", actor_user_id=actor_user_id, actor_label=actor_label,
          target=source_name or (Path(csv_path).name if isinstance(csv_path, (str, Path)) else "upload"),
          detail={"mapping": mapping.name or mapping.source, "rows": report.rows, "imported": report.imported,
                  "updated": report.updated, "rejected": len(report.rejected), "outside": report.outside,
                  "people_imported": report.people_imported, "people_updated": report.people_updated,
                  **({"electors_imported": report.electors_imported} if mapping.has_electors else {})})
    session.flush()
    return report


class _ChunkWriter:
    """The write pass, one chunk of good rows at a time: place, then upsert households, people
    and (register mappings) elector numbers. Adds its counts to the report."""

    def __init__(self, session: Session, mapping: Mapping, report: ImportReport, now):
        self.session, self.mapping, self.report, self.now = session, mapping, report, now
        self.placer = Placer(session)

    def write(self, chunk: list[tuple[dict | None, dict | None]]) -> None:
        if not chunk:
            return
        households = {h["external_id"]: h for h, _ in chunk if h is not None}
        self._households(households)
        if not self.mapping.has_people:
            return
        people = {}
        for _household, person in chunk:
            people[person["external_id"]] = person
        hids = {p["household"] for p in people.values()}
        if self.mapping.has_electors:
            people = adopt_known_numbers(self.session, people)
        household_ids = {key: row.id for key, row in _existing(self.session, Household, hids).items()}
        _upsert_people(self.session, people, household_ids, self.now, self.report)
        if self.mapping.has_electors:
            new, changed = write_electors(self.session, people=people)
            self.report.electors_imported += new
            self.report.electors_changed += changed

    def _households(self, households: dict) -> None:
        session, now, report = self.session, self.now, self.report
        items = list(households.values())
        wards, hoods = self.placer.place([h["lon"] for h in items], [h["lat"] for h in items])
        for household, ward_id, hood_id in zip(items, wards, hoods):
            household["ward_id"], household["neighbourhood_id"] = ward_id, hood_id
        report.outside += sum(1 for w in wards if w is None)
        known = _existing(session, Household, households, *(getattr(Household, c) for c in HOUSEHOLD_COLUMNS))
        new = [{**{c: h[c] for c in HOUSEHOLD_COLUMNS}, "external_id": k, "created_at": now, "updated_at": now}
               for k, h in households.items() if k not in known]
        # Rows that already match are counted as updated but not rewritten: a re-import of an
        # unchanged file touches nothing (and is quick).
        matched = [(k, h) for k, h in households.items() if k in known]
        changed = [{**{c: h[c] for c in HOUSEHOLD_COLUMNS}, "id": known[k].id, "updated_at": now}
                   for k, h in matched if tuple(h[c] for c in HOUSEHOLD_COLUMNS) != tuple(known[k][2:])]
        bulk_insert(session, Household, new)
        bulk_update(session, Household, changed)
        report.imported += len(new)
        report.updated += len(matched)


def _upsert_people(session, people: dict, household_ids: dict, now, report: ImportReport):
    fields = ("household_id", "first_name", "last_name", "phone", "phone_type")
    known = _existing(session, Person, people, *(getattr(Person, f) for f in fields))
    new, same_phone, new_phone, matched = [], [], [], 0
    for key, p in people.items():
        values = {"household_id": household_ids[p["household"]], "first_name": p["first_name"],
                  "last_name": p["last_name"], "phone": p["phone"], "phone_type": p["phone_type"]}
        old = known.get(key)
        if old is None:
            new.append({**values, "external_id": key, "created_at": now, "updated_at": now})
            continue
        matched += 1
        if tuple(values[f] for f in fields) == tuple(old[2:]):
            continue
        if old.phone == p["phone"]:
            same_phone.append({**values, "id": old.id, "updated_at": now})  # a "wrong number" mark stays
        else:
            new_phone.append({**values, "id": old.id, "updated_at": now, "phone_retired_at": None})
    bulk_insert(session, Person, new)
    bulk_update(session, Person, same_phone)
    bulk_update(session, Person, new_phone)
    report.people_imported += len(new)
    report.people_updated += matched
