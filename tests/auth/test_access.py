"""Privacy: who may see which household."""
import pytest

from app.auth.access import require_households, require_list
from app.auth.principals import PinPrincipal
from app.errors import Forbidden
from app.models import ListPin, utcnow
from tests.support.access import can_see_household


@pytest.fixture
def setup(db, make_ward, make_household, make_user, make_walk_list):
    ward = make_ward()
    mine, theirs = make_household(ward), make_household(ward)
    me, other, boss = make_user(), make_user(), make_user(roles="organiser")
    my_list = make_walk_list([mine], assign_to=me)
    their_list = make_walk_list([theirs], assign_to=other)
    return dict(mine=mine, theirs=theirs, me=me, boss=boss, my_list=my_list, their_list=their_list)


def test_canvasser_sees_only_assigned_lists(db, setup):
    me = setup["me"]
    assert can_see_household(db, principal=me, household_id=setup["mine"].id)
    assert not can_see_household(db, principal=me, household_id=setup["theirs"].id)
    with pytest.raises(Forbidden):
        require_households(db, principal=me, household_ids={setup["mine"].id, setup["theirs"].id})
    with pytest.raises(Forbidden):
        require_list(db, principal=me, walk_list_id=setup["their_list"].id)


def test_organiser_sees_everything(db, setup):
    boss = setup["boss"]
    assert can_see_household(db, principal=boss, household_id=setup["mine"].id)
    assert can_see_household(db, principal=boss, household_id=setup["theirs"].id)
    require_households(db, principal=boss, household_ids={setup["mine"].id, setup["theirs"].id})  # no Forbidden
    require_list(db, principal=boss, walk_list_id=setup["my_list"].id)
    require_list(db, principal=boss, walk_list_id=setup["their_list"].id)


def test_released_list_and_unassignment_hide_households(db, setup):
    from app.models import Assignment
    from sqlmodel import select

    setup["my_list"].status = "released"
    db.add(setup["my_list"])
    db.commit()
    assert not can_see_household(db, principal=setup["me"], household_id=setup["mine"].id)
    setup["my_list"].status = "active"
    assignment = db.exec(select(Assignment).where(Assignment.user_id == setup["me"].id)).one()
    assignment.unassigned_at = utcnow()
    db.add_all([setup["my_list"], assignment])
    db.commit()
    assert not can_see_household(db, principal=setup["me"], household_id=setup["mine"].id)


def test_pin_principal_sees_its_one_list(db, setup):
    pin = ListPin(walk_list_id=setup["my_list"].id, pin_hash="x")
    db.add(pin)
    db.commit()
    principal = PinPrincipal(pin)
    assert can_see_household(db, principal=principal, household_id=setup["mine"].id)
    assert not can_see_household(db, principal=principal, household_id=setup["theirs"].id)


def test_anonymous_sees_nothing(db, setup):
    assert not can_see_household(db, principal=None, household_id=setup["mine"].id)
