"""What an answer of each kind may be (app.surveys.kinds): hypothesis over values, and the scripts'
placeholders."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from app.surveys.kinds import (BadAnswer, DOOR_PLACEHOLDERS, PHONE_PLACEHOLDERS, Spec, answer_value, check_script,
                               fill_script, shown)

SINGLE = Spec(1, 1, "single", "Biggest issue", choices=("Housing", "Roads"))
MULTIPLE = Spec(2, 2, "multiple", "Services", choices=("Library", "Pool", "Buses"))
YES_NO = Spec(3, 3, "yes_no", "Registered?")
NUMBER = Spec(4, 4, "number", "How many?", min_value=0, max_value=10)
TEXT = Spec(5, 5, "text", "Anything else?", max_length=20)
JUNK = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                 st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _outcome(spec, value):
    try:
        return answer_value(spec, value)
    except BadAnswer as err:
        assert str(err)  # always a reason the phone can show
        return BadAnswer


@given(JUNK)
@hsettings(max_examples=150)
def test_single_choice_is_one_of_its_choices(value):
    got = _outcome(SINGLE, value)
    if value in (None, "", []):
        assert got is None
    elif isinstance(value, str) and value in SINGLE.choices:
        assert got == value
    else:
        assert got is BadAnswer


@given(st.lists(st.sampled_from(["Library", "Pool", "Buses", "Sauna", ""]), max_size=6))
def test_multiple_choice_keeps_its_choices_in_the_question_s_order(value):
    got = _outcome(MULTIPLE, value)
    if not value:
        assert got is None
    elif any(v not in MULTIPLE.choices for v in value):
        assert got is BadAnswer
    else:
        assert json.loads(got) == [c for c in MULTIPLE.choices if c in value]
        assert shown("multiple", got) == "; ".join(json.loads(got))


@given(JUNK)
def test_yes_no_is_true_or_false_only(value):
    got = _outcome(YES_NO, value)
    if value in (None, "", []):
        assert got is None
    elif isinstance(value, bool):
        assert got == ("yes" if value else "no")
    else:
        assert got is BadAnswer


@given(st.one_of(st.integers(min_value=-10**15, max_value=10**15), st.floats(allow_nan=True), st.booleans(),
                 st.text(max_size=16)))
@hsettings(max_examples=200)
def test_a_number_is_whole_and_in_range(value):
    got = _outcome(NUMBER, value)
    as_int = None
    if isinstance(value, bool):
        as_int = None
    elif isinstance(value, int):
        as_int = value
    elif isinstance(value, float) and value == value and abs(value) < 1e15 and value.is_integer():
        as_int = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isascii() and value.strip().lstrip("-").isdigit() \
            and len(value.strip().lstrip("-")) <= 13:
        as_int = int(value)
    if value == "":
        assert got is None
    elif as_int is not None and 0 <= as_int <= 10:
        assert got == str(as_int)
    else:
        assert got is BadAnswer


@given(st.text(max_size=40))
def test_free_text_is_bounded_and_has_no_control_characters(value):
    got = _outcome(TEXT, value)
    text = value.strip()
    controls = any(ord(c) < 32 and c not in "\t\n\r" or ord(c) == 127 for c in text)
    if not text:
        assert got is None
    elif len(text) > 20 or controls:
        assert got is BadAnswer
    else:
        assert got == text


@pytest.mark.parametrize("text, error", [
    ("Hi {first_name}, I'm {caller_name}", None),
    ("Hi {name}", "{name}"),
    ("Hi {first_name", "stray brace"),
    ("Hi {first_name!r}", "takes no"),
    ("Hi {}", "{}"),
    ("Braces {{like this}}", None),
])
def test_a_phone_script_names_only_what_it_can_fill(text, error):
    if error is None:
        assert check_script(text, PHONE_PLACEHOLDERS, which="phone") == text
    else:
        with pytest.raises(ValueError, match=error.replace("{", r"\{").replace("}", r"\}")):
            check_script(text, PHONE_PLACEHOLDERS, which="phone")


def test_the_door_script_fills_and_keeps_what_it_does_not_know():
    check_script("I'm {canvasser_name} on {street}", DOOR_PLACEHOLDERS, which="door")
    assert fill_script("I'm {canvasser_name} on {street}", {"street": "Elm St"}) == "I'm {canvasser_name} on Elm St"
