"""A knocker's "needs a lift" becomes a lift request for the committee room's drivers.

Run after the door outcomes are stored, for every item of the batch with that answer that is
stored or a duplicate: the phone resends until it has an answer, so a request lost between the
event's commit and this one is made on the resend. One request per voter per election (a second
"needs a lift" for them, or a replay, makes none)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..contacts.validate import Reject, parse_event_id
from ..models import ContactEvent, KnockupRound, LiftRequest, LiftStatus, Person, WalkList
from .knockup import voted_among
from .lifts import request_lift
from .pledges import pledges


def lift_items(items: list, results: list, *, settings: Settings) -> list[str]:
    """The event ids of a batch's "needs a lift" answers that the server holds."""
    out = []
    for item, result in zip(items, results):
        if isinstance(item, dict) and item.get("code") == settings.pollingday.lift_outcome \
                and result.status in ("stored", "duplicate"):
            try:
                out.append(parse_event_id(item.get("id")))
            except Reject:
                continue
    return out


def _voter(session: Session, event: ContactEvent, settings: Settings) -> int | None:
    """Whom the lift is for: the person the answer named, else the door's first pledge not voted."""
    if event.person_id is not None:
        return event.person_id
    people = list(session.execute(sa.select(Person.id).where(Person.household_id == event.household_id)
                                  .order_by(Person.id)).scalars())
    pledged = pledges(session, settings=settings, person_ids=people).pledged
    voted = voted_among(session, pledged)
    left = [p for p in people if p in pledged and p not in voted]
    return left[0] if left else (people[0] if people else None)


def ensure_door_lifts(session: Session, *, event_ids: list[str], settings: Settings,
                      created_by_id: int | None) -> list[LiftRequest]:
    """Make the lift requests these stored answers ask for (none twice). In the caller's write
    transaction."""
    made = []
    rows = session.execute(sa.select(ContactEvent, KnockupRound)
                           .join(WalkList, WalkList.id == ContactEvent.walk_list_id)
                           .join(KnockupRound, KnockupRound.id == WalkList.knockup_round_id)
                           .where(ContactEvent.id.in_(event_ids))).all()
    for event, knock in rows:
        person_id = _voter(session, event, settings)
        if person_id is None:
            continue
        already = session.execute(sa.select(LiftRequest.id).where(
            LiftRequest.person_id == person_id, LiftRequest.election_id == knock.election_id,
            LiftRequest.status != LiftStatus.CANCELLED).limit(1)).first()
        if already is not None:
            continue
        made.append(request_lift(session, person_id=person_id, committee_room_id=knock.committee_room_id,
                                 access_needs=(event.notes or "")[:500], created_by_id=created_by_id, source="door",
                                 election_id=knock.election_id))
    return made
