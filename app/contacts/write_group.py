"""Group commit for the door-knock path: concurrent writers of one process share one write
transaction (``db.write_transaction``). ``app.contacts.record_contacts_grouped`` is its user."""
from __future__ import annotations

import threading
from typing import Callable, TypeVar

from sqlmodel import Session

from ..db import engine_cached, is_sqlite, write_transaction

T = TypeVar("T")


class _GroupJob:
    __slots__ = ("item", "result", "error", "done")

    def __init__(self, item):
        self.item, self.result, self.error, self.done = item, None, None, False


class WriteGroup:
    """Group commit: concurrent writers of one process share one write transaction.

    Each thread queues its item, then waits for its turn. The thread whose turn comes takes every
    queued item (its own and those that arrived while the previous transaction ran), stores them
    with ``many(session, items)`` in one ``write_transaction`` and hands each thread its result;
    a thread whose item was taken finds it done when its turn comes and returns at once. On
    SQLite the write lock is then taken once per group, not once per request, so under load the
    time each request holds it (and so the lock's queue) shrinks with the group's size.

    When the shared transaction fails, each item runs again alone with ``one(session, item)``, so
    an error reaches only the thread whose item caused it. A thread never answers "done" for an
    item that was not committed: if the leader dies half-way, the others get an error (the phone
    retries; ids are idempotent).
    """

    def __init__(self):
        self._turn = threading.Lock()
        self._queue_lock = threading.Lock()
        self._queue: list[_GroupJob] = []

    def submit(self, session: Session, item, *, many: Callable[[Session, list], list],
               one: Callable[[Session, object], T]) -> T:
        if is_sqlite(session):
            # Wait with no read snapshot open: under steady load some waiting thread always
            # holds one otherwise, and SQLite can never start the WAL over (it grew ~20 MB/s).
            # PostgreSQL keeps it (READ COMMITTED; see write_transaction).
            session.rollback()
        job = _GroupJob(item)
        with self._queue_lock:
            self._queue.append(job)
        with self._turn:
            if not job.done:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._lead(session, batch, many, one)
        if job.error is not None:
            raise job.error
        return job.result

    @staticmethod
    def _lead(session: Session, batch: list[_GroupJob], many, one) -> None:
        try:
            try:
                results = write_transaction(session, lambda s: many(s, [j.item for j in batch]))
            except Exception as err:
                session.rollback()  # PostgreSQL refuses every statement in a transaction that failed
                if len(batch) == 1:
                    batch[0].error = err
                    return
                for job in batch:
                    try:
                        job.result = write_transaction(session, lambda s, item=job.item: one(s, item))
                    except Exception as alone:
                        session.rollback()
                        job.error = alone
                    job.done = True
                return
            for job, result in zip(batch, results):
                job.result = result
        finally:
            for job in batch:
                if job.result is None and job.error is None:
                    job.error = RuntimeError("the shared write transaction was interrupted; nothing was stored")
                job.done = True


def write_group(session: Session) -> WriteGroup:
    """This process's WriteGroup for the database behind ``session``."""
    return engine_cached(session.get_bind(), "write_group", WriteGroup)
