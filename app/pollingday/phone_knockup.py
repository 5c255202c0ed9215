"""Phone knock-up: a committee room's pledges not yet voted, put into the phone bank's live queue
as call sheets named "Knock-up · <room> · hh:mm", made and queued by the phone bank's own path
(``save_call_sheets``, ``enqueue_sheet``). From then on the strike-off keeps the queue fresh: a
claim never serves anyone told as voted (app.phonebank.strikeoff).

Each start is a round, a fresh batch of sheets, as the door knock-up goes in rounds: knocking up
means ringing a pledge again until they vote, so one whose earlier call is over (no answer after
the last pass, "spoke: I'll go after work") is rung again in the next round. Two things carry
over: a number still waiting or on a call in the queue is not queued twice (the phone bank's own
rule), and a number whose knock-up call today ended for good (refused, deceased, do not call) is
not rung again. Topping up the first sheet instead would only ever add new pledges: nobody would
be reminded twice, which is the point of a knock-up.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from walklists import Callee, split_call_sheets

from ..audit import audit
from ..clock import as_utc
from ..config import Settings
from ..errors import NotFound, ValidationError
from ..models import (CallQueueEntry, CallSheet, Channel, CommitteeRoom, CommitteeRoomDistrict, Person, Voted,
                      utcnow)
from ..phonebank.operations import enqueue_sheet, save_call_sheets
from ..phonebank.queue import LIVE, timezone_for_number
from ..phonebank.selection import ledger
from ..phonebank.strikeoff import KNOCKUP
from ..sql import chunks
from .pledges import pledges


@dataclass(frozen=True)
class PhoneKnockup:
    name: str              # the round's sheets are "<name> · 1/n" ... "<name> · n/n"
    sheet_ids: list[int]
    people: int            # pledges on the sheets
    queued: int            # numbers put into the live queue


def start_phone_knockup(session: Session, *, committee_room_id: int, created_by_id: int | None,
                        settings: Settings, now: datetime | None = None) -> PhoneKnockup:
    """Start a round of phone knock-up for the room. Run it in ``write_transaction``: the
    strike-off and the queue it reads are the ones it writes against."""
    now = as_utc(now) if now is not None else utcnow()
    room = session.get(CommitteeRoom, committee_room_id)
    if room is None:
        raise NotFound("No such committee room.")
    districts = list(session.execute(sa.select(CommitteeRoomDistrict.neighbourhood_id)
                                     .where(CommitteeRoomDistrict.committee_room_id == room.id)).scalars())
    if not districts:
        raise ValidationError(f"{room.name} covers no polling districts yet.")
    people, blocked = callees(session, neighbourhood_ids=districts, settings=settings, now=now)
    values = split_call_sheets(people, settings.phonebank.sheet_size, do_not_contact=blocked)
    if not values:
        raise ValidationError(f"No pledge in {room.name} is left to phone: each has voted, has no number we may "
                              "ring, or is already waiting in the phone bank's queue.")
    local = now.astimezone(ZoneInfo(settings.timezone))
    name = f"Knock-up · {room.name[:80]} · {local:%H:%M}"
    sheets = save_call_sheets(session, values=values, base=name, criteria=KNOCKUP, actor_user_id=created_by_id)
    queued = sum(enqueue_sheet(session, sheet_id=s.id, actor_user_id=created_by_id, settings=settings)
                 for s in sheets)
    on_sheets = sum(len(e.people) for v in values for e in v.entries)
    audit(session, action="pollingday.phone_knockup", actor_user_id=created_by_id, target=f"committee_room:{room.id}",
          detail={"sheets": [s.id for s in sheets], "people": on_sheets, "queued": queued})
    return PhoneKnockup(name=name, sheet_ids=[s.id for s in sheets], people=on_sheets, queued=queued)


def callees(session: Session, *, neighbourhood_ids: list[int], settings: Settings,
            now: datetime) -> tuple[list[Callee], set[str]]:
    """The round's people: pledges (not postal) in these districts, not struck off, with a number
    that is not retired, not taken (``_numbers_taken``) and whose household the ledger does not
    block; and the ledger's person ids and numbers, for split_call_sheets' do_not_contact (which
    also leaves out numbers that are not E.164)."""
    pledged = sorted(pledges(session, settings=settings, neighbourhood_ids=neighbourhood_ids).pledged)
    taken = _numbers_taken(session, settings=settings, now=now)
    blocked, blocked_households = ledger(session)
    voted = sa.select(Voted.person_id).where(Voted.person_id == Person.id).exists()
    out = []
    for part in chunks(pledged, 900):
        rows = session.execute(sa.select(Person.id, Person.household_id, Person.phone).where(
            Person.id.in_(part), Person.phone.is_not(None), Person.phone_retired_at.is_(None), ~voted))
        out.extend(Callee(id=str(pid), phone=phone, household_id=str(hid),
                          timezone=timezone_for_number(phone, settings.timezone))
                   for pid, hid, phone in rows if phone not in taken and hid not in blocked_households)
    return out, blocked


def _numbers_taken(session: Session, *, settings: Settings, now: datetime) -> set[str]:
    """Numbers a new round leaves out: waiting or on a call in the live queue (any sheet), or
    closed for good by today's knock-up (a final or do-not-call outcome)."""
    zone = ZoneInfo(settings.timezone)
    since = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone).astimezone(timezone.utc)
    finished = sorted(c.code for c in settings.codes(Channel.PHONE).values() if c.final or c.dnc)
    live = sa.select(CallQueueEntry.phone).where(CallQueueEntry.status.in_(LIVE))
    ended = (sa.select(CallQueueEntry.phone).join(CallSheet, CallSheet.id == CallQueueEntry.sheet_id)
             .where(CallSheet.criteria == KNOCKUP, CallSheet.created_at >= since,
                    CallQueueEntry.last_disposition.in_(finished or [""])))
    return set(session.execute(sa.union(live, ended)).scalars())
