"""Polling-day set-up shared by tests/pollingday and tests/api: two polling districts (AA west,
AB east) in one ward, the made-up register under tests/pollingday/data (fictional ZZ postcodes;
nobody in it exists) and two polling stations. Registered by those packages' conftest.py."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlmodel import select

from app.db import write_transaction
from app.models import Neighbourhood, PollingStation, StationDistrict, Ward

DATA = Path(__file__).resolve().parents[1] / "pollingday" / "data"
REGISTER, POSTCODES = DATA / "register.csv", DATA / "postcodes.csv"


def _rect(w, s, e, n) -> str:
    return json.dumps({"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]})


@pytest.fixture
def districts(db):
    """{"AA": id, "AB": id}: neighbourhoods whose codes are the register's prefixes."""
    ward = Ward(code="TV", name="Testville", boundary=_rect(-71.12, 42.36, -71.10, 42.38))
    db.add(ward)
    db.flush()
    for code, (w, e) in (("AA", (-71.12, -71.11)), ("AB", (-71.11, -71.10))):
        db.add(Neighbourhood(code=code, name=f"District {code}", ward_id=ward.id, boundary=_rect(w, 42.36, e, 42.38)))
    db.commit()
    ids = {h.code: h.id for h in db.exec(select(Neighbourhood))}
    db.rollback()  # SQLite takes the write lock at BEGIN: leave no transaction open for the CLI
    return ids


@dataclass
class PollingDay:
    districts: dict     # code -> neighbourhood id
    west: int           # station id: district AA votes there
    east: int           # station id: district AB


@pytest.fixture
def polling_day(db, districts) -> PollingDay:
    """The sample register imported and one station per district."""
    from app.pollingday.register import import_register

    write_transaction(db, lambda s: import_register(s, csv_path=REGISTER, postcodes_path=POSTCODES))
    stations = {}
    for code, name in (("AA", "Testville Library"), ("AB", "Beech Road School")):
        station = PollingStation(key=name.casefold(), name=name, address="Testville", lat=42.37, lon=-71.11)
        db.add(station)
        db.flush()
        db.add(StationDistrict(station_id=station.id, neighbourhood_id=districts[code]))
        stations[code] = station.id
    db.commit()
    return PollingDay(districts, stations["AA"], stations["AB"])


def telling(station_id: int, number: str | None = None, **extra) -> dict:
    item = {"id": str(uuid.uuid4()), "station_id": station_id,
            "recorded_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")}
    if number is not None:
        item["elector_number"] = number
    item.update(extra)
    return item


def undo(of: dict, **extra) -> dict:
    return {"id": str(uuid.uuid4()), "undoes": of["id"],
            "recorded_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"), **extra}
