"""POST /api/outcomes: the phone's contract (README "Phone API")."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from app.models import ContactEvent, DoNotContact, ListPin, SurveyResponse, WalkList, utcnow
from tests.support.canvass import counts, done, outcome, post


def test_each_item_gets_its_own_status(client, token, field, db):
    people = field.my_doors[0].id
    spoke = outcome(field.my_doors[0], field.mine, "spoke", notes="Keen on buses",
                    responses=[{"person_id": _person_ids(db, people)[0], "support_level": "2",
                                "issues": ["Transport"], "volunteer_interest": True, "postal_vote": True}],
                    lat=42.371, lon=-71.119, accuracy_m=12.5)
    bad_code = outcome(field.my_doors[1], field.mine, "kidnapped")
    response = post(client, token, [spoke, bad_code, dict(spoke)])
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "rejected", "duplicate"]
    assert [r["id"] for r in results] == [spoke["id"], bad_code["id"], spoke["id"]]
    assert "kidnapped" in results[1]["reason"]
    done(db)
    event = db.get(ContactEvent, spoke["id"])
    assert (event.code, event.walk_list_id, event.actor_user_id, event.notes) == ("spoke", field.mine.id, field.me.id, "Keen on buses")
    assert event.lat == 42.371 and event.accuracy_m == 12.5
    response_row = db.exec(sa.select(SurveyResponse).where(SurveyResponse.event_id == spoke["id"])).scalar_one()
    assert (response_row.support_level, response_row.issues, response_row.volunteer_interest) == ("2", "Transport", True)


def test_replaying_a_batch_stores_nothing_twice(client, token, field, db):
    batch = [outcome(d, field.mine, "not_home") for d in field.my_doors]
    first = post(client, token, batch).get_json()["results"]
    before = counts(db)
    second = post(client, token, batch).get_json()["results"]
    assert {r["status"] for r in first} == {"stored"}
    assert {r["status"] for r in second} == {"duplicate"}
    assert counts(db) == before == (6, 0, 0)


def test_two_volunteers_recording_the_same_door_both_keep_their_record(client, auth, field, make_user, make_walk_list, db):
    door = field.my_doors[0]
    token = auth.csrf_token("/canvass/join")
    assert post(client, token, [outcome(door, field.mine, "not_home")]).get_json()["results"][0]["status"] == "stored"
    second = auth.login_as("canvasser")
    make_walk_list([door], name="Shared", assign_to=second)  # e.g. the list was re-assigned after a release
    token = auth.csrf_token("/canvass/join")
    assert post(client, token, [outcome(door, None, "spoke")]).get_json()["results"][0]["status"] == "stored"
    rows = db.exec(sa.select(ContactEvent.actor_user_id, ContactEvent.code).where(ContactEvent.household_id == door.id)).all()
    assert sorted(rows) == sorted([(field.me.id, "not_home"), (second.id, "spoke")])


def test_do_not_contact_goes_into_the_shared_ledger(client, token, field, db):
    door = field.my_doors[2]
    item = outcome(door, field.mine, "do_not_contact")
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    entry = db.exec(sa.select(DoNotContact).where(DoNotContact.household_id == door.id)).scalar_one()
    assert (entry.source_event_id, entry.person_id, entry.created_by_id) == (item["id"], None, field.me.id)


def test_batch_limit(client, token, field, db):
    too_many = [outcome(field.my_doors[0], field.mine) for _ in range(101)]
    response = post(client, token, too_many)
    assert response.status_code == 422
    assert "At most 100" in response.get_json()["message"]
    assert counts(db) == (0, 0, 0)
    assert post(client, token, too_many[:100]).status_code == 200


@pytest.mark.parametrize("body, status, message", [
    (b"not json", 422, "must be JSON"),
    (b'{"outcomes": [{"id": "4', 422, "must be JSON"),  # the signal dropped mid-send
    (b'["a list"]', 422, '"outcomes" must be a non-empty list'),
    (b'{"outcomes": []}', 422, '"outcomes" must be a non-empty list'),
    (b'{"outcomes": "many"}', 422, '"outcomes" must be a non-empty list'),
])
def test_malformed_bodies_get_a_clear_message(client, token, field, db, body, status, message):
    response = client.post("/api/outcomes", data=body, content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == status
    assert message in response.get_json()["message"]
    assert counts(db) == (0, 0, 0)


@pytest.mark.parametrize("item, reason", [
    ({"id": "not-a-uuid"}, "id must be a UUID"),
    ({"recorded_at": "yesterday"}, "not an ISO 8601"),
    ({"walk_list_id": "x"}, "walk_list_id must be an integer"),
    ({"responses": [{"person_id": 999999}]}, "does not live at this household"),
    ({"responses": [{"person_id": None}]}, "must be a positive integer id"),
])
def test_bad_items_are_rejected_with_a_reason(client, token, field, db, item, reason):
    result = post(client, token, [{**outcome(field.my_doors[0], field.mine), **item}]).get_json()["results"][0]
    assert result["status"] == "rejected" and reason in result["reason"]
    assert counts(db) == (0, 0, 0)


def test_a_door_on_another_list_of_mine_is_rejected(client, token, field, make_walk_list, make_household, db):
    extra = make_walk_list([make_household(field.ward, street="Ash St")], name="Mine too", assign_to=field.me)
    result = post(client, token, [outcome(field.my_doors[0], extra)]).get_json()["results"][0]
    assert result["status"] == "rejected" and "not on walk list" in result["reason"]
    assert counts(db) == (0, 0, 0)


def test_another_volunteers_door_is_rejected_and_the_rest_stored(client, token, field, db):
    batch = [outcome(field.my_doors[0], field.mine), outcome(field.their_doors[0], field.theirs)]
    response = post(client, token, batch)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "rejected"]
    assert results[1]["reason"] == f"household {field.their_doors[0].id} is not on a list assigned to you"
    assert counts(db) == (1, 0, 0)
    assert db.get(ContactEvent, batch[1]["id"]) is None


def test_naming_another_list_with_my_household_is_rejected(client, token, field, db):
    result = post(client, token, [outcome(field.my_doors[0], field.theirs)]).get_json()["results"][0]
    assert result["status"] == "rejected"
    assert result["reason"] == f"household {field.my_doors[0].id} is not on a list assigned to you"
    assert counts(db) == (0, 0, 0)


def test_a_forged_household_id_is_rejected(client, token, field, db):
    response = post(client, token, [outcome(field.my_doors[0], field.mine), {**outcome(field.my_doors[0]), "household_id": 987654}])
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "rejected"]
    assert results[1]["reason"] == "household 987654 is not on a list assigned to you"
    assert counts(db) == (1, 0, 0)


def test_csrf_token_is_required(client, token, field, db):
    response = client.post("/api/outcomes", json={"outcomes": [outcome(field.my_doors[0], field.mine)]})
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf"
    assert counts(db) == (0, 0, 0)


def test_anonymous_gets_401_json(client, auth, field, db):
    token = auth.csrf_token("/canvass/join")
    auth.logout()
    response = post(client, token, [outcome(field.my_doors[0], field.mine)])
    assert response.status_code in (400, 401)  # the signed-out session also lost its CSRF secret
    anonymous = client.application.test_client()
    token = anonymous.get("/canvass/join").get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    response = anonymous.post("/api/outcomes", json={"outcomes": [outcome(field.my_doors[0], field.mine)]},
                              headers={"X-CSRFToken": token})
    assert response.status_code == 401
    assert response.is_json and response.get_json()["error"] == "unauthorized"
    assert counts(db) == (0, 0, 0)


def test_a_caller_without_canvassing_role_is_forbidden(client, auth, field, db):
    auth.login_as("caller")
    token = auth.csrf_token("/canvass/join")
    assert post(client, token, [outcome(field.my_doors[0], field.mine)]).status_code == 403
    assert counts(db) == (0, 0, 0)


def test_pin_joiner_records_on_their_list_only_until_revoked(app, client, field, db):
    from werkzeug.security import generate_password_hash

    pin = ListPin(walk_list_id=field.mine.id, pin_hash=generate_password_hash("12345678"), label="Sam")
    db.add(pin)
    db.commit()
    joiner = app.test_client()
    page = joiner.get("/canvass/join").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    joined = joiner.post("/canvass/join", data={"code": field.mine.code.lower(), "pin": "12345678", "csrf_token": token})
    assert joined.status_code == 302 and joined.headers["Location"].endswith(f"/canvass/lists/{field.mine.id}")
    # Joining gave a new CSRF secret: the phone posts with the token of the page it landed on.
    page = joiner.get(joined.headers["Location"]).get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    mine = outcome(field.my_doors[0], field.mine)
    assert post(joiner, token, [mine]).get_json()["results"][0]["status"] == "stored"
    assert db.get(ContactEvent, mine["id"]).actor_pin_id == pin.id
    theirs = post(joiner, token, [outcome(field.their_doors[0], field.theirs)]).get_json()["results"][0]
    assert theirs["status"] == "rejected" and "not on a list assigned to you" in theirs["reason"]
    assert joiner.get(f"/api/lists/{field.theirs.id}").status_code == 403
    before = counts(db)
    pin.revoked_at = utcnow()
    db.add(pin)
    db.commit()
    # Recorded after the revocation: refused, with the reason (the lapsed session may still post).
    result = post(joiner, token, [outcome(field.my_doors[1], field.mine)]).get_json()["results"][0]
    assert result["status"] == "rejected" and "was revoked" in result["reason"]
    assert joiner.get(f"/api/lists/{field.mine.id}").status_code == 401  # but reads nothing
    assert joiner.get("/api/lists").status_code == 401
    assert counts(db) == before


def test_released_list_ends_a_pin_session(app, client, field, db):
    from werkzeug.security import generate_password_hash

    db.add(ListPin(walk_list_id=field.mine.id, pin_hash=generate_password_hash("87654321")))
    db.commit()
    joiner = app.test_client()
    token = joiner.get("/canvass/join").get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    joined = joiner.post("/canvass/join", data={"code": field.mine.code, "pin": "87654321", "csrf_token": token})
    page = joiner.get(joined.headers["Location"]).get_data(as_text=True)  # joining rotated the CSRF secret
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    walk_list = db.get(WalkList, field.mine.id)
    walk_list.status, walk_list.released_at = "released", utcnow()
    db.commit()
    result = post(joiner, token, [outcome(field.my_doors[0], field.mine)]).get_json()["results"][0]
    assert result["status"] == "rejected" and "was released" in result["reason"]
    assert joiner.get(f"/api/lists/{field.mine.id}").status_code == 401
    assert joiner.get(f"/canvass/lists/{field.mine.id}").status_code == 302  # to sign in, as anyone anonymous
    assert counts(db) == (0, 0, 0)


def _person_ids(db, household_id: int) -> list[int]:
    from app.models import Person

    ids = list(db.exec(sa.select(Person.id).where(Person.household_id == household_id).order_by(Person.id)).scalars())
    db.commit()  # end the read: SQLite's BEGIN IMMEDIATE would otherwise hold the write lock
    return ids


def test_ids_are_canonicalised(client, token, field, db):
    raw = str(uuid.uuid4()).upper()
    result = post(client, token, [{**outcome(field.my_doors[0], field.mine), "id": raw}]).get_json()["results"][0]
    assert result == {"id": raw.lower(), "status": "stored"}


@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True, "RATELIMIT_DEFAULT": "8 per minute"}], indirect=True)
def test_phone_api_is_never_rate_limited(client, token, field):
    """A phone back in signal sends its whole outbox at once: the API is exempt from every limit,
    default ones included, while the rest of the app still has them."""
    for n in range(12):
        assert post(client, token, [outcome(field.my_doors[n % 6], field.mine)]).status_code == 200
    assert client.get(f"/api/lists/{field.mine.id}").status_code == 200
    pages = [client.get("/account").status_code for _ in range(10)]
    assert pages[0] == 200 and pages[-1] == 429
