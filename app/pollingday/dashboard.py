"""The committee room's dashboard: per polling district and per station, pledges, how many of
them have voted (the tellers' strike-off), telling coverage by hour, lifts waiting, and turnout
by hour. Read on every refresh (every 10 s): a room's districts hold a few thousand electors,
so the per-hour figures are counted in Python from one narrow query each."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from ..clock import as_utc
from ..config import Settings
from ..errors import NotFound
from ..models import (CommitteeRoom, CommitteeRoomDistrict, Election, Elector, KnockupRound, LiftRequest, LiftStatus,
                      Neighbourhood, PollingStation, StationDistrict, Telling, Voted)
from .elections import current_election_id
from .pledges import pledges


@dataclass
class Line:
    """One district's or station's row."""
    id: int
    label: str
    electors: int = 0
    voted: int = 0
    pledges: int = 0
    pledges_voted: int = 0
    lifts_waiting: int = 0
    tellings_by_hour: dict = field(default_factory=dict)   # stations only: hour -> tellings

    @property
    def percent(self) -> int | None:
        return round(100 * self.pledges_voted / self.pledges) if self.pledges else None


@dataclass
class Dashboard:
    room: CommitteeRoom
    districts: list[Line]
    stations: list[Line]
    hours: list[int]
    turnout: dict            # hour -> (pledges voted, others voted)
    lifts_waiting: int
    postal_pledges: int
    total: Line
    rounds_started: int = 0   # knock-up rounds of this election; all but the newest are done

    @property
    def rounds_done(self) -> int:
        return max(0, self.rounds_started - 1)


def rooms(session: Session) -> list[tuple[CommitteeRoom, list[str]]]:
    rows = session.execute(select(CommitteeRoom, Neighbourhood.code)
                           .outerjoin(CommitteeRoomDistrict, CommitteeRoomDistrict.committee_room_id == CommitteeRoom.id)
                           .outerjoin(Neighbourhood, Neighbourhood.id == CommitteeRoomDistrict.neighbourhood_id)
                           .order_by(CommitteeRoom.name, Neighbourhood.code)).all()
    out: dict[int, tuple] = {}
    for room, code in rows:
        out.setdefault(room.id, (room, []))[1].extend([code] if code else [])
    return list(out.values())


def _hours(session: Session, zone: ZoneInfo, seen) -> list[int]:
    election = session.exec(select(Election).order_by(Election.polling_date.desc(), Election.id.desc())).first()
    hours = set(seen)
    if election is not None:
        hours |= set(range(election.polls_open.hour, election.polls_close.hour + (1 if election.polls_close.minute else 0)))
    return sorted(hours)


def dashboard(session: Session, *, room_id: int, settings: Settings) -> Dashboard:
    room = session.get(CommitteeRoom, room_id)
    if room is None:
        raise NotFound("No such committee room.")
    zone = ZoneInfo(settings.timezone)
    hoods = session.execute(select(Neighbourhood.id, Neighbourhood.code, Neighbourhood.name)
                            .join(CommitteeRoomDistrict, CommitteeRoomDistrict.neighbourhood_id == Neighbourhood.id)
                            .where(CommitteeRoomDistrict.committee_room_id == room_id)
                            .order_by(Neighbourhood.code)).all()
    districts = {h.id: Line(h.id, f"{h.code} {h.name}") for h in hoods}
    code_to_hood = {h.code: h.id for h in hoods}
    station_of: dict[int, int] = {}
    stations: dict[int, Line] = {}
    for station_id, name, hood_id in session.execute(
            select(PollingStation.id, PollingStation.name, StationDistrict.neighbourhood_id)
            .join(StationDistrict, StationDistrict.station_id == PollingStation.id)
            .where(StationDistrict.neighbourhood_id.in_(list(districts) or [0])).order_by(PollingStation.name)):
        stations.setdefault(station_id, Line(station_id, name))
        station_of.setdefault(hood_id, station_id)

    got = pledges(session, settings=settings, neighbourhood_ids=list(districts))
    electors = session.execute(select(Elector.person_id, Elector.prefix, Voted.voted_at)
                               .outerjoin(Voted, Voted.person_id == Elector.person_id)
                               .where(Elector.prefix.in_(list(code_to_hood) or [""]))).all()
    turnout: dict[int, list] = defaultdict(lambda: [0, 0])
    person_hood = {}
    for person_id, prefix, voted_at in electors:
        hood = code_to_hood[prefix]
        person_hood[person_id] = hood
        lines = [districts[hood]] + ([stations[station_of[hood]]] if hood in station_of else [])
        pledged = person_id in got.pledged
        for line in lines:
            line.electors += 1
            line.pledges += pledged
            if voted_at is not None:
                line.voted += 1
                line.pledges_voted += pledged
        if voted_at is not None:
            turnout[as_utc(voted_at).astimezone(zone).hour][0 if pledged else 1] += 1

    told = session.execute(select(Telling.station_id, Telling.recorded_at)
                           .where(Telling.station_id.in_(list(stations) or [0]), Telling.undoes.is_(None))).all()
    by_station: dict[int, Counter] = defaultdict(Counter)
    for station_id, at in told:
        by_station[station_id][as_utc(at).astimezone(zone).hour] += 1
    for station_id, counts in by_station.items():
        stations[station_id].tellings_by_hour = dict(counts)

    waiting = session.execute(select(LiftRequest.person_id, LiftRequest.committee_room_id)
                              .where(LiftRequest.status == LiftStatus.REQUESTED)).all()
    room_waiting = 0
    for person_id, lift_room in waiting:
        hood = person_hood.get(person_id)
        if hood is not None:
            districts[hood].lifts_waiting += 1
            if hood in station_of:
                stations[station_of[hood]].lifts_waiting += 1
        room_waiting += hood is not None or lift_room == room_id

    total = Line(0, "All districts")
    for line in districts.values():
        for name in ("electors", "voted", "pledges", "pledges_voted", "lifts_waiting"):
            setattr(total, name, getattr(total, name) + getattr(line, name))
    seen = set(turnout) | {h for c in by_station.values() for h in c}
    rounds = session.execute(select(sa.func.count(KnockupRound.id)).where(
        KnockupRound.committee_room_id == room_id, KnockupRound.election_id == current_election_id(session))).scalar_one()
    return Dashboard(room=room, districts=list(districts.values()), stations=list(stations.values()),
                     hours=_hours(session, zone, seen), turnout={h: tuple(v) for h, v in turnout.items()},
                     lifts_waiting=room_waiting, postal_pledges=len(got.postal), total=total, rounds_started=rounds)


# ---- the turnout chart, drawn server-side as SVG ------------------------------------------------
@dataclass(frozen=True)
class Bar:
    hour: int
    x: float
    width: float
    pledged_y: float
    pledged_h: float
    other_y: float
    other_h: float
    pledged: int
    others: int


def chart(board: Dashboard, *, width: int = 360, height: int = 160, axis: int = 20) -> list[Bar]:
    """Stacked bars of voters struck off per hour (pledges at the bottom), in a width × height box
    whose bottom ``axis`` pixels are the hour labels."""
    if not board.hours:
        return []
    plot = height - axis
    top = max([sum(board.turnout.get(h, (0, 0))) for h in board.hours] + [1])
    step = width / len(board.hours)
    bars = []
    for i, hour in enumerate(board.hours):
        pledged, others = board.turnout.get(hour, (0, 0))
        ph, oh = plot * pledged / top, plot * others / top
        bars.append(Bar(hour, round(i * step + step * 0.1, 1), round(step * 0.8, 1), round(plot - ph, 1),
                        round(ph, 1), round(plot - ph - oh, 1), round(oh, 1), pledged, others))
    return bars


def as_json(board: Dashboard, *, now: datetime) -> dict:
    def line(l: Line) -> dict:
        return dict(id=l.id, label=l.label, electors=l.electors, voted=l.voted, pledges=l.pledges,
                    pledges_voted=l.pledges_voted, percent=l.percent, lifts_waiting=l.lifts_waiting,
                    tellings_by_hour={str(h): n for h, n in sorted(l.tellings_by_hour.items())})
    return dict(room=dict(id=board.room.id, name=board.room.name), as_of=as_utc(now).isoformat(),
                districts=[line(l) for l in board.districts], stations=[line(l) for l in board.stations],
                total=line(board.total), hours=board.hours, lifts_waiting=board.lifts_waiting,
                rounds_started=board.rounds_started, rounds_done=board.rounds_done,
                turnout={str(h): list(board.turnout.get(h, (0, 0))) for h in board.hours})


