"""Bulk writes as plain Core executemany in chunks: no ORM unit of work, no per-row objects.
(The ORM's bulk paths cost about as much again as the database work itself.)"""
from __future__ import annotations

from typing import Callable

import sqlalchemy as sa
from sqlmodel import Session

CHUNK = 2000


def bulk_insert(session: Session, model, rows: list[dict], *, progress: Callable[[int], None] | None = None) -> None:
    table = model.__table__
    session.flush()  # pending ORM objects first, so the statements below see them
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        session.connection().execute(table.insert(), chunk)
        if progress:
            progress(len(chunk))


def bulk_update(session: Session, model, rows: list[dict], *, progress: Callable[[int], None] | None = None) -> None:
    """Update by primary key: every dict has "id" and the same other keys."""
    if not rows:
        return
    table = model.__table__
    session.flush()
    columns = [key for key in rows[0] if key != "id"]
    # "id" is reserved for the SET clause's own bind names, so the key travels as "pk_".
    statement = (table.update().where(table.c.id == sa.bindparam("pk_"))
                 .values({column: sa.bindparam(column) for column in columns}))
    for start in range(0, len(rows), CHUNK):
        chunk = [{**{k: v for k, v in row.items() if k != "id"}, "pk_": row["id"]} for row in rows[start:start + CHUNK]]
        session.connection().execute(statement, chunk)
        if progress:
            progress(len(chunk))
