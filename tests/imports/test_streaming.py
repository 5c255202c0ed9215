"""The address import writes in chunks (the file is read twice as a stream): whatever the chunk
size, the database and the report come out as the whole file in one chunk gives, and a bad row
anywhere, late ones included, still leaves everything unchanged."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from app.errors import ImportRejected
from app.imports.addresses import import_addresses
from app.imports.mapping import Mapping
from app.models import AuditEntry, Household, Person
from tests.support.imports import csv_text

from .helpers import ADDRESS_MAPPING, address_row, snapshot

HEADER = ["number", "street", "apt", "lon", "lat", "voter", "first", "phone"]
PEOPLE_MAPPING = Mapping.from_dict({"default_region": "US", "household_key": ["number", "street", "apt"], "columns": {
    "person_external_id": "voter", "first_name": "first", "phone": "phone", "house_number": "number",
    "street": "street", "unit": "apt", "lon": "lon", "lat": "lat"}})
WHOLE = 10**9  # one chunk: the whole file at once, as the importer wrote before it streamed

person_rows = st.lists(st.fixed_dictionaries({
    "number": st.sampled_from(["1", "2", "3"]), "street": st.sampled_from(["Elm St", "Oak Ave"]),
    "apt": st.sampled_from(["", "2"]),
    # Rows of one household with different points: the first row's must stand.
    "lon": st.sampled_from(["-71.115", "-71.105", "-71.0"]), "lat": st.sampled_from(["42.365", "42.375"]),
    "voter": st.sampled_from([f"V{i}" for i in range(12)]),  # repeats: duplicates, rejected (skip_bad)
    "first": st.sampled_from(["Ada", "Bo", ""]), "phone": st.sampled_from(["", "617-555-0101", "617-555-0102"]),
}), min_size=1, max_size=25)


def as_csv(rows: list[dict]) -> io.StringIO:
    return csv_text(rows, HEADER)


def state(db) -> dict:
    """What an import wrote, by external id (database ids and timestamps aside)."""
    hh = {h.id: h for h in db.execute(sa.select(Household)).scalars()}
    return {
        "households": sorted((h.external_id, h.house_number, h.street, h.unit, h.building_key, h.lon, h.lat,
                              h.ward_id, h.neighbourhood_id) for h in hh.values()),
        "people": sorted((p.external_id, hh[p.household_id].external_id, p.first_name, p.phone, p.phone_type)
                         for p in db.execute(sa.select(Person)).scalars()),
        "audit": sorted((a.action, str(a.detail)) for a in db.execute(sa.select(AuditEntry)).scalars()),
    }


def counts(report) -> tuple:
    return (report.rows, report.imported, report.updated, report.outside, report.people_imported,
            report.people_updated, [str(e) for e in report.rejected])


def run(db, before: list[dict], rows: list[dict], chunk_rows: int) -> tuple:
    """Import ``before`` (whole), then ``rows`` in chunks; the result, then roll it all back."""
    try:
        if before:
            import_addresses(db, csv_path=as_csv(before), mapping=PEOPLE_MAPPING, skip_bad=True, chunk_rows=WHOLE)
        report = import_addresses(db, csv_path=as_csv(rows), mapping=PEOPLE_MAPPING, skip_bad=True,
                                  chunk_rows=chunk_rows)
        return counts(report), state(db)
    finally:
        db.rollback()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(person_rows, max_size=1).map(lambda x: x[0] if x else []), rows=person_rows,
       chunk_rows=st.integers(1, 8))
def test_any_chunk_size_gives_what_the_whole_file_gives(db, areas, before, rows, chunk_rows):
    assert run(db, before, rows, chunk_rows) == run(db, before, rows, WHOLE)


def test_a_file_of_many_chunks_without_people(db, areas, write_csv):
    rows = [address_row(i, lon=-71.115 + (i % 3) * 0.01) for i in range(1, 40)]
    path = write_csv(rows)
    whole = counts(import_addresses(db, csv_path=path, mapping=ADDRESS_MAPPING, chunk_rows=WHOLE)), state(db)
    db.rollback()
    chunked = counts(import_addresses(db, csv_path=path, mapping=ADDRESS_MAPPING, chunk_rows=4)), state(db)
    db.rollback()
    assert chunked == whole
    assert whole[0][:2] == (39, 39)


@pytest.mark.parametrize("bad", [{"lon": "x"}, {"id": "A3"}])  # a bad value; a duplicate id
def test_a_bad_row_late_in_the_file_leaves_everything_unchanged(db, areas, write_csv, bad):
    import_addresses(db, csv_path=write_csv([address_row(1, street="Old St")]), mapping=ADDRESS_MAPPING)
    db.commit()
    before = snapshot(db)
    rows = [address_row(i) for i in range(1, 30)] + [address_row(30, **bad)]
    with pytest.raises(ImportRejected) as caught:
        import_addresses(db, csv_path=write_csv(rows), mapping=ADDRESS_MAPPING, chunk_rows=4)
    assert caught.value.details[0].startswith("row 31: ")
    db.rollback()
    assert snapshot(db) == before
