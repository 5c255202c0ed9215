"""The US ballot-status import: the made-up daily file into ballot_statuses by voter id, common
spellings of a status, re-imports update, bad rows named by line and nothing written, the CLI
and the organiser's upload."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.errors import ImportRejected, ValidationError
from app.imports.mapping import MappingError
from app.models import AuditEntry, BallotStatus, Person
from app.pollingday.ballot_mapping import BALLOT_MAPPING, BallotMapping
from app.pollingday.ballots import import_ballot_status
from tests.support.imports import upload
from tests.support.pollingday import DATA

SAMPLE = DATA / "ballot_status.csv"


def sample_rows() -> list[dict]:
    with open(SAMPLE, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def as_text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(sample_rows()[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def run(db, source, **kw):
    return write_transaction(db, lambda s: import_ballot_status(s, source=source, **kw))


def statuses(db) -> dict:
    rows = db.execute(sa.select(Person.external_id, BallotStatus.status, BallotStatus.status_date, BallotStatus.updated_at)
                      .join(BallotStatus, BallotStatus.person_id == Person.id)).all()
    db.rollback()
    return {voter: (status, when, at) for voter, status, when, at in rows}


def test_the_sample_file(db, us_voters):
    report = run(db, SAMPLE)
    assert report.summary() == ("7 rows: 7 new, 0 changed, 0 unchanged, 0 superseded, 0 rejected "
                                "(1 requested, 3 sent, 1 returned, 1 voted early, 1 rejected)")
    got = {voter: row[:2] for voter, row in statuses(db).items()}
    assert got == {
        "TV000001": ("sent", date(2026, 10, 5)),          # "Ballot Sent": the issued date
        "TV000002": ("requested", date(2026, 10, 12)),    # "REQUESTED": the application date
        "TV000003": ("returned", date(2026, 10, 14)),     # the return date, the first non-blank
        "TV000004": ("sent", date(2026, 10, 6)),          # "Issued"
        "TV000005": ("voted_early", date(2026, 10, 20)),  # "Early Voted"
        "TV000006": ("sent", date(2026, 10, 7)),          # "Mailed"
        "TV000007": ("rejected", date(2026, 10, 15)),
    }
    assert db.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc())).scalars().first() == "import.ballot_status"
    db.rollback()


def test_a_daily_reimport_updates_each_voter(db, us_voters):
    run(db, SAMPLE)
    before = statuses(db)
    rows = sample_rows()
    rows[0].update({"Ballot Status": "RETURNED", "Ballot Return Date": "10/21/2026"})   # TV000001 came back
    rows[1].update({"Ballot Status": "sent", "Ballot Issued Date": "2026-10-19"})      # ISO dates too
    rows.append({**rows[2], "Voter ID": "TV000008", "Ballot Status": "Ballot Requested", "Application Date": "10/20/2026",
                 "Ballot Issued Date": "", "Ballot Return Date": ""})
    report = run(db, io.StringIO(as_text(rows)))
    assert (report.new, report.changed, report.unchanged) == (1, 2, 5)
    after = statuses(db)
    assert after["TV000001"][:2] == ("returned", date(2026, 10, 21))
    assert after["TV000002"][:2] == ("sent", date(2026, 10, 19))
    assert after["TV000008"][:2] == ("requested", date(2026, 10, 20))
    assert after["TV000003"] == before["TV000003"]   # unchanged: not even its updated_at
    assert after["TV000001"][2] >= before["TV000001"][2]


def test_a_voter_on_two_rows_takes_the_latest_dated_row(db, us_voters):
    rows = sample_rows()[:1]
    reissued = {**rows[0], "Ballot Status": "Sent", "Ballot Issued Date": "10/09/2026"}
    rows = [{**rows[0], "Ballot Status": "Rejected", "Ballot Return Date": "10/08/2026"}, reissued,
            {**rows[0], "Ballot Status": "Requested", "Ballot Issued Date": "", "Application Date": "10/01/2026"}]
    report = run(db, io.StringIO(as_text(rows)))
    assert report.duplicates == 2 and statuses(db)["TV000001"][:2] == ("sent", date(2026, 10, 9))
    undated = [{**rows[1], "Ballot Status": s, "Application Date": "", "Ballot Issued Date": "", "Ballot Return Date": ""}
               for s in ("sent", "returned")]
    run(db, io.StringIO(as_text(undated)))
    assert statuses(db)["TV000001"][:2] == ("returned", None)   # a tie: the later row


@pytest.mark.parametrize("written, status", [
    ("Ballot Returned", "returned"), ("RETURNED", "returned"), ("received", "returned"), ("Accepted", "returned"),
    ("Early Voted", "voted_early"), ("voted early", "voted_early"), ("VOTED_EARLY", "voted_early"),
    ("One Stop", "voted_early"), ("Ballot Issued", "sent"), ("mailed-ballot", "sent"), ("Sent", "sent"),
    ("Requested", "requested"), ("Application Received", "requested"), ("Spoiled", "rejected"),
    ("Ballot Cancelled", "rejected"), (" rejected ", "rejected"),
])
def test_common_spellings_of_a_status(written, status):
    assert BallotMapping.load(BALLOT_MAPPING).normalise_status(written) == status


@pytest.mark.parametrize("written, day", [
    ("10/14/2026", date(2026, 10, 14)), ("1/2/2026", date(2026, 1, 2)), ("2026-10-14", date(2026, 10, 14)),
    ("10/14/2026 09:30:00", date(2026, 10, 14)), ("2026-10-14T09:30", date(2026, 10, 14)),
])
def test_dates_as_offices_write_them(written, day):
    assert BallotMapping.load(BALLOT_MAPPING).parse_date(written, "Ballot Return Date") == day


def test_the_mapping_adds_the_offices_own_words(db, us_voters, tmp_path):
    text = BALLOT_MAPPING.read_text().replace('# "C" = "rejected"', '"C" = "rejected"\n"ABS-OUT" = "sent"')
    mapping = BallotMapping.from_toml(text, source="own.toml")
    rows = sample_rows()[:2]
    rows[0]["Ballot Status"], rows[1]["Ballot Status"] = "c", "abs out"
    run(db, io.StringIO(as_text(rows)), mapping=mapping)
    assert [v[0] for _, v in sorted(statuses(db).items())] == ["rejected", "sent"]


@pytest.mark.parametrize("change, reason", [
    ({"Ballot Status": "In the post, probably"}, "unknown ballot status 'In the post, probably'"),
    ({"Ballot Status": ""}, "missing ballot status (column Ballot Status)"),
    ({"Ballot Issued Date": "31/10/2026"}, "Ballot Issued Date '31/10/2026' is not a date"),
    ({"Ballot Issued Date": "10/05/0999"}, "is not between 1900-01-01 and 2999-12-31"),
    ({"Voter ID": "TV999999"}, "no person with voter id 'TV999999' (import the voter file first)"),
    ({"Voter ID": ""}, "missing voter id (column Voter ID)"),
    ({"Voter ID": "X" * 65}, "voter id is longer than 64 characters"),
    ({"Voter ID": "TV00\x000001"}, "column 'Voter ID' contains a control character (U+0000)"),
])
def test_a_bad_row_is_named_by_line_and_nothing_is_written(db, us_voters, change, reason):
    rows = sample_rows()
    rows[3].update(change)  # line 5 of the file
    with pytest.raises(ImportRejected) as err:
        run(db, io.StringIO(as_text(rows)))
    assert err.value.details[0].startswith("row 5: ") and reason in err.value.details[0], err.value.details
    assert statuses(db) == {}
    report = run(db, io.StringIO(as_text(rows)), skip_bad=True)
    assert [e.row for e in report.rejected] == [5] and report.new == 6
    assert "TV000004" not in statuses(db)


@pytest.mark.parametrize("text, message", [
    ("", "the ballot-status file is empty"),
    ("Voter ID,Ballot Status,Ballot Return Date,Ballot Issued Date,Application Date\n", "has a header but no rows"),
    ("Voter,Status\nTV000001,sent\n", "the ballot-status file has no column 'Voter ID', 'Ballot Status'"),
])
def test_a_file_that_is_not_a_ballot_file(db, us_voters, text, message):
    with pytest.raises(ValidationError, match=message):
        run(db, io.StringIO(text))
    assert statuses(db) == {}


@pytest.mark.parametrize("toml, message", [
    ("name = 1\n[columns]\nvoter_id = 'a'\nstatus = 'b'", "name must be text"),
    ("[columns]\nvoter_id = 'a'", "[columns] status must be a column name"),
    ("[columns]\nvoter_id = 'a'\nstatus = 'b'\nstreet = 'c'", "needs a [columns] table"),
    ("[columns]\nvoter_id = 'a'\nstatus = 'b'\nstatus_date = 3", "status_date must be a column name or a list"),
    ("date_formats = ['mdy']\n[columns]\nvoter_id = 'a'\nstatus = 'b'", "date_formats must be a list of strptime"),
    ("[columns]\nvoter_id = 'a'\nstatus = 'b'\n[statuses]\nX = 'gone'", "the value must be one of requested"),
    ("colour = 'red'\n[columns]\nvoter_id = 'a'\nstatus = 'b'", "unknown key(s) colour"),
    ("[columns", "is not valid TOML"),
])
def test_bad_mappings(toml, message):
    with pytest.raises(MappingError) as err:
        BallotMapping.from_toml(toml, source="bad.toml")
    assert message in err.value.message


def test_the_command(runner, db, us_voters, tmp_path):
    result = runner.invoke(args=["import-ballot-status", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "7 rows: 7 new" in result.output and len(statuses(db)) == 7
    rows = sample_rows()
    rows[0]["Ballot Status"] = "Lost in the post"
    bad = tmp_path / "bad.csv"
    bad.write_text(as_text(rows), encoding="utf-8")
    result = runner.invoke(args=["import-ballot-status", str(bad)])
    assert result.exit_code == 1 and "row 2: unknown ballot status 'Lost in the post'" in result.output
    report = tmp_path / "report.csv"
    result = runner.invoke(args=["import-ballot-status", str(bad), "--skip-bad", "--report", str(report)])
    assert result.exit_code == 1 and "0 changed, 6 unchanged" in result.output
    assert report.read_text().splitlines()[1].startswith("2,\"unknown ballot status 'Lost in the post'")
    assert statuses(db)["TV000001"][0] == "sent"   # the bad row changed nothing


def test_the_organisers_upload(client, auth, db, us_voters):
    auth.login_as("organiser")
    token = auth.csrf_token("/organiser/imports")

    def post(text, **fields):
        form = {"csrf_token": token, "v-csv_file": upload(text, "absentee.csv"), **fields}
        return client.post("/organiser/imports/ballot-status", data=form, content_type="multipart/form-data")

    rows = sample_rows()
    rows[2]["Voter ID"] = "TV424242"
    response = post(as_text(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nothing was imported" in page and "row 4: no person with voter id" in page
    assert statuses(db) == {}
    response = post(as_text(rows), **{"v-skip_bad": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "7 rows: 6 new, 0 changed, 0 unchanged, 0 superseded, 1 rejected" in page
    assert "<td>4</td>" in page and len(statuses(db)) == 6
    own = upload("[columns]\nvoter_id = 'Voter ID'\nstatus = 'Ballot Status'\n[statuses]\nZAP = 'rejected'", "own.toml")
    rows[0]["Ballot Status"] = "zap"
    response = post(as_text(rows[:1]), **{"v-mapping_file": own})
    assert response.status_code == 200 and statuses(db)["TV000001"][:2] == ("rejected", None)
