"""store_tellings: the strike-off a batch of tellings and undos leaves, whatever order they come in."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.db import write_transaction
from app.models import Elector, Telling, Voted
from app.pollingday.tellings import store_tellings
from tests.support.pollingday import telling, undo


def store(db, items, user=None):
    return [s.as_dict() for s in write_transaction(db, lambda s: store_tellings(s, items=items, actor_user_id=user))]


def voted(db) -> dict:
    """elector number -> the telling id that struck them off."""
    rows = db.execute(sa.select(Elector.prefix, Elector.number, Elector.suffix, Voted.telling_id)
                      .join(Voted, Voted.person_id == Elector.person_id)).all()
    db.rollback()
    return {f"{p}-{n}" + (f"/{s}" if s else ""): t for p, n, s, t in rows}


def at(minutes: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(hours=2) + timedelta(minutes=minutes)).isoformat()


def test_a_telling_strikes_off_and_its_undo_puts_back(db, polling_day):
    first = telling(polling_day.west, "aa 3")
    assert store(db, [first]) == [{"id": first["id"], "status": "stored"}]
    assert voted(db) == {"AA-3": first["id"]}
    stored = db.get(Telling, first["id"])
    assert stored.elector_number == "aa 3" and stored.station_id == polling_day.west
    db.rollback()
    back = undo(first)
    assert store(db, [back]) == [{"id": back["id"], "status": "stored"}]
    assert voted(db) == {}


def test_replaying_a_batch_stores_nothing_twice(db, polling_day):
    batch = [telling(polling_day.west, "AA-1"), telling(polling_day.east, "AB-4/2")]
    store(db, batch)
    again = store(db, batch + [batch[0]])
    assert [r["status"] for r in again] == ["duplicate"] * 3
    assert db.execute(sa.select(sa.func.count()).select_from(Telling)).scalar_one() == 2
    db.rollback()
    assert set(voted(db)) == {"AA-1", "AB-4/2"}


def test_the_earliest_telling_wins_and_takes_over_when_the_other_is_undone(db, polling_day):
    late, early = telling(polling_day.west, "AA-2", recorded_at=at(30)), telling(polling_day.west, "AA-2", recorded_at=at(5))
    store(db, [late])
    store(db, [early])
    assert voted(db) == {"AA-2": early["id"]}
    store(db, [undo(early)])
    assert voted(db) == {"AA-2": late["id"]}
    store(db, [undo(late)])
    assert voted(db) == {}


def test_an_undo_in_the_same_batch_as_its_telling(db, polling_day):
    first = telling(polling_day.west, "AA-4")
    results = store(db, [first, undo(first)])
    assert [r["status"] for r in results] == ["stored", "stored"]
    assert voted(db) == {}


def test_by_person_id_and_the_stations_districts(db, polling_day):
    person = db.execute(sa.select(Elector.person_id).where(Elector.prefix == "AB", Elector.number == 1)).scalar_one()
    db.rollback()
    here, there = telling(polling_day.east, person_id=person), telling(polling_day.west, person_id=person)
    results = store(db, [there, here])
    assert results[0] == {"id": there["id"], "status": "rejected", "reason": f"person {person} does not vote at this station"}
    assert results[1]["status"] == "stored"
    assert voted(db) == {"AB-1": here["id"]}


def test_rejections_store_nothing(db, polling_day):
    items = [telling(polling_day.west, "AA-99"), telling(polling_day.west, "AB-1"), telling(10**6, "AA-1"),
             undo(telling(polling_day.west, "AA-1"))]
    results = store(db, items)
    assert [r["reason"] for r in results] == [
        "no elector AA-99 on the register",
        "elector AB-1 is in district AB, which does not vote at this station (it takes AA)",
        "polling station 1000000 does not exist or has no districts",
        f"undoes {items[3]['undoes']}, a telling this server has not received"]
    assert db.execute(sa.select(sa.func.count()).select_from(Telling)).scalar_one() == 0
    db.rollback()
