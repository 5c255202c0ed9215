"""``flask demo``: writes the town, people, demo logins and walk lists; refuses a used database."""
from __future__ import annotations

import json
import re
from pathlib import Path

import phonenumbers
import pytest
import sqlalchemy as sa
from shapely.geometry import Point, shape

from app.demo.town import build_town
from app.models import Assignment, Household, Neighbourhood, Person, PersonFix, User, WalkList, Ward
from tests.support.web import AuthActions

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def count(db, model) -> int:
    return db.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def logins(output: str) -> dict[str, str]:
    return dict(re.findall(r"(\S+@demo\.legwork)\s+password: (\S+)", output))


@pytest.fixture
def built(runner, db):
    result = runner.invoke(args=["demo", "--households", "200", "--seed", "5"])
    assert result.exit_code == 0, result.output
    return result


def test_demo_writes_the_generated_town(built, db):
    assert count(db, Household) == 200
    assert count(db, Ward) == 1 and count(db, Neighbourhood) == 3
    town = build_town(households=200, seed=5)
    stored = db.execute(sa.select(Household.external_id, Household.house_number, Household.street, Household.unit,
                                  Household.building_key, Household.lon, Household.lat)
                        .order_by(Household.external_id)).all()
    assert [tuple(r) for r in stored] == [(h.external_id, h.house_number, h.street, h.unit, h.building_key, h.lon, h.lat)
                                          for h in town.homes]
    added = db.execute(sa.select(sa.func.count()).select_from(PersonFix).where(PersonFix.kind == "add")).scalar_one()
    assert added == 1  # a resident a canvasser added at the door (app/demo/fixes.py)
    assert count(db, Person) == sum(len(h.residents) for h in town.homes) + added

    hoods = {h.id: shape(json.loads(h.boundary)) for h in db.execute(sa.select(Neighbourhood)).scalars()}
    for lon, lat, hood_id, ward_id in db.execute(sa.select(Household.lon, Household.lat, Household.neighbourhood_id,
                                                           Household.ward_id)):
        assert ward_id is not None and hoods[hood_id].contains(Point(lon, lat))

    phones = db.execute(sa.select(Person.phone).where(Person.phone.is_not(None))).scalars().all()
    assert phones
    for phone in phones:
        assert E164.match(phone) and phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone


def test_demo_logins_work_and_have_their_roles(built, app, client, make_user, db):
    printed = logins(built.output)
    assert set(printed) == {"organiser@demo.legwork", "canvasser@demo.legwork", "caller@demo.legwork",
                            "lead@demo.legwork", "teller@demo.legwork", "knocker@demo.legwork", "driver@demo.legwork",
                            "committee@demo.legwork"}
    assert logins((Path(app.instance_path) / "demo-logins.txt").read_text()) == printed
    # The demo's recruited volunteers (app/demo/recruiting.py) have no password: they sign in by email link.
    roles = dict(db.execute(sa.select(User.email, User.roles).where(User.password_hash.is_not(None))).all())
    assert roles == {"organiser@demo.legwork": "organiser", "canvasser@demo.legwork": "canvasser",
                     "caller@demo.legwork": "caller", "lead@demo.legwork": "volunteer",
                     "teller@demo.legwork": "teller", "knocker@demo.legwork": "knocker",
                     "driver@demo.legwork": "driver", "committee@demo.legwork": "committee"}
    signer = AuthActions(client, make_user)
    assert signer.login("organiser@demo.legwork", "not the password").status_code == 401
    assert signer.login("organiser@demo.legwork", printed["organiser@demo.legwork"]).status_code == 302
    assert client.get("/organiser/volunteers").status_code == 200


def test_demo_cuts_lists_and_assigns_two_to_the_canvasser(built, db):
    lists = db.execute(sa.select(WalkList).where(WalkList.knockup_round_id.is_(None))).scalars().all()
    assert lists and all(w.status == "active" and w.door_count > 0 for w in lists)
    canvasser = db.execute(sa.select(User).where(User.email == "canvasser@demo.legwork")).scalar_one()
    assigned = db.execute(sa.select(Assignment).where(Assignment.user_id == canvasser.id)).scalars().all()
    assert len(assigned) == min(2, len(lists))


def test_demo_has_a_team_led_by_the_demo_lead_and_events_to_find(runner, client, db):
    from app.models import Event, EventWork, Team, TeamMember

    # Big enough for lists beyond the two the demo canvasser holds.
    result = runner.invoke(args=["demo", "--households", "900", "--seed", "5"])
    assert result.exit_code == 0, result.output

    [team] = db.execute(sa.select(Team)).scalars().all()
    lead = db.execute(sa.select(User).where(User.email == "lead@demo.legwork")).scalar_one()
    assert db.execute(sa.select(TeamMember.is_lead).where(TeamMember.user_id == lead.id,
                                                          TeamMember.team_id == team.id)).scalar_one()
    from app.models import utcnow

    # (the past weekly canvasses of app/demo/recruiting.py aside: those show streaks)
    events = db.execute(sa.select(Event).where(Event.ends_at > utcnow()).order_by(Event.starts_at)).scalars().all()
    assert len(events) == 6 and all(e.status == "approved" and e.team_id == team.id for e in events)
    # Today's canvass works the lists nobody holds, so a visitor who checks in is handed one.
    work = set(db.execute(sa.select(EventWork.walk_list_id).where(EventWork.event_id == events[0].id)).scalars())
    held = set(db.execute(sa.select(Assignment.walk_list_id)).scalars())
    assert work and not work & held
    postcode = db.execute(sa.text("SELECT postcode FROM postcode_centroids LIMIT 1")).scalar_one()
    db.rollback()
    page = client.get("/get-involved", query_string={"postcode": postcode}).get_data(as_text=True)
    assert team.name in page and "Canvass today" in page


def test_demo_has_a_rehearsal_polling_day_under_way(built, app, client, make_user, db):
    from app.models import Election, Elector, KnockupRound, PollingStation, Telling, Voted

    election = db.execute(sa.select(Election)).scalar_one()
    assert election.rehearsal and election.polling_date.isoformat() >= "2026-01-01"
    assert count(db, Elector) == count(db, Person) and count(db, PollingStation) >= 1
    assert count(db, Telling) > 0 and count(db, Voted) == count(db, Telling)
    knock = db.execute(sa.select(KnockupRound)).scalar_one()
    assert knock.number == 1 and knock.door_count > 0
    knocker = db.execute(sa.select(User).where(User.email == "knocker@demo.legwork")).scalar_one()
    [held] = db.execute(sa.select(Assignment.walk_list_id).where(Assignment.user_id == knocker.id)).scalars().all()
    assert db.get(WalkList, held).knockup_round_id == knock.id
    db.rollback()
    signer = AuthActions(client, make_user)
    assert signer.login("knocker@demo.legwork", logins(built.output)["knocker@demo.legwork"]).status_code == 302
    data = client.get(f"/api/lists/{held}").get_json()
    assert data["kind"] == "knockup" and data["doors"] and all(d["people"] for d in data["doors"])


def test_demo_refuses_a_database_with_households(built, runner, db):
    before = count(db, Person)
    again = runner.invoke(args=["demo", "--households", "50"])
    assert again.exit_code == 1
    assert "already has 200 households" in again.output
    assert count(db, Household) == 200 and count(db, Person) == before


@pytest.mark.parametrize("args, message", [
    (["--households", "0"], "0 is not in the range 1<=x<=50000"),
    (["--data", "/no/such/dir"], "does not exist"),
])
def test_demo_bad_options(runner, db, args, message):
    result = runner.invoke(args=["demo", *args])
    assert result.exit_code != 0 and message in result.output
    assert count(db, Household) == 0


def _mini_cambridge(root: Path) -> Path:
    """A two-precinct stand-in with the real files' names and columns (no ../shared needed)."""
    city = root / "cambridge-ma"
    city.mkdir(parents=True)

    def square(w, s, e, n):
        return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}

    wards = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"Ward": "1"}, "geometry": square(-71.12, 42.36, -71.10, 42.38)}]}
    precincts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"Ward": "1", "WardPrecinct": "1-1"}, "geometry": square(-71.12, 42.36, -71.11, 42.38)},
        {"type": "Feature", "properties": {"Ward": "1", "WardPrecinct": "1-2"}, "geometry": square(-71.11, 42.36, -71.10, 42.38)}]}
    (city / "wards.geojson").write_text(json.dumps(wards))
    (city / "wards_precincts.geojson").write_text(json.dumps(precincts))
    header = "address_id,house_number,suffix,street,full_address,building_name,building_type,parcel_id,building_id,lon,lat,ward,precinct\n"
    rows = [f"{i},{i},,Elm St,{i} Elm St,,,P{i},B{i},{-71.119 + i * 0.0005:.6f},42.37,1,1\n" for i in range(1, 31)]
    (city / "addresses.csv").write_text(header + "".join(rows))
    return root


def test_demo_with_data_imports_cambridge_style_files(runner, db, tmp_path):
    result = runner.invoke(args=["demo", "--data", str(_mini_cambridge(tmp_path / "data")), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert count(db, Household) == 30
    assert sorted(db.execute(sa.select(Neighbourhood.name)).scalars()) == ["Precinct 1-1", "Precinct 1-2"]
    assert db.execute(sa.select(Ward.name)).scalar_one() == "Ward 1"
    assert count(db, Person) >= 30
    assert set(logins(result.output)) == {"organiser@demo.legwork", "canvasser@demo.legwork", "caller@demo.legwork",
                                          "lead@demo.legwork", "teller@demo.legwork", "knocker@demo.legwork",
                                          "driver@demo.legwork", "committee@demo.legwork"}


def test_demo_with_data_that_is_not_cambridge(runner, db, tmp_path):
    result = runner.invoke(args=["demo", "--data", str(tmp_path)])
    assert result.exit_code == 1 and "missing wards.geojson" in result.output
    assert count(db, Household) == 0


def test_if_empty_keeps_an_existing_database(built, runner, db):
    before = count(db, Person)
    again = runner.invoke(args=["demo", "--if-empty", "--households", "50"])
    assert again.exit_code == 0, again.output
    assert "keeping them" in again.output
    assert count(db, Household) == 200 and count(db, Person) == before


def test_demo_campaign_has_begun_but_not_on_the_canvassers_lists(runner, db):
    from app.models import Assignment, CallQueueEntry, ContactEvent, User

    # big enough for more lists than the canvasser is given
    assert runner.invoke(args=["demo", "--households", "1200", "--seed", "5"]).exit_code == 0

    canvasser = db.execute(sa.select(User).where(User.email == "canvasser@demo.legwork")).scalar_one()
    theirs = set(db.execute(sa.select(Assignment.walk_list_id).where(Assignment.user_id == canvasser.id)).scalars())
    events = db.execute(sa.select(ContactEvent)).scalars().all()
    assert events, "no doors knocked in the demo"
    assert not {e.walk_list_id for e in events} & theirs  # their lists are fresh to walk
    assert {e.code for e in events} >= {"spoke", "not_home"}
    assert count(db, CallQueueEntry) > 0  # the caller has numbers waiting


def test_demo_has_recruitment_chains_and_streaks(built, app, client, make_user, db):
    from app.clock import campaign_today
    from app.models import VolunteerProfile, utcnow
    from app.recognition.queries import for_volunteer
    from app.recruiting.queries import chains

    lead = db.execute(sa.select(User).where(User.email == "lead@demo.legwork")).scalar_one()
    brought = db.execute(sa.select(sa.func.count()).select_from(VolunteerProfile)
                         .where(VolunteerProfile.recruited_by_id == lead.id)).scalar_one()
    assert brought == 2
    found = chains(db, member_ids=None, today=campaign_today(), now=utcnow())
    [root] = [n for n in found.items if n.id == lead.id]  # the first page holds the biggest chains
    assert root.total == 6 and found.stage_counts["regular"] >= 2
    assert for_volunteer(db, user_id=lead.id, today=campaign_today()).streak >= 4
def test_demo_has_fixes_to_review(built, db):
    kinds = set(db.execute(sa.select(PersonFix.kind).where(PersonFix.status == "applied")).scalars())
    assert kinds == {"add", "moved", "deceased", "name", "phone", "email"}
