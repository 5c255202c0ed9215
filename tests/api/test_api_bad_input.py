"""POST /api/outcomes with bad input: one bad item is rejected alone (the others are stored),
bodies are capped before they are read, and nothing reaches the database as a 500."""
from __future__ import annotations

import io

import orjson
import pytest

import app.contacts.record as contacts  # where the write path calls validate
from tests.support.canvass import counts, outcome, post

from .test_api_outcomes import _person_ids

BIG = 2**63  # one beyond a BIGINT


def _statuses(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return [r["status"] for r in response.get_json()["results"]]


@pytest.mark.parametrize("item, reason", [
    ({"recorded_at": "0001-01-01T00:00:00+14:00"}, "out of range"),          # OverflowError in UTC
    ({"recorded_at": "9999-12-31T23:59:59-14:00"}, "out of range"),
    ({"recorded_at": "1970-01-01T00:00:00Z"}, "before 2000-01-01"),
    ({"call_attempt_id": 999999}, "call_attempt_id is not accepted"),        # a foreign-key error
    ({"call_attempt_id": 1}, "call_attempt_id is not accepted"),
    ({"notes": "gate\x00code"}, "control character (U+0000)"),               # PostgreSQL refuses NUL
    ({"notes": "bell\x07"}, "control character (U+0007)"),
    ({"household_id": BIG}, "household_id must be a positive integer id"),
    ({"person_id": BIG}, "person_id must be a positive integer id"),
    ({"responses": [{"person_id": BIG}]}, "responses.person_id must be a positive integer id"),
    ({"responses": [{"person_id": 1, "support_level": [1]}] * 3}, "3 responses, but the household has 2 people"),
    ({"responses": [{"person_id": "RESIDENT", "issues": ["Housing"] * 51}]}, "at most 50 strings"),
    ({"responses": [{"person_id": "RESIDENT", "issues": ["Housing", "x" * 10**5]}]}, "unknown issue 'xxxx"),
    ({"responses": [{"person_id": "RESIDENT", "support_level": {"a": 1}}]}, "not on the campaign's scale"),
])
def test_one_bad_item_is_rejected_alone(client, token, field, db, item, reason):
    resident = _person_ids(db, field.my_doors[2].id)[0]
    for response in item.get("responses", []):
        if response["person_id"] == "RESIDENT":
            response["person_id"] = resident
    good = [outcome(door, field.mine) for door in field.my_doors[:2]]
    bad = {**outcome(field.my_doors[2], field.mine), **item}
    response = post(client, token, [good[0], bad, good[1]])
    assert _statuses(response) == ["stored", "rejected", "stored"]
    assert reason in response.get_json()["results"][1]["reason"]
    assert counts(db) == (2, 0, 0)


def test_the_same_person_twice_in_one_outcome_is_rejected_alone(client, token, field, db):
    person = _person_ids(db, field.my_doors[0].id)[0]
    twice = outcome(field.my_doors[0], field.mine, "spoke", person_id=person,
                    responses=[{"person_id": person, "support_level": "1"}, {"person_id": str(person), "support_level": "2"}])
    response = post(client, token, [twice, outcome(field.my_doors[1], field.mine)])
    assert _statuses(response) == ["rejected", "stored"]
    assert "appears twice" in response.get_json()["results"][0]["reason"]
    assert counts(db) == (1, 0, 0)


def test_a_response_naming_a_person_from_another_household_in_the_batch_is_rejected(client, token, field, db):
    neighbour = _person_ids(db, field.my_doors[1].id)[0]
    theirs = outcome(field.my_doors[1], field.mine, "spoke", responses=[{"person_id": neighbour}])
    borrowed = outcome(field.my_doors[0], field.mine, "spoke", responses=[{"person_id": neighbour}])
    response = post(client, token, [theirs, borrowed])
    assert _statuses(response) == ["stored", "rejected"]
    assert f"person {neighbour} does not live at this household" == response.get_json()["results"][1]["reason"]
    assert counts(db) == (1, 1, 0)


def test_repeated_issues_are_stored_once(client, token, field, db):
    person = _person_ids(db, field.my_doors[0].id)[0]
    item = outcome(field.my_doors[0], field.mine, "spoke",
                   responses=[{"person_id": person, "issues": ["Housing", "Transport", "Housing"] * 10}])
    assert _statuses(post(client, token, [item])) == ["stored"]
    from app.models import SurveyResponse
    assert db.get(SurveyResponse, 1).issues == "Housing|Transport"


def test_an_organisers_outcome_naming_a_list_the_door_is_not_on_is_rejected(client, auth, field, db):
    auth.login_as("organiser")
    token = auth.csrf_token("/organiser/lists")
    response = post(client, token, [outcome(field.their_doors[0], field.mine), outcome(field.my_doors[0], field.mine)])
    assert _statuses(response) == ["rejected", "stored"]
    assert "is not on walk list" in response.get_json()["results"][0]["reason"]
    assert counts(db) == (1, 0, 0)


@pytest.mark.parametrize("key", ["walk_list_id", "household_id"])
def test_ids_beyond_a_bigint_are_not_a_500(client, token, field, db, key):
    response = post(client, token, [{**outcome(field.my_doors[0], field.mine), key: str(BIG)}])
    assert response.status_code in (200, 403), response.status_code
    assert counts(db) == (0, 0, 0)


def test_a_batch_the_database_still_refuses_stores_the_good_items(client, token, field, db, monkeypatch):
    """Defence in depth: an item the validation let through and the database refuses (here a
    walk list that does not exist: a foreign-key error) is rejected alone, not a 500 for all."""
    real = contacts.validate

    def letting_one_through(raw, **kw):
        item = real(raw, **kw)
        if raw.get("notes") == "poison":
            item["event"]["walk_list_id"] = 987654
        return item

    monkeypatch.setattr(contacts, "validate", letting_one_through)
    batch = [outcome(field.my_doors[0], field.mine), outcome(field.my_doors[1], field.mine, notes="poison"),
             outcome(field.my_doors[2], field.mine)]
    response = post(client, token, batch)
    assert _statuses(response) == ["stored", "rejected", "stored"]
    assert "could not store" in response.get_json()["results"][1]["reason"]
    assert counts(db) == (2, 0, 0)
    # the phone's retry of the whole batch: the stored ones are duplicates, the bad one stays out
    assert _statuses(post(client, token, batch)) == ["duplicate", "rejected", "duplicate"]


class _Unreadable(io.BytesIO):
    """A 2 MB body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read1 = read


def test_a_body_over_the_cap_is_refused_before_it_is_read(client, token, field, db):
    response = client.post("/api/outcomes", input_stream=_Unreadable(b"x" * (2 * 1024 * 1024)),
                           content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large" and "1024 KB" in response.get_json()["message"]
    assert counts(db) == (0, 0, 0)


def test_a_body_without_a_length_is_cut_off_at_the_cap(client, token, field, db):
    notes = "x" * 1000
    body = ('{"outcomes": [' + ",".join(['{"notes": "%s"}' % notes] * 1100) + "]}").encode()
    response = client.post("/api/outcomes", input_stream=io.BytesIO(body), content_type="application/json",
                           headers={"X-CSRFToken": token, "Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413 and response.get_json()["error"] == "too_large"
    assert counts(db) == (0, 0, 0)


def test_a_full_batch_of_the_longest_outcomes_fits_under_the_cap(client, token, field, db):
    """100 outcomes with the longest notes (2,000 four-byte characters), UTF-8 as the phone's
    JSON.stringify sends them: about 0.85 MB, under the 1 MB cap."""
    person = _person_ids(db, field.my_doors[0].id)[0]
    longest = [outcome(field.my_doors[0], field.mine, "spoke", notes="\U0001F600" * 2000, lat=42.371, lon=-71.119,
                       accuracy_m=12.5, responses=[{"person_id": person, "support_level": "1", "issues": ["Housing"],
                                                    "volunteer_interest": True, "postal_vote": True, "poster": True}])
               for _ in range(100)]
    body = orjson.dumps({"outcomes": longest})
    assert 0.8e6 < len(body) < 1024 * 1024
    response = client.post("/api/outcomes", data=body, content_type="application/json", headers={"X-CSRFToken": token})
    assert _statuses(response) == ["stored"] * 100


def test_ids_beyond_a_bigint_in_the_url_are_404(client, token, field):
    for path in (f"/api/lists/{BIG}", f"/api/lists/{2**64}", f"/canvass/lists/{BIG}"):
        response = client.get(path)
        assert response.status_code == 404, path
