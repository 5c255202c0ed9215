"""One lock over "which doors are on an active list", taken by every writer that puts doors on a
list or hands a list to someone, so two of them can never both see a door (or a list) as free.

SQLite has one writer at a time already (write_transaction begins IMMEDIATE under the database's
write lock), so there is nothing to take. PostgreSQL at READ COMMITTED would let two transactions
read the same free doors and both save them: a transaction-scoped advisory lock queues them, and
as each statement after it sees every commit made before it, the second one sees the first one's
doors as taken. It is released at commit or rollback, so a retry of write_transaction takes it anew.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from ..db import is_sqlite

DOORS_LOCK_KEY = 0x4C57_444F  # "LWDO": any fixed bigint; only Legwork's writers ask for it


def lock_doors(session: Session) -> None:
    """Queue behind any other writer of walk-list doors until this transaction ends (once per
    transaction: a check-out saves a list and assigns it, and each asks)."""
    if is_sqlite(session):
        return
    transaction = session.get_transaction()
    if transaction is not None and session.info.get("legwork_doors_locked") is transaction:
        return
    session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": DOORS_LOCK_KEY})
    session.info["legwork_doors_locked"] = session.get_transaction()
