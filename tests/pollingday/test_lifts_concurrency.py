"""Twenty drivers pressing "Next lift" at once, each on its own connection: never two drivers
for one lift, never two lifts for one driver. SQLite by default, PostgreSQL when
LEGWORK_TEST_DATABASE_URL is set (the claim takes a different path on each)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app.db import session_scope, write_transaction
from app.models import LiftRequest
from app.pollingday import lifts
from tests.support.threads import run_together

DRIVERS = 20
NOW = datetime(2026, 12, 10, 9, 0, tzinfo=timezone.utc)
pytestmark = [pytest.mark.slow, pytest.mark.parametrize("app", [{"DATABASE_POOL_SIZE": DRIVERS}], indirect=True)]


@pytest.mark.parametrize("waiting", [DRIVERS - 7, DRIVERS + 5])
def test_drivers_claim_at_once_and_never_share_a_lift(app, db, make_user, waiting):
    for i in range(waiting):
        write_transaction(db, lambda s: lifts.request_lift(s, name=f"Voter {i}", address=f"{i} High St",
                                                           wanted_at=NOW, now=NOW))
    drivers = [make_user(roles="driver").id for _ in range(DRIVERS)]
    got: dict[int, list] = {d: [] for d in drivers}

    def work(driver_id):
        for _ in range(2):  # a second press: the same lift back, never another
            with session_scope(app) as session:
                lift = write_transaction(session, lambda s: lifts.claim_lift(s, driver_id=driver_id, now=NOW))
                got[driver_id].append(lift.id if lift else None)

    assert run_together(work, drivers) == []
    assert all(len(set(ids)) == 1 for ids in got.values()), "a driver was given two lifts"
    served = [ids[0] for ids in got.values() if ids[0] is not None]
    assert len(served) == min(waiting, DRIVERS), "a driver got nothing while lifts waited"
    assert len(set(served)) == len(served), "two drivers got the same lift"
    db.expire_all()
    rows = db.execute(sa.select(LiftRequest.id, LiftRequest.status, LiftRequest.driver_id)).all()
    claimed = {lift_id: driver for lift_id, status, driver in rows if status == "claimed"}
    assert claimed == {ids[0]: d for d, ids in got.items() if ids[0] is not None}


def test_one_driver_pressing_at_once_on_five_tabs_holds_one_lift(app, db, make_user):
    for i in range(8):
        write_transaction(db, lambda s: lifts.request_lift(s, name=f"Voter {i}", address=f"{i} High St",
                                                           wanted_at=NOW, now=NOW))
    driver = make_user(roles="driver").id
    got = []

    def press(_):
        with session_scope(app) as session:
            lift = write_transaction(session, lambda s: lifts.claim_lift(s, driver_id=driver, now=NOW))
            got.append(lift.id if lift else None)

    assert run_together(press, range(5)) == []
    assert len(set(got)) == 1 and None not in got, "one driver was given more than one lift"
    db.expire_all()
    rows = db.execute(sa.select(LiftRequest.status)).scalars().all()
    assert sorted(rows).count("claimed") == 1
