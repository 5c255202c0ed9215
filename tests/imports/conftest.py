"""Importer fixtures: file writers and two imported wards (helpers.py has the builders)."""
from __future__ import annotations

import csv
import json

import pytest
import sqlalchemy as sa

from app.imports.boundaries import import_boundaries
from app.models import Neighbourhood, Ward

from .helpers import NEIGHBOURHOODS, WARDS


@pytest.fixture
def write_csv(tmp_path):
    counter = iter(range(10**6))

    def write(rows: list[dict], header: list[str] | None = None, name: str | None = None):
        path = tmp_path / (name or f"file{next(counter)}.csv")
        header = header or list(rows[0])
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def write_json(tmp_path):
    def write(data, name: str = "areas.geojson"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
def areas(db):
    """Two wards (West, East), each with a north and a south neighbourhood."""
    import_boundaries(db, source=WARDS, level="ward", name_field="name", code_field="code")
    import_boundaries(db, source=NEIGHBOURHOODS, level="neighbourhood", name_field="name", code_field="code")
    db.commit()
    ids = dict(db.execute(sa.select(Ward.code, Ward.id)).all()) | dict(
        db.execute(sa.select(Neighbourhood.code, Neighbourhood.id)).all())
    db.rollback()  # SQLite takes the write lock at BEGIN: leave no transaction open for the CLI
    return ids
