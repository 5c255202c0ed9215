"""A CPU quota per app server (Linux cgroups, v1 or v2), for "two servers >= 1.7x one, when the
database is not the limit" on a machine whose few cores the database, nginx and the load generator
share with the app servers: each server is held to a fixed share of a core, as if it ran on a
machine of its own that size, and the rest of the machine is left to the database.

Needs root (or a delegated cgroup); without one, ``--cpu-per-server`` stops the bench with the
reason (``CpuCaps.available()``) rather than measure uncapped servers as if they were capped.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

V1, V2 = Path("/sys/fs/cgroup/cpu"), Path("/sys/fs/cgroup")
PERIOD_US = 100_000


def _root() -> tuple[Path, int] | None:
    if (V1 / "cpu.cfs_quota_us").exists():
        return V1, 1
    if (V2 / "cgroup.controllers").exists() and "cpu" in (V2 / "cgroup.controllers").read_text().split():
        return V2, 2
    return None


def processes():
    """(pid, command name, the /proc stat fields after it) of every process now running."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone meanwhile
        yield int(stat.parent.name), text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()


def _tree(top: int) -> list[int]:
    """``top`` and every process under it."""
    children: dict[int, list[int]] = {}
    for pid, _comm, fields in processes():
        children.setdefault(int(fields[1]), []).append(pid)
    out, todo = [], [top]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


class CpuCaps:
    """One cgroup per app server, each held to ``cores`` of CPU; removed on exit."""

    def __init__(self, cores: float, count: int):
        found = _root()
        if found is None:
            raise RuntimeError("no cgroup CPU controller here (/sys/fs/cgroup)")
        self.root, self.version = found
        self.cores, self.count = cores, count
        self.groups = [self.root / f"legwork-bench-{os.getpid()}-{i}" for i in range(count)]

    @staticmethod
    def available() -> str | None:
        """None if caps can be set here, else why not."""
        found = _root()
        if found is None:
            return "no cgroup CPU controller"
        return None if os.access(found[0], os.W_OK) else f"{found[0]} is not writable (needs root)"

    def __enter__(self) -> "CpuCaps":
        quota = int(self.cores * PERIOD_US)
        if self.version == 2:
            (self.root / "cgroup.subtree_control").write_text("+cpu")
        for group in self.groups:
            group.mkdir(exist_ok=True)
            if self.version == 1:
                (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
                (group / "cpu.cfs_quota_us").write_text(str(quota))
            else:
                (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")
        return self

    def place(self, index: int, top: int) -> int:
        """Put the app server whose master is ``top`` (and its workers) in group ``index``."""
        pids = _tree(top)
        for pid in pids:
            try:
                (self.groups[index] / "cgroup.procs").write_text(str(pid))
            except (OSError, ProcessLookupError):
                pass  # gone meanwhile
        return len(pids)

    def throttled_s(self) -> float:
        """Seconds the groups spent held back by their quota so far: the caps were what bound."""
        total = 0.0
        for group in self.groups:
            for line in (group / "cpu.stat").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "throttled_time":      # v1: nanoseconds
                    total += int(value) / 1e9
                elif key == "throttled_usec":    # v2
                    total += int(value) / 1e6
        return total

    def __exit__(self, *_exc) -> None:
        for group in self.groups:
            procs = group / "cgroup.procs"
            if group.exists():
                for pid in procs.read_text().split():
                    try:
                        (self.root / "cgroup.procs").write_text(pid)
                    except OSError:
                        pass
                try:
                    group.rmdir()
                except OSError:
                    pass


def masters(serve_pid: int) -> list[int]:
    """The gunicorn masters scripts/serve started: one per app server."""
    return sorted(pid for pid, comm, fields in processes() if int(fields[1]) == serve_pid and comm.startswith("gunicorn"))


@contextlib.contextmanager
def capped(serve_pid: int, servers: int, cores: float | None):
    """The app servers scripts/serve (``serve_pid``) started, each held to ``cores`` of CPU; or
    nothing if not asked."""
    if not cores:
        yield None
        return
    with CpuCaps(cores, servers) as caps:
        tops = masters(serve_pid)
        if len(tops) != servers:
            raise SystemExit(f"found {len(tops)} gunicorn masters under scripts/serve, expected {servers}")
        for i, top in enumerate(tops):
            caps.place(i, top)
        yield caps
