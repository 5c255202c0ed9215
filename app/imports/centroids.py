"""Postcode centroids for "what is near me": the same CSV as ``import-addresses --postcodes``
(columns postcode, lat, lon; others ignored) into ``postcode_centroids``.

A national file is big (the UK has about 1.7 million postcodes), so the file is read twice as a
stream and never held in memory: the first pass checks every row (a bad row refuses the whole
import, nothing written, unless ``skip_bad``), the second upserts in chunks of ``app.sql.CHUNK``,
one write transaction per chunk, so the write lock is never held for long.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlmodel import Session

from ..db import write_transaction
from ..errors import ImportRejected, ValidationError
from ..models import PostcodeCentroid
from ..sql import CHUNK, on_conflict
from .rows import _CONTROL, BadRow, RowError, _number, normalise_postcode

_UK = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})", re.ASCII)
_ZIP = re.compile(r"([0-9]{5})(?:-?[0-9]{4})?", re.ASCII)
MAX_REJECTED = 1000  # kept for the report; a file with more bad rows than this is the wrong file


def canonical_postcode(text: str | None) -> str | None:
    """The stored form: a UK postcode as "SW1A 1AA", a US ZIP (or ZIP+4) as its five digits;
    None when ``text`` is neither."""
    compact = normalise_postcode(text or "")
    if len(compact) > 12:
        return None
    if compact == "GIR0AA":  # the one UK postcode outside the pattern
        return "GIR 0AA"
    match = _ZIP.fullmatch(compact)
    if match:
        return match.group(1)
    match = _UK.fullmatch(compact)
    return f"{match.group(1)} {match.group(2)}" if match else None


@dataclass
class CentroidReport:
    rows: int = 0
    written: int = 0
    rejected: list[RowError] = field(default_factory=list)
    bad_rows: int = 0

    def summary(self) -> str:
        return f"{self.written} postcodes imported or updated, {self.bad_rows} rows rejected"


def parse_centroids(handle: Iterable[str]) -> Iterator[tuple[int, dict | BadRow]]:
    """(CSV line, {"postcode", "lat", "lon"} or the BadRow saying why not), one row at a time."""
    reader = csv.reader(handle)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ValidationError("the postcode file is empty (it needs a header row postcode, lat, lon)") from None
    missing = [c for c in ("postcode", "lat", "lon") if c not in header]
    if missing:
        raise ValidationError(f"the postcode file needs columns postcode, lat, lon (missing: {', '.join(missing)})")
    ip, ilat, ilon = (header.index(c) for c in ("postcode", "lat", "lon"))
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        if not row or not any(cell.strip() for cell in row):
            continue
        try:
            yield line, _centroid(row, ip, ilat, ilon)
        except BadRow as exc:
            yield line, exc


def _centroid(row: list[str], ip: int, ilat: int, ilon: int) -> dict:
    if len(row) <= max(ip, ilat, ilon):
        raise BadRow("the row has too few columns")
    text = row[ip].strip()
    bad = _CONTROL.search(text)
    if bad:
        raise BadRow(f"the postcode contains a control character (U+{ord(bad.group()):04X})")
    postcode = canonical_postcode(text)
    if postcode is None:
        raise BadRow(f"{text[:20]!r} is not a UK postcode or a US ZIP code" if text else "missing postcode")
    return {"postcode": postcode, "lat": _number("lat", row[ilat].strip(), -90, 90),
            "lon": _number("lon", row[ilon].strip(), -180, 180)}


def upsert_centroids(session: Session, *, rows: list[dict]) -> int:
    """Insert or update these rows (the caller's write transaction); a postcode given twice keeps
    its last row (one statement must not touch a row twice)."""
    unique = list({r["postcode"]: r for r in rows}.values())
    if not unique:
        return 0
    conn = session.connection()
    stmt = on_conflict(conn, PostcodeCentroid.__table__, name="postcode_centroids.upsert", build=lambda insert: (
        insert.on_conflict_do_update(index_elements=["postcode"],
                                     set_={"lat": insert.excluded.lat, "lon": insert.excluded.lon})))
    for start in range(0, len(unique), CHUNK):
        conn.execute(stmt, unique[start:start + CHUNK])
    return len(unique)


def _open(source: str | Path | io.TextIOBase):
    if isinstance(source, (str, Path)):
        return open(source, encoding="utf-8-sig", newline="")
    source.seek(0)
    return source


def _read(source, what: Callable):
    try:
        handle = _open(source)
        try:
            return what(handle)
        finally:
            if handle is not source:
                handle.close()
    except UnicodeDecodeError:
        raise ValidationError("the postcode file is not UTF-8 text (save it as CSV UTF-8)") from None
    except csv.Error as exc:
        raise ValidationError(f"the postcode file is not a readable CSV: {exc}") from None
    except OSError as exc:
        raise ValidationError(f"cannot read the postcode file: {exc}") from None


def import_centroids(session: Session, *, source: str | Path | io.TextIOBase, skip_bad: bool = False,
                     progress: Callable[[int, int], None] | None = None) -> CentroidReport:
    """Check every row of ``source`` (a path, or a seekable text stream), then upsert the good ones,
    each chunk in its own write transaction. Raises ImportRejected, nothing written, when a row
    is bad and not ``skip_bad``."""
    report = CentroidReport()

    def check(handle):
        for line, item in parse_centroids(handle):
            report.rows += 1
            if isinstance(item, BadRow):
                report.bad_rows += 1
                if len(report.rejected) < MAX_REJECTED:
                    report.rejected.append(RowError(line, str(item)))

    _read(source, check)
    if report.bad_rows and not skip_bad:
        first = report.rejected[0]
        more = f" (and {report.bad_rows - 1} more)" if report.bad_rows > 1 else ""
        raise ImportRejected(f"{report.bad_rows} of {report.rows} rows rejected, nothing was imported: {first}{more}",
                             details=[str(e) for e in report.rejected])
    if not report.rows - report.bad_rows:
        raise ValidationError("the postcode file has no rows to import")

    def write(handle):
        batch: list[dict] = []
        for _line, item in parse_centroids(handle):
            if isinstance(item, dict):
                batch.append(item)
            if len(batch) >= CHUNK:
                _flush(batch)
        _flush(batch)

    def _flush(batch: list[dict]) -> None:
        if batch:
            rows = list(batch)
            report.written += write_transaction(session, lambda s: upsert_centroids(s, rows=rows))
            batch.clear()
            if progress:
                progress(report.written, report.rows)

    _read(source, write)
    return report
