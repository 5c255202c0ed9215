"""import-postcodes: the centroid table the get-involved page reads, and the postcode normaliser."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from app.imports import centroids
from app.imports.centroids import canonical_postcode, import_centroids
from app.models import PostcodeCentroid


def table(db) -> dict[str, tuple[float, float]]:
    db.expire_all()
    rows = db.execute(sa.select(PostcodeCentroid.postcode, PostcodeCentroid.lat, PostcodeCentroid.lon)).all()
    db.rollback()
    return {p: (lat, lon) for p, lat, lon in rows}


def write(tmp_path, text: str, name="postcodes.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, expected", [
    ("sw1a1aa", "SW1A 1AA"), (" SW1A   1AA ", "SW1A 1AA"), ("sr1 1ae", "SR1 1AE"), ("M1 1AE", "M1 1AE"),
    ("b33 8th", "B33 8TH"), ("gir 0aa", "GIR 0AA"), ("02139", "02139"), ("02139-4307", "02139"),
    ("021394307", "02139"), ("", None), ("hello", None), ("1234", None), ("SW1A 1A", None), ("０２１３９", None),
    ("02139-43", None), ("SW1A 1AA\n", "SW1A 1AA"),
])
def test_canonical_postcode(text, expected):
    assert canonical_postcode(text) == expected


UK_OUTWARD = st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True)
UK_INWARD = st.from_regex(r"[0-9][A-Z]{2}", fullmatch=True)


@given(UK_OUTWARD, UK_INWARD, st.sampled_from(["", " ", "  ", "\t"]), st.booleans())
def test_any_spacing_or_case_of_a_uk_postcode_meets_one_form(outward, inward, gap, lower):
    text = f"{outward}{gap}{inward}"
    result = canonical_postcode(text.lower() if lower else text)
    assert result == f"{outward} {inward}"
    assert canonical_postcode(result) == result  # the stored form is its own key


@given(st.from_regex(r"[0-9]{5}", fullmatch=True), st.one_of(st.just(""), st.from_regex(r"-?[0-9]{4}", fullmatch=True)))
def test_zip_and_zip_plus_four_keep_five_digits(zip5, plus4):
    assert canonical_postcode(zip5 + plus4) == zip5


@given(st.text(max_size=30))
def test_the_normaliser_never_raises_and_keeps_within_the_column(text):
    result = canonical_postcode(text)
    assert result is None or (len(result) <= 10 and result == result.upper())


def test_import_postcodes_command_writes_the_table(runner, db, tmp_path):
    path = write(tmp_path, "postcode,lat,lon,country\nsw1a1aa,51.501,-0.1416,GB\n02139-4307,42.365,-71.104,US\n\n"
                           "SR1 1AE,54.905,-1.381,GB\n")
    result = runner.invoke(args=["import-postcodes", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 postcodes imported" in result.output
    assert table(db) == {"SW1A 1AA": (51.501, -0.1416), "02139": (42.365, -71.104), "SR1 1AE": (54.905, -1.381)}


def test_a_bad_row_is_reported_by_line_and_nothing_is_written(runner, db, tmp_path):
    path = write(tmp_path, "postcode,lat,lon\nSW1A 1AA,51.5,-0.14\nSR1 1AE,north,-1.38\nnot a postcode,1,1\n"
                           "M1 1AE,95,-2.2\n")
    result = runner.invoke(args=["import-postcodes", str(path)])
    assert result.exit_code == 1
    assert "row 3: lat 'north' is not a number" in result.output
    assert "row 4: 'not a postcode' is not a UK postcode or a US ZIP code" in result.output
    assert "row 5: lat 95 is out of range" in result.output
    assert "nothing was imported" in result.output
    assert table(db) == {}


def test_skip_bad_imports_the_good_rows_and_lists_the_bad(runner, db, tmp_path):
    path = write(tmp_path, "postcode,lat,lon\nSW1A 1AA,51.5,-0.14\nSR1 1AE,north,-1.38\n")
    result = runner.invoke(args=["import-postcodes", str(path), "--skip-bad"])
    assert result.exit_code == 1  # something was rejected: a script notices
    assert "row 3" in result.output
    assert table(db) == {"SW1A 1AA": (51.5, -0.14)}


def test_a_reimport_updates_and_adds(runner, db, tmp_path):
    first = write(tmp_path, "postcode,lat,lon\nSW1A 1AA,51.5,-0.14\n02139,42.0,-71.0\n", "a.csv")
    second = write(tmp_path, "postcode,lat,lon\nsw1a 1aa,51.6,-0.15\n02139-0001,42.5,-71.5\n90210,34.1,-118.4\n", "b.csv")
    assert runner.invoke(args=["import-postcodes", str(first)]).exit_code == 0
    assert runner.invoke(args=["import-postcodes", str(second)]).exit_code == 0
    assert table(db) == {"SW1A 1AA": (51.6, -0.15), "02139": (42.5, -71.5), "90210": (34.1, -118.4)}


@pytest.mark.parametrize("text, message", [
    ("", "the postcode file is empty"),
    ("postcode,latitude,lon\nSW1A 1AA,1,1\n", "missing: lat"),
    ("postcode,lat,lon\n", "no rows to import"),
])
def test_files_that_are_not_centroid_files_are_refused(runner, db, tmp_path, text, message):
    result = runner.invoke(args=["import-postcodes", str(write(tmp_path, text))])
    assert result.exit_code == 1 and message in result.output
    assert table(db) == {}


def test_a_file_that_is_not_utf8_is_refused(runner, db, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("postcode,lat,lon,town\nSW1A 1AA,51.5,-0.14,Kensington\xe9\n".encode("latin-1"))
    result = runner.invoke(args=["import-postcodes", str(path)])
    assert result.exit_code == 1 and "not UTF-8" in result.output
    assert table(db) == {}


def test_the_import_streams_in_chunks_each_its_own_transaction(app, db, monkeypatch):
    """A national file never sits in memory whole: rows go out CHUNK at a time, each chunk in its
    own write transaction (a postcode repeated within a chunk keeps its last row)."""
    from app.db import session_scope

    monkeypatch.setattr(centroids, "CHUNK", 3)
    calls = []
    real = centroids.write_transaction
    monkeypatch.setattr(centroids, "write_transaction", lambda s, fn: calls.append(1) or real(s, fn))
    rows = "".join(f"{10000 + i},{40 + i / 100},-70\n" for i in range(8))
    source = io.StringIO("postcode,lat,lon\n" + rows + "10000,41,-71\n")
    with app.app_context(), session_scope(app) as session:
        report = import_centroids(session, source=source)
    assert len(calls) == 3  # 9 rows in chunks of 3
    assert report.rows == 9
    stored = table(db)
    assert len(stored) == 8 and stored["10000"] == (41.0, -71.0) and stored["10007"] == (40.07, -70.0)
