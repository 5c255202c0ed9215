"""Setting up polling day from the command line: the election and its committee rooms (stations
come from ``stations.import_stations``). Each runs in the caller's write transaction."""
from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa
from sqlmodel import Session

from ..audit import audit
from ..errors import ValidationError
from ..models import CommitteeRoom, CommitteeRoomDistrict, Election, Neighbourhood


def create_election(session: Session, *, name: str, polling_date: date, polls_open: time, polls_close: time,
                    rehearsal: bool = False, actor_label: str = "cli") -> Election:
    """A polling day; its hours are on the campaign's clock."""
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise ValidationError("The election needs a name of 1 to 200 characters.")
    if polls_open >= polls_close:
        raise ValidationError(f"Polls must open before they close ({polls_open:%H:%M} is not before {polls_close:%H:%M}).")
    election = Election(name=name, polling_date=polling_date, polls_open=polls_open, polls_close=polls_close,
                        rehearsal=rehearsal)
    session.add(election)
    session.flush()
    audit(session, action="pollingday.election", actor_label=actor_label, target=f"election:{election.id}",
          detail={"date": polling_date.isoformat(), "rehearsal": rehearsal})
    return election


def set_committee_room(session: Session, *, name: str, district_codes: list[str], address: str = "",
                       actor_label: str = "cli") -> CommitteeRoom:
    """Create or update the committee room called ``name``, covering exactly these districts."""
    name, address = " ".join((name or "").split()), " ".join((address or "").split())
    if not name or len(name) > 200 or len(address) > 300:
        raise ValidationError("A committee room needs a name of 1 to 200 characters (address: at most 300).")
    codes = sorted({c.strip() for c in district_codes if c.strip()})
    if not codes:
        raise ValidationError("Give the codes of the polling districts the committee room covers.")
    hoods = dict(session.execute(sa.select(Neighbourhood.code, Neighbourhood.id)
                                 .where(Neighbourhood.code.in_(codes))).all())
    unknown = [c for c in codes if c not in hoods]
    if unknown:
        raise ValidationError(f"No polling district with code {', '.join(repr(c[:40]) for c in unknown[:10])}.")
    room = session.execute(sa.select(CommitteeRoom).where(CommitteeRoom.name == name)).scalar_one_or_none()
    if room is None:
        room = CommitteeRoom(name=name, address=address)
        session.add(room)
        session.flush()
    else:
        room.address = address or room.address
    session.execute(sa.delete(CommitteeRoomDistrict).where(CommitteeRoomDistrict.committee_room_id == room.id))
    session.add_all(CommitteeRoomDistrict(committee_room_id=room.id, neighbourhood_id=hoods[c]) for c in codes)
    session.flush()
    audit(session, action="pollingday.committee_room", actor_label=actor_label, target=f"committee_room:{room.id}",
          detail={"districts": codes})
    return room
