"""The load test's phases (scripts/bench/loadtest.py): sustained closed loop (aiohttp or wrk), an
open loop at an offered rate, and the reconnect storm. Each reports rates, latencies and the CPU
per request of the server and of the load generator."""
from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path

import orjson

from scripts.bench._loadclient import (DOORS_PER_PHONE, USER_AGENT, CpuMeter, Phone, RawConnection, outcome, pct,
                                       raw_posts, raw_request)

ROOT = Path(__file__).resolve().parents[2]


async def sustained(http, base: str, phones: list[Phone], seconds: float, clients: int = 32) -> dict:
    stop = time.perf_counter() + seconds
    done, latencies = 0, []

    async def client(p: Phone):
        nonlocal done
        i = 0
        while time.perf_counter() < stop:
            t = time.perf_counter()
            await p.post(http, base, [outcome(p, i % DOORS_PER_PHONE)])
            latencies.append(time.perf_counter() - t)
            done += 1
            i += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(client(phones[c % len(phones)]) for c in range(clients)))
    elapsed = time.perf_counter() - t0
    return {"rate": done / elapsed, "n": done, "p50": pct(latencies, .5), "p99": pct(latencies, .99)}


def wrk_sustained(base: str, phones: list[Phone], seconds: float, clients: int, server_pid: int, tmp: Path,
                  empty: bool = False) -> dict:
    """The sustained phase driven by wrk (C, ~0.02 ms of CPU a request) instead of aiohttp, so the
    two cores go to the server: the figure a server whose phones are elsewhere would see."""
    spec = tmp / "phones.tsv"
    spec.write_text("".join(f"{p.cookie}\t{p.token}\t{p.spec['list']}\t{','.join(map(str, p.spec['doors']))}\n"
                            for p in phones))
    cmd = ["wrk", "-t2", f"-c{clients}", f"-d{seconds:g}s", "-s", str(ROOT / "scripts" / "bench" / "loadtest_wrk.lua"), base]
    meter = CpuMeter(server_pid)
    wenv = {**os.environ, "LOADTEST_PHONES": str(spec), "LOADTEST_USER_AGENT": USER_AGENT}
    if empty:
        wenv["LOADTEST_EMPTY_BATCH"] = "1"
    proc = subprocess.Popen(cmd, env=wenv, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    line = next((l for l in out.splitlines() if l.startswith("WRK ")), None)
    if status != 0 or line is None:
        raise RuntimeError(f"wrk failed ({status}): {out[-500:]}")
    fields = dict(item.split("=") for item in line.split()[1:])
    n = int(fields["requests"])
    cpu = meter.per_request(n)
    cpu["client_ms"] = (usage.ru_utime + usage.ru_stime) / max(n, 1) * 1000  # wrk's CPU, not this process's
    return {"rate": n / float(fields["seconds"]), "n": n, "p50": float(fields["p50_ms"]), "p99": float(fields["p99_ms"]),
            "bad": int(fields["bad"]) + int(fields["errors"]), "cpu": cpu}


async def offered(base: str, phones: list[Phone], rate: float, seconds: float, server_pid: int,
                  warmup: float = 2.0, connections: int = 32) -> dict:
    """Open loop: send at `rate`/s whatever the answers do; latency from the scheduled time, for the
    requests due after the first `warmup` seconds (as the sustained phase has a warm-up: the
    saturating phases before leave the server a backlog). A request whose time comes while every
    open connection is busy opens another."""
    skip, total = int(rate * warmup), int(rate * (warmup + seconds))
    requests = [raw_request(base, "/api/outcomes", p, orjson.dumps({"outcomes": [outcome(p, i % DOORS_PER_PHONE)]}))
                for i in range(total) for p in (phones[i % len(phones)],)]
    # Phones already connected (keep-alive), as the aiohttp pool left from the phase before was:
    # without them the first few dozen requests would each pay for a new connection.
    idle: list[RawConnection] = list(await asyncio.gather(*(RawConnection(base).warm() for _ in range(connections))))
    latencies, answers, tasks = [], [], []

    async def one(request: bytes, due: float, measured: bool):
        conn = idle.pop() if idle else RawConnection(base)
        answers.append(await conn.send(request))
        if measured:
            latencies.append(time.perf_counter() - due)
        idle.append(conn)

    t0 = time.perf_counter()
    meter = start = None
    for i, request in enumerate(requests):
        due = t0 + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if i == skip:
            meter, start = CpuMeter(server_pid), time.perf_counter()
        tasks.append(asyncio.create_task(one(request, due, i >= skip)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    cpu = meter.per_request(len(latencies))
    for conn in idle:
        conn.close()
    if any(orjson.loads(a)["results"][0]["status"] != "stored" for a in answers):
        raise RuntimeError("an outcome sent once was not answered 'stored'")
    return {"rate": len(latencies) / elapsed, "n": len(latencies), "p50": pct(latencies, .5), "p99": pct(latencies, .99),
            "cpu": cpu}


async def storm(base: str, phones: list[Phone], store_half, connections: int, server_pid: int) -> dict:
    # "come_back" only in the storm, so its rows can be counted apart from the other phases'.
    queues = {id(p): [outcome(p, d, "come_back") for d in range(DOORS_PER_PHONE)] for p in phones}
    # The server already has half of each queue: those answers were lost on the way back.
    store_half([o for p in phones for o in queues[id(p)][::2]])
    # Each phone's outbox is ready before it reconnects, and each phone reads its answers on its own
    # CPU: requests are encoded before the clock starts and answers parsed after it stops, so the two
    # cores this test shares with the server are not spent on 2,500 phones' JSON and HTTP.
    work = [[raw_request(base, "/api/outcomes", p, orjson.dumps({"outcomes": queues[id(p)][start:start + 50]}))
             for start in range(0, DOORS_PER_PHONE, 50)] for p in phones]
    meter = CpuMeter(server_pid)
    t0 = time.perf_counter()
    answers = await raw_posts(base, work, connections)
    elapsed = time.perf_counter() - t0
    cpu = meter.per_request(sum(map(len, work)))
    statuses = {"stored": 0, "duplicate": 0, "rejected": 0}
    for answer in answers:
        for r in orjson.loads(answer)["results"]:
            statuses[r["status"]] += 1
    ids = {o["id"] for q in queues.values() for o in q}
    return {"seconds": elapsed, "statuses": statuses, "ids": ids, "cpu": cpu}


# ---- one database ---------------------------------------------------------------------------------
