"""Recognition, not ranking: weekly streaks, a thank-you for each finished list, team totals;
an individual top ten only when the campaign switches rankings on."""
from __future__ import annotations

import dataclasses
import uuid
from datetime import date, timedelta

import pytest

from app.models import Event, Rsvp, utcnow
from app.recognition.shifts import streak
from tests.support.exports import door


def test_a_streak_counts_weeks_in_a_row_ending_this_week_or_last():
    monday = date(2026, 12, 7)
    days = {monday - timedelta(days=7 * n) + timedelta(days=2) for n in (0, 1, 2, 4)}
    assert streak(days, today=monday + timedelta(days=3)) == 3
    assert streak(days - {monday + timedelta(days=2)}, today=monday) == 2  # this week not over: still 2
    assert streak(days, today=monday + timedelta(days=14)) == 0            # a whole week missed
    assert streak(set(), today=monday) == 0


@pytest.fixture
def world(db, make_user, make_ward, make_household, make_walk_list, make_team, auth):
    ward = make_ward()
    me = auth.login_as(roles="canvasser volunteer", name="Vera Volunteer")
    mate = make_user(roles="volunteer", name="Mo Mate")
    doors = [make_household(ward) for _ in range(3)]
    walk_list = make_walk_list(doors, name="Elm St evening", assign_to=me, ward=ward)
    lead = make_user(roles="volunteer", name="Lee Lead")
    team = make_team(wards=[ward], leads=[lead], members=[me, mate], name="Central")
    return dict(ward=ward, me=me, mate=mate, doors=doors, walk_list=walk_list, lead=lead, team=team)


def test_home_shows_the_streak_and_thanks_for_a_finished_list(client, db, world):
    now = utcnow()
    start = now - timedelta(days=7)  # last week: an event attended; this week: the list
    event = Event(kind="canvass", title="Doors", starts_at=start, ends_at=start + timedelta(hours=2),
                  checkin_code=uuid.uuid4().hex)
    db.add(event)
    db.flush()
    db.add(Rsvp(event_id=event.id, user_id=world["me"].id, checked_in_at=start))
    db.commit()
    for household, code in zip(world["doors"][:2], ("spoke", "not_home")):
        door(db, household, code, user=world["me"], walk_list=world["walk_list"], when=now)
    html = client.get("/me").get_data(as_text=True)
    assert "2 weeks in a row" in html and "Thank you for finishing" not in html  # one door still to knock
    door(db, world["doors"][2], "spoke", user=world["me"], walk_list=world["walk_list"], when=now)
    html = client.get("/me").get_data(as_text=True)
    assert ("Thank you for finishing <strong>Elm St evening</strong>: you knocked 3 doors and spoke to 2 people"
            in html)


def test_no_individual_top_ten_unless_switched_on(app, client, db, world):
    door(db, world["doors"][0], "spoke", user=world["mate"], walk_list=world["walk_list"], when=utcnow())
    assert "top ten" not in client.get("/me").get_data(as_text=True)
    cfg = app.extensions["legwork_settings"]
    app.extensions["legwork_settings"] = dataclasses.replace(
        cfg, volunteers=dataclasses.replace(cfg.volunteers, show_rankings=True))
    html = client.get("/me").get_data(as_text=True)
    assert "This week's top ten" in html and "Mo M.: 1" in html and "Mo Mate:" not in html


def test_the_team_page_totals_this_week_and_all_time(client, db, auth, world):
    now = utcnow()
    door(db, world["doors"][0], "spoke", user=world["me"], walk_list=world["walk_list"], when=now)
    door(db, world["doors"][1], "spoke", user=world["mate"], walk_list=world["walk_list"], when=now)
    door(db, world["doors"][2], "spoke", user=world["mate"], when=now - timedelta(days=21))
    auth.logout()
    auth.login(world["lead"].email)
    html = client.get(f"/teams/{world['team'].id}").get_data(as_text=True)
    assert "<th scope=\"row\">This week</th><td>2</td><td>0</td><td>2</td>" in html
    assert "<th scope=\"row\">All time</th><td>3</td><td>0</td><td>3</td>" in html
