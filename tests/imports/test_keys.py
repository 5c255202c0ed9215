"""KeyLines (the check pass's compact key table) answers as a dict of first lines would."""
from __future__ import annotations

from hypothesis import given, strategies as st

from app.imports.keys import KeyLines


@given(keys=st.lists(st.sampled_from(["A1", "A2", "B", "", "hh-0f"]), max_size=30),
       skip=st.sets(st.integers(2, 40), max_size=5))
def test_firsts_match_a_dict_of_first_lines(keys, skip):
    table = KeyLines()
    first, expected_again = {}, []
    for line, key in enumerate(keys, start=2):
        table.add(key, line)
        if line in skip:
            continue
        if key in first:
            expected_again.append((line, first[key]))
        else:
            first[key] = line
    firsts, again, first_of = table.firsts(skip=skip)
    assert firsts.tolist() == sorted(first.values())
    assert list(zip(again.tolist(), first_of.tolist())) == expected_again
