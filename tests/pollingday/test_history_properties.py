"""Property: whatever a marked register holds, every row is recorded (once per voter), a repeat of
a voter already listed, or reported by its line; nothing is written when a row is refused; and a
second run of the same file changes nothing."""
from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from app.db import write_transaction
from app.errors import ImportRejected
from app.models import VotingHistory
from app.pollingday.history import import_marked_register

ROW_REASON = re.compile(r"^row (\d+): \S")
messy = st.one_of(st.text(max_size=10), st.sampled_from(["", " ", "-1", "AA-", "AA-1/x", "\x00", "AB-1000000"]))
cells = st.fixed_dictionaries({
    "Elector Number": st.sampled_from(["AA-1", "aa 2", "AA3", "AA-5/1", "AB-4/2", "AB-9", "ZZ-1"]) | messy,
    "Method": st.sampled_from(["", "postal", "In Person", "PV", "early"]) | messy,
}).filter(lambda row: any(v.strip() for v in row.values()))  # blank lines are no rows



def recorded(db) -> list[tuple]:
    out = sorted(db.execute(sa.select(VotingHistory.person_id, VotingHistory.election_id, VotingHistory.method)).all())
    db.rollback()
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(cells, min_size=1, max_size=8))
def test_every_row_is_recorded_or_reported_by_line(db, polling_day, election, rows):
    before = recorded(db)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["Elector Number", "Method"])
    writer.writeheader()
    writer.writerows(rows)
    text = out.getvalue()

    def run(skip_bad=False):
        return write_transaction(db, lambda s: import_marked_register(s, election_id=election, source=io.StringIO(text),
                                                                      skip_bad=skip_bad))
    try:
        report = run()
    except ImportRejected as err:
        lines = [int(ROW_REASON.match(d).group(1)) for d in err.details]
        assert all(2 <= line <= text.count("\n") for line in lines) and len(set(lines)) == len(lines)
        assert recorded(db) == before
        report = run(skip_bad=True)
    assert report.new + report.changed + report.unchanged + report.duplicates + len(report.rejected) == len(rows)
    assert {m for _, _, m in recorded(db)} <= {"in_person", "postal", "early"}
    after = recorded(db)
    again = run(skip_bad=True)
    assert again.new == again.changed == 0 and recorded(db) == after
