"""Polling stations from a GeoJSON of polling places, each linked to the polling districts
(neighbourhoods) that vote there, by code.

Several features may describe one place (Cambridge lists a place once per precinct voting
there): features with the same name and address are one station, serving all their districts.
A split precinct ("1-2A") votes with its precinct ("1-2") when no neighbourhood has its own code.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from ..audit import audit
from ..errors import ImportRejected, ValidationError
from ..imports.boundaries import load_geojson
from ..models import Neighbourhood, PollingStation, StationDistrict

_SPLIT = re.compile(r"(.*\d)[A-Za-z]+")
_CODES = re.compile(r"[,;]")
LIMITS = {"name": 200, "address": 300, "note": 300}


@dataclass
class StationReport:
    features: int = 0
    imported: int = 0
    updated: int = 0
    links: int = 0
    rejected: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.features} polling places: {self.imported} stations imported, {self.updated} updated, "
                f"{self.links} station-district links, {len(self.rejected)} rejected")


def station_key(name: str, address: str) -> str:
    return f"{' '.join(name.split()).casefold()}|{' '.join(address.split()).casefold()}"[:300]


def _text(props: dict, name: str | None) -> str:
    value = props.get(name) if name else None
    return " ".join(str(value).split()) if value is not None else ""


def _district(code: str, hoods: dict[str, int]) -> int:
    if code in hoods:
        return hoods[code]
    split = _SPLIT.fullmatch(code)
    if split and split.group(1) in hoods:
        return hoods[split.group(1)]
    raise ValueError(f"no polling district (neighbourhood) with code {code[:40]!r}: import the boundaries first")


def _feature(feature, fields: dict, hoods: dict) -> tuple[dict, set[int]]:
    if not isinstance(feature, dict):
        raise ValueError("is not a GeoJSON feature")
    props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
    geometry = feature.get("geometry") if isinstance(feature.get("geometry"), dict) else {}
    coords = geometry.get("coordinates")
    if geometry.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
        raise ValueError("needs a Point geometry")
    try:
        lon, lat = float(coords[0]), float(coords[1])
    except (TypeError, ValueError):
        raise ValueError("has coordinates that are not numbers") from None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError("has coordinates out of range")
    values = {key: _text(props, fields[key]) for key in ("name", "address", "note")}
    if not values["name"]:
        raise ValueError(f"has no {fields['name']!r}")
    for key, limit in LIMITS.items():
        if len(values[key]) > limit:
            raise ValueError(f"{key} is longer than {limit} characters")
    codes = [c.strip() for c in _CODES.split(_text(props, fields["district"])) if c.strip()]
    if not codes:
        raise ValueError(f"has no district code ({fields['district']!r})")
    return {**values, "lon": lon, "lat": lat}, {_district(code, hoods) for code in codes}


def import_stations(session: Session, *, source: str | Path | dict, name_field: str = "LOCATION",
                    address_field: str = "Address", district_field: str = "W_P", note_field: str | None = "LOCATION_NOTE",
                    skip_bad: bool = False, actor_label: str = "cli") -> StationReport:
    """Upsert stations (by name and address) and set the districts each serves to those in the
    file. Raises ImportRejected (nothing written) when a feature is bad, unless ``skip_bad``."""
    data = load_geojson(source)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise ValidationError("the file is not a GeoJSON FeatureCollection with features")
    fields = {"name": name_field, "address": address_field, "district": district_field, "note": note_field}
    hoods = dict(session.execute(sa.select(Neighbourhood.code, Neighbourhood.id)).all())
    report = StationReport(features=len(features))
    stations: dict[str, tuple[dict, set[int]]] = {}
    for index, feature in enumerate(features, start=1):
        try:
            values, districts = _feature(feature, fields, hoods)
        except ValueError as exc:
            report.rejected.append(f"feature {index}: {exc}")
            continue
        key = station_key(values["name"], values["address"])
        if key in stations:
            stations[key][1].update(districts)
        else:
            stations[key] = (values, districts)
    if report.rejected and not skip_bad:
        raise ImportRejected(f"{len(report.rejected)} of {len(features)} polling places rejected, nothing was "
                             f"imported: {report.rejected[0]}", details=report.rejected)
    known = {s.key: s for s in session.execute(sa.select(PollingStation)).scalars()}
    for key, (values, districts) in stations.items():
        station = known.get(key)
        if station is None:
            station = PollingStation(key=key, **values)
            session.add(station)
            report.imported += 1
        else:
            for name, value in values.items():
                setattr(station, name, value)
            report.updated += 1
        session.flush()
        session.execute(sa.delete(StationDistrict).where(StationDistrict.station_id == station.id))
        session.add_all(StationDistrict(station_id=station.id, neighbourhood_id=h) for h in sorted(districts))
        report.links += len(districts)
    session.flush()
    audit(session, action="import.stations", actor_label=actor_label,
          target=Path(source).name if isinstance(source, (str, Path)) else "upload",
          detail={"features": report.features, "imported": report.imported, "updated": report.updated,
                  "rejected": len(report.rejected)})
    return report
