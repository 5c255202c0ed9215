"""Builders shared by the importer tests: small GeoJSON, CSV rows, a database snapshot."""
from __future__ import annotations

import sqlalchemy as sa

from app.imports.mapping import Mapping
from app.models import AuditEntry, Household, Neighbourhood, Person, Ward

WEST, EAST, SOUTH, NORTH, MID = -71.12, -71.10, 42.36, 42.38, -71.11


def rect(w, s, e, n) -> dict:
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def feature(geometry, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


WARDS = collection(feature(rect(WEST, SOUTH, MID, NORTH), name="West", code="W"),
                   feature(rect(MID, SOUTH, EAST, NORTH), name="East", code="E"))
# Each ward split north/south; the parent ward comes from containment, not a property.
MID_LAT = (SOUTH + NORTH) / 2
NEIGHBOURHOODS = collection(
    feature(rect(WEST, SOUTH, MID, MID_LAT), name="West South", code="W-S"),
    feature(rect(WEST, MID_LAT, MID, NORTH), name="West North", code="W-N"),
    feature(rect(MID, SOUTH, EAST, MID_LAT), name="East South", code="E-S"),
    feature(rect(MID, MID_LAT, EAST, NORTH), name="East North", code="E-N"),
)

ADDRESS_MAPPING = Mapping.from_dict({"name": "test", "city": "Testville", "columns": {
    "external_id": "id", "house_number": "number", "street": "street", "unit": "unit",
    "building_key": ["parcel", "building"], "lon": "lon", "lat": "lat"}})
ADDRESS_HEADER = ["id", "number", "street", "unit", "parcel", "building", "lon", "lat"]


def address_row(i: int, *, lon: float = -71.115, lat: float = 42.365, **overrides) -> dict:
    row = {"id": f"A{i}", "number": str(i), "street": "Elm St", "unit": "", "parcel": f"P{i}", "building": "",
           "lon": str(lon), "lat": str(lat)}
    row.update(overrides)
    return row



def snapshot(db) -> dict:
    """Every row the importers can write, so a test can assert a bad file changed nothing."""
    db.rollback()
    state = {}
    for model in (Ward, Neighbourhood, Household, Person, AuditEntry):
        rows = db.execute(sa.select(model.__table__)).all()
        state[model.__tablename__] = sorted(tuple(map(str, row)) for row in rows)
    db.rollback()  # SQLite takes the write lock at BEGIN: never leave a transaction open
    return state
