"""Phones under fire: phones that retry until every outcome is acknowledged, against a real
gunicorn (tests/support/gunicorn.py), while faults (kill -9 of the whole server, a database
restart) hit them.

Used by tests/reliability (small, in CI) and scripts/bench/faulttest.py (bigger, for RELIABILITY.md).
Only 127.0.0.1; every loop is bounded in count and time.
"""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

import requests

from tests.support.gunicorn import PASSWORD, TOKEN_RE, Server


@dataclass
class Phone:
    """A phone with an outbox: it retries every batch until each outcome is acknowledged."""

    spec: dict
    base: str
    batch: int = 10
    outbox: list[dict] = field(default_factory=list)
    acked: dict = field(default_factory=dict)
    retries: int = 0
    server_errors: list = field(default_factory=list)  # (status, body) of every 5xx answer
    trail: list = field(default_factory=list)          # the last few answers, for a failure message
    http: requests.Session = field(default_factory=requests.Session)
    token: str = ""

    def queue(self, count: int) -> None:
        stamp = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
        homes = self.spec["households"]
        self.outbox = [{"id": str(uuid.uuid4()), "household_id": homes[i % len(homes)], "code": "not_home",
                        "walk_list_id": self.spec["list"], "recorded_at": stamp} for i in range(count)]

    def sign_in(self) -> None:
        page = self.http.get(self.base + "/login", timeout=5).text
        token = TOKEN_RE.search(page).group(1)
        self.http.post(self.base + "/login", data={"email": self.spec["email"], "password": PASSWORD,
                                                   "csrf_token": token}, timeout=10, allow_redirects=False)
        self.token = TOKEN_RE.search(self.http.get(self.base + "/canvass/", timeout=5).text).group(1)

    def flush(self, deadline: float, replay_every: int = 2) -> None:
        """Send until every outcome is acknowledged; every ``replay_every``-th batch is sent twice,
        as a phone does when it lost the answer to its first try."""
        n = 0
        while self.outbox and time.monotonic() < deadline:
            chunk = self.outbox[: self.batch]
            try:
                if not self.token:
                    self.sign_in()
                response = self.http.post(self.base + "/api/outcomes", json={"outcomes": chunk},
                                          headers={"X-CSRFToken": self.token}, timeout=10)
                if n % replay_every == 0 and response.status_code == 200:
                    response = self.http.post(self.base + "/api/outcomes", json={"outcomes": chunk},
                                              headers={"X-CSRFToken": self.token}, timeout=10)
            except (requests.RequestException, AttributeError, ValueError) as err:
                # no answer, or a page without a token (the server was mid-restart): like the
                # phone's outbox, drop the session's token and try again shortly
                self.trail = (self.trail + [repr(err)[:120]])[-5:]
                self.retries += 1
                self.token = ""
                time.sleep(0.1)
                continue
            if response.status_code != 200:
                self.trail = (self.trail + [f"{response.status_code} {response.text[:120]}"])[-5:]
                self.retries += 1
                if response.status_code >= 500:
                    self.server_errors.append((response.status_code, response.text[:200]))
                if response.status_code in (400, 401):
                    self.token = ""  # the session or token went stale: sign in again
                time.sleep(0.1)
                continue
            try:
                results = response.json()["results"]
            except (ValueError, KeyError):
                self.retries += 1
                continue
            for result in results:
                self.acked[result["id"]] = result["status"]
            done = {r["id"] for r in results if r["status"] in ("stored", "duplicate")}
            self.outbox = [o for o in self.outbox if o["id"] not in done]
            n += 1


def stuck_report(phones: list[Phone], server: "Server | None" = None) -> str:
    """What the phones that still hold outcomes last saw, and the server's last words."""
    lines = [f"{p.spec['email']}: {len(p.outbox)} unsent, {p.retries} retries, last: {p.trail}"
             for p in phones if p.outbox]
    if server is not None:
        lines += ["server:"] + server.log_tail()
    return "\n".join(lines)


def acked(phones: list[Phone]) -> int:
    return sum(len(p.acked) for p in phones)


def wait_until_acked(phones: list[Phone], count: int, timeout: float = 60) -> None:
    """Until the phones hold ``count`` answers: a fault timed by progress, not by the clock, hits
    the storm however fast the server has become (a fixed sleep once outlasted the whole storm)."""
    deadline = time.monotonic() + timeout
    while acked(phones) < count and time.monotonic() < deadline:
        time.sleep(0.002)


def storm(base: str, specs: list[dict], *, per_phone: int, seconds: float, fault=None) -> list[Phone]:
    """Every phone flushes its outbox at once, in threads; ``fault(phones)`` runs alongside."""
    phones = [Phone(spec, base) for spec in specs]
    for phone in phones:
        phone.queue(per_phone)
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=phone.flush, args=(deadline,)) for phone in phones]
    for t in threads:
        t.start()
    if fault is not None:
        fault(phones)
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + 15)
    return phones
