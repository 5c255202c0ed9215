"""split_call_sheets: one entry per number, DNC and invalid numbers out, zones apart, priority order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walklists import Callee, split_call_sheets

ZONES = ["America/New_York", "America/Chicago", None]
PHONES = ["+16175550100", "+16175550101", "+16175550102", "+442071838750", "617-555-0100", "", None, "+0123"]

callees = st.builds(
    Callee,
    id=st.text("abcdef", min_size=1, max_size=3),
    phone=st.sampled_from(PHONES),
    household_id=st.sampled_from(["h1", "h2", None]),
    timezone=st.sampled_from(ZONES),
    priority=st.floats(-5, 5, allow_nan=False),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(callees, max_size=30, unique_by=lambda c: c.id), st.integers(1, 4),
       st.sets(st.sampled_from(["a", "b", "+16175550101"])))
def test_call_sheet_rules(people, size, dnc):
    sheets = split_call_sheets(people, size, do_not_contact=dnc)
    entries = [e for s in sheets for e in s.entries]
    phones = [e.phone for e in entries]
    assert len(phones) == len(set(phones))  # one entry per number
    listed = {p.id for e in entries for p in e.people}
    for p in people:
        callable_ = p.id not in dnc and p.phone in PHONES[:4] and p.phone not in dnc
        assert (p.id in listed) == callable_
    for s in sheets:
        assert 1 <= len(s.entries) <= size
        for e in s.entries:
            assert all(p.phone == e.phone for p in e.people)
            best = min(e.people, key=lambda p: (p.priority, p.id))
            assert (best.timezone or "unknown") == s.timezone
    zones = [s.timezone for s in sheets]
    # a zone's sheets are consecutive, and within a zone entries run by (priority, phone)
    assert zones == sorted(zones, key=lambda z: (z == "unknown", z))
    for zone in set(zones):
        keyed = [(min(p.priority for p in e.people), e.phone) for s in sheets if s.timezone == zone for e in s.entries]
        assert keyed == sorted(keyed)
    assert split_call_sheets(list(reversed(people)), size, do_not_contact=dnc) == sheets


def test_shared_landline_called_once_and_priority_function():
    people = [
        Callee("mum", "+16175550100", "h1", "America/New_York", priority=3),
        Callee("dad", "+16175550100", "h1", "America/New_York", priority=1),
        Callee("kid", "+16175550199", "h1", "America/New_York", priority=2),
        Callee("gone", None, "h2"),
        Callee("bad", "6175550100"),
    ]
    sheets = split_call_sheets(people, 10)
    assert len(sheets) == 1
    (sheet,) = sheets
    assert [e.phone for e in sheet.entries] == ["+16175550100", "+16175550199"]
    assert [p.id for p in sheet.entries[0].people] == ["dad", "mum"]
    not_home_first = split_call_sheets(people, 10, priority=lambda c: 0 if c.id == "kid" else 1)
    assert [e.phone for e in not_home_first[0].entries] == ["+16175550199", "+16175550100"]


def test_do_not_contact_by_number_and_by_person():
    people = [Callee("a", "+16175550100"), Callee("b", "+16175550101"), Callee("c", "+16175550102")]
    sheets = split_call_sheets(people, 1, do_not_contact={"a", "+16175550101"})
    assert [[p.id for e in s.entries for p in e.people] for s in sheets] == [["c"]]
    assert sheets[0].timezone == "unknown"


@pytest.mark.parametrize("size", [True, 2.5, "10"])
def test_a_sheet_size_that_is_not_a_whole_number_above_zero_is_refused(size):
    """True is an int to Python and "10" is no number: neither may pass as a sheet size."""
    from walklists import InvalidSheetSizeError

    with pytest.raises(InvalidSheetSizeError, match="sheet_size must be an integer >= 1"):
        split_call_sheets([Callee(id="p1", phone="+16175550100", timezone="America/New_York")], sheet_size=size)
