"""Formula safety: whatever text a volunteer typed or a file held, no cell of an export starts a
formula in a spreadsheet, and the text reads back unchanged but for the one apostrophe."""
import csv
import io

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db import engine_for
from app.exports import csv_stream, spreadsheet_safe
from app.demo.town import AREA_CODES
from app.exports.cells import FORMULA_STARTS, phone_text
from app.imports.phones import NANP_AREA_CODES

# Text biased towards what spreadsheets treat as formulas, and the characters CSV must quote.
_risky = st.sampled_from(list(FORMULA_STARTS) + [",", '"', "\n", "'", " ", "=SUM(A1:A9)", "+1 617", "-2", "@x"])
cell_text = st.one_of(st.text(max_size=30), st.lists(st.one_of(_risky, st.text(max_size=5)), max_size=6).map("".join))


def _as_written(cell: str, original: str) -> bool:
    """The text itself, or (a formula's start only) the text behind one apostrophe."""
    return cell == original or (original.startswith(FORMULA_STARTS) and cell == "'" + original)


@given(cell_text)
def test_no_cell_starts_a_formula_and_the_text_survives(text):
    safe = spreadsheet_safe(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert _as_written(safe, text)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell_text, min_size=3, max_size=3), max_size=8))
def test_the_csv_stream_writes_every_cell_safely(app, rows):
    """Through the real writer: quoting, new lines inside notes, a header from config."""
    with app.app_context():
        chunks = list(csv_stream(engine_for(app), ["=Header", "Notes", "@who"], lambda session: [rows]))
    assert chunks[0].startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO("".join(chunks)[1:], newline="")))
    assert parsed[0] == ["'=Header", "Notes", "'@who"]
    for written, original in zip(parsed[1:], rows):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in written)
        assert all(_as_written(cell, text) for cell, text in zip(written, original)) and len(written) == 3
    assert len(parsed) == len(rows) + 1


@pytest.mark.parametrize("e164, text", [
    ("+16175550123", "(617) 555-0123"),        # the campaign's own country (default_region US): as dialled there
    ("+442079460123", "+44 20 7946 0123"),     # elsewhere: international (spreadsheet_safe keeps it text)
    ("+16715550123", "+1 671-555-0123"),       # Guam is its own region
    (None, ""),
    ("not a number", "not a number"),
])
def test_phone_numbers_as_people_write_them(e164, text):
    assert phone_text(e164, region="US") == text


def _by_phonenumbers(e164: str, region: str) -> str:
    number = phonenumbers.parse(e164, None)
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if phonenumbers.region_code_for_number(number) == region
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


@pytest.mark.parametrize("region", ["US", "GB", "CA"])
def test_the_quick_way_for_north_american_numbers_agrees_with_phonenumbers(region):
    """US numbers skip the parse (a city's export is mostly them); every area code we make numbers in,
    and the NANP places that are not the US (Guam, Puerto Rico, Canada, the Virgin Islands), agree."""
    areas = set(NANP_AREA_CODES) | set(AREA_CODES) | {"671", "808", "787", "939", "340", "670", "416", "604", "907"}
    for area in sorted(areas):
        for rest in ("5550100", "5550199", "2345678"):
            e164 = f"+1{area}{rest}"
            assert phone_text(e164, region=region) == _by_phonenumbers(e164, region), e164
