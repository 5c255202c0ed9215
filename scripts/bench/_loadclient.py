"""The load test's client side: phones that sign in like a volunteer's browser and post outcomes, a
bare HTTP/1.1 client for the phases whose client shares the server's cores, and CPU meters read
from /proc. Used by scripts.bench.loadtest."""
from __future__ import annotations

import asyncio
import os
import re
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

PASSWORD = "load-test-password"
DOORS_PER_PHONE = 20
USER_AGENT = "legwork-loadtest"
CONTENT_LENGTH_RE = re.compile(rb"\r\ncontent-length: *(\d+)", re.IGNORECASE)
TOKEN_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of gunicorn's master and workers so far (Linux /proc), in seconds."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent's pid
            total += int(fields[11]) + int(fields[12])
    return total / tick


def waited_for_cpu(pid: int | None = None) -> float:
    """Seconds the threads of a process and its children (None: this process) have spent runnable
    but waiting for a core (Linux schedstat): on a shared machine, the part of a latency that is
    neither work nor I/O."""
    pids = [os.getpid()] if pid is None else [pid]
    if pid is not None:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if stat.read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                    pids.append(int(stat.parent.name))
            except (OSError, IndexError):
                continue
    total = 0
    for p in pids:
        for task in Path(f"/proc/{p}/task").glob("*/schedstat"):
            try:
                total += int(task.read_text().split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return total / 1e9


def cpu_of(pid: int) -> float:
    """User + system CPU of one process so far, in seconds (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU ticks of the whole machine so far (Linux /proc/stat), for the share of both
    cores in use during a phase: below ~95% the server was waiting on something other than CPU."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


class CpuMeter:
    """CPU per request of the server and of this load generator over one phase: rates measured
    on a shared machine depend on what else runs; CPU per request does much less."""

    def __init__(self, server_pid: int):
        self.pid = server_pid
        self.server, self.client, self.load = cpu_seconds(server_pid), time.process_time(), os.getloadavg()[0]
        self.machine = machine_busy()

    def per_request(self, n: int) -> dict:
        server, client = cpu_seconds(self.pid) - self.server, time.process_time() - self.client
        busy, total = (now - then for now, then in zip(machine_busy(), self.machine))
        return {"server_ms": server / max(n, 1) * 1000, "client_ms": client / max(n, 1) * 1000,
                "load": max(self.load, os.getloadavg()[0]), "busy": busy / max(total, 1)}


def cpu_text(c: dict) -> str:
    return f"CPU per request: server {c['server_ms']:.2f} ms, load generator {c['client_ms']:.2f} ms; load average {c['load']:.1f}; cores busy {c['busy']:.0%}"


class Phone:
    def __init__(self, spec: dict):
        self.spec, self.cookie, self.token = spec, "", ""

    def _keep(self, response) -> None:
        morsel = response.cookies.get("session")
        if morsel is not None:
            self.cookie = f"session={morsel.value}"

    async def sign_in(self, http: aiohttp.ClientSession, base: str) -> None:
        async with http.get(base + "/login") as r:
            self._keep(r)
            token = TOKEN_RE.search(await r.text()).group(1)
        data = {"email": self.spec["email"], "password": PASSWORD, "csrf_token": token}
        for attempt in range(10):  # concurrent sign-ins on SQLite can meet a locked database: try again
            async with http.post(base + "/login", data=data, headers={"Cookie": self.cookie}, allow_redirects=False) as r:
                if r.status == 302:
                    self._keep(r)
                    break
            await asyncio.sleep(0.05 * (attempt + 1))
        else:
            raise RuntimeError(f"sign-in failed for {self.spec['email']}: {r.status}")
        async with http.get(base + "/canvass/join", headers={"Cookie": self.cookie}) as r:
            self._keep(r)
            self.token = TOKEN_RE.search(await r.text()).group(1)

    async def post(self, http, base: str, outcomes: list[dict]) -> list[dict]:
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.token}
        async with http.post(base + "/api/outcomes", json={"outcomes": outcomes}, headers=headers) as r:
            if r.status != 200:
                raise RuntimeError(f"POST /api/outcomes answered {r.status}: {(await r.text())[:200]}")
            return (await r.json())["results"]


def outcome(phone: Phone, door: int, code: str = "not_home") -> dict:
    return {"id": str(uuid.uuid4()), "household_id": phone.spec["doors"][door], "walk_list_id": phone.spec["list"],
            "code": code, "recorded_at": now_iso()}


async def sign_in_all(http, base: str, phones: list[Phone], concurrency: int = 4) -> float:
    sem = asyncio.Semaphore(concurrency)

    async def one(p):
        async with sem:
            await p.sign_in(http, base)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(p) for p in phones))
    return time.perf_counter() - t0


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


class RawConnection:
    """A bare HTTP/1.1 keep-alive connection (~0.1 ms of CPU a request where aiohttp spends ~0.3-0.8)
    for the phases whose client shares the server's cores: phones do their HTTP on their own CPU.
    A connection the server closed is opened again and the request sent again (ids are idempotent)."""

    def __init__(self, base: str):
        url = urlsplit(base)
        self.host, self.port, self.reader, self.writer = url.hostname, url.port, None, None

    async def connect(self) -> "RawConnection":
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def warm(self) -> "RawConnection":
        """Connected and one request answered: gunicorn's gthread worker gives a new connection a
        thread until its first request arrives (up to 5 s), and only then parks it with the other
        keep-alive connections, so a connection opened and left idle would hold a thread."""
        await self.send(f"GET /favicon.ico HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUser-Agent: {USER_AGENT}\r\n\r\n".encode())
        return self

    async def send(self, request: bytes) -> bytes:
        for _ in range(3):
            await self.connect()
            try:
                self.writer.write(request)
                head = await self.reader.readuntil(b"\r\n\r\n")
                length = CONTENT_LENGTH_RE.search(head)
                if length is None:  # this client reads only what gunicorn sends for Flask: a sized body
                    raise RuntimeError(f"an answer without Content-Length: {head[:200]!r}")
                body = await self.reader.readexactly(int(length.group(1)))
            except (asyncio.IncompleteReadError, ConnectionError):
                self.close()
                continue
            if head[9:12] != b"200":
                raise RuntimeError(f"{request.split(b' ', 2)[1].decode()} answered {head[9:12].decode()}: {body[:200]!r}")
            return body
        raise RuntimeError("the server kept closing the connection")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def raw_posts(base: str, work: list[list[bytes]], connections: int) -> list[bytes]:
    """Send each item's requests in order over one of `connections` keep-alive sockets (RawConnection);
    the answers' bodies."""
    jobs = iter(work)
    answers: list[bytes] = []

    async def connection():
        conn = RawConnection(base)
        for requests in jobs:  # one iterator shared by the connections: each phone is sent once
            for request in requests:
                answers.append(await conn.send(request))
        conn.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    return answers


def raw_request(base: str, path: str, phone: Phone, body: bytes) -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: {urlsplit(base).netloc}\r\nUser-Agent: {USER_AGENT}\r\n"
            f"Cookie: {phone.cookie}\r\nX-CSRFToken: {phone.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body
