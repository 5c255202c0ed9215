"""The pure text functions matching rests on."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from app.relational.names import (jaro_winkler, name_similarity, name_tokens, postcode_area, postcode_key,
                                  street_key)


@pytest.mark.parametrize("a, b, expected", [
    ("martha", "marhta", 0.9611), ("dwayne", "duane", 0.84), ("dixon", "dicksonx", 0.8133),
    ("abc", "abc", 1.0), ("abc", "xyz", 0.0), ("", "abc", 0.0),
])
def test_jaro_winkler_matches_the_published_values(a, b, expected):
    assert jaro_winkler(a, b) == pytest.approx(expected, abs=1e-4)


@given(st.text(alphabet="abcdefgh", max_size=12), st.text(alphabet="abcdefgh", max_size=12))
def test_jaro_winkler_is_symmetric_and_between_0_and_1(a, b):
    assert 0.0 <= jaro_winkler(a, b) <= 1.0
    assert jaro_winkler(a, b) == pytest.approx(jaro_winkler(b, a))


def test_names_fold_accents_case_and_punctuation():
    assert name_tokens("  Zoë O'Brien-Smith ") == ("zoe", "obrien", "smith")


@pytest.mark.parametrize("typed, first, last, close", [
    ("Sam Jones", "Samuel", "Jones", True),
    ("Ann Smith", "Anne", "Smith", True),
    ("J Smith", "John", "Smith", True),
    ("jones sam", "Samuel", "Jones", True),
    ("Sam Jones", "Samuel", "Smith", False),     # the surname must be there
    ("Sam", "Samuel", "Jones", False),           # a first name alone is not a person
    ("Priya Patel", "Pat", "Example0", False),
])
def test_name_similarity(typed, first, last, close):
    score = name_similarity(name_tokens(typed), name_tokens(first), name_tokens(last))
    assert (score >= 0.88) is close, score


def test_streets_and_postcodes_normalise():
    assert street_key("12a Mill Rd.") == street_key("MILL ROAD") == "mill road"
    assert postcode_key("cb1 2ab") == "CB12AB" and postcode_area("CB12AB") == "CB1"
    assert postcode_key("02139-1234") == "02139" and postcode_area("02139") == "02139"
