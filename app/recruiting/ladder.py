"""The volunteer ladder, from facts: signed up -> first shift -> regular -> host -> team lead,
and the next ask for each rung. The rung is the highest one whose fact holds."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..config import settings
from ..models import Event, EventStatus, TeamMember
from ..recognition.shifts import ever_worked, monday, shift_weeks
from ..sql import CHUNK, chunks

STAGES = ("signed_up", "first_shift", "regular", "host", "team_lead")
LABELS = {"signed_up": "Signed up", "first_shift": "First shift done", "regular": "Regular",
          "host": "Host", "team_lead": "Team lead"}
NEXT_ASK = {
    "signed_up": "Invite them to a first shift near them: a door-knocking session or a phone bank.",
    "first_shift": "Thank them for their first shift and ask them to come back next week.",
    "regular": "Ask them to host an event: a canvass from their street or a phone bank at home.",
    "host": "Ask them to co-lead their local team.",
    "team_lead": "Ask them to find 10 more, and to bring on a new host.",
}


@dataclass(frozen=True)
class Rung:
    stage: str
    recent_weeks: int        # weeks with a shift in the regular window

    @property
    def label(self) -> str:
        return LABELS[self.stage]

    @property
    def next_ask(self) -> str:
        return NEXT_ASK[self.stage]


def rungs(session: Session, *, user_ids: set[int] | None, today: date, now: datetime) -> dict[int, Rung]:
    """Each volunteer's rung (``user_ids`` None: everyone with a fact; the rest are signed up)."""
    cfg = settings().recruiting
    window_start = monday(today) - timedelta(days=7 * (cfg.regular_window_weeks - 1))
    # the weeks in the window and who ever worked: never every day of everyone's history
    recent_weeks = shift_weeks(session, user_ids=user_ids, since=window_start)
    worked = ever_worked(session, user_ids=user_ids) | set(recent_weeks)
    hosts, leads = set(), set()
    # many volunteers (a state's organiser): one query each, filtered below, not one per chunk
    wide = user_ids is None or len(user_ids) > CHUNK
    for batch in ([None] if wide else list(chunks(sorted(user_ids)))):
        hosted = sa.select(Event.host_id).where(Event.host_id.is_not(None), Event.status == EventStatus.APPROVED,
                                                Event.starts_at <= now).distinct()
        led = sa.select(TeamMember.user_id).where(TeamMember.is_lead.is_(True)).distinct()
        if batch is not None:
            hosted, led = hosted.where(Event.host_id.in_(batch)), led.where(TeamMember.user_id.in_(batch))
        hosts |= set(session.execute(hosted).scalars())
        leads |= set(session.execute(led).scalars())
    if user_ids is not None and wide:
        hosts, leads = hosts & user_ids, leads & user_ids
    out = {}
    for user_id in (worked | hosts | leads) if user_ids is None else user_ids:
        recent = len(recent_weeks.get(user_id, ()))
        if user_id in leads:
            stage = "team_lead"
        elif user_id in hosts:
            stage = "host"
        elif recent >= cfg.regular_weeks:
            stage = "regular"
        elif user_id in worked:
            stage = "first_shift"
        else:
            stage = "signed_up"
        out[user_id] = Rung(stage, recent)
    return out


def rung_of(rungs_by_id: dict[int, Rung], user_id: int) -> Rung:
    return rungs_by_id.get(user_id) or Rung("signed_up", 0)
