"""The volunteer's home (/me): shifts, teams, work, what they did, and joining or leaving a team."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import CallAttempt, ContactEvent, Rsvp, TeamMember, utcnow
from tests.support.web import AuthActions, csrf_token_from
from tests.support.world import row_counts


@pytest.fixture
def setup(db, make_ward, make_team, make_user, auth):
    ward = make_ward()
    me = auth.login_as(roles="volunteer", name="Vera Volunteer")
    lead = make_user(roles="volunteer", name="Lena Lead")
    mate = make_user(roles="canvasser", name="Mo Mate")
    team = make_team(wards=[ward], leads=[lead], members=[me, mate], name="Central")
    other = make_team(name="Riverside")
    return {"ward": ward, "me": me, "lead": lead, "mate": mate, "team": team, "other": other}


def home(client):
    response = client.get("/me")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def door(db, *, user, household, when=None):
    db.add(ContactEvent(id=str(uuid.uuid4()), channel="door", code="not_home", household_id=household.id,
                        actor_user_id=user.id, recorded_at=when or utcnow()))
    db.commit()


def call(db, *, user, when=None):
    db.add(CallAttempt(caller_id=user.id, phone="+16175550100", started_at=when or utcnow()))
    db.commit()


def test_a_volunteer_only_account_starts_at_me(client, setup):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/me"


def test_shifts_show_only_going_and_not_over(client, db, setup, make_event):
    me = setup["me"]
    coming = make_event(title="Saturday canvass", going=[me])
    make_event(title="Last week's canvass", starts_in=timedelta(days=-7), going=[me])
    cancelled = make_event(title="Cancelled by me")
    db.add(Rsvp(event_id=cancelled.id, user_id=me.id, status="cancelled"))
    db.commit()
    make_event(title="Not signed up")
    html = home(client)
    assert "Saturday canvass" in html and f"/events/{coming.id}" in html
    for title in ("Last week's canvass", "Cancelled by me", "Not signed up"):
        assert title not in html


def test_the_teams_coming_events_can_be_rsvpd_from_home(client, db, setup, make_event):
    me, team, other = setup["me"], setup["team"], setup["other"]
    ours = make_event(title="Team canvass", team_id=team.id)
    make_event(title="Booked already", team_id=team.id, going=[me])
    make_event(title="Their canvass", team_id=other.id)
    make_event(title="Awaiting approval", team_id=team.id, status="proposed")
    make_event(title="Over", team_id=team.id, starts_in=timedelta(days=-7))
    html = home(client)
    upcoming = html.split('id="upcoming"', 1)[1].split("</section>", 1)[0]
    assert "Team canvass" in upcoming and f"/events/{ours.id}/rsvp" in upcoming
    for title in ("Booked already", "Their canvass", "Awaiting approval", "Over"):
        assert title not in upcoming
    token = csrf_token_from(html)
    assert client.post(f"/events/{ours.id}/rsvp", data={"csrf_token": token}).status_code == 302
    after = home(client)
    assert 'id="upcoming"' not in after  # the one event on offer is now a shift
    assert "Team canvass" in after.split("Your next shifts", 1)[1].split("</section>", 1)[0]
    db.rollback()
    assert db.exec(select(Rsvp).where(Rsvp.event_id == ours.id, Rsvp.user_id == me.id)).one().status == "going"


def test_no_shifts_points_to_the_get_involved_page(client, setup):
    assert "Nothing booked" in home(client) and "/get-involved" in home(client)


def test_teams_show_their_leads_and_other_teams_can_be_joined(client, setup):
    html = home(client)
    assert "Central" in html and "Led by Lena Lead" in html
    assert f"/me/teams/{setup['other'].id}/join" in html and f"/me/teams/{setup['team'].id}/leave" in html
    assert f"/me/teams/{setup['team'].id}/join" not in html


def post(client, path):
    token = csrf_token_from(client.get("/me").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token})


def test_join_and_leave_a_team(client, db, setup):
    me, other = setup["me"], setup["other"]
    assert post(client, f"/me/teams/{other.id}/join").status_code == 302
    assert post(client, f"/me/teams/{other.id}/join").status_code == 302  # twice: still one membership
    db.rollback()
    assert len(db.exec(select(TeamMember).where(TeamMember.user_id == me.id, TeamMember.team_id == other.id)).all()) == 1
    assert "You are in Riverside." in home(client)
    assert post(client, f"/me/teams/{other.id}/leave").status_code == 302
    db.rollback()
    assert db.exec(select(TeamMember).where(TeamMember.user_id == me.id, TeamMember.team_id == other.id)).all() == []


def test_a_lead_cannot_leave_their_own_team(app, db, setup):
    client = app.test_client()
    AuthActions(client, None).login(setup["lead"].email)
    before = row_counts(db)
    response = post(client, f"/me/teams/{setup['team'].id}/leave")
    assert response.status_code == 409
    assert "You lead Central" in response.get_data(as_text=True)
    assert row_counts(db) == before
    assert f"/me/teams/{setup['team'].id}/leave" not in home(client)


def test_joining_a_team_that_does_not_exist_is_a_404(client, db, setup):
    before = row_counts(db)
    assert post(client, "/me/teams/999999/join").status_code == 404
    assert row_counts(db) == before


def test_lists_calls_and_what_they_did(client, db, setup, make_household, make_walk_list, make_event):
    from app.models import User

    me = db.get(User, setup["me"].id)
    me.roles = "volunteer caller"
    db.add(me)
    db.commit()
    household = make_household(setup["ward"])
    walk_list = make_walk_list([household], name="Elm Street evening", assign_to=me)
    door(db, user=me, household=household)
    door(db, user=me, household=household)
    call(db, user=me)
    event = make_event(title="Old one", starts_in=timedelta(days=-3), going=[me])
    db.execute(Rsvp.__table__.update().where(Rsvp.event_id == event.id).values(checked_in_at=utcnow()))
    db.commit()
    html = home(client)
    assert f"/canvass/lists/{walk_list.id}" in html and "Elm Street evening" in html
    assert 'href="/phonebank"' in html
    assert "<strong>2</strong> doors · <strong>1</strong> calls ·\n    <strong>1</strong> events" in html


def test_the_team_week_counts_members_since_monday(client, db, setup, make_household, monkeypatch):
    from app.volunteers import queries_home

    household = make_household(setup["ward"])
    monday = queries_home.week_start(utcnow())
    door(db, user=setup["mate"], household=household)
    door(db, user=setup["me"], household=household)
    door(db, user=setup["mate"], household=household, when=monday - timedelta(minutes=1))  # last week
    call(db, user=setup["lead"])
    html = home(client)
    assert "This week: <strong>2</strong> doors, <strong>1</strong> calls." in html
    assert "ranking" not in html  # show_rankings is off


def test_rankings_only_when_switched_on(app, client, db, setup, make_household):
    import dataclasses

    cfg = app.extensions["legwork_settings"]
    app.extensions["legwork_settings"] = dataclasses.replace(
        cfg, volunteers=dataclasses.replace(cfg.volunteers, show_rankings=True))
    household = make_household(setup["ward"])
    door(db, user=setup["mate"], household=household)
    html = home(client)
    assert 'class="ranking"' in html
    assert html.index("Mo Mate") < html.index("Vera Volunteer")  # most work first


def test_week_start_is_monday_midnight_on_the_campaign_clock(monkeypatch):
    from datetime import datetime, timezone
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from app.volunteers import queries_home

    monkeypatch.setattr(queries_home, "settings", lambda: SimpleNamespace(timezone="America/New_York"))
    # Monday 03:00 UTC is still Sunday evening in New York: the week began the Monday before.
    start = queries_home.week_start(datetime(2026, 12, 7, 3, 0, tzinfo=timezone.utc))
    local = start.astimezone(ZoneInfo("America/New_York"))
    assert (local.year, local.month, local.day, local.hour, local.minute, local.weekday()) == (2026, 11, 30, 0, 0, 0)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/me")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
