"""Address/people import: placement, geocoding by postcode, phones, idempotence, and every
kind of bad row reported as "row N: reason" with nothing written."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.errors import ImportRejected, ValidationError
from app.imports.addresses import import_addresses, write_report
from app.imports.mapping import Mapping
from app.models import AuditEntry, Household, Person

from .helpers import ADDRESS_HEADER, ADDRESS_MAPPING, address_row, snapshot

VOTER_MAPPING = Mapping.from_dict({"default_region": "US", "household_key": ["number", "street", "apt"], "columns": {
    "person_external_id": "voter", "first_name": "first", "last_name": "last", "phone": "phone",
    "house_number": "number", "street": "street", "unit": "apt", "lon": "lon", "lat": "lat"}})
REGISTER_MAPPING = Mapping.from_dict({"default_region": "GB", "household_key": ["number", "street", "postcode"],
                                      "columns": {"person_external_id": "elector", "last_name": "surname",
                                                  "house_number": "number", "street": "street",
                                                  "postcode": "postcode"}})


def households(db) -> dict[str, Household]:
    db.rollback()
    return {h.external_id: h for h in db.execute(sa.select(Household)).scalars()}


def test_import_places_each_household_in_ward_and_neighbourhood(db, areas, write_csv):
    rows = [address_row(1, lon=-71.115, lat=42.365), address_row(2, lon=-71.105, lat=42.375),
            address_row(3, lon=-71.11, lat=42.365),  # on the shared edge: one ward, not none
            address_row(4, lon=-71.0, lat=42.0, building="B9")]
    report = import_addresses(db, csv_path=write_csv(rows), mapping=ADDRESS_MAPPING)
    db.commit()
    assert (report.imported, report.updated, report.rejected, report.outside) == (4, 0, [], 1)
    found = households(db)
    assert (found["A1"].ward_id, found["A1"].neighbourhood_id) == (areas["W"], areas["W-S"])
    assert (found["A2"].ward_id, found["A2"].neighbourhood_id) == (areas["E"], areas["E-N"])
    assert found["A3"].ward_id in (areas["W"], areas["E"])
    assert (found["A4"].ward_id, found["A4"].neighbourhood_id) == (None, None)
    assert found["A1"].building_key == "P1" and found["A4"].building_key == "P4|B9"
    assert found["A1"].city == "Testville"
    audit = db.execute(sa.select(AuditEntry).where(AuditEntry.action == "import.addresses")).scalar_one()
    assert '"imported": 4' in audit.detail and audit.actor_label == "cli"


def test_reimport_is_idempotent(db, areas, write_csv):
    path = write_csv([address_row(i) for i in range(1, 6)])
    first = import_addresses(db, csv_path=path, mapping=ADDRESS_MAPPING)
    db.commit()
    again = import_addresses(db, csv_path=path, mapping=ADDRESS_MAPPING)
    db.commit()
    assert (first.imported, first.updated) == (5, 0)
    assert (again.imported, again.updated, again.outside) == (0, 5, first.outside)
    assert len(households(db)) == 5


def test_reimport_updates_changed_fields(db, areas, write_csv):
    import_addresses(db, csv_path=write_csv([address_row(1)]), mapping=ADDRESS_MAPPING)
    db.commit()
    report = import_addresses(db, csv_path=write_csv([address_row(1, lon=-71.105, lat=42.375, street="Oak St"),
                                                      address_row(2)]), mapping=ADDRESS_MAPPING)
    db.commit()
    assert (report.imported, report.updated) == (1, 1)
    found = households(db)
    assert (found["A1"].street, found["A1"].ward_id) == ("Oak St", areas["E"])


def test_voter_file_groups_people_into_households_with_e164_phones(db, areas, write_csv):
    base = {"number": "10", "street": "Elm St", "apt": "", "lon": "-71.115", "lat": "42.365"}
    rows = [{**base, "voter": "V1", "first": "Ada", "last": "Ample", "phone": "(617) 555-0101"},
            {**base, "voter": "V2", "first": "Bo", "last": "Ample", "phone": ""},
            {**base, "apt": "2", "voter": "V3", "first": "Cy", "last": "Other", "phone": "+44 113 496 0123"}]
    report = import_addresses(db, csv_path=write_csv(rows), mapping=VOTER_MAPPING)
    db.commit()
    assert (report.imported, report.people_imported) == (2, 3)
    people = {p.external_id: p for p in db.execute(sa.select(Person)).scalars()}
    assert people["V1"].household_id == people["V2"].household_id != people["V3"].household_id
    assert (people["V1"].phone, people["V1"].phone_type) == ("+16175550101", "landline_or_mobile")
    assert (people["V2"].phone, people["V3"].phone, people["V3"].phone_type) == (None, "+441134960123", "landline")
    again = import_addresses(db, csv_path=write_csv(rows), mapping=VOTER_MAPPING)
    db.commit()
    assert (again.imported, again.updated, again.people_imported, again.people_updated) == (0, 2, 0, 3)
    assert db.execute(sa.select(sa.func.count()).select_from(Person)).scalar_one() == 3


def test_changed_number_clears_the_retired_mark(db, areas, write_csv):
    from app.models import utcnow

    row = {"number": "1", "street": "Elm St", "apt": "", "lon": "-71.115", "lat": "42.365", "voter": "V1",
           "first": "Ada", "last": "Ample", "phone": "617-555-0101"}
    import_addresses(db, csv_path=write_csv([row]), mapping=VOTER_MAPPING)
    db.execute(sa.update(Person).values(phone_retired_at=utcnow()))
    db.commit()
    import_addresses(db, csv_path=write_csv([row]), mapping=VOTER_MAPPING)
    db.commit()
    assert db.execute(sa.select(Person.phone_retired_at)).scalar_one() is not None
    import_addresses(db, csv_path=write_csv([{**row, "phone": "617-555-0102"}]), mapping=VOTER_MAPPING)
    db.commit()
    assert db.execute(sa.select(Person.phone, Person.phone_retired_at)).one() == ("+16175550102", None)


def test_postcodes_geocode_a_register(db, areas, write_csv):
    postcodes = write_csv([{"postcode": "AB1 2CD", "lat": "42.375", "lon": "-71.105"},
                           {"postcode": "ZZ9 9ZZ", "lat": "", "lon": ""}])
    rows = [{"elector": "E1", "surname": "Ample", "number": "3", "street": "High St", "postcode": "ab12cd"},
            {"elector": "E2", "surname": "Ample", "number": "3", "street": "High St", "postcode": "AB1  2CD"}]
    report = import_addresses(db, csv_path=write_csv(rows), mapping=REGISTER_MAPPING, postcodes_path=postcodes)
    db.commit()
    assert (report.imported, report.people_imported, report.outside) == (1, 2, 0)
    (household,) = households(db).values()
    assert (household.postcode, household.lon, household.lat, household.ward_id) == ("AB1 2CD", -71.105, 42.375,
                                                                                     areas["E"])


BAD_ROWS = [
    ({"street": ""}, "row 3: missing street (column street)"),
    ({"id": ""}, "row 3: missing external_id (column id)"),
    ({"lon": "nan"}, "row 3: lon 'nan' is not a finite number"),
    ({"lat": "inf"}, "row 3: lat 'inf' is not a finite number"),
    ({"lat": "91"}, "row 3: lat 91 is out of range (-90 to 90)"),
    ({"lon": "-181"}, "row 3: lon -181 is out of range (-180 to 180)"),
    ({"lon": "west"}, "row 3: lon 'west' is not a number"),
    ({"lon": "", "lat": ""}, "row 3: missing coordinates (lon, lat)"),
    ({"lat": ""}, "row 3: missing lat (the other coordinate is given)"),
    ({"id": "A1"}, "row 3: duplicate external_id 'A1' (first on row 2)"),
    ({"number": "1" * 21}, "row 3: house_number is longer than 20 characters"),
]


@pytest.mark.parametrize("change, message", BAD_ROWS)
def test_bad_address_rows_reject_the_file(db, areas, write_csv, change, message):
    before = snapshot(db)
    path = write_csv([address_row(1), address_row(2, **change), address_row(3)])
    with pytest.raises(ImportRejected) as caught:
        import_addresses(db, csv_path=path, mapping=ADDRESS_MAPPING)
    db.rollback()
    assert caught.value.details == [message]
    assert "1 of 3 rows rejected, nothing was imported" in caught.value.message
    assert snapshot(db) == before


@pytest.mark.parametrize("change, message", [
    ({"phone": "555-1234"}, "row 2: phone '555-1234' is not a valid number for region US"),
    ({"phone": "call me"}, "row 2: phone 'call me' is not a phone number"),
    ({"voter": ""}, "row 2: missing person_external_id (column voter)"),
    ({"voter": "V0"}, "row 3: duplicate person_external_id 'V0' (first on row 2)"),
])
def test_bad_people_rows_reject_the_file(db, areas, write_csv, change, message):
    before = snapshot(db)
    base = {"number": "1", "street": "Elm St", "apt": "", "lon": "-71.115", "lat": "42.365", "first": "A",
            "last": "B", "phone": ""}
    rows = [{**base, "voter": "V1", **change}, {**base, "voter": "V0"}]
    with pytest.raises(ImportRejected) as caught:
        import_addresses(db, csv_path=write_csv(rows), mapping=VOTER_MAPPING)
    db.rollback()
    assert caught.value.details == [message]
    assert snapshot(db) == before


def test_unknown_postcode_is_a_bad_row(db, areas, write_csv):
    before = snapshot(db)
    postcodes = write_csv([{"postcode": "AB1 2CD", "lat": "42.375", "lon": "-71.105"}])
    rows = [{"elector": "E1", "surname": "A", "number": "3", "street": "High St", "postcode": "XY1 1XY"}]
    with pytest.raises(ImportRejected) as caught:
        import_addresses(db, csv_path=write_csv(rows), mapping=REGISTER_MAPPING, postcodes_path=postcodes)
    db.rollback()
    assert caught.value.details == ["row 2: unknown postcode 'XY1 1XY' (not in the postcode file)"]
    assert snapshot(db) == before


def test_skip_bad_imports_good_rows_and_reports_the_rest(db, areas, write_csv, tmp_path):
    rows = [address_row(1), address_row(2, lat="north"), address_row(3), address_row(4, street="")]
    report = import_addresses(db, csv_path=write_csv(rows), mapping=ADDRESS_MAPPING, skip_bad=True)
    db.commit()
    assert (report.imported, [str(e) for e in report.rejected]) == (
        2, ["row 3: lat 'north' is not a number", "row 5: missing street (column street)"])
    assert set(households(db)) == {"A1", "A3"}
    path = write_report(report, tmp_path / "out" / "report.csv")
    assert path.read_text().splitlines() == ["row,reason", "3,lat 'north' is not a number",
                                             "5,missing street (column street)"]


def test_row_numbers_count_physical_lines(db, areas, tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text(",".join(ADDRESS_HEADER) + "\n"
                    'A1,1,"Elm\nSt",,P1,,-71.115,42.365\n'
                    "\n"
                    "A2,2,Elm St,,P2,,-71.115,oops\n")
    with pytest.raises(ImportRejected) as caught:
        import_addresses(db, csv_path=path, mapping=ADDRESS_MAPPING)
    assert caught.value.details == ["row 5: lat 'oops' is not a number"]


@pytest.mark.parametrize("content, mapping, message", [
    ("", ADDRESS_MAPPING, "the CSV is empty"),
    (",".join(ADDRESS_HEADER) + "\n", ADDRESS_MAPPING, "the CSV has a header but no rows"),
    ("id,street,lon\nA1,Elm,1\n", ADDRESS_MAPPING, "the CSV has no column 'number', 'unit', 'parcel'"),
    (b"id,street\n\xff\xfe\n", ADDRESS_MAPPING, "the CSV is not UTF-8 text"),
    ("elector,surname,number,street,postcode\nE1,A,1,High St,AB1 2CD\n", REGISTER_MAPPING,
     "this mapping has no lon/lat columns: give a postcode centroid file"),
])
def test_bad_files(db, areas, tmp_path, content, mapping, message):
    before = snapshot(db)
    path = tmp_path / "bad.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ValidationError, match=message):
        import_addresses(db, csv_path=path, mapping=mapping)
    db.rollback()
    assert snapshot(db) == before


@pytest.mark.parametrize("toml, message", [
    ("[columns]\nstreet = 'a'\nlon = 'x'\nlat = 'y'\n", "map external_id to a column, or give household_key"),
    ("[columns]\nexternal_id = 'id'\nlon = 'x'\nlat = 'y'\n", "[columns] street is required"),
    ("[columns]\nexternal_id = 'id'\nstreet = 's'\nlon = 'x'\n", "map both lon and lat, or neither"),
    ("[columns]\nexternal_id = 'id'\nstreet = 's'\n", "map lon and lat, or postcode"),
    ("[columns]\nexternal_id = 'id'\nstreet = 's'\npostcode = 'p'\ncolour = 'c'\n", "unknown field(s) colour"),
    ("[columns]\nexternal_id = 'id'\nstreet = ['a', 'b']\npostcode = 'p'\n", "street must be a column name"),
    ("speed = 3\n[columns]\nexternal_id = 'id'\nstreet = 's'\npostcode = 'p'\n", "unknown key(s) speed"),
    ("[columns]\nexternal_id = 'id'\nstreet = 's'\npostcode = 'p'\nphone = 'ph'\n", "need [columns] person_external_id"),
    ("default_region = 'USA'\n[columns]\nexternal_id = 'i'\nstreet = 's'\npostcode = 'p'\n", "two-letter region"),
    ("household_key = ['a']\n[columns]\nelector_number = 'n'\naddress_lines = ['a']\npostcode = 'p'\n",
     "map both elector_prefix and elector_number"),
    ("[columns]\nexternal_id = 'id'\naddress_lines = 'a'\nstreet = ['a', 'b']\npostcode = 'p'\n",
     "street must be a column name"),
    ("columns = [", "is not valid TOML"),
    ("name = 'x'\n", "needs a [columns] table"),
])
def test_bad_mappings(toml, message):
    with pytest.raises(ValidationError) as caught:
        Mapping.from_toml(toml, source="m.toml")
    assert message in caught.value.message


def test_skip_bad_with_every_row_bad_imports_nothing(db, areas, write_csv):
    report = import_addresses(db, csv_path=write_csv([address_row(1, lon="x"), address_row(2, street="")]),
                              mapping=ADDRESS_MAPPING, skip_bad=True)
    db.commit()
    assert (report.imported, report.updated, len(report.rejected)) == (0, 0, 2)
    assert households(db) == {}


def test_progress_reaches_the_total(db, areas, write_csv):
    calls = []
    import_addresses(db, csv_path=write_csv([address_row(i) for i in range(1, 2501)]), mapping=ADDRESS_MAPPING,
                     progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (5000, 5000)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
