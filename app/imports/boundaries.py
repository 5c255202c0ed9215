"""Ward and neighbourhood boundaries from GeoJSON.

Every geometry is checked and a bad one is an error naming the feature (index and name): an
unclosed ring or a self-intersection is never "fixed" quietly, because a quietly fixed
boundary puts doors in the wrong ward and nobody notices until polling day.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import shapely
import sqlalchemy as sa
from shapely.validation import explain_validity
from sqlmodel import Session

from ..audit import audit
from ..errors import ImportRejected, ValidationError
from ..models import Neighbourhood, Ward, utcnow
from .bulk import bulk_insert, bulk_update
from .placement import AreaIndex, replace_all_households

LEVELS = {"ward": Ward, "neighbourhood": Neighbourhood}
MAX_CODE = 64


@dataclass
class BoundaryReport:
    level: str
    features: int = 0
    imported: int = 0
    updated: int = 0
    households_placed: int = 0  # households whose ward/neighbourhood changed with these boundaries
    without_ward: list[str] = field(default_factory=list)  # neighbourhood codes no ward contains

    def summary(self) -> str:
        text = (f"{self.features} {self.level} boundaries: {self.imported} imported, {self.updated} updated; "
                f"{self.households_placed} households re-placed")
        if self.without_ward:
            text += f"; {len(self.without_ward)} outside every ward: {', '.join(self.without_ward[:10])}"
        return text


def load_geojson(source: str | Path | dict | bytes) -> dict:
    if isinstance(source, dict):
        return source
    if isinstance(source, bytes):
        text = source.decode("utf-8-sig", errors="replace")
    elif isinstance(source, str) and source.lstrip().startswith(("{", "[")):
        text = source
    else:
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(f"cannot read {source}: {exc}") from None
    _check_depth(text, source)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValidationError(f"not GeoJSON: the file is not valid JSON ({exc})") from None
    except RecursionError:  # _check_depth should have said so; never a crash
        raise ValidationError(f"{_name(source)}: nested too deep to be GeoJSON") from None


# GeoJSON needs 7 levels (collection, features, feature, geometry, coordinates, polygon, ring,
# point); deeper is not GeoJSON, and very deep JSON exhausts the parser's stack.
MAX_DEPTH = 32
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def _name(source) -> str:
    if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith(("{", "["))):
        return str(source)
    return "the file"


def _check_depth(text: str, source) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH before parsing it (C-speed passes only: strings
    dropped, then a running sum over the brackets left)."""
    brackets = _STRINGS.sub("", text).encode("ascii", "ignore").translate(None, _NOT_BRACKETS)
    if brackets and max(accumulate(map(_STEP.__getitem__, brackets))) > MAX_DEPTH:
        raise ValidationError(f"{_name(source)}: not GeoJSON: nested too deep (more than {MAX_DEPTH} "
                              "levels of [ and {)")


_NOT_BRACKETS = bytes(b for b in range(256) if b not in _STEP)


def _features(data) -> list:
    if not isinstance(data, dict):
        raise ValidationError("not GeoJSON: expected a FeatureCollection object")
    if data.get("type") == "Feature":
        return [data]
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise ValidationError(f"not GeoJSON: expected a FeatureCollection, got type {data.get('type')!r}")
    if not data["features"]:
        raise ValidationError("the FeatureCollection has no features")
    return data["features"]


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _check_rings(polygons: list) -> str | None:
    """Structure, coordinate ranges and ring closure, checked on the raw coordinates because
    shapely would close an open ring by itself."""
    for p, rings in enumerate(polygons, start=1):
        if not isinstance(rings, list) or not rings:
            return f"polygon {p} has no rings"
        for r, ring in enumerate(rings, start=1):
            where = f"polygon {p} ring {r}" if len(polygons) > 1 else f"ring {r}"
            if not isinstance(ring, list):
                return f"{where} is not a list of positions"
            for pos in ring:
                if (not isinstance(pos, list) or len(pos) < 2
                        or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in pos[:2])):
                    return f"{where} has a position that is not [lon, lat]: {str(pos)[:40]}"
                lon, lat = pos[0], pos[1]
                if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
                    return f"{where} has a position out of range (lon {lon}, lat {lat}); coordinates must be EPSG:4326"
            if len(ring) < 4:
                return f"{where} has {len(ring)} positions; a ring needs at least 4"
            if ring[0][:2] != ring[-1][:2]:
                return f"{where} is not closed (its first and last positions differ)"
    return None


def check_geometry(geometry) -> tuple[object | None, str | None]:
    """(shapely geometry, None) for a good Polygon/MultiPolygon, else (None, reason)."""
    if not isinstance(geometry, dict):
        return None, "has no geometry"
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        return None, f"geometry is {kind!r}; only Polygon and MultiPolygon are boundaries"
    if not isinstance(coords, list) or not coords:
        return None, "geometry has no coordinates"
    problem = _check_rings([coords] if kind == "Polygon" else coords)
    if problem:
        return None, problem
    try:
        shape = shapely.from_geojson(json.dumps(geometry))
    except shapely.errors.GEOSException as exc:
        return None, f"geometry cannot be read: {exc}"
    if shape.is_empty:
        return None, "geometry is empty"
    if not shape.is_valid:
        reason = explain_validity(shape)
        name, _, rest = reason.partition("[")
        at = f" at ({rest.rstrip(']').replace(' ', ', ')})" if rest else ""
        return None, f"invalid geometry: {name.strip().lower()}{at}"
    return shape, None


class _BadFeature(Exception):
    """One feature cannot be imported; str() is "feature N ('name'): why"."""


@dataclass(frozen=True)
class _Fields:
    name: str
    code: str
    parent: str | None


def _parse_feature(index: int, feature, *, fields: _Fields, ward_ids: dict, seen: dict) -> dict:
    """One feature's code, name, geometry and parent ward, checked; ``seen`` collects codes."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    props = props if isinstance(props, dict) else {}
    name, code = _text(props.get(fields.name)), _text(props.get(fields.code))
    label = f"feature {index} ({name!r})" if name else f"feature {index}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _BadFeature(f"{label}: is not a GeoJSON Feature")
    if not name:
        raise _BadFeature(f"{label}: has no {fields.name!r} property (the name field)")
    if not code:
        raise _BadFeature(f"{label}: has no {fields.code!r} property (the code field)")
    if len(code) > MAX_CODE:
        raise _BadFeature(f"{label}: code {code[:20]!r}... is longer than {MAX_CODE} characters")
    if code in seen:
        raise _BadFeature(f"{label}: code {code!r} is already used by feature {seen[code]}")
    seen[code] = index
    shape, problem = check_geometry(feature.get("geometry"))
    if problem:
        raise _BadFeature(f"{label}: {problem}")
    parent = None
    if fields.parent:
        parent_code = _text(props.get(fields.parent))
        if not parent_code:
            raise _BadFeature(f"{label}: has no {fields.parent!r} property (the parent ward code)")
        if parent_code not in ward_ids:
            raise _BadFeature(f"{label}: ward {parent_code!r} is not imported (import the wards first)")
        parent = ward_ids[parent_code]
    return {"code": code, "name": name[:200], "boundary": json.dumps(feature["geometry"]), "shape": shape,
            "ward_id": parent}


def import_boundaries(session: Session, *, source: str | Path | dict, level: str, name_field: str,
                      code_field: str | None = None, parent_field: str | None = None,
                      actor_label: str = "cli", actor_user_id=None) -> BoundaryReport:
    """Validate every feature, then upsert by code; raises ImportRejected (nothing written)
    listing every bad feature. The caller commits."""
    if level not in LEVELS:
        raise ValidationError(f"level must be 'ward' or 'neighbourhood', not {level!r}")
    if parent_field and level != "neighbourhood":
        raise ValidationError("--parent-field only applies to neighbourhoods (it names the ward code column)")
    if not name_field:
        raise ValidationError("name the property that holds each boundary's name (--name-field)")
    features = _features(load_geojson(source))
    props = _Fields(name_field, code_field or name_field, parent_field)
    ward_ids = dict(session.execute(sa.select(Ward.code, Ward.id)).all())
    errors, parsed, seen = [], [], {}
    for index, feature in enumerate(features):
        try:
            parsed.append(_parse_feature(index, feature, fields=props, ward_ids=ward_ids, seen=seen))
        except _BadFeature as bad:
            errors.append(str(bad))
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ImportRejected(f"boundaries rejected: {errors[0]}{more}; nothing was imported", details=errors)

    report = BoundaryReport(level=level, features=len(parsed))
    if level == "neighbourhood" and not parent_field:
        # No parent column: the ward that holds the neighbourhood's representative point.
        points = shapely.point_on_surface([p["shape"] for p in parsed])
        located = AreaIndex.load(session, Ward).locate(shapely.get_x(points), shapely.get_y(points))
        for item, ward_id in zip(parsed, located):
            item["ward_id"] = ward_id
    if level == "neighbourhood":
        report.without_ward = [p["code"] for p in parsed if p["ward_id"] is None]

    model = LEVELS[level]
    existing = dict(session.execute(sa.select(model.code, model.id)).all())
    fields = ("code", "name", "boundary") + (("ward_id",) if level == "neighbourhood" else ())
    new = [{k: p[k] for k in fields} | {"created_at": utcnow()} for p in parsed if p["code"] not in existing]
    changed = [{k: p[k] for k in fields} | {"id": existing[p["code"]]} for p in parsed if p["code"] in existing]
    bulk_insert(session, model, new)
    bulk_update(session, model, changed)
    report.imported, report.updated = len(new), len(changed)
    report.households_placed = replace_all_households(session)
    audit(session, action="import.boundaries", actor_user_id=actor_user_id, actor_label=actor_label,
          target=level, detail={"features": report.features, "imported": report.imported,
                                "updated": report.updated, "households_placed": report.households_placed,
                                "without_ward": report.without_ward[:50]})
    return report
