"""A door taken off a list while a phone was offline (its turf redrawn, app.walk_lists.drawn): what
the phone recorded there before then is still stored, once, within the grace period; a door
recorded after it left the list is refused with the reason, as for an ended hold."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.models import ContactEvent, WalkListDoor, WalkListRemovedDoor, utcnow
from tests.support.canvass import counts, done, outcome, post


def _ago(minutes: float) -> str:
    return (utcnow() - timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def _take_off(db, walk_list, household, minutes_ago: float) -> None:
    """What saving a redrawn turf does to a door left outside it."""
    db.execute(sa.delete(WalkListDoor).where(WalkListDoor.walk_list_id == walk_list.id,
                                             WalkListDoor.household_id == household.id))
    db.add(WalkListRemovedDoor(walk_list_id=walk_list.id, household_id=household.id,
                               removed_at=utcnow() - timedelta(minutes=minutes_ago)))
    db.commit()


def test_a_door_recorded_before_it_left_the_list_is_stored_once(client, token, field, db):
    item = outcome(field.my_doors[0], field.mine, "spoke", recorded_at=_ago(30))
    _take_off(db, field.mine, field.my_doors[0], minutes_ago=10)
    assert post(client, token, [item]).get_json()["results"] == [{"id": item["id"], "status": "stored"}]
    assert post(client, token, [item]).get_json()["results"] == [{"id": item["id"], "status": "duplicate"}]
    assert counts(db) == (1, 0, 0)
    assert db.get(ContactEvent, item["id"]).walk_list_id == field.mine.id
    done(db)


def test_a_door_recorded_after_it_left_the_list_is_refused_with_the_reason(client, token, field, db):
    item = outcome(field.my_doors[0], field.mine, recorded_at=_ago(5))
    kept = outcome(field.my_doors[1], field.mine, recorded_at=_ago(5))
    _take_off(db, field.mine, field.my_doors[0], minutes_ago=10)
    results = post(client, token, [item, kept]).get_json()["results"]
    assert [r["status"] for r in results] == ["rejected", "stored"]
    assert results[0]["reason"].startswith(f"This door was taken off walk list {field.mine.name} at ")
    assert results[0]["reason"].endswith("; this door was recorded after that.")
    assert counts(db) == (1, 0, 0)


def test_a_door_never_on_the_list_is_still_refused_as_not_on_it(client, token, field, db, make_household):
    stranger = make_household(street="Far St")
    done(db)
    results = post(client, token, [outcome(stranger, field.mine)]).get_json()["results"]
    assert results[0]["status"] == "rejected"
    assert results[0]["reason"] == f"household {stranger.id} is not on a list assigned to you"
