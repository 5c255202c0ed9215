"""A real server for the tests: gunicorn running Legwork in its own process group, on a free
loopback port, with a seeded database and the database helpers that go with it.

Used by tests/reliability, tests/security (rate-limit workers) and scripts/bench (faulttest,
slowtest). Only 127.0.0.1; every loop is bounded in count and time.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "fault-test-password"
TOKEN_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (a zombie has closed its sockets and locks)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone while we looked
            continue
        state, _ppid, pgrp = text[text.rindex(")") + 2:].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            return True
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(env: dict, *, phones: int, doors: int) -> list[dict]:
    """One canvasser per phone, each with a list of ``doors`` households. Returns phone specs."""
    from werkzeug.security import generate_password_hash
    from sqlmodel import Session

    from app import create_app, db as dbmod
    from app.models import Assignment, Household, User, WalkList, WalkListDoor

    app = create_app({"TESTING": True, "DATABASE_URL": env["LEGWORK_DATABASE_URL"],
                      "DATABASE_SCHEMA": env.get("LEGWORK_DATABASE_SCHEMA")})
    dbmod.create_all(app)
    hashed = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    specs = []
    with Session(dbmod.engine_for(app)) as session:
        for p in range(phones):
            user = User(email=f"phone{p}@fault.test", roles="canvasser", password_hash=hashed)
            walk_list = WalkList(name=f"Fault {p}", code=f"F{p:05d}", door_count=doors)
            session.add_all([user, walk_list])
            session.flush()
            session.add(Assignment(walk_list_id=walk_list.id, user_id=user.id))
            households = [Household(street="Fault St", house_number=str(p * doors + d), lon=-71.1, lat=42.37)
                          for d in range(doors)]
            session.add_all(households)
            session.flush()
            session.add_all(WalkListDoor(walk_list_id=walk_list.id, household_id=h.id, position=i)
                            for i, h in enumerate(households))
            specs.append({"email": user.email, "households": [h.id for h in households], "list": walk_list.id})
        session.commit()
    dbmod.engine_for(app).dispose()
    return specs


class Server:
    """gunicorn in its own process group, so kill -9 takes the master and every worker."""

    def __init__(self, env: dict, *, workers: int = 2, threads: int = 4):
        self.env, self.workers, self.threads = env, workers, threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        # gunicorn's log goes to a file, never a pipe: nobody reads a pipe while the server runs,
        # and once its 64 KB fill up (tracebacks while PostgreSQL restarts) every worker blocks
        # writing to stderr and the whole server hangs.
        self.log = tempfile.NamedTemporaryFile(prefix="legwork-gunicorn-", suffix=".log", delete=False)

    def start(self, timeout: float = 60) -> None:
        cmd = [sys.executable, "-m", "gunicorn", "-w", str(self.workers), "--threads", str(self.threads),
               "-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "1", "--config", "python:app.gunicorn_conf",
               "app:create_app()"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/login", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("gunicorn did not start")

    def log_tail(self, lines: int = 15) -> list[str]:
        return Path(self.log.name).read_text(errors="replace").splitlines()[-lines:]

    def kill(self) -> None:
        """SIGKILL the whole group and return once none of it runs: a dying worker still holds the
        listening port and the SQLite write lock, which a restart right after would meet."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            deadline = time.monotonic() + 10
            while group_alive(self.proc.pid):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"process group {self.proc.pid} outlived SIGKILL by 10 s")
                time.sleep(0.01)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()



def checkpoint_postgresql(url: str) -> None:
    """Flush PostgreSQL's dirty files now. After a test run (every TRUNCATE makes new files) the
    shutdown checkpoint of a restart can take most of a minute; done beforehand, the restart
    itself takes seconds, and that is the outage the test is about."""
    import sqlalchemy as sa

    from app import db as dbmod

    engine = sa.create_engine(dbmod.database_url_from(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("CHECKPOINT")
    engine.dispose()


def restart_postgresql() -> None:
    """Restart this machine's PostgreSQL cluster (root only): every open connection dies."""
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True,
                   capture_output=True, timeout=60)


def stored_ids(env: dict) -> list[str]:
    import sqlalchemy as sa

    from app import db as dbmod

    engine = dbmod.make_engine(dbmod.database_url_from(env["LEGWORK_DATABASE_URL"]),
                               schema=env.get("LEGWORK_DATABASE_SCHEMA"))
    with engine.connect() as conn:
        ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM contact_events"))]
    engine.dispose()
    return ids


def server_env(database_url: str, schema: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGWORK_")}
    env.update(LEGWORK_DATABASE_URL=database_url, LEGWORK_SECRET_KEY="fault-test-secret", LEGWORK_ENV="development",
               LEGWORK_RATELIMIT_ENABLED="false")
    if schema:
        env["LEGWORK_DATABASE_SCHEMA"] = schema
    return env
