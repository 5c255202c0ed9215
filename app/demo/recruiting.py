"""The demo's "find 10 more": made-up volunteers brought in by one another (chains under the
demo lead, Lee), and four past weekly canvasses they came to, so streaks, the ladder and team
totals show something. The caller commits."""
from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..models import Event, EventKind, EventStatus, Rsvp, Team, TeamMember, User, VolunteerProfile, utcnow
from ..recruiting.operations import ensure_code

# name, recruited by (a name above, or the lead), weeks ago they came to the weekly canvass
RECRUITS = (
    ("Priya Natarajan", "lead", (1, 2, 3, 4)),
    ("Tom Okafor", "Priya Natarajan", (1, 2)),
    ("Jess Moreno", "Priya Natarajan", (1, 3, 4)),
    ("Ravi Singh", "Jess Moreno", (1,)),
    ("Maya Chen", "lead", ()),
    ("Ola Nowak", "Tom Okafor", ()),
)


def seed_recruiting(session: Session, *, lead: User, postcode: str = "") -> dict:
    team_id = session.execute(sa.select(Team.id).join(TeamMember, TeamMember.team_id == Team.id)
                              .where(TeamMember.user_id == lead.id, TeamMember.is_lead.is_(True))).scalar()
    if session.get(VolunteerProfile, lead.id) is None:
        session.add(VolunteerProfile(user_id=lead.id, postcode=postcode, created_at=utcnow() - timedelta(days=60)))
    ensure_code(session, user_id=lead.id)
    people = {"lead": lead}
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    for n, (name, by, _) in enumerate(RECRUITS):
        user = User(email=name.split()[0].lower() + "@demo.legwork", name=name, roles="volunteer", password_hash=None)
        session.add(user)
        session.flush()
        session.add(VolunteerProfile(user_id=user.id, postcode=postcode, recruited_by_id=people[by].id,
                                     created_at=now - timedelta(days=35 - 5 * n), consented_at=now,
                                     email_confirmed_at=now, interests="knock_doors"))
        if team_id is not None:
            session.add(TeamMember(team_id=team_id, user_id=user.id))
        people[name] = user
    for weeks_ago in (1, 2, 3, 4):
        start = now - timedelta(days=7 * weeks_ago)
        event = Event(kind=EventKind.CANVASS, title="Weekly canvass", starts_at=start, ends_at=start + timedelta(hours=3),
                      meeting_point="Outside the library", team_id=team_id, host_id=lead.id,
                      status=EventStatus.APPROVED, checkin_code=secrets.token_hex(16), thanked_at=start)
        session.add(event)
        session.flush()
        came = [lead] + [people[name] for name, _, weeks in RECRUITS if weeks_ago in weeks]
        for user in came:
            session.add(Rsvp(event_id=event.id, user_id=user.id, checked_in_at=start, attended=True))
    session.flush()
    return {"recruited volunteers": len(RECRUITS)}
