"""After the poll: the marked register (and, in the US, the returned and early ballots) into each
person's voting history; idempotent re-imports; bad rows by line; turnout by polling district,
on a page for organisers."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.errors import ImportRejected, NotFound, ValidationError
from app.models import AuditEntry, Elector, Person, VotingHistory
from app.params import MAX_ID
from app.pollingday.ballots import import_ballot_status
from app.pollingday.history import import_marked_register, record_early_votes, voting_history_summary
from tests.support.pollingday import DATA

MARKED = DATA / "marked_register.csv"
BIG = 2**63



def history(db, election_id: int) -> dict:
    """person's number (register) or voter id -> method."""
    rows = db.execute(sa.select(Elector.prefix, Elector.number, Elector.suffix, Person.external_id, VotingHistory.method)
                      .select_from(VotingHistory).join(Person, Person.id == VotingHistory.person_id)
                      .outerjoin(Elector, Elector.person_id == Person.id)
                      .where(VotingHistory.election_id == election_id)).all()
    db.rollback()
    return {(f"{p}-{n}" + (f"/{s}" if s else "") if p else voter): method for p, n, s, voter, method in rows}


def run(db, **kw):
    return write_transaction(db, lambda s: import_marked_register(s, **kw))


def test_the_marked_register(db, polling_day, election):
    report = run(db, election_id=election, source=MARKED)
    assert report.summary() == "6 rows: 6 voters recorded, 0 changed, 0 already recorded, 0 listed twice, 0 rejected"
    assert history(db, election) == {"AA-1": "in_person", "AA-2": "postal", "AA-5/1": "in_person",
                                     "AB-1": "in_person", "AB-2": "postal", "AB-3": "in_person"}
    again = run(db, election_id=election, source=MARKED)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 6)
    assert db.execute(sa.select(sa.func.count()).select_from(VotingHistory)).scalar_one() == 6
    assert db.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc())).scalars().first() == "import.marked_register"
    db.rollback()


def test_a_changed_method_is_updated_and_other_elections_are_untouched(db, polling_day, election, make_election):
    run(db, election_id=election, source=MARKED)
    other = make_election(name="Next", polling_date=date(2027, 5, 6))
    text = "Elector Number,Method\nAA-1,postal\n"
    report = run(db, election_id=election, source=io.StringIO(text))
    assert (report.new, report.changed) == (0, 1) and history(db, election)["AA-1"] == "postal"
    run(db, election_id=other, source=io.StringIO(text))
    assert history(db, other) == {"AA-1": "postal"} and len(history(db, election)) == 6


def test_the_registers_three_columns_and_the_postal_list(db, polling_day, election):
    text = ("Elector Number Prefix,Elector Number,Elector Number Suffix,Elector Surname\n"
            "AA,5,1,Dunmore\nAB,4,2,Brackley\n")
    report = run(db, election_id=election, source=io.StringIO(text), default_method="postal")
    assert report.new == 2 and history(db, election) == {"AA-5/1": "postal", "AB-4/2": "postal"}


def test_named_columns(db, polling_day, election):
    text = "No.,How\nAA-3,post\nAA-4,\n"
    run(db, election_id=election, source=io.StringIO(text), number_column="No.", method_column="how")
    assert history(db, election) == {"AA-3": "postal", "AA-4": "in_person"}
    with pytest.raises(ValidationError, match="the marked register has no column 'Number'"):
        run(db, election_id=election, source=io.StringIO(text), number_column="Number")


@pytest.mark.parametrize("bad, reason", [
    ("ZZ-9,", "no elector ZZ-9 on the register"),
    ("AA-99,", "no elector AA-99 on the register"),
    ("AA-0,", "the number of 'AA-0' must be between 1 and 999999"),
    ("nonsense,", "'nonsense' is not an elector number"),
    ("AA-6,by pigeon", "method 'by pigeon' is not in person, postal or early"),
    ("AA-1,postal", "AA-1 is listed twice with different methods (first on row 2)"),
    ("AA-6\x00,", "is not an elector number"),
])
def test_a_bad_row_is_named_by_line_and_nothing_is_written(db, polling_day, election, bad, reason):
    text = "Elector Number,Method\nAA-1,in person\nAB-1,\n" + bad + "\n"
    with pytest.raises(ImportRejected) as err:
        run(db, election_id=election, source=io.StringIO(text))
    assert len(err.value.details) == 1 and err.value.details[0].startswith("row 4: ") and reason in err.value.details[0]
    assert history(db, election) == {}
    report = run(db, election_id=election, source=io.StringIO(text), skip_bad=True)
    assert [e.row for e in report.rejected] == [4] and history(db, election) == {"AA-1": "in_person", "AB-1": "in_person"}


def test_an_elector_listed_twice_the_same_way_is_one_voter(db, polling_day, election):
    report = run(db, election_id=election, source=io.StringIO("Elector Number\nAA-1\naa 1\n"))
    assert (report.new, report.duplicates) == (1, 1)


@pytest.mark.parametrize("text, message", [
    ("", "the marked register is empty"),
    ("Elector Number,Method\n\n", "the marked register has a header but no rows"),
    ("Surname,Method\nAmpleforth,\n", "the marked register needs an elector number column"),
])
def test_a_file_that_is_not_a_marked_register(db, polling_day, election, text, message):
    with pytest.raises(ValidationError, match=message):
        run(db, election_id=election, source=io.StringIO(text))


def test_an_unknown_election(db, polling_day):
    with pytest.raises(NotFound, match="There is no election 42"):
        run(db, election_id=42, source=MARKED)
    with pytest.raises(NotFound):
        write_transaction(db, lambda s: record_early_votes(s, election_id=42))


def test_the_commands(runner, db, polling_day, election, tmp_path):
    result = runner.invoke(args=["import-marked-register", "--election", str(election), str(MARKED)])
    assert result.exit_code == 0 and "6 voters recorded" in result.output, result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("Elector Number\nAA-1\nZZ-1\n", encoding="utf-8")
    result = runner.invoke(args=["import-marked-register", "--election", str(election), str(bad)])
    assert result.exit_code == 1 and "row 3: no elector ZZ-1 on the register" in result.output
    report = tmp_path / "report.csv"
    result = runner.invoke(args=["import-marked-register", "--election", str(election), str(bad), "--skip-bad",
                                 "--report", str(report)])
    assert result.exit_code == 1 and report.read_text().splitlines()[1] == "3,no elector ZZ-1 on the register"
    result = runner.invoke(args=["import-marked-register", "--election", "999", str(MARKED)])
    assert result.exit_code == 1 and "There is no election 999" in result.output
    for args in (["--election", "0"], ["--election", str(BIG)], ["--election", "x"], ["--method", "pigeon"]):
        result = runner.invoke(args=["import-marked-register", *args, str(MARKED)])
        assert result.exit_code == 2, args
    result = runner.invoke(args=["record-early-votes", "--election", str(MAX_ID)])
    assert result.exit_code == 1 and f"There is no election {MAX_ID}" in result.output
    assert len(history(db, election)) == 6


def test_early_and_postal_ballots_become_voting_history(runner, db, us_voters, election, tmp_path):
    write_transaction(db, lambda s: import_ballot_status(s, source=DATA / "ballot_status.csv"))
    result = runner.invoke(args=["record-early-votes", "--election", str(election)])
    assert result.exit_code == 0 and "2 voters recorded" in result.output, result.output
    assert history(db, election) == {"TV000003": "postal", "TV000005": "early"}
    result = runner.invoke(args=["record-early-votes", "--election", str(election)])
    assert "0 voters recorded, 0 changed, 2 already recorded" in result.output
    later = tmp_path / "later.csv"
    later.write_text("Voter ID,Ballot Status,Ballot Return Date,Ballot Issued Date,Application Date\n"
                     "TV000001,returned,10/30/2026,,\n", encoding="utf-8")
    write_transaction(db, lambda s: import_ballot_status(s, source=later))
    write_transaction(db, lambda s: record_early_votes(s, election_id=election))
    assert history(db, election) == {"TV000001": "postal", "TV000003": "postal", "TV000005": "early"}


def test_turnout_by_polling_district(db, polling_day, election):
    run(db, election_id=election, source=MARKED)
    lines, total = voting_history_summary(db, election_id=election)
    db.rollback()
    assert [(l.label, l.electors, l.voted, l.percent, l.by_method) for l in lines] == [
        ("AA District AA", 6, 3, 50.0, {"in_person": 2, "postal": 1}),
        ("AB District AB", 4, 3, 75.0, {"in_person": 2, "postal": 1})]
    assert (total.electors, total.voted, total.percent) == (10, 6, 60.0)


def test_us_turnout_goes_by_the_households_district(db, us_voters, election, districts):
    write_transaction(db, lambda s: import_ballot_status(s, source=DATA / "ballot_status.csv"))
    write_transaction(db, lambda s: record_early_votes(s, election_id=election))
    lines, total = voting_history_summary(db, election_id=election)
    db.rollback()
    assert [(l.neighbourhood_id, l.electors, l.voted) for l in lines] == [(districts["AA"], 4, 1), (districts["AB"], 4, 1)]
    assert (total.voted, total.percent) == (2, 25.0)


def test_the_turnout_page(client, auth, db, polling_day, election):
    run(db, election_id=election, source=MARKED)
    auth.login_as("committee")
    assert client.get(f"/polling-day/elections/{election}/turnout").status_code == 403
    auth.login_as("organiser")
    page = client.get(f"/polling-day/elections/{election}/turnout").get_data(as_text=True)
    assert "Turnout: County council" in page and "AA District AA" in page and "75.0%" in page and "60.0%" in page
    for missing in (election + 1, MAX_ID, MAX_ID + 1, BIG):
        assert client.get(f"/polling-day/elections/{missing}/turnout").status_code == 404
