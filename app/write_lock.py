"""Where writers of one SQLite database queue (app.db.sqlite_write_lock hands out one per file)."""
from __future__ import annotations

import os
import threading

try:
    import fcntl
except ImportError:  # Windows: there, processes fall back to SQLite's busy timeout
    fcntl = None


class SqliteWriteLock:
    """Where writers of one SQLite database queue: threads on an RLock, processes (gunicorn workers,
    CLI commands) on flock(2) of a lock file beside the database.

    SQLite has one writer at a time anyway; its own busy handler makes the others poll in sleeps
    of up to 100 ms, while these locks hand over the moment the holder releases, so several worker
    processes can share one database file. Re-entrant within a thread. The kernel drops a flock
    when its process dies (kill -9 included), so a crashed worker never leaves the lock held.
    """

    def __init__(self, path: str | None):
        self.path = path
        self._rlock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._pid = 0

    def acquire(self) -> None:
        self._rlock.acquire()
        try:
            if self._depth == 0 and self.path and fcntl is not None:
                if self._fd is None or self._pid != os.getpid():  # a forked child needs its own open file
                    self._fd, self._pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
                fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._rlock.release()
            raise
        self._depth += 1

    def release(self) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self._fd is not None and self._pid == os.getpid():
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._rlock.release()
