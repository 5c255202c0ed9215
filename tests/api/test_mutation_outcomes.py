"""How app/api/outcomes.py sorts a batch, at the edges the mutation check found untested
(RELIABILITY "Mutation check"): which refusals of an id the sender already stored become
``duplicate``, which list a refusal is kept under, and items that are not objects."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.models import RefusedOutcome, WalkList, utcnow
from tests.support.canvass import counts, done, outcome, post


def _ago(minutes: float) -> str:
    return (utcnow() - timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def _release_mine(db, field, minutes_ago: float) -> None:
    walk_list = db.get(WalkList, field.mine.id)
    walk_list.status, walk_list.released_at = "released", utcnow() - timedelta(minutes=minutes_ago)
    db.commit()


def _kept(db) -> dict[str, RefusedOutcome]:
    rows = db.exec(sa.select(RefusedOutcome)).scalars().all()
    done(db)
    return {r.event_id: r for r in rows}


def _naive(when):
    return when.replace(tzinfo=None) if when is not None else None


def test_items_that_are_not_objects_are_refused_alone(client, token, field, db):
    good = outcome(field.my_doors[0], field.mine)
    results = post(client, token, [1, "door", good]).get_json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected", "stored"]
    assert counts(db) == (1, 0, 0)


def test_a_list_not_assigned_to_me_with_no_household_is_refused(client, token, field, db):
    item = {k: v for k, v in outcome(field.my_doors[0], field.theirs).items() if k != "household_id"}
    [result] = post(client, token, [item]).get_json()["results"]
    assert result == {"id": item["id"], "status": "rejected",
                      "reason": f"walk list {field.theirs.id} is not assigned to you"}


def test_a_hold_refusal_of_an_id_i_stored_is_a_duplicate_even_without_its_household(client, token, field, db):
    item = outcome(field.my_doors[0], field.mine)
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    _release_mine(db, field, minutes_ago=1)
    resent = {k: v for k, v in item.items() if k != "household_id"}
    assert post(client, token, [resent]).get_json()["results"][0]["status"] == "duplicate"
    assert _kept(db) == {}


def test_a_refusal_not_for_the_hold_stays_rejected_though_i_stored_that_id(client, token, field, db):
    """Only a refusal for the hold is the answer to a lost reply; a malformed resend (a list id
    that is no integer) is refused and kept for the organiser, with the phone's recorded_at."""
    item = outcome(field.my_doors[0], field.mine, recorded_at=_ago(5))
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    [result] = post(client, token, [{**item, "walk_list_id": "abc"}]).get_json()["results"]
    assert (result["status"], result["reason"]) == ("rejected", "walk_list_id must be an integer")
    kept = _kept(db)[item["id"]]
    assert _naive(kept.recorded_at).isoformat(timespec="seconds") == item["recorded_at"][:19]


def test_a_lapsed_door_with_an_unreadable_time_is_refused_under_its_list_not_a_duplicate(client, token, field, db):
    item = outcome(field.my_doors[0], field.mine, recorded_at=_ago(30))
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    _release_mine(db, field, minutes_ago=10)
    [result] = post(client, token, [{**item, "recorded_at": "not a time"}]).get_json()["results"]
    assert result["status"] == "rejected" and "recorded_at" in result["reason"]
    kept = _kept(db)[item["id"]]
    assert (kept.walk_list_id, kept.household_id, kept.recorded_at) == (field.mine.id, field.my_doors[0].id, None)


def test_a_lapsed_door_sent_without_its_list_is_stored_late(client, token, field, db):
    item = outcome(field.my_doors[0], recorded_at=_ago(30))
    assert "walk_list_id" not in item
    _release_mine(db, field, minutes_ago=10)
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    assert counts(db) == (1, 0, 0)


def test_a_late_door_refused_by_validation_is_kept_under_the_list_it_was_held_on(client, token, field, db):
    item = outcome(field.my_doors[0], field.mine, code="no_such_code", recorded_at=_ago(30))
    _release_mine(db, field, minutes_ago=10)
    [result] = post(client, token, [item]).get_json()["results"]
    assert result["status"] == "rejected"
    assert _kept(db)[item["id"]].walk_list_id == field.mine.id
