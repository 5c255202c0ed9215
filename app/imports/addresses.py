"""Households (and people) from a CSV and a mapping: validate every row, geocode by lon/lat
or postcode, place by point-in-polygon, then upsert in bulk by external id.

Speed matters (a city's whole address list in a few seconds on a small server): rows are
built as plain dicts and written with executemany in chunks; existing ids come from one
query; placement is one vectorised shapely query per level.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

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
from .register_rows import RegisterReader
from .rows import BadRow, RowError, RowReader, load_postcodes, read_csv

HOUSEHOLD_COLUMNS = ("house_number", "suffix", "street", "unit", "postcode", "city", "building_key",
                     "lon", "lat", "ward_id", "neighbourhood_id")

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


def _parse(lines, reader: RowReader, report: ImportReport, progress) -> tuple[dict, dict]:
    """Household dicts by external id, person dicts by external id (each with its household id)."""
    households: dict[str, dict] = {}
    people: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    has_people = reader.mapping.has_people
    for done, (line, row) in enumerate(lines, start=1):
        try:
            row = reader.pad(row)
            household = reader.household(row)
            person = reader.person(row)
            hid = household["external_id"]
            if has_people:
                if person["external_id"] in people:
                    raise BadRow(f"duplicate person_external_id {person['external_id']!r} "
                                 f"(first on row {first_row['p:' + person['external_id']]})")
                first_row["p:" + person["external_id"]] = line
                person["household"] = hid
                people[person["external_id"]] = person
            elif hid in households:
                raise BadRow(f"duplicate external_id {hid!r} (first on row {first_row[hid]})")
            # With people, several rows share a household: the first row's address stands.
            if hid not in households:
                households[hid] = household
                first_row[hid] = line
        except BadRow as exc:
            report.rejected.append(RowError(line, str(exc)))
        if progress and done % 1000 == 0:
            progress(done, len(lines) * 2)
    return households, people


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


def _write(session: Session, model, new: list[dict], changed: list[dict], progress, done: int, total: int) -> int:
    counter = [done]

    def advance(n: int) -> None:
        counter[0] += n
        if progress:
            progress(min(counter[0], total), total)

    bulk_insert(session, model, new, progress=advance)
    bulk_update(session, model, changed, progress=advance)
    return counter[0]


def import_addresses(session: Session, *, csv_path, mapping: Mapping, postcodes_path=None, postcodes: dict | None = None,
                     skip_bad: bool = False,
                     default_region: str = "US", progress: Callable[[int, int], None] | None = None,
                     actor_label: str = "cli", actor_user_id=None, source_name: str | None = None) -> ImportReport:
    """Import households (and people) from ``csv_path`` (a path or a text stream).

    Raises ImportRejected (nothing written) when any row is bad, unless ``skip_bad``: then the
    good rows are written and ``report.rejected`` lists the bad ones. ``progress(done, total)``
    is called as rows are read and written. ``postcodes``: an already loaded table (as
    ``load_postcodes`` gives) instead of ``postcodes_path``. A register mapping
    (``Mapping.has_electors``) also writes each person's elector number. The caller commits.
    """
    region = (mapping.default_region or default_region or "US").upper()
    if postcodes_path is not None:
        postcodes = load_postcodes(postcodes_path)
    lines = read_csv(csv_path)
    if not lines:
        raise ValidationError("the CSV is empty (it needs a header row and at least one row)")
    header = [h.strip() for h in lines[0][1]]
    reader = (RegisterReader if mapping.has_electors else RowReader)(mapping, header, postcodes=postcodes, region=region)
    lines = lines[1:]
    if not lines:
        raise ValidationError("the CSV has a header but no rows")
    report = ImportReport(rows=len(lines))
    households, people = _parse(lines, reader, report, progress)
    if report.rejected and not skip_bad:
        first = report.rejected[0]
        more = f" (and {len(report.rejected) - 1} more)" if len(report.rejected) > 1 else ""
        exc = ImportRejected(f"{len(report.rejected)} of {len(lines)} rows rejected, nothing was imported: "
                             f"{first}{more}", details=[str(e) for e in report.rejected])
        exc.report = report
        raise exc

    items = list(households.values())
    wards, hoods = Placer(session).place([h["lon"] for h in items], [h["lat"] for h in items])
    for household, ward_id, hood_id in zip(items, wards, hoods):
        household["ward_id"], household["neighbourhood_id"] = ward_id, hood_id
    report.outside = sum(1 for w in wards if w is None)

    now = utcnow()
    total = len(lines) * 2
    known = _existing(session, Household, households, *(getattr(Household, c) for c in HOUSEHOLD_COLUMNS))
    existing = {key: row.id for key, row in known.items()}
    new = [{**{c: h[c] for c in HOUSEHOLD_COLUMNS}, "external_id": k, "created_at": now, "updated_at": now}
           for k, h in households.items() if k not in known]
    # Rows that already match are counted as updated but not rewritten: a re-import of an
    # unchanged file touches nothing (and is quick).
    matched = [(k, h) for k, h in households.items() if k in known]
    changed = [{**{c: h[c] for c in HOUSEHOLD_COLUMNS}, "id": known[k].id, "updated_at": now}
               for k, h in matched if tuple(h[c] for c in HOUSEHOLD_COLUMNS) != tuple(known[k][2:])]
    done = _write(session, Household, new, changed, progress, len(lines), total)
    report.imported, report.updated = len(new), len(matched)

    if people and mapping.has_electors:
        people = adopt_known_numbers(session, people)
    if people:
        household_ids = {**existing, **{key: row.id for key, row in
                                        _existing(session, Household, [n["external_id"] for n in new]).items()}}
        _upsert_people(session, people, household_ids, now, report, progress, done, total)
        if mapping.has_electors:
            report.electors_imported, report.electors_changed = write_electors(session, people=people)
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


def _upsert_people(session, people: dict, household_ids: dict, now, report: ImportReport, progress, done, total):
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
    done = _write(session, Person, new, same_phone, progress, done, total)
    _write(session, Person, [], new_phone, progress, done, total)
    report.people_imported, report.people_updated = len(new), matched
