"""Lift requests: made, claimed one at a time, released, done, cancelled; the driver's view."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.auth.access import holds_lift, require_lift_holder
from app.db import write_transaction
from app.errors import Conflict, Forbidden, NotFound, ValidationError
from app.models import LiftRequest
from app.pollingday import lifts
from tests.support.pledges import person_by_number

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=timezone.utc)


def make_lift(db, minutes: int = 0, **kw) -> int:
    kw.setdefault("name", "Ada Ampleforth")
    kw.setdefault("address", "1 Acacia Avenue")
    return write_transaction(db, lambda s: lifts.request_lift(
        s, wanted_at=NOW + timedelta(minutes=minutes), now=NOW, **kw).id)


def claim(db, driver_id):
    got = write_transaction(db, lambda s: lifts.claim_lift(s, driver_id=driver_id, now=NOW))
    return got.id if got else None


def test_request_from_the_register_brings_name_and_address(db, polling_day):
    ada = person_by_number(db, "AA-1")
    lift_id = make_lift(db, person_id=ada, name="", address="", access_needs="  wheelchair,   folding ")
    lift = db.get(LiftRequest, lift_id)
    assert (lift.name, lift.address, lift.access_needs, lift.status) == (
        "Ada Ampleforth", "1 Acacia Avenue", "wheelchair, folding", "requested")
    assert lift.household_id is not None


@pytest.mark.parametrize("kw, error", [
    (dict(name=""), ValidationError), (dict(address=" "), ValidationError), (dict(name="x" * 201), ValidationError),
    (dict(minutes=60 * 24 * 8), ValidationError), (dict(person_id=999999), NotFound),
    (dict(committee_room_id=999999), NotFound)])
def test_bad_requests_store_nothing(db, kw, error):
    with pytest.raises(error):
        make_lift(db, **kw)
    assert db.execute(sa.select(sa.func.count()).select_from(LiftRequest)).scalar_one() == 0


def test_drivers_claim_one_at_a_time_in_wanted_order(db, make_user):
    late, early = make_lift(db, minutes=30), make_lift(db, minutes=5)
    one, two, three = (make_user(roles="driver").id for _ in range(3))
    assert claim(db, one) == early
    assert claim(db, one) == early            # holding one: the same again, never a second
    assert claim(db, two) == late
    assert claim(db, three) is None
    write_transaction(db, lambda s: lifts.release_lift(s, lift_id=early, driver_id=one))
    assert claim(db, three) == early
    with pytest.raises(Conflict):             # released: no longer theirs
        write_transaction(db, lambda s: lifts.finish_lift(s, lift_id=early, driver_id=one))
    write_transaction(db, lambda s: lifts.finish_lift(s, lift_id=early, driver_id=three, now=NOW))
    lift = db.get(LiftRequest, early)
    assert (lift.status, lift.driver_id, lift.done_at is not None) == ("done", three, True)
    assert claim(db, three) is None and lifts.waiting_count(db) == 0


def test_cancel_and_its_conflicts(db, make_user):
    lift_id, driver = make_lift(db), make_user(roles="driver").id
    assert claim(db, driver) == lift_id
    write_transaction(db, lambda s: lifts.cancel_lift(s, lift_id=lift_id, actor_user_id=None, now=NOW))
    assert db.get(LiftRequest, lift_id).status == "cancelled"
    with pytest.raises(Conflict):
        write_transaction(db, lambda s: lifts.cancel_lift(s, lift_id=lift_id, actor_user_id=None))
    with pytest.raises(Conflict):
        write_transaction(db, lambda s: lifts.finish_lift(s, lift_id=lift_id, driver_id=driver))
    with pytest.raises(NotFound):
        write_transaction(db, lambda s: lifts.cancel_lift(s, lift_id=999999, actor_user_id=None))
    assert claim(db, driver) is None


def _principal(uid, roles):
    return SimpleNamespace(id=uid, is_authenticated=True, has_role=lambda *r: bool(set(r) & set(roles.split())))


def test_only_the_holding_driver_may_see_the_voter():
    lift = SimpleNamespace(status="claimed", driver_id=7)
    assert holds_lift(_principal(7, "driver"), lift)
    assert not holds_lift(_principal(8, "driver"), lift)
    assert not holds_lift(_principal(7, "committee"), lift)
    assert not holds_lift(_principal(7, "driver"), SimpleNamespace(status="done", driver_id=7))
    with pytest.raises(Forbidden):
        require_lift_holder(_principal(7, "caller"), lift)
    with pytest.raises(Conflict):
        require_lift_holder(_principal(8, "driver"), lift)
