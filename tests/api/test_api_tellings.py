"""POST /api/tellings: per-item answers like /api/outcomes, who may post, the limits, and a body
of any shape never becoming a 500."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.models import Telling, Voted
from tests.support.pollingday import telling, undo


def post(client, token, items=None, *, json=None):
    return client.post("/api/tellings", json={"tellings": items} if json is None else json,
                       headers={"X-CSRFToken": token})


def rows(db) -> tuple[int, int]:
    out = tuple(db.execute(sa.select(sa.func.count()).select_from(m)).scalar_one() for m in (Telling, Voted))
    db.rollback()
    return out


@pytest.fixture
def teller(auth, polling_day):
    auth.login_as("teller")
    return auth.csrf_token("/account")


@pytest.mark.parametrize("roles", ["teller", "organiser", "canvasser teller"])
def test_tellers_and_organisers_post_and_replays_are_duplicates(client, auth, db, polling_day, roles):
    auth.login_as(roles)
    token = auth.csrf_token("/account")
    items = [telling(polling_day.west, "AA-1"), telling(polling_day.east, "ab-4/2")]
    response = post(client, token, items)
    assert response.status_code == 200
    assert response.get_json() == {"results": [{"id": i["id"], "status": "stored"} for i in items]}
    assert post(client, token, items).get_json()["results"] == [{"id": i["id"], "status": "duplicate"} for i in items]
    assert rows(db) == (2, 2)
    assert db.get(Telling, items[0]["id"]).actor_user_id == auth.user.id
    db.rollback()


@pytest.mark.parametrize("roles, status", [("canvasser", 403), ("caller", 403), ("volunteer", 403), (None, 401)])
def test_others_are_refused_and_nothing_changes(client, auth, db, polling_day, roles, status):
    if roles:
        auth.login_as(roles)
    token = auth.csrf_token("/login" if roles is None else "/account")
    assert post(client, token, [telling(polling_day.west, "AA-1")]).status_code == status
    assert rows(db) == (0, 0)


def test_csrf_header_is_required(client, teller, db, polling_day):
    response = client.post("/api/tellings", json={"tellings": [telling(polling_day.west, "AA-1")]})
    assert response.status_code == 400 and response.get_json()["error"] == "csrf"
    assert rows(db) == (0, 0)


@pytest.mark.parametrize("change, reason", [
    ({"elector_number": "AA-99"}, "no elector AA-99 on the register"),
    ({"elector_number": "AB-1"}, "elector AB-1 is in district AB, which does not vote at this station (it takes AA)"),
    ({"elector_number": "twelve"}, "'twelve' is not an elector number (like AB-123 or AB-123/1)"),
    ({"elector_number": "AA-1" + " " * 50}, "elector_number is longer than 40 characters"),
    ({"elector_number": 12}, "elector_number must be text"),
    ({"elector_number": None}, "give either elector_number or person_id"),
    ({"person_id": 1}, "give either elector_number or person_id"),
    ({"recorded_at": "yesterday"}, "recorded_at 'yesterday' is not an ISO 8601 timestamp"),
    ({"recorded_at": "2990-01-01T00:00:00Z"}, "more than a day in the future"),
    ({"recorded_at": 5}, "recorded_at must be an ISO 8601 timestamp"),
    ({"id": "not-a-uuid"}, "id must be a UUID"),
    ({"station_id": 2**63}, "station_id must be a positive integer id"),
    ({"station_id": "x"}, "station_id must be a positive integer id"),
])
def test_one_bad_item_is_rejected_alone_with_its_reason(client, teller, db, polling_day, change, reason):
    bad = {**telling(polling_day.west, "AA-2"), **change}
    if change.get("elector_number", "") is None:
        del bad["elector_number"]
    good = [telling(polling_day.west, "AA-1"), telling(polling_day.west, "AA-3")]
    results = post(client, teller, [good[0], bad, good[1]]).get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "rejected", "stored"]
    assert reason in results[1]["reason"]
    assert rows(db) == (2, 2)


def test_undo_through_the_api(client, teller, db, polling_day):
    first = telling(polling_day.west, "AA-5/1")
    post(client, teller, [first])
    assert rows(db) == (1, 1)
    back = undo(first)
    results = post(client, teller, [back, back, undo(back)]).get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "duplicate", "rejected"]
    assert results[2]["reason"] == "an undo cannot be undone: tell the voter again instead"
    assert rows(db) == (2, 0)


@pytest.mark.parametrize("body, message", [
    ({"tellings": []}, '"tellings" must be a non-empty list.'),
    ({"outcomes": [{}]}, '"tellings" must be a non-empty list.'),
    ([1, 2], '"tellings" must be a non-empty list.'),
    ({"tellings": [{}] * 101}, "At most 100 tellings per request; this one has 101."),
])
def test_bad_bodies_are_refused_whole(client, teller, db, body, message):
    response = post(client, teller, json=body)
    assert response.status_code == 422 and message in response.get_json()["message"]
    assert rows(db) == (0, 0)


def test_a_body_past_the_limit_is_refused_before_it_is_read(client, teller, db, polling_day):
    big = [telling(polling_day.west, "AA-1", pad="x" * 1_100_000)]
    assert post(client, teller, big).status_code == 413
    assert rows(db) == (0, 0)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)
FIELD_VALUES = {"id": st.uuids().map(str) | JSON, "station_id": st.integers(-2, 2**64) | JSON,
                "elector_number": st.sampled_from(["AA-1", "AB-2", "aa 3", "AA-5/1", "ZZ-9"]) | st.text(max_size=50) | JSON,
                "person_id": st.integers(-2, 2**64) | JSON, "undoes": st.uuids().map(str) | JSON,
                "recorded_at": st.datetimes().map(lambda d: d.isoformat()) | JSON}
ITEM = st.fixed_dictionaries({}, optional=FIELD_VALUES) | JSON


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(ITEM, min_size=1, max_size=6))
def test_any_body_gets_one_answer_per_item_and_never_a_500(client, teller, db, polling_day, items):
    response = post(client, teller, items)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    results = response.get_json()["results"]
    assert len(results) == len(items)
    assert all(r["status"] in ("stored", "duplicate", "rejected") for r in results)
    assert all(r["status"] != "rejected" or r["reason"] for r in results)
    db.rollback()
