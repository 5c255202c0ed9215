"""What the polling-day set-up pages read: the elections, stations and committee rooms, and the
polling districts (neighbourhoods) they can cover."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..errors import NotFound
from ..models import CommitteeRoom, Election, Neighbourhood, PollingStation, StationDistrict
from ..sorting import natural_key
from .dashboard import rooms
from .elections import current_election_id, purge_date


@dataclass
class ElectionLine:
    election: Election
    purge_date: date
    purge_is_default: bool   # no date of its own: polling day + [pollingday] purge_after_days
    current: bool            # the one polling-day work goes to now (``current_election``)


@dataclass
class Overview:
    elections: list[ElectionLine]
    stations: list[tuple[PollingStation, list[str]]]
    rooms: list[tuple[CommitteeRoom, list[str]]]
    districts: int
    no_station: list[str]    # district codes nobody can be told as voted in
    no_room: list[str]       # district codes no committee room knocks up


def district_choices(session: Session) -> list[tuple[str, str]]:
    """(code, "code · name") of every polling district, in natural order of code."""
    rows = session.execute(sa.select(Neighbourhood.code, Neighbourhood.name)).all()
    return sorted(((code, f"{code} · {name}") for code, name in rows), key=lambda c: natural_key(c[0]))


def station_districts(session: Session, *, station_id: int | None = None) -> dict[int, list[str]]:
    """station id -> its district codes (natural order); one station's, or every station's."""
    query = (sa.select(StationDistrict.station_id, Neighbourhood.code)
             .join(Neighbourhood, Neighbourhood.id == StationDistrict.neighbourhood_id))
    if station_id is not None:
        query = query.where(StationDistrict.station_id == station_id)
    out: dict[int, list[str]] = {}
    for sid, code in session.execute(query):
        out.setdefault(sid, []).append(code)
    return {sid: sorted(codes, key=natural_key) for sid, codes in out.items()}


def overview(session: Session, *, settings: Settings, today: date | None = None) -> Overview:
    current = current_election_id(session, today=today)
    elections = []
    for e in session.execute(sa.select(Election).order_by(Election.polling_date.desc(), Election.id.desc())).scalars():
        elections.append(ElectionLine(e, purge_date(e, settings=settings), e.purge_after is None, e.id == current))
    codes = station_districts(session)
    stations = sorted(((s, codes.get(s.id, [])) for s in session.execute(sa.select(PollingStation)).scalars()),
                      key=lambda pair: natural_key(pair[0].name))
    room_lines = [(room, sorted(room_codes, key=natural_key)) for room, room_codes in rooms(session)]
    every = [code for code, _ in district_choices(session)]
    voting = {c for _, cs in stations for c in cs}
    covered = {c for _, cs in room_lines for c in cs}
    return Overview(elections, stations, room_lines, len(every), [c for c in every if c not in voting],
                    [c for c in every if c not in covered])


def get_election(session: Session, *, election_id: int) -> Election:
    election = session.get(Election, election_id)
    if election is None:
        raise NotFound("No such election.")
    return election


def get_station(session: Session, *, station_id: int) -> tuple[PollingStation, list[str]]:
    station = session.get(PollingStation, station_id)
    if station is None:
        raise NotFound("No such polling station.")
    return station, station_districts(session, station_id=station_id).get(station_id, [])


def get_room(session: Session, *, room_id: int) -> tuple[CommitteeRoom, list[str]]:
    for room, codes in rooms(session):
        if room.id == room_id:
            return room, codes
    raise NotFound("No such committee room.")
