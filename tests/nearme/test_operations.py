"""Canvass near me: the offer, checking out, handing back, returning idle lists, sharing."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from app.config import settings
from app.db import write_transaction
from app.errors import Conflict, ValidationError
from app.models import (Assignment, ContactEvent, ListStatus, SelfServeCheckout, WalkList, WalkListDoor, WalkPosition,
                        utcnow)
from app.nearme.offer import NoOffer, Offer, find_offer
from app.nearme.operations import (NothingNear, check_out, check_request, give_back, pools_for, record_position,
                                   return_idle, set_sharing)
from tests.support.nearme import centre, make_patch


@pytest.fixture
def patch(db, make_ward, make_team, make_user):
    return make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user, volunteers=3)


def _take(db, user, team_id, *, minutes=20, km=1.0, at=None):
    lat, lon = at or centre()
    return write_transaction(db, lambda s: check_out(s, user=user, team_ids=[team_id], lat=lat, lon=lon,
                                                     minutes=minutes, max_km=km, config=settings().selfserve))


def _offer(db, team_id, *, minutes=20, km=1.0, at=None):
    lat, lon = at or centre()
    pools = pools_for(db, team_ids=[team_id], config=settings().selfserve)
    return find_offer(db, pools=pools, lat=lat, lon=lon, minutes=minutes, max_km=km)


def _doors(db, walk_list_id):
    return set(db.exec(select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id == walk_list_id)).all())


def test_a_cut_on_the_spot_fits_the_time_at_the_campaign_pace(db, patch):
    offer = _offer(db, patch.team.id, minutes=20)
    pace = settings().canvass
    assert isinstance(offer, Offer) and offer.walk_list_id is None
    assert 1 < offer.doors <= 20 * 60 // pace.seconds_per_door
    assert offer.minutes <= 20
    assert offer.streets and all(s.startswith("Row ") for s in offer.streets)
    assert offer.start_m < 100  # the nearest doors: the volunteer stands in the middle of the grid


def test_taking_it_checks_the_list_out_to_that_volunteer_alone(db, patch):
    first, second = patch.volunteers[:2]
    mine, _ = _take(db, first, patch.team.id)
    theirs, _ = _take(db, second, patch.team.id)
    assert mine.status == ListStatus.ACTIVE and mine.door_count == len(_doors(db, mine.id))
    assert not _doors(db, mine.id) & _doors(db, theirs.id)
    held = db.exec(select(Assignment.user_id).where(Assignment.walk_list_id == mine.id)).all()
    assert held == [first.id]
    checkout = db.exec(select(SelfServeCheckout).where(SelfServeCheckout.walk_list_id == mine.id)).one()
    assert checkout.user_id == first.id and checkout.cut_on_spot
    assert db.get(type(first), first.id).has_role("canvasser")  # the list page opens for them
    with pytest.raises(Conflict, match="already have a list"):
        _take(db, first, patch.team.id)


def test_a_ready_cut_list_nobody_holds_is_offered_first(db, patch, make_walk_list, make_user):
    from app.models import Household

    homes = [db.get(Household, hid) for hid in patch.household_ids[40:52]]
    ready = make_walk_list(homes, ward=patch.ward, name="Ready 1")
    ready.est_minutes, ready.neighbourhood_id = 15.0, patch.hood.id
    held = make_walk_list([db.get(Household, patch.household_ids[55])], ward=patch.ward, assign_to=make_user())
    held.est_minutes = 15.0
    db.add_all([ready, held])
    db.commit()
    offer = _offer(db, patch.team.id, minutes=20)
    assert offer.walk_list_id == ready.id and offer.doors == 12
    taken, _ = _take(db, patch.volunteers[0], patch.team.id)
    assert taken.id == ready.id
    checkout = db.exec(select(SelfServeCheckout).where(SelfServeCheckout.walk_list_id == ready.id)).one()
    assert not checkout.cut_on_spot
    # handed back, a ready-cut list stays active for someone else: it only loses its volunteer
    write_transaction(db, lambda s: give_back(s, user_id=patch.volunteers[0].id))
    db.expire_all()
    assert db.get(WalkList, ready.id).status == ListStatus.ACTIVE
    assert db.exec(select(Assignment).where(Assignment.walk_list_id == ready.id,
                                            Assignment.unassigned_at.is_(None))).all() == []


def test_nothing_near_says_how_far_the_nearest_free_doors_are(db, patch):
    far = (centre()[0] + 0.03, centre()[1])  # ~3.3 km north
    offer = _offer(db, patch.team.id, km=1.0, at=far)
    assert isinstance(offer, NoOffer)
    assert "No self-serve doors within 1 km" in offer.message and "try 4 km" in offer.message
    with pytest.raises(NothingNear, match="within 1 km"):
        _take(db, patch.volunteers[0], patch.team.id, at=far)
    assert db.exec(select(WalkList)).all() == []


def test_when_every_door_is_out_the_answer_says_nothing_is_left(db, make_ward, make_team, make_user):
    small = make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user, rows=1, cols=3, volunteers=2)
    _take(db, small.volunteers[0], small.team.id, minutes=60, at=centre(1, 3))
    with pytest.raises(NothingNear, match="nothing is left"):
        _take(db, small.volunteers[1], small.team.id, minutes=60, at=centre(1, 3))


def test_doors_outside_the_self_serve_areas_or_universe_are_never_offered(db, make_ward, make_team, make_user):
    patch = make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user, areas="")
    assert "not chosen any self-serve areas" in _offer(db, patch.team.id).message


def test_an_idle_list_returns_to_the_pool_and_a_worked_one_stays(db, patch):
    idle, _ = _take(db, patch.volunteers[0], patch.team.id, at=(centre()[0] - 0.001, centre()[1]))
    worked, _ = _take(db, patch.volunteers[1], patch.team.id, at=(centre()[0] + 0.001, centre()[1]))
    door = sorted(_doors(db, worked.id))[0]
    db.add(ContactEvent(id=str(uuid.uuid4()), channel="door", code="not_home", household_id=door,
                        walk_list_id=worked.id, actor_user_id=patch.volunteers[1].id, recorded_at=utcnow()))
    db.commit()
    assert write_transaction(db, lambda s: return_idle(s, default_return=45)) == []  # not yet: 45 minutes
    later = utcnow() + timedelta(minutes=46)
    assert write_transaction(db, lambda s: return_idle(s, default_return=45, now=later)) == [idle.id]
    db.expire_all()
    assert db.get(WalkList, idle.id).status == ListStatus.RELEASED
    assert db.get(WalkList, worked.id).status == ListStatus.ACTIVE
    assert db.exec(select(SelfServeCheckout.user_id)).all() == [patch.volunteers[1].id]
    assert db.exec(select(ContactEvent.household_id)).all() == [door]  # the recorded door stays recorded
    # the idle list's doors are free again: the next volunteer can be given them
    again, _ = _take(db, patch.volunteers[2], patch.team.id, at=(centre()[0] - 0.001, centre()[1]))
    assert _doors(db, again.id) & _doors(db, idle.id)


def test_sharing_stores_positions_only_while_on_and_stopping_deletes_the_trail(db, patch):
    user = patch.volunteers[0]
    today = utcnow() - timedelta(hours=1)
    with pytest.raises(Conflict, match="no list"):
        write_transaction(db, lambda s: set_sharing(s, user_id=user.id, on=True))
    _take(db, user, patch.team.id)
    with pytest.raises(Conflict, match="not sharing"):
        write_transaction(db, lambda s: record_position(s, user_id=user.id, lat=42.36, lon=-71.11, today_from=today))
    write_transaction(db, lambda s: set_sharing(s, user_id=user.id, on=True))
    write_transaction(db, lambda s: record_position(s, user_id=user.id, lat=42.36, lon=-71.11, today_from=today))
    with pytest.raises(ValidationError):
        write_transaction(db, lambda s: record_position(s, user_id=user.id, lat=95, lon=-71.11, today_from=today))
    assert len(db.exec(select(WalkPosition)).all()) == 1
    write_transaction(db, lambda s: set_sharing(s, user_id=user.id, on=False))
    assert db.exec(select(WalkPosition)).all() == []


def test_yesterdays_positions_are_gone_with_the_next_one(db, patch):
    user = patch.volunteers[0]
    _take(db, user, patch.team.id)
    write_transaction(db, lambda s: set_sharing(s, user_id=user.id, on=True))
    write_transaction(db, lambda s: record_position(s, user_id=user.id, lat=42.36, lon=-71.11,
                                                    today_from=utcnow() - timedelta(hours=1)))
    write_transaction(db, lambda s: record_position(s, user_id=user.id, lat=42.37, lon=-71.11,
                                                    today_from=utcnow() + timedelta(seconds=1)))
    assert [p.lat for p in db.exec(select(WalkPosition)).all()] == [42.37]


@pytest.mark.parametrize("minutes, km, message", [
    (5, 1.0, "between 10 and 480 minutes"), (True, 1.0, "minutes"), ("60", 1.0, "minutes"),
    (60, 0, "between 0.1 and 10 km"), (60, float("nan"), "km"), (60, 11, "km"),
])
def test_bad_requests_are_refused_clearly(minutes, km, message):
    with pytest.raises(ValidationError, match=message):
        check_request(minutes=minutes, max_km=km, limit_km=10)


def test_a_list_an_organiser_released_or_unassigned_closes_its_checkout(db, patch):
    from app.walk_lists.assignments import unassign
    from app.walk_lists.operations import release_list

    released, _ = _take(db, patch.volunteers[0], patch.team.id, at=(centre()[0] - 0.001, centre()[1]))
    unassigned, _ = _take(db, patch.volunteers[1], patch.team.id, at=(centre()[0] + 0.001, centre()[1]))
    write_transaction(db, lambda s: release_list(s, walk_list_id=released.id, by_id=None))
    write_transaction(db, lambda s: unassign(s, walk_list_id=unassigned.id, user_id=patch.volunteers[1].id, by_id=None))
    assert sorted(write_transaction(db, lambda s: return_idle(s, default_return=45))) == sorted([released.id,
                                                                                                 unassigned.id])
    assert db.exec(select(SelfServeCheckout)).all() == []
    db.expire_all()
    assert db.get(WalkList, unassigned.id).status == ListStatus.RELEASED  # cut for them: its doors go back
