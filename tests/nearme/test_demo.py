"""The demo: the lead's team has self-serve on, and the demo canvasser is offered a list near them."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from app.auth.access import selfserve_access
from app.config import settings
from app.models import Household, TeamSelfServe, User
from app.nearme.offer import Offer, find_offer
from app.nearme.operations import pools_for


def test_the_demo_canvasser_can_canvass_near_them(app, db, runner):
    result = runner.invoke(args=["demo", "--households", "300", "--seed", "3"])
    assert result.exit_code == 0, result.output
    rules = db.exec(select(TeamSelfServe)).one()
    assert rules.enabled and rules.areas.startswith("ward:")
    canvasser = db.exec(select(User).where(User.email == "canvasser@demo.legwork")).one()
    access = selfserve_access(db, principal=canvasser)
    assert access.team_ids == [rules.team_id]
    ward_id = int(rules.areas.split()[0][5:])
    lat, lon = db.execute(sa.select(sa.func.avg(Household.lat), sa.func.avg(Household.lon))
                          .where(Household.ward_id == ward_id)).one()
    offer = find_offer(db, pools=pools_for(db, team_ids=access.team_ids, config=settings().selfserve),
                       lat=lat, lon=lon, minutes=60, max_km=2.0)
    assert isinstance(offer, Offer) and offer.doors > 1
