"""Reads for the teller's phone: the stations to choose from, one station with the elector-number
prefixes of its districts, and the electors who vote there (for the name/address search, kept on
the phone while signed in: names, number and address line only, never phones or answers)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from ..errors import NotFound
from ..models import Elector, Household, Neighbourhood, Person, PollingStation, StationDistrict


def station_choices(session: Session) -> list[dict]:
    rows = session.execute(sa.select(PollingStation.id, PollingStation.name, PollingStation.address, Neighbourhood.code)
                           .join(StationDistrict, StationDistrict.station_id == PollingStation.id)
                           .join(Neighbourhood, Neighbourhood.id == StationDistrict.neighbourhood_id)
                           .order_by(PollingStation.name, PollingStation.id, Neighbourhood.code)).all()
    out: dict[int, dict] = {}
    for sid, name, address, code in rows:
        out.setdefault(sid, {"id": sid, "name": name, "address": address, "prefixes": []})["prefixes"].append(code)
    return list(out.values())


def station(session: Session, *, station_id: int) -> dict:
    """The station and its prefixes; NotFound for a station that does not exist."""
    row = session.get(PollingStation, station_id)
    if row is None:
        raise NotFound(f"Polling station {station_id} does not exist.")
    codes = session.execute(sa.select(Neighbourhood.code)
                            .join(StationDistrict, StationDistrict.neighbourhood_id == Neighbourhood.id)
                            .where(StationDistrict.station_id == station_id).order_by(Neighbourhood.code)).scalars()
    return {"id": row.id, "name": row.name, "address": row.address, "note": row.note, "prefixes": list(codes)}


def _address(house_number: str, suffix: str, unit: str, street: str) -> str:
    door = f"{house_number}{suffix}".strip()
    line = " ".join(part for part in (door, street) if part)
    return f"{unit}, {line}" if unit else line


def station_electors(session: Session, *, station_id: int) -> list[dict]:
    """Electors whose number's prefix is one of the station's districts (as the tellings judge)."""
    prefixes = station(session, station_id=station_id)["prefixes"]
    if not prefixes:
        return []
    rows = session.execute(
        sa.select(Person.id, Elector.prefix, Elector.number, Elector.suffix, Person.first_name, Person.last_name,
                  Household.house_number, Household.suffix, Household.unit, Household.street)
        .join(Person, Person.id == Elector.person_id).join(Household, Household.id == Person.household_id)
        .where(Elector.prefix.in_(prefixes))
        .order_by(Elector.prefix, Elector.number, Elector.suffix)).all()
    return [{"person_id": pid, "number": f"{prefix}-{number}" + (f"/{suffix}" if suffix else ""),
             "first_name": first, "last_name": last, "address": _address(house, hsuffix, unit, street)}
            for pid, prefix, number, suffix, first, last, house, hsuffix, unit, street in rows]
