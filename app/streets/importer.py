"""Street centre-lines from GeoJSON: every feature checked (a bad one is named by its index), then
the stored network replaced whole, in the caller's transaction."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from walklists import StreetLine, WalklistsError

from ..audit import audit
from ..errors import ImportRejected, ValidationError
from ..imports.boundaries import load_geojson
from ..imports.bulk import bulk_insert
from ..models import StreetLineRow

# Tried in this order when no --name-field is given: OpenStreetMap, Cambridge's centre-lines, others.
NAME_FIELDS = ("name", "Street", "STREET", "street", "Label", "NAME", "road_name", "name1")
KIND_FIELDS = ("highway", "fclass", "class", "road_class", "roadClassification")
ID_FIELDS = ("osm_id", "id", "ID", "identifier", "GlobalID")
MAX_NAME, MAX_REF, MAX_KIND = 200, 100, 40
MAX_ERRORS = 200


@dataclass
class StreetReport:
    features: int = 0
    lines: int = 0
    named: int = 0
    replaced: int = 0
    name_field: str = ""

    def summary(self) -> str:
        return (f"{self.features} street features: {self.lines} lines stored ({self.named} named, by "
                f"{self.name_field!r}); {self.replaced} lines replaced")


class _Bad(Exception):
    pass


def _pick(props: dict, given: str | None, candidates: tuple[str, ...]) -> str | None:
    if given:
        return given
    return next((c for c in candidates if c in props), None)


def _text(value, limit: int, what: str) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        raise _Bad(f"{what} {text[:20]!r}... is longer than {limit} characters")
    return text


def _lines(index: int, feature, fields: tuple[str, str | None, str | None]) -> list[StreetLine]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _Bad("is not a GeoJSON Feature")
    props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
    name_field, kind_field, id_field = fields
    name = _text(props.get(name_field), MAX_NAME, "name")
    kind = _text(props.get(kind_field), MAX_KIND, "road class") if kind_field else ""
    ref = _text(props.get(id_field), MAX_REF, "id") if id_field else ""
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        raise _Bad("has no geometry")
    shape, coords = geometry.get("type"), geometry.get("coordinates")
    if shape not in ("LineString", "MultiLineString"):
        raise _Bad(f"geometry is {shape!r}; only LineString and MultiLineString are streets")
    parts = [coords] if shape == "LineString" else coords
    if not isinstance(parts, list) or not parts:
        raise _Bad("geometry has no coordinates")
    out = []
    for k, part in enumerate(parts):
        if not isinstance(part, list) or not all(
                isinstance(p, list) and len(p) >= 2 and all(isinstance(c, (int, float)) and not isinstance(c, bool)
                                                            for c in p[:2]) for p in part):
            raise _Bad(f"line {k + 1} has a position that is not [lon, lat]")
        line_ref = (ref or str(index)) + (f"#{k + 1}" if len(parts) > 1 else "")
        try:
            out.append(StreetLine(line_ref[:MAX_REF], name, tuple((p[0], p[1]) for p in part), kind))
        except WalklistsError as exc:
            raise _Bad(str(exc).replace(f"street line {line_ref!r}: ", f"line {k + 1}: ")) from None
    return out


def import_streets(session: Session, *, source: str | Path | dict | bytes, name_field: str | None = None,
                   kind_field: str | None = None, id_field: str | None = None, actor_label: str = "cli",
                   actor_user_id: int | None = None) -> StreetReport:
    """Check every feature, then replace the stored street lines with these; raises ImportRejected
    (nothing written) listing every bad feature. The caller commits."""
    data = load_geojson(source)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise ValidationError("not GeoJSON: expected a FeatureCollection of street lines")
    features = data["features"]
    if not features:
        raise ValidationError("the FeatureCollection has no features")
    first = next((f.get("properties") for f in features if isinstance(f, dict)
                  and isinstance(f.get("properties"), dict)), {})
    name = _pick(first, name_field, NAME_FIELDS)
    if name is None:
        raise ValidationError("which property holds the street name? Say it with --name-field (this file's "
                              f"properties: {', '.join(sorted(map(str, first))[:15]) or 'none'})")
    fields = (name, _pick(first, kind_field, KIND_FIELDS), _pick(first, id_field, ID_FIELDS))
    errors, lines, seen = [], [], {}
    for index, feature in enumerate(features):
        try:
            for line in _lines(index, feature, fields):
                if line.id in seen:
                    raise _Bad(f"id {line.id!r} is already used by feature {seen[line.id]}")
                seen[line.id] = index
                lines.append(line)
        except _Bad as bad:
            errors.append(f"feature {index}: {bad}")
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ImportRejected(f"street lines rejected: {errors[0]}{more}; nothing was imported",
                             details=errors[:MAX_ERRORS])
    report = StreetReport(features=len(features), lines=len(lines), named=sum(1 for ln in lines if ln.name),
                          name_field=name)
    report.replaced = session.execute(sa.delete(StreetLineRow)).rowcount or 0
    rows = []
    for line in lines:
        lon, lat = [c[0] for c in line.coords], [c[1] for c in line.coords]
        rows.append({"ref": str(line.id), "name": line.name, "kind": line.kind,
                     "coords": json.dumps([list(c) for c in line.coords], separators=(",", ":")),
                     "min_lon": min(lon), "max_lon": max(lon), "min_lat": min(lat), "max_lat": max(lat)})
    bulk_insert(session, StreetLineRow, rows)
    audit(session, action="import.streets", actor_user_id=actor_user_id, actor_label=actor_label,
          target="streets", detail={"features": report.features, "lines": report.lines, "named": report.named,
                                    "replaced": report.replaced, "name_field": name})
    return report
