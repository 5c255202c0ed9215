"""The database: one engine per app (made in init_app, never at import), one session per request.

SQLite is the embedded default (WAL so readers never block the writer, a busy timeout so
concurrent writers queue instead of failing, foreign keys on). PostgreSQL is used when
DATABASE_URL says so.
"""
from __future__ import annotations

import contextvars
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlmodel import Session, SQLModel

from . import models  # noqa: F401  (registers every table on SQLModel.metadata)
from .config import ConfigError
from .write_lock import SqliteWriteLock

T = TypeVar("T")
_immediate: contextvars.ContextVar[bool] = contextvars.ContextVar("legwork_sqlite_immediate", default=False)


_write_locks: dict[str, SqliteWriteLock] = {}
_write_locks_guard = threading.Lock()


_per_engine: "weakref.WeakKeyDictionary[sa.Engine, dict]" = weakref.WeakKeyDictionary()


def engine_cached(engine: sa.Engine, name: str, make: Callable[[], T]) -> T:
    """One ``make()`` per engine and name, for what every write asks for (its lock, its write
    group): looked up without a lock; two threads that race both make one, and the first kept wins
    (``make`` runs outside the guard, as it may take the guard itself)."""
    found = _per_engine.get(engine, {}).get(name)
    if found is None:
        made = make()
        with _write_locks_guard:
            found = _per_engine.setdefault(engine, {}).setdefault(name, made)
    return found


def sqlite_write_lock(engine: sa.Engine) -> SqliteWriteLock:
    """The write lock of the SQLite database behind ``engine`` (one per file, shared by engines)."""
    # Every write asks: resolving the database path each time would cost syscalls.
    return engine_cached(engine, "write_lock", lambda: _file_write_lock(engine))


def _file_write_lock(engine: sa.Engine) -> SqliteWriteLock:
    database = engine.url.database or ""
    key = str(Path(database).resolve()) if database and database != ":memory:" else f"memory:{id(engine)}"
    with _write_locks_guard:
        lock = _write_locks.get(key)
        if lock is None:
            lock = _write_locks[key] = SqliteWriteLock(key + "-writelock" if not key.startswith("memory:") else None)
        return lock


def database_url_from(url: str) -> str:
    """postgres:// and postgresql:// URLs use psycopg 3 (the only PostgreSQL driver we install)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL") or ""
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'legwork.db'}"
    return database_url_from(url)


def make_engine(url: str, *, busy_timeout_ms: int = 5000, schema: str | None = None,
                pool_size: int = 5, wal_size_limit: int = 64 * 1024 * 1024) -> sa.Engine:
    if url.startswith("sqlite"):
        # The pool as large as the server's threads: with fewer, every burst opens (and closes)
        # overflow connections, each a file open and six PRAGMAs.
        # (An in-memory database has a single connection, no pool to size.)
        in_memory = sa.engine.make_url(url).database in (None, "", ":memory:")
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
                                  hide_parameters=True,  # a failed statement's values (notes, names) stay out of logs
                                  **({} if in_memory else {"pool_size": pool_size, "max_overflow": pool_size}))

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # pysqlite's own transaction handling would defer BEGIN; we want it to emit
            # BEGIN itself so that write transactions take the lock up front (see begin below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA mmap_size=268435456")
            # Statement journals and sort b-trees in memory: on disk, a door-knock write group
            # created and deleted a file in /var/tmp every few requests.
            cur.execute("PRAGMA temp_store=MEMORY")
            # Deleted and overwritten rows are zeroed in the file, not left in free space: after a
            # purge no note or name can be read back out of the database's pages.
            cur.execute("PRAGMA secure_delete=ON")
            # Under steady load some reader always holds a snapshot, so the -wal file grows to
            # hundreds of MB; without a limit it keeps that size all day. With one, the first
            # write after a checkpoint that caught up (any quiet moment) cuts it back.
            cur.execute(f"PRAGMA journal_size_limit={int(wal_size_limit)}")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # Reads begin DEFERRED so they never block writers. write_transaction() asks for
            # IMMEDIATE, which takes the write lock at BEGIN (where the busy timeout applies)
            # instead of failing on a lock upgrade half-way through.
            # Straight to the driver: this runs for every transaction, and through SQLAlchemy's
            # statement machinery the BEGIN cost ~20x itself (1.4% of a door knock). Its errors
            # are wrapped as SQLAlchemy's, as write_transaction expects ("database is locked").
            try:
                conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")
            except sqlite3.Error as err:
                raise sa.exc.DBAPIError.instance("BEGIN", None, err, sqlite3.Error) from err

        return engine
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    return sa.create_engine(url, connect_args=connect_args, pool_size=pool_size, max_overflow=pool_size,
                            pool_pre_ping=True, hide_parameters=True)  # see the SQLite engine


def _whole_number(app: Flask, key: str, default: int, *, least: int) -> int:
    """A count from config.toml or LEGWORK_<KEY>; a clear refusal to start otherwise."""
    raw = app.config.get(key, default)
    try:
        value = None if isinstance(raw, (bool, float)) else int(raw)  # int(2.5) would pass silently
    except (TypeError, ValueError):
        value = None
    if value is None or value < least:
        raise ConfigError(f"{key.lower()} must be a whole number of at least {least}, not {raw!r}")
    return value


def init_app(app: Flask) -> None:
    engine = make_engine(
        database_url(app),
        busy_timeout_ms=_whole_number(app, "SQLITE_BUSY_TIMEOUT_MS", 5000, least=0),
        schema=app.config.get("DATABASE_SCHEMA"),
        pool_size=_whole_number(app, "DATABASE_POOL_SIZE", 5, least=1),
        wal_size_limit=_whole_number(app, "SQLITE_WAL_SIZE_LIMIT", 64 * 1024 * 1024, least=0),
    )
    app.extensions["legwork_engine"] = engine
    app.teardown_appcontext(_close_session)


def engine_for(app: Flask | None = None) -> sa.Engine:
    return (app or current_app).extensions["legwork_engine"]


def get_session() -> Session:
    """The request's (or CLI command's) session, opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(engine_for(), expire_on_commit=False)
    return g.db_session


def _close_session(_exc=None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def session_scope(app: Flask | None = None):
    """A session outside a request (scripts, threads, CLI commands): commits on success, rolls back
    on error. App code writes inside it with ``write_transaction`` (which commits), never with this
    commit: that one neither takes SQLite's write lock nor retries."""
    session = Session(engine_for(app), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def create_all(app: Flask | None = None) -> None:
    """Tables straight from the models: for tests. Real databases go through migrations."""
    SQLModel.metadata.create_all(engine_for(app))


def drop_all(app: Flask | None = None) -> None:
    SQLModel.metadata.drop_all(engine_for(app))


def is_sqlite(session_or_engine) -> bool:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, sa.orm.Session) else session_or_engine
    return bind.dialect.name == "sqlite"


def _is_lock_error(err: Exception) -> bool:
    text = str(getattr(err, "orig", err)).lower()
    return "database is locked" in text or "deadlock detected" in text or "could not serialize" in text


def read_apart(engine: sa.Engine, statement) -> list:
    """The rows of one small read on a connection of its own, never waiting for the write lock:
    a plain (deferred) transaction even when called from inside a write transaction's work,
    where any new SQLite connection would otherwise begin IMMEDIATE and wait for this very thread."""
    token = _immediate.set(False)
    try:
        with engine.connect() as conn:
            return list(conn.execute(statement))
    finally:
        _immediate.reset(token)


def write_transaction(session: Session, work: Callable[[Session], T], *, attempts: int = 5) -> T:
    """Run ``work(session)`` in its own write transaction and commit it.

    Any read transaction the session had open is ended first, so on SQLite the write begins
    IMMEDIATE, once this thread holds the database's SqliteWriteLock. On PostgreSQL (READ
    COMMITTED: every statement sees the latest commits) a read transaction that left nothing in
    the session (no loaded or pending objects, e.g. Core reads only) is simply continued: ending
    it would drop nothing but cost two round trips. A lock or serialisation error, or a connection the database dropped (a restart),
    rolls back and runs ``work`` again, so ``work`` must be safe to repeat (contact events are:
    ids are idempotent).
    """
    sqlite = is_sqlite(session)
    lock = sqlite_write_lock(session.get_bind()) if sqlite else None
    for attempt in range(1, attempts + 1):
        if sqlite or attempt > 1 or len(session.identity_map) or session.new or session.deleted:
            session.rollback()
        token = _immediate.set(True)
        if lock is not None:
            lock.acquire()
        try:
            result = work(session)
            session.commit()
            return result
        except sa.exc.OperationalError as err:
            session.rollback()
            dropped = bool(getattr(err, "connection_invalidated", False))
            if not (_is_lock_error(err) or dropped) or attempt == attempts:
                raise
        except BaseException:
            # A refusal (LegworkError) or a bug: nothing of it is kept, and on SQLite the write
            # transaction ends here, with the lock, not when the caller gets round to it.
            session.rollback()
            raise
        finally:
            if lock is not None:
                lock.release()
            _immediate.reset(token)
        # a dropped connection (database restarting) needs longer than a lock to clear
        time.sleep(0.25 * attempt if dropped else 0.02 * attempt)
    raise AssertionError("unreachable")
