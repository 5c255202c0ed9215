"""Which election polling-day work belongs to: tellings, lifts and knock-up rounds carry it, so a
rehearsal's can be wiped and an election's purged without touching another's."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..clock import campaign_today
from ..config import Settings
from ..models import Election


def current_election(session: Session, *, today: date | None = None) -> Election | None:
    """The election being worked: the one polling today (campaign clock), else the next one to
    come, else the latest past one; never one whose data has been wiped. Two on one day: the
    newest (a rehearsal created for the morning of the real day is the one being drilled)."""
    today = today or campaign_today()
    live = sa.select(Election).where(Election.wiped_at.is_(None))
    for query in (live.where(Election.polling_date == today).order_by(Election.id.desc()),
                  live.where(Election.polling_date > today).order_by(Election.polling_date, Election.id.desc()),
                  live.where(Election.polling_date < today).order_by(Election.polling_date.desc(), Election.id.desc())):
        found = session.execute(query.limit(1)).scalar_one_or_none()
        if found is not None:
            return found
    return None


def current_election_id(session: Session, *, today: date | None = None) -> int | None:
    election = current_election(session, today=today)
    return election.id if election is not None else None


def purge_date(election: Election, *, settings: Settings) -> date:
    """The day after which the election's polling-day data goes (``flask purge-polling-day``): its
    own purge date, else polling day plus the campaign's ``[pollingday] purge_after_days``."""
    if election.purge_after is not None:
        return election.purge_after
    return election.polling_date + timedelta(days=settings.pollingday.purge_after_days)
