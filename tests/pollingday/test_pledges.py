"""Pledges from door and phone answers, postal voters apart, and the sizing calculator."""
from __future__ import annotations

import dataclasses
import math
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from app.errors import ValidationError
from app.pollingday.pledges import MAX_VOTES, pledges, postal_reminders, size
from tests.support.pledges import answer, person_by_number


def test_the_latest_answer_decides_and_postal_voters_go_to_their_own_list(db, polling_day, settings):
    ada, bryn, cara, gwen, hal = (person_by_number(db, n) for n in ("AA-1", "AA-2", "AA-3", "AB-1", "AB-2"))
    answer(db, ada, "1", minutes_ago=90)            # a supporter
    answer(db, bryn, "2", minutes_ago=90)           # a leaner, but a postal voter (marker A)
    answer(db, cara, "1", minutes_ago=90)
    answer(db, cara, "4", minutes_ago=10, channel="phone")  # changed her mind on the phone: not a pledge
    answer(db, gwen, "5", minutes_ago=90)
    answer(db, gwen, "2", minutes_ago=30, channel="phone")  # won over
    answer(db, hal, "1", minutes_ago=30)            # markers AP: postal
    got = pledges(db, settings=settings)
    assert got.pledged == {ada: polling_day.districts["AA"], gwen: polling_day.districts["AB"]}
    assert set(got.postal) == {bryn, hal}
    west = pledges(db, settings=settings, neighbourhood_ids=[polling_day.districts["AA"]])
    assert set(west.pledged) == {ada} and set(west.postal) == {bryn}
    assert [r[0] for r in postal_reminders(db, settings=settings, neighbourhood_ids=[polling_day.districts["AB"]])] == [hal]


def test_pledges_among_more_people_than_one_statement_may_name(db, polling_day, settings):
    """The whole constituency's knock-up sheets ask about everyone behind round 1's doors (55,000
    people in scripts.bench.pollingday): more ids than SQLite or PostgreSQL bind in one statement."""
    ada, bryn = person_by_number(db, "AA-1"), person_by_number(db, "AA-2")
    answer(db, ada, "1")
    answer(db, bryn, "2")   # a postal voter
    many = set(range(10**7, 10**7 + 300_000)) | {ada, bryn}   # past Debian's SQLite limit (250,000) too
    got = pledges(db, settings=settings, person_ids=many)
    assert got.pledged == {ada: polling_day.districts["AA"]} and set(got.postal) == {bryn}


def test_supporter_values_are_the_campaigns_setting(db, polling_day, settings):
    ada, cara = person_by_number(db, "AA-1"), person_by_number(db, "AA-3")
    answer(db, ada, "1")
    answer(db, cara, "2")
    strict = dataclasses.replace(settings, supporter_values=frozenset({"1"}))  # leaners left out
    assert set(pledges(db, settings=strict).pledged) == {ada}
    assert set(pledges(db, settings=settings).pledged) == {ada, cara}
    assert pledges(db, settings=settings, neighbourhood_ids=[]).pledged == {}


def test_sizing_is_exact():
    assert size(votes_needed="100", turnout_percent="80", pledges_held=90).pledges_needed == 125
    got = size(votes_needed=1000, turnout_percent="75%", pledges_held=1200)
    assert got.pledges_needed == 1334 and got.shortfall == 134
    assert size(votes_needed=5, turnout_percent=100, pledges_held=9).shortfall == 0


@given(votes=st.integers(1, MAX_VOTES), turnout=st.decimals(1, 100, places=1))
def test_sizing_properties(votes, turnout):
    got = size(votes_needed=str(votes), turnout_percent=str(turnout), pledges_held=0)
    # Enough pledges, and one fewer would not be enough.
    assert got.pledges_needed * turnout >= votes * 100
    assert (got.pledges_needed - 1) * turnout < votes * 100
    assert got.pledges_needed >= votes


@given(votes=st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=True), st.none()),
       turnout=st.one_of(st.text(max_size=20), st.floats(allow_nan=True), st.integers(), st.none()))
def test_sizing_never_fails_other_than_with_a_message(votes, turnout):
    try:
        got = size(votes_needed=votes, turnout_percent=turnout, pledges_held=3)
    except ValidationError as exc:
        assert str(exc)
        return
    assert 1 <= got.votes_needed <= MAX_VOTES and Decimal(1) <= got.turnout_percent <= 100
    assert got.pledges_needed == math.ceil(Decimal(got.votes_needed) * 100 / got.turnout_percent)


@pytest.mark.parametrize("votes, turnout", [("0", "80"), ("x", "80"), ("10", "0"), ("10", "101"), ("10", "nan"),
                                            ("10", "inf"), ("", ""), ("1e3", "80"), ("10", "0.04")])
def test_sizing_refuses_bad_input(votes, turnout):
    with pytest.raises(ValidationError):
        size(votes_needed=votes, turnout_percent=turnout, pledges_held=0)
