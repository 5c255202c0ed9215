"""Property: whatever is in a register's cells, every row is either imported (one person with one
elector number) or reported by its line; with --skip-bad the two add up to the file."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from app.db import write_transaction
from app.errors import ImportRejected
from app.models import Elector, Person
from app.pollingday.register import import_register
from tests.support.imports import csv_text
from tests.support.pollingday import POSTCODES

HEADER = ["Elector Number Prefix", "Elector Number", "Elector Number Suffix", "Elector Markers", "Elector DOB",
          "Elector Surname", "Elector Forename", "PostCode", "Address1", "Address2", "Address3", "Address4",
          "Address5", "Address6"]
ROW_REASON = re.compile(r"^row (\d+): \S")

messy = st.one_of(st.text(max_size=8), st.sampled_from(["", " ", "-1", "0", "1.5", "x", "AA-1", "\x00"]))
cells = st.fixed_dictionaries({
    "Elector Number Prefix": st.sampled_from(["AA", "AB", "ab"]) | messy,
    "Elector Number": st.integers(1, 30).map(str) | messy,
    "Elector Number Suffix": st.sampled_from(["", "0", "1", "2"]) | messy,
    "Elector Markers": st.sampled_from(["", "A", "P", "AP", "E"]) | messy,
    "Elector DOB": messy,
    "Elector Surname": st.sampled_from(["Ampleforth", "Brackley"]) | messy,
    "Elector Forename": st.sampled_from(["Ada", "Bryn"]) | messy,
    "PostCode": st.sampled_from(["ZZ1 1AA", "zz11ab", "ZZ1 2AA", "ZZ9 9ZZ"]) | messy,
    "Address1": st.sampled_from(["1 Acacia Avenue", "Flat 2", "Rose Cottage", ""]) | messy,
    "Address2": st.sampled_from(["3 Acacia Avenue", "Mill Lane", "Testville", ""]) | messy,
    "Address3": st.sampled_from(["Testville", ""]),
    "Address4": st.just(""), "Address5": st.just(""), "Address6": st.just(""),
})


def as_csv(rows: list[dict]) -> io.StringIO:
    return csv_text(rows, HEADER)


def counts(db) -> tuple[int, int]:
    out = tuple(db.execute(sa.select(sa.func.count()).select_from(m)).scalar_one() for m in (Person, Elector))
    db.rollback()
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(cells, min_size=1, max_size=6))
def test_every_row_is_imported_or_reported_by_line(db, districts, rows):
    before = counts(db)
    text = as_csv(rows).getvalue()
    try:
        report = write_transaction(db, lambda s: import_register(s, csv_path=io.StringIO(text), postcodes_path=POSTCODES))
    except ImportRejected as err:
        lines = [int(ROW_REASON.match(d).group(1)) for d in err.details]
        # the line a row starts on: a cell holding a line break makes the file longer than its rows
        assert all(2 <= line <= text.count("\n") for line in lines) and len(set(lines)) == len(lines)
        assert counts(db) == before  # nothing half-written
        report = write_transaction(db, lambda s: import_register(s, csv_path=io.StringIO(text),
                                                                 postcodes_path=POSTCODES, skip_bad=True))
    assert report.people_imported + report.people_updated + len(report.rejected) == len(rows)
    assert len({e.row for e in report.rejected}) == len(report.rejected)
    people, electors = counts(db)
    assert people == electors
