"""Elector numbers as tellers type them: forgiving of case, spaces and the hyphen; refusing junk
with a reason; and the canonical form always reads back as itself."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.pollingday.numbers import (MAX_NUMBER, MAX_SUFFIX, BadNumber, ElectorNumber, parse_elector_number,
                                    parse_parts, postal_proxy)


@pytest.mark.parametrize("text, expected", [
    ("AB-123", ElectorNumber("AB", 123)),
    ("AB-123/1", ElectorNumber("AB", 123, 1)),
    ("ab 123", ElectorNumber("AB", 123)),
    ("AB123", ElectorNumber("AB", 123)),
    (" ab-0123 / 2 ", ElectorNumber("AB", 123, 2)),
    ("AB-123/0", ElectorNumber("AB", 123)),
    ("E1-45", ElectorNumber("E1", 45)),        # a district code with a digit needs the hyphen
    ("1-2-45", ElectorNumber("1-2", 45)),      # a US precinct code as the prefix
])
def test_accepted(text, expected):
    assert parse_elector_number(text) == expected


@pytest.mark.parametrize("text, reason", [
    ("", "is not an elector number"),
    ("123", "is not an elector number"),
    ("AB-", "is not an elector number"),
    ("AB-12x", "is not an elector number"),
    ("AB-0", "must be between 1 and 999999"),
    ("AB-1234567", "must be between 1 and 999999"),
    ("AB-1/1000", "must be at most 999"),
    ("ABCDEFGHIJK-1", "1 to 10 characters"),
    ("AB-١٢٣", "is not an elector number"),   # digits, but not ones a keypad types
    ("x" * 41, "longer than 40 characters"),
    (None, "must be text"),
    (123, "must be text"),
])
def test_refused_with_a_reason(text, reason):
    with pytest.raises(BadNumber, match=reason):
        parse_elector_number(text)


numbers = st.builds(ElectorNumber, st.from_regex(r"[A-Z]{1,4}", fullmatch=True),
                    st.integers(1, MAX_NUMBER), st.integers(0, MAX_SUFFIX))


@given(numbers, st.sampled_from(["-", " ", "", " - "]), st.booleans())
def test_every_way_of_typing_a_number_reads_as_it(number, sep, lower):
    text = f"{number.prefix}{sep}{number.number}" + (f"/{number.suffix}" if number.suffix else "")
    assert parse_elector_number(text.lower() if lower else text) == number
    assert parse_elector_number(str(number)) == number


@given(st.text(max_size=60))
def test_junk_is_refused_or_read_never_an_error_of_another_kind(text):
    try:
        number = parse_elector_number(text)
    except BadNumber as exc:
        assert str(exc)
        return
    assert parse_elector_number(str(number)) == number
    assert 1 <= number.number <= MAX_NUMBER and 0 <= number.suffix <= MAX_SUFFIX


@pytest.mark.parametrize("prefix", ["1-", "-A", "A B", "Ä"])
def test_register_prefixes_that_could_not_be_typed_back_are_refused(prefix):
    with pytest.raises(BadNumber, match="letters or digits"):
        parse_parts(prefix, "5", "")


@given(st.text(max_size=12) | st.from_regex(r"[A-Za-z0-9-]{1,6}", fullmatch=True),
       st.text(max_size=12) | st.integers(-5, 10**7).map(str), st.text(max_size=12) | st.integers(-5, 2000).map(str))
def test_register_columns_are_read_or_refused(prefix, number, suffix):
    try:
        parsed = parse_parts(prefix, number, suffix)
    except BadNumber:
        return
    assert parse_elector_number(str(parsed)) == parsed


@pytest.mark.parametrize("markers, expected", [("", (False, False)), ("A", (True, False)), ("P", (False, True)),
                                               ("ap", (True, True)), ("E", (False, False))])
def test_postal_and_proxy_from_markers(markers, expected):
    assert postal_proxy(markers) == expected
