"""Properties of the ballot-status import: whatever the office's file holds, every row is stored,
superseded by a later row for the same voter, or reported by its line; only the five statuses
are ever stored; nothing is written when a row is refused."""
from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from app.db import write_transaction
from app.errors import ImportRejected
from app.imports.rows import BadRow
from app.models import BallotStatus
from app.pollingday.ballot_mapping import BALLOT_MAPPING, STATUSES, BallotMapping
from app.pollingday.ballots import import_ballot_status

HEADER = ["Voter ID", "Ballot Status", "Application Date", "Ballot Issued Date", "Ballot Return Date"]
ROW_REASON = re.compile(r"^row (\d+): \S")
MAPPING = BallotMapping.load(BALLOT_MAPPING)

messy = st.one_of(st.text(max_size=12), st.sampled_from(["", " ", "x", "\x00", "13/45/2026", "2026-02-30"]))
cells = st.fixed_dictionaries({
    "Voter ID": st.sampled_from([f"TV00000{i}" for i in range(1, 9)] + ["TV999999"]) | messy,
    "Ballot Status": st.sampled_from(["Ballot Sent", "RETURNED", "Early Voted", "requested", "Spoiled"]) | messy,
    "Application Date": st.sampled_from(["", "10/01/2026", "2026-10-02"]) | messy,
    "Ballot Issued Date": st.sampled_from(["", "10/05/2026"]) | messy,
    "Ballot Return Date": st.sampled_from(["", "10/14/2026 09:30:00"]) | messy,
}).filter(lambda row: any(v.strip() for v in row.values()))  # blank lines are no rows


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def stored(db) -> list[tuple]:
    out = sorted(db.execute(sa.select(BallotStatus.person_id, BallotStatus.status, BallotStatus.status_date)).all())
    db.rollback()
    return out


@given(text=st.text(max_size=40))
def test_a_status_is_one_of_five_or_a_reason(text):
    try:
        assert MAPPING.normalise_status(text) in STATUSES
    except BadRow as exc:
        assert str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(cells, min_size=1, max_size=8))
def test_every_row_is_stored_superseded_or_reported_by_line(db, us_voters, rows):
    before = stored(db)
    text = as_csv(rows)
    try:
        report = write_transaction(db, lambda s: import_ballot_status(s, source=io.StringIO(text)))
    except ImportRejected as err:
        lines = [int(ROW_REASON.match(d).group(1)) for d in err.details]
        assert all(2 <= line <= text.count("\n") for line in lines) and len(set(lines)) == len(lines)
        assert stored(db) == before  # nothing half-written
        report = write_transaction(db, lambda s: import_ballot_status(s, source=io.StringIO(text), skip_bad=True))
    assert report.new + report.changed + report.unchanged + report.duplicates + len(report.rejected) == len(rows)
    assert {status for _, status, _ in stored(db)} <= set(STATUSES)
    assert len(stored(db)) <= len(us_voters)
