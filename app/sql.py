"""SQL mechanisms shared by the write path, the importers and the demo: an INSERT .. ON CONFLICT
built once per dialect, and rows sent in chunks."""
from __future__ import annotations

from typing import Callable, Iterator, Sequence, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

T = TypeVar("T")
# Rows per statement: 1,000 rows of up to ~20 columns stay below every engine's limit on bound
# parameters (SQLite 32,766; PostgreSQL 65,535), and executemany becomes one multi-row INSERT.
CHUNK = 1000

_STATEMENTS: dict[tuple[str, str], sa.Insert] = {}


def chunks(rows: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def on_conflict(conn, table: sa.Table, *, name: str, build: Callable[[sa.Insert], sa.Insert]) -> sa.Insert:
    """``build(insert)`` on this dialect's INSERT for ``table`` (where ON CONFLICT lives), made once
    per dialect and ``name``: SQLAlchemy's compiled cache then serves it on every later call."""
    key = (conn.dialect.name, name)
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)
        stmt = _STATEMENTS[key] = build(insert)
    return stmt
