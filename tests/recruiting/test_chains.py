"""Recruitment chains and the ladder, from facts: organisers see everyone, a team lead only the
volunteers of the teams they lead."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.clock import campaign_today
from app.models import Event, Rsvp, TeamMember, utcnow
from app.recruiting.ladder import rungs
from tests.support.exports import door
from tests.support.recruiting import make_volunteer


@pytest.fixture
def people(db, make_user, make_ward, make_household, make_team):
    ward = make_ward()
    household = make_household(ward)
    ann = make_volunteer(db, make_user, name="Ann Root")
    bo = make_volunteer(db, make_user, name="Bo Second", recruited_by=ann)
    cy = make_volunteer(db, make_user, name="Cy Third", recruited_by=bo)
    di = make_volunteer(db, make_user, name="Di Fourth", recruited_by=bo)
    ed = make_volunteer(db, make_user, name="Ed Elsewhere", recruited_by=di)
    now = utcnow()
    for weeks_ago in (0, 1, 3):      # Bo: shifts in 3 of the last 6 weeks -> regular
        door(db, household, "spoke", user=bo, when=now - timedelta(days=7 * weeks_ago))
    start = now - timedelta(days=2)  # Cy: one event attended -> first shift
    event = Event(kind="canvass", title="Doors", starts_at=start, ends_at=start + timedelta(hours=2),
                  checkin_code=uuid.uuid4().hex)
    hosted = Event(kind="social", title="Di's social", starts_at=start, ends_at=start + timedelta(hours=2),
                   checkin_code=uuid.uuid4().hex)
    db.add_all([event, hosted])
    db.flush()
    hosted.host_id = di.id            # Di hosted one -> host
    db.add(Rsvp(event_id=event.id, user_id=cy.id, checked_in_at=start))
    db.commit()
    lead = make_user(roles="volunteer", name="Lee Lead")
    team = make_team(wards=[ward], leads=[lead], members=[ann, bo, cy, di], name="Central")
    db.add(TeamMember(team_id=make_team(name="Far").id, user_id=ed.id))
    db.commit()
    return dict(ann=ann, bo=bo, cy=cy, di=di, ed=ed, lead=lead, team=team)


def test_each_rung_comes_from_facts(app, db, people):
    found = rungs(db, user_ids={u.id for u in people.values() if hasattr(u, "email")}, today=campaign_today(),
                  now=utcnow())
    assert {name: found[u.id].stage for name, u in people.items() if name != "team"} == {
        "ann": "signed_up", "bo": "regular", "cy": "first_shift", "di": "host", "ed": "signed_up",
        "lead": "team_lead"}
    assert "host an event" in found[people["bo"].id].next_ask


def test_the_organiser_sees_every_chain_nested(client, auth, people):
    auth.login_as(roles="organiser")
    html = client.get("/recruiting").get_data(as_text=True)
    assert html.index("Ann Root") < html.index("Bo Second") < html.index("Lee Lead")  # biggest chains first
    assert "brought 1 (4 down the chain)" in html  # Ann: Bo, then Cy, Di and Ed
    assert "Cy Third" not in html                  # two levels a chain: the rest is Bo's own chain
    assert "Ask them to co-lead their local team." in html  # Di's rung's ask, once for the rung
    html = client.get(f"/recruiting?from={people['bo'].id}").get_data(as_text=True)
    assert html.index("Ann Root") < html.index("Bo Second") < html.index("Di Fourth") < html.index("Ed Elsewhere") \
        < html.index("Cy Third")  # who brought Bo, then Bo's recruits, Di (who brought Ed) before Cy
    assert "Brought 2 (3 down the chain)." in html


def test_a_lead_sees_only_their_teams_volunteers(client, auth, people):
    auth.login(people["lead"].email)
    html = client.get("/recruiting").get_data(as_text=True)
    assert "Bo Second" in html and "Ed Elsewhere" not in html
    assert client.get("/recruiting/message").status_code == 403


def test_a_volunteer_sees_no_chains(client, auth, people):
    auth.login(people["bo"].email)
    assert client.get("/recruiting").status_code == 403
