"""The organisers' people-you-know figures at state size (issue 22): a page of teams counted in two
grouped queries gives each team what counting it alone gives (``_figures``, the old per-team
way), over any made-up teams, lists and talks; the teams come a page at a time."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from app.db import write_transaction
from app.models import Channel, ContactEvent, RelationalEntry, Team, TeamMember, utcnow
from app.relational import queries

USERS = 4
campaigns = st.fixed_dictionaries({
    "teams": st.lists(st.sets(st.integers(0, USERS - 1)), min_size=1, max_size=4),
    "entries": st.lists(st.tuples(st.integers(0, USERS - 1), st.booleans()), max_size=8),  # (owner, confirmed)
    # (actor, channel, code, person): a door knock by the same volunteer must not count
    "events": st.lists(st.tuples(st.integers(0, USERS - 1), st.sampled_from(["relational", "relational", "door"]),
                                 st.sampled_from(["talked", "not_yet", "spoke"]), st.integers(0, 2)), max_size=10),
})


@pytest.fixture
def town(db, make_user, resident):
    users = [make_user(roles="volunteer") for _ in range(USERS)]
    people = [resident(f"Friend{i}", "Made-Up") for i in range(3)]
    db.rollback()
    return [u.id for u in users], [(p.id, p.household_id) for p in people]


def _write(db, town, campaign) -> None:
    users, people = town

    def write(s):
        for table in (TeamMember, Team, RelationalEntry):
            s.execute(sa.delete(table))
        s.execute(sa.delete(ContactEvent).where(ContactEvent.actor_user_id.in_(users)))
        for n, members in enumerate(campaign["teams"]):
            team = Team(name=f"Team {n}")
            s.add(team)
            s.flush()
            s.add_all(TeamMember(team_id=team.id, user_id=users[m]) for m in sorted(members))
        for owner, confirmed in campaign["entries"]:
            s.add(RelationalEntry(owner_id=users[owner], name="A Friend", postcode="", street="",
                                  person_id=people[0][0] if confirmed else None))
        for actor, channel, code, who in campaign["events"]:
            pid, hid = people[who]
            s.add(ContactEvent(id=str(uuid.uuid4()), channel=channel, code=code, household_id=hid, person_id=pid,
                               actor_user_id=users[actor], recorded_at=utcnow()))
    write_transaction(db, write)


def _expected(conf, campaign, members: set[int] | None, name: str, team_id) -> queries.TeamFigures:
    """The figures counted by hand from what was written (``members``: None for everyone)."""
    contact = {c.code for c in conf.codes(Channel.RELATIONAL).values() if c.contact}
    mine = lambda who: members is None or who in members  # noqa: E731
    entries = [(owner, confirmed) for owner, confirmed in campaign["entries"] if mine(owner)]
    reached = {who for actor, channel, code, who in campaign["events"]
               if mine(actor) and channel == "relational" and code in contact}
    return queries.TeamFigures(team_id=team_id, name=name, volunteers=len({o for o, _ in entries}), listed=len(entries),
                               confirmed=sum(c for _, c in entries), reached=len(reached))


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(campaign=campaigns)
def test_each_team_counts_as_counted_by_hand(db, conf, town, campaign):
    _write(db, town, campaign)
    shown = queries.report(db, settings=conf)
    assert [t.name for t in shown.teams] == sorted(f"Team {n}" for n in range(len(campaign["teams"])))
    for team in shown.teams:
        members = campaign["teams"][int(team.name.split()[1])]
        assert team == _expected(conf, campaign, members, team.name, team.team_id)
    assert shown.total == _expected(conf, campaign, None, "Everyone", None)
    db.rollback()


@pytest.fixture
def five_teams(db, make_team, make_user):
    lead = make_user(roles="volunteer")
    teams = [make_team(name=f"Team {c}", leads=[lead] if c in "BD" else []) for c in "EDCBA"]
    db.rollback()
    return lead, teams


def test_the_teams_come_a_page_at_a_time(client, auth, five_teams, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    auth.login_as("organiser")
    pages = {n: client.get(f"/organiser/people-you-know?page={n}").get_data(as_text=True) for n in (1, 2, 3, 9)}
    assert "Team A" in pages[1] and "Team B" in pages[1] and "Team C" not in pages[1] and "Page 1 of 3" in pages[1]
    assert "Team E" in pages[3] and "Team D" not in pages[3] and 'rel="prev"' in pages[3]
    assert pages[9] == pages[3]  # past the last page: the last page
    assert all("<tfoot>" in page for page in pages.values())  # everyone's figures on every page
    for bad in ("0", "x", str(2**63)):
        assert client.get(f"/organiser/people-you-know?page={bad}").status_code == 422


def test_a_lead_pages_through_their_teams_only(client, auth, five_teams, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 1)
    lead, _ = five_teams
    auth.login(lead.email)
    first, second = (client.get(f"/organiser/people-you-know?page={n}").get_data(as_text=True) for n in (1, 2))
    assert "Team B" in first and "Page 1 of 2" in first and "Team D" in second
    assert not any(f"Team {c}" in first + second for c in "ACE") and "<tfoot>" not in first
