"""Doors recorded while a list was held reach the server after the hold ended (README "Phone
API", RELIABILITY "Late outcomes"): stored within the grace period, flagged late; anything else
refused per item, with a reason, and kept once for the organiser."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from app.models import Assignment, AuditEntry, ContactEvent, ListPin, RefusedOutcome, WalkList, utcnow
from tests.support.canvass import counts, done, outcome, post


def _ago(minutes: float) -> str:
    return (utcnow() - timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def _end_hold(db, field, how: str, minutes_ago: float) -> None:
    """Release my list or unassign me from it, that many minutes ago."""
    when = utcnow() - timedelta(minutes=minutes_ago)
    if how == "released":
        walk_list = db.get(WalkList, field.mine.id)
        walk_list.status, walk_list.released_at = "released", when
    else:
        for row in db.exec(sa.select(Assignment).where(Assignment.walk_list_id == field.mine.id)).scalars():
            row.unassigned_at = when
    db.commit()


def _audit(db, action: str) -> list[AuditEntry]:
    rows = db.exec(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).scalars().all()
    done(db)
    return rows


def _refused(db) -> list[RefusedOutcome]:
    rows = db.exec(sa.select(RefusedOutcome).order_by(RefusedOutcome.refused_at)).scalars().all()
    done(db)
    return rows


@pytest.mark.parametrize("how", ["released", "unassigned"])
def test_a_door_recorded_before_the_hold_ended_is_stored_late_once(client, token, field, db, how):
    item = outcome(field.my_doors[0], field.mine, "spoke", recorded_at=_ago(30), notes="Keen on buses")
    _end_hold(db, field, how, minutes_ago=10)
    first = post(client, token, [item]).get_json()["results"]
    assert first == [{"id": item["id"], "status": "stored"}]
    again = post(client, token, [item]).get_json()["results"]
    assert again == [{"id": item["id"], "status": "duplicate"}]
    assert counts(db) == (1, 0, 0)
    event = db.get(ContactEvent, item["id"])
    assert (event.walk_list_id, event.actor_user_id) == (field.mine.id, field.me.id)
    late = _audit(db, "outcome.late")
    assert len(late) == 1
    detail = json.loads(late[0].detail)
    assert (late[0].actor_user_id, late[0].target) == (field.me.id, f"walk_list:{field.mine.id}")
    assert (detail["event"], detail["household"], detail["list"], detail["how"]) == (
        item["id"], field.my_doors[0].id, field.mine.id, how)
    assert "Keen" not in late[0].detail  # no notes in the audit log
    assert _refused(db) == []


@pytest.mark.parametrize("how, words", [("released", "was released"), ("unassigned", "was unassigned from you")])
def test_a_door_recorded_after_the_hold_ended_is_refused_and_the_rest_stored(client, token, field, db, how, words):
    before = outcome(field.my_doors[0], field.mine, recorded_at=_ago(30))
    after = outcome(field.my_doors[1], field.mine, recorded_at=_ago(5), notes="secret")
    _end_hold(db, field, how, minutes_ago=10)
    results = post(client, token, [before, after]).get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "rejected"]
    assert results[1]["reason"].startswith(f"Walk list {field.mine.name} {words} at ")
    assert results[1]["reason"].endswith("; this door was recorded after that.")
    assert counts(db) == (1, 0, 0)
    # The phone resends before it reads the answer: the refusal is kept and audited once.
    assert post(client, token, [after]).get_json()["results"][0]["status"] == "rejected"
    [kept] = _refused(db)
    assert (kept.event_id, kept.walk_list_id, kept.household_id, kept.actor_user_id, kept.reason) == (
        after["id"], field.mine.id, field.my_doors[1].id, field.me.id, results[1]["reason"])
    [audited] = _audit(db, "outcome.refused")
    assert json.loads(audited.detail)["event"] == after["id"] and "secret" not in audited.detail


def test_after_the_grace_period_a_late_door_is_refused(client, token, field, db):
    item = outcome(field.my_doors[0], field.mine, recorded_at=_ago(74 * 60))
    _end_hold(db, field, "released", minutes_ago=73 * 60)
    result = post(client, token, [item]).get_json()["results"][0]
    assert result["status"] == "rejected"
    assert "could be sent for 72 hours after it, and that time is over" in result["reason"]
    assert counts(db) == (0, 0, 0)
    assert [r.event_id for r in _refused(db)] == [item["id"]]


@pytest.mark.parametrize("app", [{"CANVASS": {"late_grace_hours": 1}}], indirect=True)
def test_the_grace_period_is_a_setting(client, token, field, db):
    within, beyond = (outcome(field.my_doors[n], field.mine, recorded_at=_ago(minutes)) for n, minutes in ((0, 50), (1, 70)))
    _end_hold(db, field, "released", minutes_ago=45)
    within_result = post(client, token, [within]).get_json()["results"][0]
    assert within_result["status"] == "stored"
    _end_hold(db, field, "released", minutes_ago=65)
    result = post(client, token, [beyond]).get_json()["results"][0]
    assert result["status"] == "rejected" and "for 1 hours after it" in result["reason"]


def test_a_stored_door_resent_after_the_grace_period_is_a_duplicate(client, token, field, db):
    item = outcome(field.my_doors[0], field.mine, recorded_at=_ago(30))
    _end_hold(db, field, "released", minutes_ago=10)
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    _end_hold(db, field, "released", minutes_ago=73 * 60)  # the answer was lost; days later it comes again
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "duplicate"
    assert _refused(db) == []


def test_a_stranger_household_reveals_nothing(client, token, field, db):
    theirs = outcome(field.their_doors[0], field.theirs, recorded_at=_ago(30))
    forged = {**outcome(field.my_doors[0], recorded_at=_ago(30)), "household_id": 987654}
    mine = outcome(field.my_doors[0], field.mine)
    results = post(client, token, [theirs, forged, mine]).get_json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected", "stored"]
    # Someone else's real door and a made-up id get the same words: nothing about the household.
    assert results[0]["reason"] == f"household {field.their_doors[0].id} is not on a list assigned to you"
    assert results[1]["reason"] == "household 987654 is not on a list assigned to you"
    assert counts(db) == (1, 0, 0)
    assert {(r.household_id, r.walk_list_id) for r in _refused(db)} == {(field.their_doors[0].id, None), (987654, None)}


def test_a_refusal_answers_with_the_id_the_phone_sent(client, token, field, db):
    """The phone matches answers to its outbox by id: a refused door whose id is no UUID still gets
    that id back (not None), and is settled rather than resent for ever."""
    theirs = {**outcome(field.their_doors[0], field.theirs, recorded_at=_ago(30)), "id": "not-a-uuid"}
    [result] = post(client, token, [theirs]).get_json()["results"]
    assert (result["id"], result["status"]) == ("not-a-uuid", "rejected")


def test_another_volunteers_released_list_stays_theirs(client, token, field, db):
    walk_list = db.get(WalkList, field.theirs.id)
    walk_list.status, walk_list.released_at = "released", utcnow()
    db.commit()
    result = post(client, token, [outcome(field.their_doors[0], field.theirs, recorded_at=_ago(30))]).get_json()["results"][0]
    assert result["reason"] == f"household {field.their_doors[0].id} is not on a list assigned to you"
    assert counts(db) == (0, 0, 0)


def _join(app, db, walk_list, pin="24681357", label="Sam"):
    row = ListPin(walk_list_id=walk_list.id, pin_hash=generate_password_hash(pin), label=label)
    db.add(row)
    db.commit()
    joiner = app.test_client()
    token = joiner.get("/canvass/join").get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    joined = joiner.post("/canvass/join", data={"code": walk_list.code, "pin": pin, "csrf_token": token})
    assert joined.status_code == 302
    page = joiner.get(joined.headers["Location"]).get_data(as_text=True)  # joining rotated the CSRF secret
    return joiner, page.split('name="csrf-token" content="')[1].split('"')[0], row


def test_a_revoked_pin_still_hands_in_what_it_recorded(app, field, db):
    joiner, token, pin = _join(app, db, field.mine)
    before = outcome(field.my_doors[0], field.mine, recorded_at=_ago(30))
    after = outcome(field.my_doors[1], field.mine, recorded_at=_ago(1))
    pin.revoked_at = utcnow() - timedelta(minutes=10)
    db.add(pin)
    db.commit()
    results = post(joiner, token, [before, after]).get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "rejected"]
    assert results[1]["reason"].startswith(f"Your PIN for walk list {field.mine.name} was revoked at ")
    assert db.get(ContactEvent, before["id"]).actor_pin_id == pin.id
    assert post(joiner, token, [before]).get_json()["results"][0]["status"] == "duplicate"
    [late] = _audit(db, "outcome.late")
    assert (late.actor_label, json.loads(late.detail)["how"]) == (f"pin:{pin.id}", "revoked")
    [kept] = _refused(db)
    assert (kept.actor_pin_id, kept.actor_label, kept.walk_list_id) == (pin.id, "PIN Sam", field.mine.id)
    # It reads nothing: the lists, the list's doors and its pages are closed to it.
    assert joiner.get("/api/lists").status_code == 401
    assert joiner.get(f"/api/lists/{field.mine.id}").status_code == 401
    assert joiner.get(f"/canvass/lists/{field.mine.id}").status_code == 302


def test_a_revoked_pin_after_the_grace_period_gets_reasons_not_401(app, field, db):
    joiner, token, pin = _join(app, db, field.mine)
    item = outcome(field.my_doors[0], field.mine, recorded_at=_ago(74 * 60))
    pin.revoked_at = utcnow() - timedelta(hours=73)
    db.add(pin)
    db.commit()
    result = post(joiner, token, [item]).get_json()["results"][0]
    assert result["status"] == "rejected" and "that time is over" in result["reason"]
    assert counts(db) == (0, 0, 0)


def test_a_pin_on_a_released_list_may_not_reach_other_lists(app, field, db):
    joiner, token, _ = _join(app, db, field.mine)
    walk_list = db.get(WalkList, field.mine.id)
    walk_list.status, walk_list.released_at = "released", utcnow()
    db.commit()
    result = post(joiner, token, [outcome(field.their_doors[0], field.theirs, recorded_at=_ago(30))]).get_json()["results"][0]
    assert result["reason"] == f"household {field.their_doors[0].id} is not on a list assigned to you"
    assert counts(db) == (0, 0, 0)


def test_an_organiser_naming_a_list_that_does_not_exist_gets_a_reason(client, auth, field, db):
    auth.login_as("organiser")
    token = auth.csrf_token("/canvass/join")
    item = outcome(field.my_doors[0], field.mine)
    response = post(client, token, [{**item, "walk_list_id": 999999}])
    assert response.status_code == 200
    result = response.get_json()["results"][0]
    assert result == {"id": item["id"], "status": "rejected",
                      "reason": f"household {field.my_doors[0].id} is not on walk list 999999"}
    assert [(r.event_id, r.walk_list_id) for r in _refused(db)] == [(item["id"], None)]
