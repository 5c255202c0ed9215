"""Fuzz the phone API: whatever arrives, the answer is a clear 4xx or per-item statuses,
never a 500, and exactly the items reported "stored" are written."""
from __future__ import annotations

import json
import os
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from app.models import ContactEvent

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")

json_scalars = st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=12), inner, max_size=4), max_leaves=12)
KEYS = ["id", "household_id", "code", "recorded_at", "person_id", "walk_list_id", "responses", "notes", "lat",
        "lon", "accuracy_m", "call_attempt_id"]


# The two 500s a fixed, narrow example set missed: ids that name no row (a foreign-key error
# for the whole batch) and timestamps at the ends of the calendar (an OverflowError in UTC).
ids = st.integers() | st.integers(0, 10) | st.integers(2**63 - 3, 2**63 + 3)
timestamps = st.builds(lambda when, offset: when.isoformat() + offset, st.datetimes(),
                       st.sampled_from(["Z", "+14:00", "-14:00", "+00:00", ""]))
TYPED = {"household_id": ids, "person_id": ids, "walk_list_id": ids, "call_attempt_id": ids,
         "recorded_at": timestamps, "notes": st.text(max_size=50) | st.text(min_size=1990, max_size=2010)}


@st.composite
def outcome_items(draw, household_id: int):
    """Mostly plausible items with some fields replaced by anything at all, or by values of the
    right type at the edges of their range."""
    item = {"id": str(uuid.uuid4()), "household_id": household_id, "code": "not_home",
            "recorded_at": "2026-11-01T10:00:00Z"}
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=3, unique=True)):
        item[key] = draw(TYPED[key] | json_values if key in TYPED else json_values)
    return item


@pytest.fixture
def canvasser(client, auth, make_ward, make_household, make_walk_list):
    user = auth.login_as("canvasser")
    home = make_household(make_ward())
    make_walk_list([home], assign_to=user)
    return {"home": home.id, "token": auth.csrf_token("/canvass/")}


def _stored(db) -> int:
    db.rollback()
    return db.exec(select(func.count()).select_from(ContactEvent)).one()


FUZZ = settings(max_examples=int(os.environ.get("LEGWORK_FUZZ_EXAMPLES", 100)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(body=json_values)
def test_any_json_body_gets_a_clear_answer(client, db, canvasser, body):
    before = _stored(db)
    response = client.post("/api/outcomes", data=json.dumps(body), content_type="application/json",
                           headers={"X-CSRFToken": canvasser["token"]})
    assert response.status_code in (200, 400, 403, 413, 422), response.status_code
    assert response.is_json and (response.status_code == 200 or response.json.get("message"))
    stored = sum(r["status"] == "stored" for r in response.json.get("results", []))
    assert _stored(db) == before + stored


@FUZZ
@given(data=st.data())
def test_mangled_outcomes_are_rejected_item_by_item(client, db, canvasser, data):
    items = data.draw(st.lists(outcome_items(canvasser["home"]), min_size=1, max_size=5))
    before = _stored(db)
    response = client.post("/api/outcomes", json={"outcomes": items}, headers={"X-CSRFToken": canvasser["token"]})
    assert response.status_code in (200, 403, 413, 422), response.get_data(as_text=True)[:300]
    if response.status_code == 200:
        results = response.json["results"]
        assert len(results) == len(items)
        assert all(r["status"] in ("stored", "duplicate") or r.get("reason") for r in results)
        assert _stored(db) == before + sum(r["status"] == "stored" for r in results)
    else:
        assert _stored(db) == before


@FUZZ
@given(raw=st.binary(max_size=200))
def test_bytes_that_are_not_json(client, db, canvasser, raw):
    before = _stored(db)
    response = client.post("/api/outcomes", data=raw, content_type="application/json",
                           headers={"X-CSRFToken": canvasser["token"]})
    assert 400 <= response.status_code < 500
    assert _stored(db) == before
