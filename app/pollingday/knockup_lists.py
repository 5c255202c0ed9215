"""What a knocker's phone reads for a knock-up list: the canvass list's doors, but only the pledges
behind each door, the knock-up answers, and who has voted. The phone asks for ``voted`` again every
``[pollingday] strike_off_poll_seconds`` (GET /api/lists/<id>/voted) and folds away the doors
whose pledges have all voted, so a strike-off reaches an open list within seconds."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from ..canvass.data import iso
from ..config import Settings
from ..models import KnockupRound, Person, Voted, WalkList, WalkListDoor, utcnow
from .pledges import pledges


def _people_on(walk_list_id: int):
    return (sa.select(Person.id).join(WalkListDoor, WalkListDoor.household_id == Person.household_id)
            .where(WalkListDoor.walk_list_id == walk_list_id))


def voted_on_list(session: Session, *, walk_list: WalkList) -> dict:
    """Who behind the list's doors has voted, and when this was read (the phone shows "as of").
    Any list answers; only knock-up lists' phones ask."""
    ids = sorted(session.execute(sa.select(Voted.person_id).where(Voted.person_id.in_(_people_on(walk_list.id))))
                 .scalars())
    return {"id": walk_list.id, "as_of": iso(utcnow()), "voted": ids}


def adapt_payload(session: Session, *, walk_list: WalkList, payload: dict, settings: Settings) -> dict:
    """The canvass payload of a knock-up list, made a knock-up one (in place)."""
    people = [p["id"] for door in payload["doors"] for p in door["people"]]
    pledged = pledges(session, settings=settings, person_ids=people).pledged
    for door in payload["doors"]:
        door["people"] = [p for p in door["people"] if p["id"] in pledged]
    knock = session.get(KnockupRound, walk_list.knockup_round_id)
    payload.update(voted_on_list(session, walk_list=walk_list))
    payload.update(kind="knockup", round=knock.number if knock else None,
                   outcomes=[{"code": c.code, "label": c.label, "contact": False, "final": c.final, "dnc": c.dnc}
                             for c in settings.knockup_outcomes],
                   support_scale=[], issues=[], poll_seconds=settings.pollingday.strike_off_poll_seconds)
    return payload
