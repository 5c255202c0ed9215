"""The demo's volunteering: a local team covering the ward the lists were cut in, its lead, and
events a visitor to the get-involved page can find, sign up for and check in at."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..events.operations import EventInput, ShiftInput, create_event
from ..models import EventKind, Household, User, WalkList, utcnow
from ..teams import operations as teams


def seed_volunteering(session: Session, *, organiser: User, lead: User, list_ids: list[int]) -> dict:
    """One team (the ward of the demo's lists) led by ``lead``; today's canvass works ``list_ids``
    (check-in is open from now), and a week of other events around it. The caller commits."""
    first = session.get(WalkList, list_ids[0]) if list_ids else None
    ward_id = first.ward_id if first is not None else session.execute(sa.select(Household.ward_id).limit(1)).scalar()
    team = teams.create_team(session, name="Fernley Volunteers",
                             description="Neighbours knocking doors and ringing round in our own patch.", actor=organiser)
    if ward_id is not None:
        teams.set_areas(session, team_id=team.id, keys=[f"ward:{ward_id}"], actor=organiser)
    teams.add_member(session, team_id=team.id, email=lead.email, lead=True, actor=organiser)
    lat, lon = session.execute(sa.select(sa.func.avg(Household.lat), sa.func.avg(Household.lon))
                               .where(Household.ward_id == ward_id)).one()
    now = utcnow().replace(second=0, microsecond=0)
    day = timedelta(days=1)
    plans = [  # (kind, title, starts in, hours, capacity, meeting point, work)
        (EventKind.CANVASS, "Canvass today", timedelta(minutes=30), 4, 40, "Outside the library", list_ids),
        (EventKind.CANVASS, "Weekend canvass", 2 * day, 3, 30, "The corner café", []),
        (EventKind.PHONE_BANK, "Evening phone bank", 3 * day, 2, 15, "The campaign office", []),
        (EventKind.TRAINING, "New volunteers' training", 4 * day, 1.5, 20, "The campaign office", []),
        (EventKind.COMMUNITY, "Food bank shift", 5 * day, 3, 8, "St Mary's hall", []),
        (EventKind.SOCIAL, "Volunteers' social", 6 * day, 2, None, "The Red Lion", []),
    ]
    made = []
    for i, (kind, title, starts_in, hours, capacity, where, work) in enumerate(plans):
        starts = now + starts_in
        ends = starts + timedelta(hours=hours)
        shifts = [ShiftInput(starts, starts + timedelta(hours=hours / 2), capacity // 2),
                  ShiftInput(starts + timedelta(hours=hours / 2), ends, capacity - capacity // 2)] \
            if kind == EventKind.CANVASS and i == 1 else []
        made.append(create_event(session, actor=organiser, data=EventInput(
            kind=kind, title=title, starts_at=starts, ends_at=ends, meeting_point=where,
            description=f"{title} with {team.name}. Everyone welcome: we pair new people with someone experienced.",
            lat=(lat or 0) + 0.001 * i, lon=(lon or 0) - 0.001 * i, capacity=capacity, team_id=team.id,
            host_id=lead.id, shifts=shifts, walk_list_ids=list(work))))
    return {"teams": 1, "events": len(made)}
