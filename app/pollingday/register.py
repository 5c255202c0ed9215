"""The electoral register and the absent-voter lists, into people and their elector numbers.

The register goes through the address importer (``app.imports.addresses``) with a register
mapping (``mappings/uk_register_export.toml`` by default), so it gets the same row checks,
report by line, postcode geocoding and bulk upserts. The absent-voter lists (postal and proxy
voters) only set markers on electors already on the register.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from ..audit import audit
from ..errors import ImportRejected, ValidationError
from ..imports.addresses import ImportReport, import_addresses
from ..imports.mapping import MAPPINGS_DIR, Mapping
from ..imports.rows import RowError, normalise_postcode, read_csv
from ..models import Elector, PostcodeCentroid, utcnow
from ..sql import chunks
from .numbers import BadNumber, ElectorNumber, parse_parts, postal_proxy

REGISTER_MAPPING = MAPPINGS_DIR / "uk_register_export.toml"
ABSENT_COLUMNS = ("Elector Number Prefix", "Elector Number", "Elector Number Suffix", "Elector Markers")


def centroid_table(session: Session) -> dict:
    """The postcode_centroids table (import-postcodes) as the importer's postcode lookup."""
    return {normalise_postcode(pc): (pc, lon, lat) for pc, lat, lon in
            session.execute(sa.select(PostcodeCentroid.postcode, PostcodeCentroid.lat, PostcodeCentroid.lon))}


def import_register(session: Session, *, csv_path, mapping: Mapping | None = None, postcodes_path=None,
                    skip_bad: bool = False, progress=None, actor_label: str = "cli",
                    actor_user_id=None) -> ImportReport:
    """People, households and elector numbers from a register export. Households are placed at
    their postcode's centroid: ``postcodes_path``, or else the postcode_centroids table. Raises
    ImportRejected (nothing written) when any row is bad, unless ``skip_bad``."""
    mapping = mapping or Mapping.load(REGISTER_MAPPING)
    if not mapping.has_electors:
        raise ValidationError(f"mapping {mapping.name or mapping.source!r} has no elector number columns "
                              "(elector_prefix, elector_number): use import-addresses for it")
    postcodes = None
    if postcodes_path is None and not mapping.has_coordinates:
        postcodes = centroid_table(session)
        if not postcodes:
            raise ValidationError("no postcode centroids to place households with: give --postcodes FILE, "
                                  "or load them first with import-postcodes")
    return import_addresses(session, csv_path=csv_path, mapping=mapping, postcodes_path=postcodes_path,
                            postcodes=postcodes, skip_bad=skip_bad, default_region="GB", progress=progress,
                            actor_label=actor_label, actor_user_id=actor_user_id)


@dataclass
class AbsentReport:
    rows: int = 0
    postal: int = 0
    proxy: int = 0
    changed: int = 0
    rejected: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.rows - len(self.rejected)} electors marked ({self.postal} postal, {self.proxy} proxy), "
                f"{self.changed} changed, {len(self.rejected)} rejected")


def import_absent_voters(session: Session, *, csv_path, skip_bad: bool = False,
                         actor_label: str = "cli") -> AbsentReport:
    """Add each listed elector's markers (A: postal, P: proxy) to their register entry. An
    elector not on the register is a bad row: refused with the others unless ``skip_bad``."""
    lines = read_csv(csv_path)
    if len(lines) < 2:
        raise ValidationError("the absent voters CSV needs a header row and at least one row")
    header = [h.strip() for h in lines[0][1]]
    missing = [c for c in ABSENT_COLUMNS if c not in header]
    if missing:
        raise ValidationError(f"the absent voters CSV has no column {', '.join(repr(c) for c in missing)} "
                              f"(its columns are {', '.join(header)})")
    at = [header.index(c) for c in ABSENT_COLUMNS]
    report = AbsentReport(rows=len(lines) - 1)
    wanted: dict[tuple, tuple[int, str]] = {}
    for line, row in lines[1:]:
        prefix, number, suffix, markers = (row[i] if i < len(row) else "" for i in at)
        markers = "".join(sorted(set(markers.strip().upper()) - {" "}))
        try:
            key = parse_parts(prefix, number, suffix)
            if not markers or set(markers) - set("AP"):
                raise BadNumber(f"markers {markers[:20]!r} must be A (postal), P (proxy) or both")
        except BadNumber as exc:
            report.rejected.append(RowError(line, str(exc)))
            continue
        wanted[(key.prefix, key.number, key.suffix)] = (line, markers)
    known = {}
    for part in chunks(sorted({k[0] for k in wanted}), 900):
        for row in session.execute(sa.select(Elector.person_id, Elector.prefix, Elector.number, Elector.suffix,
                                             Elector.markers).where(Elector.prefix.in_(part))):
            known[(row.prefix, row.number, row.suffix)] = (row.person_id, row.markers)
    updates = []
    for key, (line, markers) in wanted.items():
        if key not in known:
            report.rejected.append(RowError(line, f"no elector {ElectorNumber(*key)} on the register "
                                                  "(import the register first)"))
            continue
        person_id, old = known[key]
        merged = "".join(sorted(set(old) | set(markers)))
        postal, proxy = postal_proxy(merged)
        report.postal, report.proxy = report.postal + postal, report.proxy + proxy
        if merged != old:
            updates.append({"pk_": person_id, "markers": merged, "postal": postal, "proxy": proxy,
                            "updated_at": utcnow()})
    report.rejected.sort(key=lambda e: e.row)
    if report.rejected and not skip_bad:
        first = report.rejected[0]
        raise ImportRejected(f"{len(report.rejected)} of {report.rows} rows rejected, nothing was imported: {first}",
                             details=[str(e) for e in report.rejected])
    table = Elector.__table__
    statement = (table.update().where(table.c.person_id == sa.bindparam("pk_"))
                 .values({c: sa.bindparam(c) for c in ("markers", "postal", "proxy", "updated_at")}))
    for part in chunks(updates):
        session.connection().execute(statement, list(part))
    report.changed = len(updates)
    audit(session, action="import.absent_voters", actor_label=actor_label,
          target=Path(csv_path).name if isinstance(csv_path, (str, Path)) else "upload",
          detail={"rows": report.rows, "changed": report.changed, "rejected": len(report.rejected)})
    return report
