"""The SQLite write lock queues writers across processes (flock) and threads (RLock)."""
import fcntl
import multiprocessing
import os
import time

import sqlalchemy as sa

from app.db import SqliteWriteLock, sqlite_write_lock



def _hold(path: str, started, seconds: float, marker: str = "") -> None:
    lock = SqliteWriteLock(path)
    lock.acquire()
    started.set()
    time.sleep(seconds)
    if marker:
        with open(marker, "w") as f:
            f.write("done")
    lock.release()


def test_another_process_waits_until_the_holder_releases(tmp_path):
    path, marker = str(tmp_path / "db-writelock"), tmp_path / "holder-finished"
    ctx = multiprocessing.get_context("fork")
    started = ctx.Event()
    holder = ctx.Process(target=_hold, args=(path, started, 0.3, str(marker)))
    holder.start()
    assert started.wait(10)
    lock = SqliteWriteLock(path)
    lock.acquire()
    # Had it not queued, it would be here while the holder still sleeps, before the marker exists.
    assert marker.read_text() == "done"
    lock.release()
    holder.join(10)


def test_a_killed_holder_leaves_the_lock_free(tmp_path):
    path = str(tmp_path / "db-writelock")
    ctx = multiprocessing.get_context("fork")
    started = ctx.Event()
    holder = ctx.Process(target=_hold, args=(path, started, 60))
    holder.start()
    assert started.wait(10)
    holder.kill()
    holder.join(10)
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if the dead process still held it
    finally:
        os.close(fd)


def test_reentrant_within_a_thread_and_one_lock_per_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    one, two = sa.create_engine(url), sa.create_engine(url)
    lock = sqlite_write_lock(one)
    assert sqlite_write_lock(two) is lock
    lock.acquire()
    lock.acquire()
    lock.release()
    lock.release()
    assert lock.path.endswith("x.db-writelock")
