"""app/contacts/validate.py edge by edge: every limit just inside and just outside, every
refusal with its reason. Written for the mutation check (scripts/bench/mutation.py); pure
functions, so no app and no database (a stand-in for the three settings validate reads)."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from app.contacts.validate import (Reject, _coord, _flag, _issues, _responses, _text, parse_event_id, parse_id,
                                   parse_timestamp, validate)
from app.params import MAX_ID

# The limits, written out: a test that read them from the module could not see them change.
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
MAX_CLOCK_SKEW = timedelta(days=1)
MAX_NOTES, MAX_ISSUES, MAX_ISSUES_TEXT, MAX_RESPONSES = 2000, 50, 1000, 50
NOW = datetime(2026, 11, 3, 12, 0, tzinfo=timezone.utc)
UUID = "0b6c1f9e-5d0c-4c59-9a57-2f8f2a2b3c4d"
DOOR = {"spoke": "door-spoke", "do_not_contact": "door-dnc"}
PHONE = {"answered": "phone-answered"}
SETTINGS = SimpleNamespace(codes=lambda channel: DOOR if channel == "door" else PHONE,
                           support_scale=(("1", "Strong"), ("2", "Lean")), issues=("Housing", "Schools"))


def rejects(fn, *args, match, **kw):
    with pytest.raises(Reject, match=match):
        fn(*args, **kw)


def test_event_ids_are_uuids_in_one_spelling():
    assert parse_event_id(UUID.upper()) == UUID
    for bad in ("not-a-uuid", None, 12, ""):
        rejects(parse_event_id, bad, match="id must be a UUID")


def test_timestamps_in_utc_between_2000_and_a_day_ahead():
    assert parse_timestamp("2026-11-03T10:00:00Z", now=NOW) == datetime(2026, 11, 3, 10, tzinfo=timezone.utc)
    assert parse_timestamp("2026-11-03T10:00:00", now=NOW).tzinfo is not None  # no offset: UTC
    assert parse_timestamp(EARLIEST.isoformat(), now=NOW) == EARLIEST
    assert parse_timestamp((NOW + MAX_CLOCK_SKEW).isoformat(), now=NOW) == NOW + MAX_CLOCK_SKEW
    rejects(parse_timestamp, (EARLIEST - timedelta(seconds=1)).isoformat(), now=NOW, match="before 2000-01-01")
    rejects(parse_timestamp, (NOW + MAX_CLOCK_SKEW + timedelta(seconds=1)).isoformat(), now=NOW,
            match="more than a day in the future")
    rejects(parse_timestamp, 1700000000, now=NOW, match="must be an ISO 8601 timestamp")
    rejects(parse_timestamp, "yesterday", now=NOW, match="is not an ISO 8601 timestamp")
    rejects(parse_timestamp, "0001-01-01T00:00:00+14:00", now=NOW, match="out of range")


@pytest.mark.parametrize("raw, expected", [
    (1, 1), ("12", 12), (MAX_ID, MAX_ID), (MAX_ID + 1, None), (0, None), (-1, None), ("x", None),
    (True, None), (False, None), (1.0, None), (None, None), ([1], None),
])
def test_row_ids_are_positive_and_fit_the_schema(raw, expected):
    assert parse_id(raw) == expected


def test_coordinates_are_finite_numbers_within_their_limit():
    assert _coord(None, "lat", 90) is None
    assert _coord(90, "lat", 90) == 90.0 and isinstance(_coord(90, "lat", 90), float)
    assert _coord(-90, "lat", 90) == -90.0
    for bad in (90.001, -90.001, True, "1", float("nan"), float("inf")):
        rejects(_coord, bad, "lat", 90, match="lat must be a number within ±90")


def test_flags_are_booleans_or_absent():
    assert _flag(None, "poster") is False
    assert _flag(True, "poster") is True and _flag(False, "poster") is False
    for bad in ("yes", 1, 0):
        rejects(_flag, bad, "poster", match="poster must be true or false")


def test_notes_are_bounded_text_without_control_characters():
    def _notes(raw):
        return _text(raw, "notes")

    assert _notes(None) == "" and _notes("") == ""
    assert _notes("x" * MAX_NOTES) == "x" * MAX_NOTES
    assert _notes("line\nnext\ttab\r") == "line\nnext\ttab\r"
    rejects(_notes, "x" * (MAX_NOTES + 1), match="at most 2000")
    rejects(_notes, 5, match="notes must be text")
    rejects(_notes, "ab\x07c", match=r"U\+0007\) at position 3")


def test_issues_known_each_once_in_order_and_bounded():
    allowed = {"Housing", "Schools", "x" * 600, "y" * 399}
    assert _issues(None, allowed) == []
    assert _issues(["Schools", "Housing", "Schools"], allowed) == ["Schools", "Housing"]
    assert len("|".join(_issues(["x" * 600, "y" * 399], allowed))) == MAX_ISSUES_TEXT
    rejects(_issues, ["x" * 600, "y" * 399, "Housing"], allowed, match="more than 1000 characters")
    rejects(_issues, ["Unicorns"], allowed, match="unknown issue 'Unicorns'")
    rejects(_issues, "Housing", allowed, match="a list of at most 50 strings")
    rejects(_issues, ["Housing", 3], allowed, match="a list of at most 50 strings")
    many = {f"i{n}" for n in range(MAX_ISSUES + 1)}
    assert len(_issues(sorted(many)[:MAX_ISSUES], many)) == MAX_ISSUES
    rejects(_issues, sorted(many), many, match="a list of at most 50 strings")


def test_responses_name_each_resident_once_with_valid_answers():
    people = {1, 2}
    assert _responses(None, household_people=people, settings=SETTINGS) == []
    [one] = _responses([{"person_id": 1, "support_level": 2, "issues": ["Housing", "Schools"], "poster": True}],
                       household_people=people, settings=SETTINGS)
    assert one == dict(person_id=1, support_level="2", issues="Housing|Schools", volunteer_interest=False,
                       postal_vote=False, poster=True)
    [blank] = _responses([{"person_id": "2"}], household_people=people, settings=SETTINGS)
    assert blank["support_level"] is None and blank["issues"] == ""
    for bad, match in [("yes", "responses must be a list"), ([1], "each response must be an object"),
                       ([{"person_id": 3}], "person 3 does not live at this household"),
                       ([{"person_id": 1}, {"person_id": 1}], "person 1 appears twice"),
                       ([{"person_id": 1}] * 3, "3 responses, but the household has 2 people"),
                       ([{"person_id": 1, "support_level": True}], "not on the campaign's scale"),
                       ([{"person_id": 1, "support_level": "9"}], "'9' is not on the campaign's scale"),
                       ([{"person_id": 1, "support_level": 1.0}], "not on the campaign's scale"),
                       ([{"person_id": 0}], "responses.person_id must be a positive integer id")]:
        rejects(_responses, bad, household_people=people, settings=SETTINGS, match=match)


def test_at_most_fifty_responses_even_in_a_large_household():
    people = set(range(1, MAX_RESPONSES + 2))
    ok = [{"person_id": n} for n in range(1, MAX_RESPONSES + 1)]
    assert len(_responses(ok, household_people=people, settings=SETTINGS)) == MAX_RESPONSES
    rejects(_responses, ok + [{"person_id": MAX_RESPONSES + 1}], household_people=people, settings=SETTINGS,
            match="at most 50 responses")


def item(**kw):
    return {"code": "spoke", "household_id": 7, "recorded_at": "2026-11-03T10:00:00Z", **kw}


def check(raw, channel="door"):
    return validate(raw, channel=channel, settings=SETTINGS, households={7: (1, 2), 8: (1, 2)},
                    people={70: 7, 71: 7, 80: 8}, now=NOW)


def test_validate_builds_the_row_and_keeps_the_code():
    out = check(item(person_id="70", walk_list_id="5", lat=42.5, lon=-71, accuracy_m=12, notes="hi",
                     responses=[{"person_id": 71, "support_level": "1"}]))
    assert out["code"] == "door-spoke"
    assert out["event"] == dict(channel="door", code="spoke", household_id=7, person_id=70, walk_list_id=5,
                                call_attempt_id=None, recorded_at=datetime(2026, 11, 3, 10, tzinfo=timezone.utc),
                                lat=42.5, lon=-71.0, accuracy_m=12.0, notes="hi")
    assert [r["person_id"] for r in out["responses"]] == [71]
    bare = check(item())["event"]
    assert (bare["person_id"], bare["walk_list_id"], bare["lat"], bare["notes"]) == (None, None, None, "")


def test_validate_refuses_with_the_reason():
    for raw, match in [(item(code="teleported"), "unknown door code 'teleported'"),
                       (item(code=["spoke"]), "unknown door code"),
                       (item(household_id=9), "household 9 does not exist"),
                       (item(household_id=None), "household_id must be a positive integer id"),
                       (item(person_id=80), "person 80 does not live at household 7"),
                       (item(person_id="x"), "person_id must be a positive integer id"),
                       (item(walk_list_id=0), "walk_list_id must be a positive integer id"),
                       (item(responses=[{"person_id": 80}]), "person 80 does not live at this household"),
                       (item(call_attempt_id=3), "call_attempt_id is not accepted for door outcomes"),
                       (item(lon=181), "lon must be a number within ±180"),
                       (item(accuracy_m=2e6), "accuracy_m must be a number within"),
                       (item(notes=7), "notes must be text")]:
        with pytest.raises(Reject, match=match):
            check(raw)


def test_only_the_phone_bank_links_a_call_attempt():
    out = check(item(code="answered", call_attempt_id="3"), channel="phone")
    assert out["event"]["call_attempt_id"] == 3 and out["event"]["channel"] == "phone"
    assert out["code"] == "phone-answered"
    with pytest.raises(Reject, match="unknown phone code 'spoke'"):
        check(item(), channel="phone")
