"""The register import: a UK register export (made up) into people, households placed by postcode
centroid, and elector numbers; re-imports update by elector number; bad rows are reported by line."""
from __future__ import annotations

import csv

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.errors import ImportRejected, ValidationError
from app.imports.centroids import import_centroids
from app.models import AuditEntry, Elector, Household, Person
from app.pollingday.register import import_absent_voters, import_register
from tests.support.pollingday import POSTCODES, REGISTER

HEADER = ["Elector Number Prefix", "Elector Number", "Elector Number Suffix", "Elector Markers", "Elector DOB",
          "Elector Surname", "Elector Forename", "PostCode", "Address1", "Address2", "Address3", "Address4",
          "Address5", "Address6"]


def register_rows() -> list[dict]:
    with open(REGISTER, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(tmp_path, rows: list[dict], name="register.csv"):
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def electors(db) -> dict:
    """elector number -> (first, last, markers, postal, proxy, house, street, unit, district code)."""
    from app.models import Neighbourhood
    rows = db.execute(
        sa.select(Elector.prefix, Elector.number, Elector.suffix, Person.first_name, Person.last_name, Elector.markers,
                  Elector.postal, Elector.proxy, Household.house_number, Household.street, Household.unit,
                  Neighbourhood.code)
        .join(Person, Person.id == Elector.person_id).join(Household, Household.id == Person.household_id)
        .outerjoin(Neighbourhood, Neighbourhood.id == Household.neighbourhood_id)).all()
    db.rollback()
    return {f"{r[0]}-{r[1]}" + (f"/{r[2]}" if r[2] else ""): tuple(r[3:]) for r in rows}


def run(db, **kw):
    return write_transaction(db, lambda s: import_register(s, **kw))


def test_the_sample_register(db, districts):
    report = run(db, csv_path=REGISTER, postcodes_path=POSTCODES)
    assert report.summary() == ("8 imported, 0 updated, 0 rejected, 0 outside every ward; people: 10 imported, "
                                "0 updated; elector numbers: 10 new, 0 changed")
    found = electors(db)
    assert found["AA-1"] == ("Ada", "Ampleforth", "", False, False, "1", "Acacia Avenue", "", "AA")
    assert found["AA-2"][2:5] == ("A", True, False)
    assert found["AB-2"][2:5] == ("AP", True, True)
    assert found["AA-3"][5:8] == ("3", "Acacia Avenue", "Flat 2")
    assert found["AA-5/1"][5:8] == ("", "Mill Lane", "Rose Cottage")
    assert found["AA-6"][5:7] == ("7A", "Mill Lane")
    assert found["AB-3"][5:7] == ("14-16", "Beech Road")
    assert found["AB-4/2"][8] == "AB"
    assert db.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc())).scalars().first() == "import.register"
    db.rollback()


def test_reimport_updates_by_elector_number(db, districts, tmp_path):
    run(db, csv_path=REGISTER, postcodes_path=POSTCODES)
    ids = dict(db.execute(sa.select(Person.external_id, Person.id)).all())
    db.rollback()
    rows = register_rows()
    rows[0]["Elector Forename"] = "Adeline"
    rows[1]["Elector Markers"] = ""
    rows.append({**rows[0], "Elector Number": "7", "Elector Forename": "Kit"})
    report = run(db, csv_path=write(tmp_path, rows), postcodes_path=POSTCODES)
    assert report.people_imported == 1 and report.people_updated == 10
    assert (report.electors_imported, report.electors_changed) == (1, 1)
    found = electors(db)
    assert found["AA-1"][0] == "Adeline" and found["AA-2"][2:5] == ("", False, False) and found["AA-7"][0] == "Kit"
    assert dict(db.execute(sa.select(Person.external_id, Person.id).where(Person.external_id != "AA-7")).all()) == ids
    db.rollback()


@pytest.mark.parametrize("change, reason", [
    ({"Elector Number": "twelve"}, "elector number 'twelve' is not a whole number"),
    ({"Elector Number": "0"}, "elector number 0 must be between 1 and 999999"),
    ({"Elector Number Prefix": ""}, "prefix '' must be 1 to 10 letters or digits"),
    ({"Elector Number Suffix": "x"}, "suffix 'x' is not a whole number"),
    ({"Elector Number": "2", "Elector Number Suffix": ""}, "duplicate person_external_id 'AA-2' (first on row 3)"),
    ({"PostCode": "ZZ9 9ZZ"}, "unknown postcode 'ZZ9 9ZZ'"),
    ({"Address1": "", "Address2": "", "Address3": ""}, "missing address (columns Address1, Address2"),
    ({"Elector Markers": "A" * 21}, "markers are longer than 20 characters"),
    ({"Elector Surname": "Nul\x00l"}, "control character"),
])
def test_a_bad_row_is_reported_by_line_and_nothing_is_imported(db, districts, tmp_path, change, reason):
    rows = register_rows()
    rows[4].update(change)  # line 6 of the file
    with pytest.raises(ImportRejected) as err:
        run(db, csv_path=write(tmp_path, rows), postcodes_path=POSTCODES)
    assert err.value.details[0].startswith("row 6: ") and reason in err.value.details[0]
    assert db.execute(sa.select(sa.func.count()).select_from(Person)).scalar_one() == 0
    db.rollback()
    report = run(db, csv_path=write(tmp_path, rows), postcodes_path=POSTCODES, skip_bad=True)
    assert [e.row for e in report.rejected] == [6] and report.people_imported == 9
    assert len(electors(db)) == 9


def test_postcodes_from_the_centroid_table(db, districts):
    with pytest.raises(ValidationError, match="no postcode centroids"):
        run(db, csv_path=REGISTER)
    db.rollback()
    import_centroids(db, source=POSTCODES)
    db.rollback()
    assert run(db, csv_path=REGISTER).people_imported == 10
    assert electors(db)["AB-1"][8] == "AB"


def test_absent_voters_mark_postal_and_proxy(db, districts, tmp_path):
    run(db, csv_path=REGISTER, postcodes_path=POSTCODES)
    rows = [dict(zip(HEADER[:4], r)) for r in (("AA", "1", "", "A"), ("AB", "4", "2", "p"), ("AA", "2", "", "A"))]
    report = write_transaction(db, lambda s: import_absent_voters(s, csv_path=write(tmp_path, rows, "absent.csv")))
    assert report.summary() == "3 electors marked (2 postal, 1 proxy), 2 changed, 0 rejected"
    found = electors(db)
    assert found["AA-1"][2:5] == ("A", True, False) and found["AB-4/2"][2:5] == ("P", False, True)


@pytest.mark.parametrize("row, reason", [
    (("ZZ", "1", "", "A"), "row 2: no elector ZZ-1 on the register (import the register first)"),
    (("AA", "1", "", "Q"), "row 2: markers 'Q' must be A (postal), P (proxy) or both"),
    (("AA", "x", "", "A"), "row 2: elector number 'x' is not a whole number"),
])
def test_absent_voters_bad_rows(db, districts, tmp_path, row, reason):
    run(db, csv_path=REGISTER, postcodes_path=POSTCODES)
    path = write(tmp_path, [dict(zip(HEADER[:4], row)), dict(zip(HEADER[:4], ("AA", "3", "", "A")))], "absent.csv")
    with pytest.raises(ImportRejected) as err:
        write_transaction(db, lambda s: import_absent_voters(s, csv_path=path))
    assert err.value.details == [reason]
    assert electors(db)["AA-3"][2] == ""


def test_cli(runner, db, districts, tmp_path):
    path = write(tmp_path, [dict(zip(HEADER[:4], ("AA", "3", "", "P")))], "absent.csv")
    result = runner.invoke(args=["import-register", str(REGISTER), "--postcodes", str(POSTCODES), "--absent", str(path)])
    assert result.exit_code == 0, result.output
    assert "people: 10 imported" in result.output and "1 electors marked (0 postal, 1 proxy)" in result.output
    rows = register_rows()
    rows[2]["Elector Number"] = "junk"
    result = runner.invoke(args=["import-register", str(write(tmp_path, rows)), "--postcodes", str(POSTCODES)])
    assert result.exit_code == 1 and "row 4: elector number 'junk' is not a whole number" in result.output
    result = runner.invoke(args=["import-absent-voters", str(path)])
    assert result.exit_code == 0 and "0 changed" in result.output
