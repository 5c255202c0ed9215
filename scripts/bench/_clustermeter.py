"""Where a cluster bench phase's CPU went (scripts/bench/cluster.py): the app servers, nginx, this
database's PostgreSQL backends and the load generator, read from /proc and pg_stat_activity."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from app.db import database_url_from
from scripts.bench._loadclient import cpu_of

if TYPE_CHECKING:  # the cluster module imports this one
    from scripts.bench.cluster import Cluster


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += int(next(l for l in Path(f"/proc/{pid}/status").read_text().splitlines()
                              if l.startswith("VmRSS")).split()[1])
        except (OSError, StopIteration):
            continue
    return total / 1024


class Meter:
    """CPU seconds over one phase of the app servers, nginx, this database's PostgreSQL backends
    and this load generator, and the machine's load average: which of them was the limit."""

    def __init__(self, cluster: Cluster, db_url: str):
        self.cluster, self.engine = cluster, sa.create_engine(database_url_from(db_url), poolclass=sa.pool.NullPool)
        self.db = sa.engine.make_url(db_url).database
        self.start = self._now()

    def _backends(self) -> list[int]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :d AND pid <> "
                                             "pg_backend_pid()"), {"d": self.db}).scalars())

    def _now(self) -> dict:
        return {"app": {p: cpu_of(p) for p in self.cluster.pids("app")}, "nginx": {p: cpu_of(p) for p in self.cluster.pids("nginx")},
                "db": {p: cpu_of(p) for p in self._backends()}, "client": time.process_time(), "t": time.perf_counter()}

    def stop(self, n: int) -> dict:
        end = self._now()
        used = {k: sum(v - self.start[k].get(p, 0.0) for p, v in end[k].items()) for k in ("app", "nginx", "db")}
        used["client"] = end["client"] - self.start["client"]
        self.engine.dispose()
        wall = end["t"] - self.start["t"]
        return {"ms_per_request": {k: v / max(n, 1) * 1000 for k, v in used.items()},
                "cores": {k: v / wall for k, v in used.items()}, "load": os.getloadavg()[0]}


def cpu_text(m: dict) -> str:
    ms, cores = m["ms_per_request"], m["cores"]
    return ("CPU ms/request " + ", ".join(f"{k} {ms[k]:.2f}" for k in ("app", "nginx", "db", "client"))
            + "; cores busy " + ", ".join(f"{k} {cores[k]:.2f}" for k in ("app", "nginx", "db", "client"))
            + f"; load average {m['load']:.1f}")
