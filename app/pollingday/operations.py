"""Setting up polling day: the election, its polling stations and committee rooms, from the set-up
pages and the command line (stations also come from ``stations.import_stations``). Each runs in
the caller's write transaction and judges what it writes inside it, so a retry judges again."""
from __future__ import annotations

import math
from datetime import date, time

import sqlalchemy as sa
from sqlmodel import Session

from ..audit import audit
from ..errors import NotFound, ValidationError
from ..models import CommitteeRoom, CommitteeRoomDistrict, Election, Neighbourhood, PollingStation, StationDistrict
from .stations import LIMITS, station_key

# Polling days a campaign can mean; beyond them the purge date's arithmetic could overflow.
FIRST_POLL, LAST_POLL = date(2000, 1, 1), date(2100, 12, 31)


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _election_values(*, name: str, polling_date: date, polls_open: time, polls_close: time, rehearsal: bool,
                     purge_after: date | None) -> dict:
    name = _words(name)
    if not name or len(name) > 200:
        raise ValidationError("The election needs a name of 1 to 200 characters.")
    if not FIRST_POLL <= polling_date <= LAST_POLL:
        raise ValidationError(f"Polling day must be between {FIRST_POLL} and {LAST_POLL}.")
    if polls_open >= polls_close:
        raise ValidationError(f"Polls must open before they close ({polls_open:%H:%M} is not before {polls_close:%H:%M}).")
    # The purge timer wipes an election once its purge date has passed: a date before polling day
    # would wipe the day's tellings and knock-up as they were made.
    if purge_after is not None and not polling_date <= purge_after <= LAST_POLL:
        raise ValidationError(f"The purge date must be on or after polling day ({polling_date}) "
                              f"and at most {LAST_POLL}.")
    return dict(name=name, polling_date=polling_date, polls_open=polls_open, polls_close=polls_close,
                rehearsal=bool(rehearsal), purge_after=purge_after)


def create_election(session: Session, *, name: str, polling_date: date, polls_open: time, polls_close: time,
                    rehearsal: bool = False, purge_after: date | None = None, actor_label: str = "cli",
                    actor_user_id: int | None = None) -> Election:
    """A polling day; its hours are on the campaign's clock. ``purge_after`` None: polling day
    plus the campaign's ``[pollingday] purge_after_days``."""
    election = Election(**_election_values(name=name, polling_date=polling_date, polls_open=polls_open,
                                           polls_close=polls_close, rehearsal=rehearsal, purge_after=purge_after))
    session.add(election)
    session.flush()
    _audit_election(session, election, actor_label, actor_user_id, created=True)
    return election


def update_election(session: Session, *, election_id: int, name: str, polling_date: date, polls_open: time,
                    polls_close: time, rehearsal: bool, purge_after: date | None, actor_label: str = "cli",
                    actor_user_id: int | None = None) -> Election:
    election = session.get(Election, election_id)
    if election is None:
        raise NotFound("No such election.")
    values = _election_values(name=name, polling_date=polling_date, polls_open=polls_open, polls_close=polls_close,
                              rehearsal=rehearsal, purge_after=purge_after)
    for key, value in values.items():
        setattr(election, key, value)
    session.flush()
    _audit_election(session, election, actor_label, actor_user_id, created=False)
    return election


def _audit_election(session, election: Election, actor_label: str, actor_user_id: int | None, *, created: bool):
    audit(session, action="pollingday.election", actor_user_id=actor_user_id, actor_label=actor_label,
          target=f"election:{election.id}",
          detail={"date": election.polling_date.isoformat(), "rehearsal": election.rehearsal, "created": created,
                  "purge_after": election.purge_after.isoformat() if election.purge_after else None})


def _districts(session: Session, district_codes, what: str) -> dict[str, int]:
    """code -> neighbourhood id for exactly these codes, or ValidationError naming the unknown ones."""
    codes = sorted({str(c).strip() for c in district_codes or [] if str(c).strip()})
    if not codes:
        raise ValidationError(f"Choose the polling districts {what}.")
    hoods = dict(session.execute(sa.select(Neighbourhood.code, Neighbourhood.id)
                                 .where(Neighbourhood.code.in_(codes))).all())
    unknown = [c for c in codes if c not in hoods]
    if unknown:
        raise ValidationError(f"No polling district with code {', '.join(repr(c[:40]) for c in unknown[:10])}.")
    return hoods


def set_committee_room(session: Session, *, name: str, district_codes: list[str], address: str = "",
                       room_id: int | None = None, create_only: bool = False, actor_label: str = "cli",
                       actor_user_id: int | None = None) -> CommitteeRoom:
    """Without ``room_id`` (the command line): create or update the committee room called
    ``name``, keeping its address when none is given (``create_only``, the set-up page's new room:
    refuse a name already taken). With it (the page's edit): that room, renamed and re-addressed as
    given. Either way it then covers exactly these districts."""
    name, address = _words(name), _words(address)
    if not name or len(name) > 200 or len(address) > 300:
        raise ValidationError("A committee room needs a name of 1 to 200 characters (address: at most 300).")
    hoods = _districts(session, district_codes, "the committee room covers")
    named = session.execute(sa.select(CommitteeRoom).where(CommitteeRoom.name == name)).scalar_one_or_none()
    if room_id is not None:
        room = session.get(CommitteeRoom, room_id)
        if room is None:
            raise NotFound("No such committee room.")
    else:
        room = None if create_only else named
    if named is not None and named is not room:  # one session: one object per row
        raise ValidationError(f"Another committee room is already called {name!r}.")
    if room is None:
        room = CommitteeRoom(name=name, address=address)
        session.add(room)
        session.flush()
    elif room_id is not None:
        room.name, room.address = name, address
    else:
        room.address = address or room.address
    session.execute(sa.delete(CommitteeRoomDistrict).where(CommitteeRoomDistrict.committee_room_id == room.id))
    session.add_all(CommitteeRoomDistrict(committee_room_id=room.id, neighbourhood_id=hoods[c]) for c in sorted(hoods))
    session.flush()
    audit(session, action="pollingday.committee_room", actor_user_id=actor_user_id, actor_label=actor_label,
          target=f"committee_room:{room.id}", detail={"districts": sorted(hoods)})
    return room


def _coordinate(value: float | None, name: str, limit: float) -> float | None:
    if value is None:
        return None
    if not (isinstance(value, (int, float)) and math.isfinite(value) and -limit <= value <= limit):
        raise ValidationError(f"The {name} must be a number between -{limit:g} and {limit:g}.")
    return float(value)


def save_station(session: Session, *, name: str, district_codes: list[str], address: str = "", note: str = "",
                 lat: float | None = None, lon: float | None = None, opens: time | None = None,
                 closes: time | None = None, station_id: int | None = None, actor_label: str = "cli",
                 actor_user_id: int | None = None) -> PollingStation:
    """Create a polling station (``station_id`` None) or edit one, with the districts voting
    there. Its key (what ``import-stations`` matches on) follows the name and address, so a
    renamed station is no longer the file's: a re-import would add the file's version anew."""
    values = {"name": _words(name), "address": _words(address), "note": _words(note)}
    if not values["name"]:
        raise ValidationError("Give the polling station's name.")
    for key, limit in LIMITS.items():
        if len(values[key]) > limit:
            raise ValidationError(f"The station's {key} must be at most {limit} characters.")
    lat, lon = _coordinate(lat, "latitude", 90), _coordinate(lon, "longitude", 180)
    if (lat is None) != (lon is None):
        raise ValidationError("Give both the latitude and the longitude, or neither.")
    if opens is not None and closes is not None and opens >= closes:
        raise ValidationError(f"The station must open before it closes ({opens:%H:%M} is not before {closes:%H:%M}).")
    hoods = _districts(session, district_codes, "that vote at the station")
    key = station_key(values["name"], values["address"])
    same = session.execute(sa.select(PollingStation).where(PollingStation.key == key)).scalar_one_or_none()
    if station_id is None:
        station = PollingStation(key=key)
        session.add(station)
    else:
        station = session.get(PollingStation, station_id)
        if station is None:
            raise NotFound("No such polling station.")
    if same is not None and same.id != station.id:
        raise ValidationError(f"Another polling station, {same.name!r}, has this name and address.")
    station.key = key
    for field, value in dict(values, lat=lat, lon=lon, opens=opens, closes=closes).items():
        setattr(station, field, value)
    session.flush()
    session.execute(sa.delete(StationDistrict).where(StationDistrict.station_id == station.id))
    session.add_all(StationDistrict(station_id=station.id, neighbourhood_id=hoods[c]) for c in sorted(hoods))
    session.flush()
    audit(session, action="pollingday.station", actor_user_id=actor_user_id, actor_label=actor_label,
          target=f"station:{station.id}", detail={"districts": sorted(hoods), "created": station_id is None})
    return station
