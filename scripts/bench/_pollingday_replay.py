"""The polling-day benchmark's replay (scripts.bench.pollingday): tellers post tellings open loop at
a set rate while every knocker's phone asks who has voted on its list every 5 s and answers a door
now and then; each telling of a pledge on a list is followed until every phone holding that list
has seen it.

One asyncio process with aiohttp: the load generator shares the server's two cores, and at these
rates (tens of requests a second) one process spends a few percent of a core.
"""
from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field

import orjson

from scripts.bench._loadclient import CpuMeter, Phone, now_iso, pct, waited_for_cpu

KNOCK_CODES = ("not_in", "not_in", "not_in", "will_vote", "will_vote", "voted_already", "wont_vote", "needs_lift")


@dataclass
class KnockPhone:
    """One knocker's phone with one knock-up list open (a knocker holding two lists has two)."""

    phone: Phone
    list_id: int
    doors: list[int]                   # household ids on the list
    people: list[int] = field(default_factory=list)        # the pledges behind them (the phone's payload)
    poll_seconds: float = 5.0          # the payload's poll_seconds ([pollingday] strike_off_poll_seconds)
    seen: dict[int, float] = field(default_factory=dict)   # person -> when a poll's answer first had them


@dataclass
class Sent:
    """One telling as sent: when it was due, when its answer came, the answer."""

    body: bytes
    voter: dict
    due: float = 0.0
    answered: float = 0.0
    status: str = ""


class Replay:
    def __init__(self, http, base: str, tellers: dict[str, Phone], stations: dict[str, int], knock_phones: list[KnockPhone],
                 on_list: dict[int, int], poll_seconds: float, knock_every: float, rng: random.Random):
        self.http, self.base, self.tellers, self.stations = http, base, tellers, stations
        self.knock_phones, self.on_list, self.rng = knock_phones, on_list, rng
        self.poll_seconds, self.knock_every = poll_seconds, knock_every
        self.polls: list[float] = []        # latency of each poll
        self.knocks: list[float] = []       # latency of each knock answer posted
        self.knock_status: dict[str, int] = {}
        self.errors: list[str] = []
        self.stopping = False

    # ---- the knockers' phones ------------------------------------------------------------------
    async def _poll(self, kp: KnockPhone) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.poll_seconds))   # phones opened their lists at different moments
        url = f"{self.base}/api/lists/{kp.list_id}/voted"
        while not self.stopping:
            t = time.perf_counter()
            try:
                async with self.http.get(url, headers={"Cookie": kp.phone.cookie}) as r:
                    body = await r.read()
                    done = time.perf_counter()
                    if r.status != 200:
                        self.errors.append(f"GET voted {r.status}")
                    else:
                        for pid in orjson.loads(body)["voted"]:
                            kp.seen.setdefault(pid, done)
                        self.polls.append(done - t)
            except Exception as exc:  # noqa: BLE001  (a load generator counts every failure)
                self.errors.append(f"GET voted {type(exc).__name__}")
            await asyncio.sleep(self.poll_seconds)   # the phone's setTimeout after each answer (knockup.js)

    async def _knock(self, kp: KnockPhone) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.knock_every))
        while not self.stopping:
            item = {"id": str(uuid.uuid4()), "household_id": self.rng.choice(kp.doors), "walk_list_id": kp.list_id,
                    "code": self.rng.choice(KNOCK_CODES), "recorded_at": now_iso()}
            headers = {"Cookie": kp.phone.cookie, "X-CSRFToken": kp.phone.token, "Content-Type": "application/json"}
            t = time.perf_counter()
            try:
                async with self.http.post(f"{self.base}/api/outcomes", data=orjson.dumps({"outcomes": [item]}),
                                          headers=headers) as r:
                    body = await r.read()
                    if r.status != 200:
                        self.errors.append(f"POST outcomes {r.status}: {body[:120]!r}")
                    else:
                        status = orjson.loads(body)["results"][0]["status"]
                        self.knock_status[status] = self.knock_status.get(status, 0) + 1
                        self.knocks.append(time.perf_counter() - t)
            except Exception as exc:  # noqa: BLE001
                self.errors.append(f"POST outcomes {type(exc).__name__}")
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.knock_every)

    def start_phones(self) -> list[asyncio.Task]:
        return ([asyncio.create_task(self._poll(kp)) for kp in self.knock_phones]
                + [asyncio.create_task(self._knock(kp)) for kp in self.knock_phones])

    # ---- the tellers ---------------------------------------------------------------------------
    def telling(self, voter: dict) -> Sent:
        item = {"id": str(uuid.uuid4()), "station_id": self.stations[voter["district"]], "recorded_at": now_iso(),
                **voter["item"]}
        return Sent(orjson.dumps({"tellings": [item]}), voter)

    async def _post(self, sent: Sent) -> None:
        teller = self.tellers[sent.voter["district"]]
        headers = {"Cookie": teller.cookie, "X-CSRFToken": teller.token, "Content-Type": "application/json"}
        try:
            async with self.http.post(f"{self.base}/api/tellings", data=sent.body, headers=headers) as r:
                body = await r.read()
                sent.answered = time.perf_counter()
                sent.status = orjson.loads(body)["results"][0]["status"] if r.status == 200 else f"HTTP {r.status}"
        except Exception as exc:  # noqa: BLE001
            sent.answered, sent.status = time.perf_counter(), type(exc).__name__

    async def tellings(self, voters: list[dict], rate: float, seconds: float, server_pid: int, db_cpu=None) -> dict:
        """Open loop: tellings arrive as a Poisson process at ``rate`` a second for ``seconds``;
        each latency counts from its scheduled moment, so a stalled server cannot hide its queue."""
        at, schedule = 0.0, []
        while True:
            at += self.rng.expovariate(rate)
            if at >= seconds or len(schedule) == len(voters):
                break
            schedule.append((at, self.telling(voters[len(schedule)])))
        polls, knocks = len(self.polls), len(self.knocks)
        backends = db_cpu() if db_cpu else {}
        waits = waited_for_cpu(server_pid), waited_for_cpu()
        meter, t0, tasks = CpuMeter(server_pid), time.perf_counter(), []
        for at, sent in schedule:
            sent.due = t0 + at
            delay = sent.due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self._post(sent)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - t0
        n_polls, n_knocks = len(self.polls) - polls, len(self.knocks) - knocks
        cpu = meter.per_request(len(schedule) + n_polls + n_knocks)
        cpu["server_cores"] = cpu["server_ms"] * (len(schedule) + n_polls + n_knocks) / 1000 / elapsed
        cpu["client_cores"] = cpu["client_ms"] * (len(schedule) + n_polls + n_knocks) / 1000 / elapsed
        # Per request: how long gunicorn's threads (and this process) were ready to run but had no core.
        cpu["server_wait_ms"] = (waited_for_cpu(server_pid) - waits[0]) / (len(schedule) + n_polls + n_knocks) * 1000
        cpu["client_wait_ms"] = (waited_for_cpu() - waits[1]) / (len(schedule) + n_polls + n_knocks) * 1000
        if db_cpu:   # backends opened during the phase started from 0; any that closed are missed
            cpu["db_cores"] = sum(v - backends.get(pid, 0.0) for pid, v in db_cpu().items()) / elapsed
        sent = [s for _, s in schedule]
        latencies = [s.answered - s.due for s in sent]
        return {"n": len(sent), "rate": len(sent) / elapsed, "seconds": elapsed, "sent": sent,
                "statuses": _count(s.status for s in sent), "p50": pct(latencies, .5), "p95": pct(latencies, .95),
                "p99": pct(latencies, .99), "max": max(latencies) * 1000 if latencies else float("nan"),
                "polls": self.polls[polls:], "knocks": self.knocks[knocks:], "cpu": cpu}

    async def unit_costs(self, voters: list[dict], server_pid: int, db_cpu=None, polls: int = 1000,
                         tellings: int = 300) -> dict:
        """Server CPU of one poll and of one telling, each measured alone (closed loop, 4 at a time)
        before the phones start: the replay's phases mix them."""
        async def measure(n: int, one) -> tuple[float, float, float]:
            queue, latencies = iter(range(n)), []
            backends, meter = db_cpu() if db_cpu else {}, CpuMeter(server_pid)

            async def client():
                for i in queue:
                    t = time.perf_counter()
                    await one(i)
                    latencies.append(time.perf_counter() - t)
            await asyncio.gather(*(client() for _ in range(4)))
            db = sum(v - backends.get(pid, 0.0) for pid, v in db_cpu().items()) / n * 1000 if db_cpu else 0.0
            return meter.per_request(n)["server_ms"], db, pct(latencies, .5)

        async def poll(i: int):
            kp = self.knock_phones[i % len(self.knock_phones)]
            async with self.http.get(f"{self.base}/api/lists/{kp.list_id}/voted", headers={"Cookie": kp.phone.cookie}) as r:
                await r.read()
                if r.status != 200:
                    self.errors.append(f"GET voted {r.status}")

        sent = [self.telling(v) for v in voters[:tellings]]

        async def tell(i: int):
            await self._post(sent[i])
            if sent[i].status != "stored":
                self.errors.append(f"telling {sent[i].status}")
        out = dict(zip(("poll_ms", "poll_db_ms", "poll_p50"), await measure(polls, poll)))
        out.update(zip(("telling_ms", "telling_db_ms", "telling_p50"), await measure(len(sent), tell)))
        out["sent"] = sent
        return out

    # ---- the strike-off ------------------------------------------------------------------------
    def leave_times(self, sent: list[Sent]) -> dict:
        """For each stored telling of a pledge on a list: from its answer to the moment the last
        phone holding that list had a poll answer including the voter."""
        holders: dict[int, list[KnockPhone]] = {}
        for kp in self.knock_phones:
            holders.setdefault(kp.list_id, []).append(kp)
        times, unseen, early = [], 0, 0
        for s in sent:
            list_id = self.on_list.get(s.voter["person_id"])
            if list_id is None or s.status != "stored":
                continue
            seen = [kp.seen.get(s.voter["person_id"]) for kp in holders[list_id]]
            if any(t is None for t in seen):
                unseen += 1
                continue
            gone = max(seen) - s.answered
            early += gone < 0   # a poll read it after the commit, before the telling's answer arrived
            times.append(max(gone, 0.0))
        return {"n": len(times), "unseen": unseen, "early": early, "p50": pct(times, .5) / 1000,
                "p95": pct(times, .95) / 1000, "max": max(times) if times else float("nan")}

    def pending(self, sent: list[Sent]) -> int:
        """Stored tellings of pledges on lists that some phone holding the list has not seen yet."""
        holders: dict[int, list[KnockPhone]] = {}
        for kp in self.knock_phones:
            holders.setdefault(kp.list_id, []).append(kp)
        return sum(1 for s in sent if s.status == "stored" and s.voter["person_id"] in self.on_list
                   and any(s.voter["person_id"] not in kp.seen for kp in holders[self.on_list[s.voter["person_id"]]]))


def _count(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


async def replay_again(http, base: str, tellers: dict[str, Phone], sample: list[Sent]) -> dict[str, int]:
    """The same tellings posted again, as a phone that lost the answers would: each must be a duplicate."""
    out: dict[str, int] = {}
    sem = asyncio.Semaphore(8)

    async def one(s: Sent):
        teller = tellers[s.voter["district"]]
        headers = {"Cookie": teller.cookie, "X-CSRFToken": teller.token, "Content-Type": "application/json"}
        async with sem, http.post(f"{base}/api/tellings", data=s.body, headers=headers) as r:
            status = orjson.loads(await r.read())["results"][0]["status"] if r.status == 200 else f"HTTP {r.status}"
            out[status] = out.get(status, 0) + 1

    await asyncio.gather(*(one(s) for s in sample))
    return out


def in_process(env: dict, stations: dict[str, int], voters: list[dict], n: int = 600) -> dict:
    """The control: ``store_tellings`` called in this process, one at a time 10 ms apart, no HTTP,
    no server, no phones. Its tail is what the machine gives a telling whatever Legwork does: a
    slow one whose wall time is many times its CPU time waited for a core."""
    from app import create_app, db as dbmod
    from app.pollingday.tellings import store_tellings

    app = create_app({"DATABASE_URL": env["LEGWORK_DATABASE_URL"], "DATABASE_SCHEMA": env.get("LEGWORK_DATABASE_SCHEMA"),
                      "SECRET_KEY": env["LEGWORK_SECRET_KEY"], "TESTING": True})
    walls, cpus, waits = [], [], []
    with app.app_context(), dbmod.session_scope(app) as session:
        for v in voters[:n]:
            item = {"id": str(uuid.uuid4()), "station_id": stations[v["district"]], "recorded_at": now_iso(), **v["item"]}
            t, cpu, wait = time.perf_counter(), time.process_time(), waited_for_cpu()
            status = dbmod.write_transaction(session, lambda s: store_tellings(s, items=[item], actor_user_id=None))
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - cpu)
            waits.append(waited_for_cpu() - wait)
            assert status[0].status == "stored", status
            time.sleep(0.01)
    dbmod.engine_for(app).dispose()
    slow = sorted(range(len(walls)), key=walls.__getitem__)[-max(1, len(walls) // 100):]
    return {"n": len(walls), "p50": pct(walls, .5), "p99": pct(walls, .99), "cpu_p50": pct(cpus, .5),
            "slow_wall": sum(walls[i] for i in slow) * 1000 / len(slow), "slow_cpu": sum(cpus[i] for i in slow) * 1000 / len(slow),
            "slow_wait": sum(waits[i] for i in slow) * 1000 / len(slow)}
