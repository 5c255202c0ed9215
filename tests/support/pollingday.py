"""Polling-day set-up shared by tests/pollingday and tests/api: two polling districts (AA west,
AB east) in one ward, the made-up register under tests/pollingday/data (fictional ZZ postcodes;
nobody in it exists) and two polling stations; a made-up US voter file and the ballot chase's
election. Registered by the conftest.py of tests/pollingday, tests/api and tests/browser."""
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


@pytest.fixture
def us_voters(db, districts) -> dict:
    """The made-up US voter file (tests/pollingday/data/us_voters.csv: voter ids TV000001..8,
    fictional 555-01xx numbers) imported into the districts' ward: voter id -> person id.
    Juniper St is in district AA, Larch Rd in AB."""
    import sqlalchemy as sa

    from app.imports.addresses import import_addresses
    from app.imports.mapping import MAPPINGS_DIR, Mapping
    from app.models import Person

    mapping = Mapping.load(MAPPINGS_DIR / "us_voterfile.toml")
    write_transaction(db, lambda s: import_addresses(s, csv_path=DATA / "us_voters.csv", mapping=mapping))
    ids = dict(db.execute(sa.select(Person.external_id, Person.id)).all())
    db.rollback()
    return ids


@pytest.fixture
def chase(db, us_voters):
    """The sample ballot file imported, and answers: everyone a supporter but TV000004 (against);
    TV000002 a leaner, won over on the phone. So on the list: TV000001 (sent), TV000002
    (requested), TV000006 (sent); off it: returned, voted early, rejected, against, no ballot."""
    from app.pollingday.ballots import import_ballot_status
    from tests.support.pledges import answer

    write_transaction(db, lambda s: import_ballot_status(s, source=DATA / "ballot_status.csv"))
    for voter, level in (("TV000001", "1"), ("TV000003", "1"), ("TV000004", "5"), ("TV000005", "2"),
                         ("TV000006", "1"), ("TV000007", "1"), ("TV000008", "1")):
        answer(db, us_voters[voter], level)
    answer(db, us_voters["TV000002"], "4", minutes_ago=90)
    answer(db, us_voters["TV000002"], "2", minutes_ago=10, channel="phone")
    return us_voters
