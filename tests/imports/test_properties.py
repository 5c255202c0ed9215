"""Property tests: whatever the rows and the mapping, the importer either imports every row or
rejects the file with reasons naming rows, and never crashes or half-writes."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from app.errors import ImportRejected, ValidationError
from app.imports.addresses import import_addresses
from app.imports.mapping import Mapping
from app.models import Household, Person
from tests.support.imports import csv_text

HEADER = ["id", "num", "street", "unit", "lon", "lat", "voter", "first", "phone"]
ROW_REASON = re.compile(r"^row \d+: \S.*$")

messy = st.one_of(st.text(max_size=8), st.sampled_from(["", " ", "nan", "inf", "1e999", "-200", "abc", "0", "A1"]))
cells = {
    "id": st.one_of(st.sampled_from(["A1", "A2", "A3", "A4"]), messy),
    "num": st.one_of(st.integers(1, 999).map(str), messy),
    "street": st.one_of(st.sampled_from(["Elm St", "Oak Ave"]), messy),
    "unit": st.one_of(st.just(""), messy),
    "lon": st.one_of(st.floats(-71.2, -71.0).map(str), messy),
    "lat": st.one_of(st.floats(42.3, 42.4).map(str), messy),
    "voter": st.one_of(st.sampled_from(["V1", "V2", "V3"]), messy),
    "first": st.one_of(st.sampled_from(["Ada", "Bo"]), messy),
    "phone": st.one_of(st.sampled_from(["", "617-555-0101", "+44 113 496 0000", "555"]), messy),
}
rows = st.lists(st.fixed_dictionaries(cells), min_size=1, max_size=6)
optional_fields = st.sets(st.sampled_from(["house_number", "unit", "people"]))


def mapping_for(fields: set) -> Mapping:
    columns = {"external_id": "id", "street": "street", "lon": "lon", "lat": "lat"}
    if "house_number" in fields:
        columns["house_number"] = "num"
    if "unit" in fields:
        columns["unit"] = "unit"
    if "people" in fields:
        columns.update(person_external_id="voter", first_name="first", phone="phone")
    return Mapping.from_dict({"columns": columns})


def as_csv(data: list[dict]) -> io.StringIO:
    return csv_text(data, HEADER)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=rows, fields=optional_fields)
def test_random_rows_import_fully_or_not_at_all(db, data, fields):
    mapping = mapping_for(fields)
    try:
        report = import_addresses(db, csv_path=as_csv(data), mapping=mapping)
    except ImportRejected as exc:
        assert exc.details and all(ROW_REASON.match(d) for d in exc.details)
        assert db.execute(sa.select(sa.func.count()).select_from(Household)).scalar_one() == 0
    except ValidationError as exc:
        raise AssertionError(f"file-level error for a well-formed file: {exc.message}")
    else:
        ids = {row["id"].strip() for row in data}
        assert report.imported == len(ids) and not report.rejected
        assert db.execute(sa.select(sa.func.count()).select_from(Household)).scalar_one() == len(ids)
        if "people" in fields:
            assert db.execute(sa.select(sa.func.count()).select_from(Person)).scalar_one() == len(data)
    finally:
        db.rollback()


@settings(max_examples=60, deadline=None)
@given(columns=st.dictionaries(st.text(max_size=12), st.one_of(st.text(max_size=6), st.lists(st.text(max_size=4))),
                               max_size=6),
       extra=st.dictionaries(st.sampled_from(["name", "default_region", "household_key", "city", "bogus"]),
                             st.one_of(st.text(max_size=4), st.lists(st.text(max_size=3)), st.integers())))
def test_random_mappings_load_or_explain(columns, extra):
    try:
        mapping = Mapping.from_dict({"columns": columns, **extra})
    except ValidationError as exc:
        assert exc.message.startswith("mapping")
    else:
        assert "street" in mapping.columns
