"""Two wards, a team covering the first with its lead and a volunteer member, and a lead of a
team covering the second: what the team and lead-power tests share."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.models import Neighbourhood, Team, User, Ward
from tests.support.canvass import done
from tests.support.web import csrf_token_from


@dataclass
class Patch:
    ward: Ward
    other_ward: Ward
    hoods: list[Neighbourhood]        # the first ward's two
    team: Team
    other_team: Team
    lead: User
    member: User                      # signed up ("volunteer"), in the lead's team
    other_lead: User
    stranger: User                    # a canvasser in no team


@pytest.fixture
def patch(db, make_ward, make_user, make_team, make_household):
    ward = make_ward("W1", "Ward 1")
    other_ward = make_ward("W2", "Ward 2", bounds=(-71.09, 42.36, -71.07, 42.38))
    hoods = db.exec(sa.select(Neighbourhood).where(Neighbourhood.ward_id == ward.id)
                    .order_by(Neighbourhood.code)).scalars().all()
    lead, member, other_lead = (make_user(roles="volunteer", name=n) for n in ("Lee Lead", "Mo Member", "Oz Other"))
    stranger = make_user(roles="canvasser", name="Sam Stranger")
    team = make_team(wards=[ward], leads=[lead], members=[member], name="Ward 1 team")
    other_team = make_team(wards=[other_ward], leads=[other_lead], name="Ward 2 team")
    for w, lon0 in ((ward, -71.119), (other_ward, -71.089)):
        hs = db.exec(sa.select(Neighbourhood).where(Neighbourhood.ward_id == w.id).order_by(Neighbourhood.code)).scalars().all()
        for i in range(12):
            make_household(w, street=f"Elm St {w.code}", house_number=str(i + 1), lon=lon0 + (i % 6) * 1.5e-4,
                           lat=42.37 + (i // 6) * 8e-4, neighbourhood_id=hs[i % 2].id)
    done(db)
    return Patch(ward, other_ward, list(hoods), team, other_team, lead, member, other_lead, stranger)


@pytest.fixture
def token(client):
    """A CSRF token for the signed-in client."""
    return lambda path="/login": csrf_token_from(client.get(path).get_data(as_text=True))


@pytest.fixture
def noon(app):
    """Today's local noon (campaign timezone) as aware UTC: a 'now' whose hour and day are certain."""
    from datetime import datetime, time, timezone
    from zoneinfo import ZoneInfo

    from app.config import settings

    with app.app_context():
        tz = ZoneInfo(settings().timezone)
    return datetime.combine(datetime.now(tz).date(), time(12), tzinfo=tz).astimezone(timezone.utc)
