"""Knock-up rounds: who is on round N's lists, what the knocker's phone reads (pledges only, the
knock-up answers, who has voted), "needs a lift" reaching the drivers once, and the sheets."""
from __future__ import annotations

import re
from datetime import date, time

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.models import Assignment, Household, KnockupRound, LiftRequest, Person, User, WalkList, WalkListDoor
from app.pollingday.knockup import doors_to_knock, start_round
from app.pollingday.operations import create_election, set_committee_room
from app.pollingday.tellings import store_tellings
from tests.support.canvass import outcome, post
from tests.support.pledges import answer, person_by_number
from tests.support.pollingday import telling

PLEDGES = ("AA-1", "AA-3", "AA-6", "AB-1", "AB-4/2")


@pytest.fixture
def room(db, polling_day, settings):
    """A committee room over both districts, today's election, and the pledges: five, plus a
    pledged postal voter (AA-2, at AA-1's door) and someone against (AB-3)."""
    write_transaction(db, lambda s: create_election(s, name="By-election", polling_date=date.today(),
                                                    polls_open=time(7), polls_close=time(22)))
    room_id = write_transaction(db, lambda s: set_committee_room(s, name="Testville room", district_codes=["AA", "AB"]).id)
    for number in PLEDGES + ("AA-2",):
        answer(db, person_by_number(db, number.split("/")[0]), "1")
    answer(db, person_by_number(db, "AB-3"), "5")
    return room_id


def _people(db, *numbers) -> set[int]:
    return {person_by_number(db, n.split("/")[0]) for n in numbers}


def _home(db, number) -> int:
    hid = db.get(Person, person_by_number(db, number.split("/")[0])).household_id
    db.rollback()
    return hid


def _round(db, room, settings):
    knock = write_transaction(db, lambda s: start_round(s, room_id=room, settings=settings, started_by_id=None))
    lists = db.execute(sa.select(WalkList).where(WalkList.knockup_round_id == knock.id)).scalars().all()
    doors = {d.household_id: d.walk_list_id for d in db.execute(
        sa.select(WalkListDoor).where(WalkListDoor.walk_list_id.in_([w.id for w in lists]))).scalars()}
    db.rollback()
    return knock, lists, doors


def test_round_one_holds_every_pledge_not_postal_and_lists_keep_to_a_district(db, room, settings):
    knock, lists, doors = _round(db, room, settings)
    assert (knock.number, knock.door_count, knock.pledge_count) == (1, 5, 5)
    assert set(doors) == {_home(db, n) for n in PLEDGES}
    hoods = {w.id: {db.get(Household, h).neighbourhood_id for h, l in doors.items() if l == w.id} for w in lists}
    assert all(len(h) == 1 for h in hoods.values())


def test_the_next_round_drops_the_voted_and_the_finished_and_keeps_not_in(client, auth, db, room, settings,
                                                                          polling_day):
    _, lists, doors = _round(db, room, settings)
    write_transaction(db, lambda s: store_tellings(s, items=[telling(polling_day.east, "AB-1")], actor_user_id=None))
    knocker = auth.login_as("knocker")
    for w in lists:
        write_transaction(db, lambda s, w=w: s.add(Assignment(walk_list_id=w.id, user_id=knocker.id)))
    token = auth.csrf_token("/canvass/")
    by_home = {n: doors[_home(db, n)] for n in PLEDGES}
    hh = {n: db.get(Household, _home(db, n)) for n in PLEDGES}
    items = [outcome(hh["AA-3"], db.get(WalkList, by_home["AA-3"]), code="not_in"),
             outcome(hh["AA-6"], db.get(WalkList, by_home["AA-6"]), code="wont_vote"),
             outcome(hh["AB-4/2"], db.get(WalkList, by_home["AB-4/2"]), code="needs_lift", notes="wheelchair")]
    db.rollback()
    assert [r["status"] for r in post(client, token, items).get_json()["results"]] == ["stored"] * 3
    assert set(doors_to_knock(db, room_id=room, election_id=1, settings=settings)) == \
        {_home(db, "AA-1"), _home(db, "AA-3")}
    knock2, lists2, doors2 = _round(db, room, settings)
    assert knock2.number == 2 and set(doors2) == {_home(db, "AA-1"), _home(db, "AA-3")}
    assert {db.get(WalkList, w.id).status for w in lists} == {"released"}
    db.rollback()


def test_needs_a_lift_makes_one_request_however_often_it_is_sent(client, auth, db, room, settings):
    _, lists, doors = _round(db, room, settings)
    knocker = auth.login_as("knocker")
    list_id = doors[_home(db, "AB-4/2")]
    write_transaction(db, lambda s: s.add(Assignment(walk_list_id=list_id, user_id=knocker.id)))
    token = auth.csrf_token("/canvass/")
    item = outcome(db.get(Household, _home(db, "AB-4/2")), db.get(WalkList, list_id), code="needs_lift",
                   notes="wheelchair; ring twice")
    db.rollback()
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "duplicate"
    lifts = db.execute(sa.select(LiftRequest)).scalars().all()
    assert len(lifts) == 1
    lift = lifts[0]
    assert (lift.person_id, lift.source, lift.committee_room_id, lift.election_id, lift.access_needs, lift.created_by_id) \
        == (person_by_number(db, "AB-4"), "door", room, 1, "wheelchair; ring twice", knocker.id)
    # A canvass door answered "needs a lift" (not a knock-up list) asks nobody for a lift.
    db.rollback()


def test_the_knockers_phone_reads_pledges_only_and_who_has_voted(client, auth, db, room, settings, polling_day,
                                                                  make_user):
    _, lists, doors = _round(db, room, settings)
    knocker = auth.login_as("knocker")
    list_id = doors[_home(db, "AA-1")]
    write_transaction(db, lambda s: s.add(Assignment(walk_list_id=list_id, user_id=knocker.id)))
    data = client.get(f"/api/lists/{list_id}").get_json()
    assert data["kind"] == "knockup" and data["round"] == 1 and data["voted"] == []
    assert [o["code"] for o in data["outcomes"]] == [c.code for c in settings.knockup_outcomes]
    names = {p["name"] for d in data["doors"] for p in d["people"]}
    assert "Ada Ampleforth" in names and "Bryn Ampleforth" not in names   # AA-2: postal, not knocked up
    write_transaction(db, lambda s: store_tellings(s, items=[telling(polling_day.west, "AA-1")], actor_user_id=None))
    voted = client.get(f"/api/lists/{list_id}/voted")
    assert voted.headers["Cache-Control"] == "private, no-store"
    assert voted.get_json()["voted"] == [person_by_number(db, "AA-1")] and voted.get_json()["as_of"].endswith("Z")
    other = next(w.id for w in lists if w.id != list_id)
    assert client.get(f"/api/lists/{other}/voted").status_code == 403   # not the knocker's list
    assert client.get("/api/lists/999999/voted").status_code == 403


def test_a_canvass_list_is_no_knockup_list(client, auth, make_ward, make_household, make_walk_list):
    user = auth.login_as("canvasser")
    walk_list = make_walk_list([make_household(make_ward())], assign_to=user)
    data = client.get(f"/api/lists/{walk_list.id}").get_json()
    assert data["kind"] == "canvass" and "voted" not in data and data["outcomes"][0]["code"] == "spoke"
    assert client.get(f"/api/lists/{walk_list.id}/voted").get_json()["voted"] == []


def test_sheets_and_the_qr_code_hand_a_volunteer_the_list(client, auth, db, room, settings, polling_day):
    write_transaction(db, lambda s: store_tellings(s, items=[telling(polling_day.east, "AB-1")], actor_user_id=None))
    _, lists, _ = _round(db, room, settings)
    auth.login_as("committee")
    page = client.get(f"/polling-day/rooms/{room}/rounds/1/sheets").get_data(as_text=True)
    assert "Ada Ampleforth · AA-1" in page and "Jem Brackley · AB-4/2" in page
    assert "Gwen Fothergill" not in page and "Bryn Ampleforth" not in page and "Ivo Ampleforth" not in page
    assert page.count("<svg") >= len(lists) and "Needs a lift" in page
    everyone = client.get("/polling-day/sheets").get_data(as_text=True)
    assert "Ada Ampleforth" in everyone
    assert client.get(f"/polling-day/rooms/{room}/rounds/9/sheets").status_code == 404
    links = re.findall(r'(/polling-day/knock/[^"<\s]+)', page)
    auth.logout()

    volunteer = auth.login_as("volunteer")
    assert client.get("/polling-day/knock/not-a-token").status_code == 404
    assert "Take this list" in client.get(links[0]).get_data(as_text=True)
    response = client.post(links[0], data={"csrf_token": auth.csrf_token()})
    assert response.status_code == 302 and "/canvass/lists/" in response.headers["Location"]
    db.expire_all()
    assert "knocker" in db.get(User, volunteer.id).roles.split()
    db.rollback()
    list_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert client.get(f"/api/lists/{list_id}").status_code == 200


def test_starting_a_round_from_the_room_page(client, auth, db, room):
    auth.login_as("committee")
    page = client.get(f"/polling-day/rooms/{room}").get_data(as_text=True)
    assert "Start round 1" in page
    response = client.post(f"/polling-day/rooms/{room}/rounds", data={"csrf_token": auth.csrf_token()})
    assert response.status_code == 302
    page = client.get(f"/polling-day/rooms/{room}").get_data(as_text=True)
    assert "Round 1 started" in page and "Start round 2" in page and "5 doors, 5 pledges" in page
    live = client.get(f"/polling-day/rooms/{room}/live.json").get_json()
    assert (live["rounds_started"], live["rounds_done"]) == (1, 0) and "knock-up round 1 under way, 0 done" in live["html"]
    assert client.post(f"/polling-day/rooms/{room}/rounds", data={}).status_code in (400, 422)
    assert db.execute(sa.select(sa.func.count()).select_from(KnockupRound)).scalar_one() == 1
    assert client.post("/polling-day/rooms/999999/rounds", data={"csrf_token": auth.csrf_token()}).status_code == 404


def test_no_round_without_an_election(client, auth, db, polling_day):
    room_id = write_transaction(db, lambda s: set_committee_room(s, name="Room", district_codes=["AA"]).id)
    auth.login_as("committee")
    response = client.post(f"/polling-day/rooms/{room_id}/rounds", data={"csrf_token": auth.csrf_token()})
    assert response.status_code == 409 and "Set up the election first" in response.get_data(as_text=True)


def test_each_list_takes_its_own_answers(client, auth, db, room, settings, make_ward, make_household, make_walk_list):
    _, lists, doors = _round(db, room, settings)
    knocker = auth.login_as("canvasser")
    list_id = doors[_home(db, "AA-3")]
    write_transaction(db, lambda s: s.add(Assignment(walk_list_id=list_id, user_id=knocker.id)))
    canvass = make_walk_list([make_household(make_ward(code="W9"))], assign_to=knocker)
    token = auth.csrf_token("/canvass/")
    door = db.get(Household, _home(db, "AA-3"))
    items = [outcome(door, db.get(WalkList, list_id), code="spoke"),
             outcome(db.get(Household, canvass.id and db.execute(sa.select(WalkListDoor.household_id).where(
                 WalkListDoor.walk_list_id == canvass.id)).scalar_one()), canvass, code="needs_lift"),
             outcome(door, db.get(WalkList, list_id), code="not_in")]
    db.rollback()
    results = post(client, token, items).get_json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected", "stored"]
    assert results[0]["reason"] == (f"walk list {list_id} is a knock-up list: answer with one of needs_lift, not_in, "
                                    "voted_already, will_vote, wont_vote")
    assert results[1]["reason"] == "needs_lift is a knock-up answer: record it on a knock-up list"
    assert db.execute(sa.select(sa.func.count()).select_from(LiftRequest)).scalar_one() == 0


def test_knockup_lists_reserve_no_doors_for_canvassing(db, room, settings, polling_day):
    from app.walk_lists import cut_area

    _, _, doors = _round(db, room, settings)
    proposal = cut_area(db, neighbourhood_id=polling_day.districts["AA"], target_size=10)
    db.rollback()
    cut = {hid for turf in proposal.turfs for hid in turf.household_ids}
    assert proposal.skipped_in_active_list == 0 and {_home(db, n) for n in ("AA-1", "AA-3", "AA-6")} <= cut
