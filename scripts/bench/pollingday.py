#!/usr/bin/env python3
"""Polling day in a constituency (issue #18), against gunicorn, on SQLite then PostgreSQL.

    .venv/bin/python -m scripts.bench.pollingday [--write] [--no-postgres] [--minutes 8] [--speedup 10]

Set-up, not timed (scripts/bench/_pollingday_seed.py): the made-up 77,000-elector register of
scripts.bench.register, 60 polling stations (one per district), 10 committee rooms of 6 districts,
today's election, support answers for 40% of electors (30% supporters: the pledges), 60 tellers,
300 knockers, an organiser. Then, through the server:
1. the whole constituency's knock-up sheets: the organiser starts round 1 in each of the 10 rooms
   (POST /polling-day/rooms/<id>/rounds) and prints every room's sheets at once (GET
   /polling-day/sheets, with its QR codes); target: both together in at most 2 minutes;
2. the knockers take the lists round-robin by the sheets' QR links (POST /polling-day/knock/<token>)
   and their phones load them (GET /api/lists/<id>);
3. the replay: 60 tellers post tellings one at a time (POST /api/tellings, as a phone online does),
   open loop at the issue's peak, 3 a minute a station (3/s for 60 stations), then the day
   compressed to SPEEDUP times that; all the while each knocker's phone asks GET
   /api/lists/<id>/voted every 5 s after its last answer (canvass/knockup.js) and answers a door
   about once a minute (POST /api/outcomes, the knock-up answers). Measured: telling latency
   (target p99 <= 50 ms), and for every telling of a pledge on a list, the time from its answer to
   the moment every phone holding that list has had a poll answer including the voter (target p95
   <= 10 s); errors (0); afterwards a sample of the tellings is posted again: every one a duplicate,
   the row count unchanged.

Only 127.0.0.1. Accounts use a cheap password hash and the sign-in limits are raised for the run
(every phone comes from one address); everything else is the production path.
"""
from __future__ import annotations

import argparse
import asyncio
import pickle
import random
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import orjson
import sqlalchemy as sa

from scripts.bench._benchmarks import write_section
from scripts.bench._loadclient import USER_AGENT, Phone, cpu_text, pct, sign_in_all
from scripts.bench._pollingday_report import commit, report
from scripts.bench._pollingday_replay import KnockPhone, Replay, in_process, replay_again
from scripts.bench._pollingday_seed import KNOCKERS, TELLERS, seed
from scripts.bench.loadtest import bench_database, free_port, start_gunicorn, stop_gunicorn
from scripts.bench.register import codes

PEAK = 3 * 60 / 60          # tellings a second at the peak: 3 a minute at each of 60 stations
SECTION = "## Polling day: a constituency's tellings and the knock-up strike-off"


def _engine(env: dict):
    from app.db import database_url_from, make_engine

    return make_engine(database_url_from(env["LEGWORK_DATABASE_URL"]), schema=env.get("LEGWORK_DATABASE_SCHEMA"))


def _count(env: dict, table: str) -> int:
    engine = _engine(env)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


async def sheets(http, base: str, organiser: Phone, env: dict) -> dict:
    """Round 1 in every room, then every room's sheets: the whole constituency's paper."""
    engine = _engine(env)
    with engine.connect() as conn:
        rooms = list(conn.execute(sa.text("SELECT id FROM committee_rooms ORDER BY id")).scalars())
    headers = {"Cookie": organiser.cookie}
    t0, rounds = time.perf_counter(), []
    for room in rooms:
        t = time.perf_counter()
        async with http.post(f"{base}/polling-day/rooms/{room}/rounds", data={"csrf_token": organiser.token},
                             headers=headers, allow_redirects=False) as r:
            await r.read()
            assert r.status == 302, f"starting round 1 in room {room}: {r.status}"
        rounds.append(time.perf_counter() - t)
    started = time.perf_counter() - t0
    t = time.perf_counter()
    async with http.get(f"{base}/polling-day/sheets", headers=headers) as r:
        page = await r.read()
        assert r.status == 200, f"GET /polling-day/sheets: {r.status}"
    render = time.perf_counter() - t
    with engine.connect() as conn:
        doors, pledges = conn.execute(sa.text("SELECT sum(door_count), sum(pledge_count) FROM knockup_rounds")).one()
        lists = list(conn.execute(sa.text("SELECT id FROM walk_lists WHERE knockup_round_id IS NOT NULL ORDER BY id")).scalars())
    engine.dispose()
    out = {"rooms": len(rooms), "rounds_s": started, "round_max_s": max(rounds), "render_s": render, "bytes": len(page),
           "lists": page.count(b'class="knockup-sheet"'), "rows": page.count(b'<td class="pos">'), "qr": page.count(b"<svg"),
           "doors": doors, "pledges": pledges, "list_ids": lists}
    print(f"  sheets: round 1 in {len(rooms)} rooms {started:.1f} s (slowest room {max(rounds):.1f} s); GET /polling-day/sheets "
          f"{render:.1f} s, {len(page) / 1e6:.1f} MB, {out['lists']} lists, {out['rows']:,} doors ({doors:,} doors, "
          f"{pledges:,} pledges in the rounds); total {started + render:.1f} s", flush=True)
    return out


async def take_lists(http, base: str, knockers: list[Phone], list_ids: list[int], secret: str) -> list[KnockPhone]:
    """Round-robin: list i to knocker i % 300 (by the sheet's QR link), then each phone loads its list."""
    from app.pollingday.knockup_queries import join_token

    pairs = [(knockers[j % len(knockers)], list_ids[j % len(list_ids)]) for j in range(max(len(knockers), len(list_ids)))]
    sem, phones = asyncio.Semaphore(8), []

    async def one(knocker: Phone, list_id: int):
        async with sem:
            async with http.post(f"{base}/polling-day/knock/{join_token(secret, list_id)}", data={"csrf_token": knocker.token},
                                 headers={"Cookie": knocker.cookie}, allow_redirects=False) as r:
                await r.read()
                assert r.status == 302 and f"/canvass/lists/{list_id}" in r.headers["Location"], r.status
            async with http.get(f"{base}/api/lists/{list_id}", headers={"Cookie": knocker.cookie}) as r:
                data = orjson.loads(await r.read())
            phones.append(KnockPhone(knocker, list_id, [d["household_id"] for d in data["doors"]],
                                     [p["id"] for d in data["doors"] for p in d["people"]], data["poll_seconds"]))

    await asyncio.gather(*(one(k, w) for k, w in pairs))
    return phones


async def drive(base: str, env: dict, place, args, server_pid: int) -> dict:
    connector = aiohttp.TCPConnector(limit=128)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                     timeout=aiohttp.ClientTimeout(total=600), headers={"User-Agent": USER_AGENT}) as http:
        organiser = Phone({"email": "organiser@bench.test"})
        await organiser.sign_in(http, base)
        paper = await sheets(http, base, organiser, env)
        knockers = [Phone({"email": f"knocker{i}@bench.test"}) for i in range(KNOCKERS)]
        tellers = [Phone({"email": f"teller{i}@bench.test"}) for i in range(TELLERS)]
        login_s = await sign_in_all(http, base, knockers + tellers, concurrency=8)
        t = time.perf_counter()
        phones = await take_lists(http, base, knockers, paper["list_ids"], env["LEGWORK_SECRET_KEY"])
        print(f"  signed in {len(knockers)} knockers and {len(tellers)} tellers in {login_s:.0f} s; {len(phones)} phones took "
              f"and loaded their lists in {time.perf_counter() - t:.0f} s", flush=True)
        on_list = {pid: kp.list_id for kp in phones for pid in kp.people}
        replay = Replay(http, base, dict(zip(codes(), tellers)), place.stations, phones, on_list,
                        phones[0].poll_seconds, args.knock_every, random.Random(5))
        db_cpu = BackendCpu(env) if "LEGWORK_DATABASE_SCHEMA" in env else None
        units = await replay.unit_costs(place.voters, server_pid, db_cpu)
        voters = place.voters[len(units["sent"]):]
        print(f"  alone: a poll {units['poll_ms']:.2f} ms of gunicorn CPU + {units['poll_db_ms']:.2f} ms of PostgreSQL "
              f"(p50 {units['poll_p50']:.1f} ms); a telling {units['telling_ms']:.2f} ms + {units['telling_db_ms']:.2f} ms "
              f"(p50 {units['telling_p50']:.1f} ms)", flush=True)
        tasks = [] if args.without_phones else replay.start_phones()
        await asyncio.sleep(phones[0].poll_seconds + 1)   # every phone has polled once before the first telling
        phases = []
        for name, rate, seconds in (("peak", PEAK, args.minutes * 60 / 2),
                                    (f"{args.speedup:g}× peak", PEAK * args.speedup, args.minutes * 60 / 2)):
            result = await replay.tellings(voters, rate, seconds, server_pid, db_cpu)
            voters = voters[result["n"]:]
            result["name"] = name
            phases.append(result)
            print(f"  {name}: {result['n']:,} tellings at {result['rate']:.1f}/s; {result['statuses']}; p50 {result['p50']:.1f} ms, "
                  f"p95 {result['p95']:.1f} ms, p99 {result['p99']:.1f} ms, max {result['max']:.0f} ms; polls p99 "
                  f"{pct(result['polls'], .99):.1f} ms ({len(result['polls']):,}); knocks p99 {pct(result['knocks'], .99):.1f} ms "
                  f"({len(result['knocks'])}); {cpu_text(result['cpu'])}; gunicorn {result['cpu']['server_cores']:.2f} cores, "
                  f"waited for a core {result['cpu']['server_wait_ms']:.1f} ms a request (load generator "
                  f"{result['cpu']['client_wait_ms']:.1f} ms), "
                  f"PostgreSQL {result['cpu'].get('db_cores', 0):.2f} cores",
                  flush=True)
        if db_cpu:
            db_cpu.engine.dispose()
        sent = [s for p in phases for s in p["sent"]]
        everything = units["sent"] + sent
        deadline = time.perf_counter() + 3 * replay.poll_seconds
        while replay.pending(sent) and time.perf_counter() < deadline:
            await asyncio.sleep(0.5)
        replay.stopping = True
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for p in phases:
            p["leave"] = replay.leave_times(p["sent"])
            lv = p["leave"]
            print(f"  {p['name']}: strike-off of {lv['n']:,} pledges on lists: p50 {lv['p50']:.1f} s, p95 {lv['p95']:.1f} s, "
                  f"max {lv['max']:.1f} s; {lv['unseen']} never seen; {lv['early']} seen before the telling's answer", flush=True)
        before = _count(env, "tellings")
        stored = [s for s in everything if s.status == "stored"]
        again = await replay_again(http, base, dict(zip(codes(), tellers)), random.Random(9).sample(stored, min(500, len(stored))))
        after, voted = _count(env, "tellings"), _count(env, "voted")
        print(f"  replayed {sum(again.values())} tellings: {again}; tellings rows {before:,} -> {after:,}", flush=True)
        used = len(units["sent"]) + len(sent)
        control = in_process(env, place.stations, place.voters[used:])
        print(f"  control, store_tellings in-process one at a time: p50 {control['p50']:.1f} ms (CPU {control['cpu_p50']:.1f} ms), "
              f"p99 {control['p99']:.1f} ms; the slowest 1% took {control['slow_wall']:.0f} ms for {control['slow_cpu']:.1f} ms "
              f"of CPU and {control['slow_wait']:.0f} ms waiting for a core", flush=True)
        for p in phases:
            del p["sent"]   # kept out of the results (and any saved copy): the figures are enough
        units.pop("sent")
        return {"sheets": paper, "phases": phases, "units": units, "control": control, "again": again, "rows_before": before, "rows_after": after,
                "stored": len(stored), "voted": voted, "errors": replay.errors, "phones": len(phones),
                "knock_status": replay.knock_status, "login_s": login_s}


APP_NAME = "legwork-pdaybench"   # gunicorn's PostgreSQL connections carry it (PGAPPNAME), to find their backends


class BackendCpu:
    """The CPU seconds so far of each PostgreSQL backend serving gunicorn (pid -> seconds): the
    database's share of the two cores. SQLite runs inside the workers, so it has none."""

    def __init__(self, env: dict):
        self.engine = _engine(env)

    def __call__(self) -> dict[int, float]:
        from scripts.bench._loadclient import cpu_of

        with self.engine.connect() as conn:
            pids = conn.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE application_name = :n"), {"n": APP_NAME}).scalars()
            return {pid: cpu_of(pid) for pid in pids}


def pg_version(skip: bool) -> str:
    if skip:
        return ""
    from app.db import database_url_from
    from scripts.bench.loadtest import PG_URL

    engine = sa.create_engine(database_url_from(PG_URL))
    try:
        with engine.connect() as conn:
            return "PostgreSQL " + conn.exec_driver_sql("SHOW server_version").scalar_one().split()[0]
    finally:
        engine.dispose()


def run_one(kind: str, args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="legwork-pday-"))
    env = {"LEGWORK_SECRET_KEY": "bench-" + uuid.uuid4().hex, "LEGWORK_ENV": "development",
           "LEGWORK_AUTH__LOGIN_RATE_LIMIT": "1000000 per minute", "LEGWORK_AUTH__LOGIN_ACCOUNT_RATE_LIMIT": "1000000 per minute",
           "LEGWORK_DATABASE_POOL_SIZE": str(args.threads), "PGAPPNAME": APP_NAME}
    proc = None
    try:
        with bench_database(kind, env, tmp, prefix="pdaybench"):
            place = seed(env, tmp)
            port = free_port()
            proc = start_gunicorn(env, port, args.workers, args.threads)
            result = asyncio.run(drive(f"http://127.0.0.1:{port}", env, place, args, proc.pid))
            result["db"], result["seed"] = kind, place
            return result
    finally:
        stop_gunicorn(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=8.0, help="replay length per database (half at the peak, half compressed)")
    parser.add_argument("--speedup", type=float, default=10.0,
                        help="the compressed phase's rate, in times the peak (20 saturated this shared 2-core box)")
    parser.add_argument("--knock-every", type=float, default=60.0, help="seconds between a knocker's answers (about)")
    parser.add_argument("--without-phones", action="store_true",
                        help="the tellings alone (no polls, no knocks): what the phones' load costs them")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only (the same as --db sqlite)")
    parser.add_argument("--db", choices=("both", "sqlite", "postgres"), default="both")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--write", action="store_true", help="record the figures in BENCHMARKS.md")
    parser.add_argument("--save", type=Path, help="also keep the results in this file (pickle)")
    parser.add_argument("--report", type=Path, help="no run: the section from results kept with --save")
    args = parser.parse_args()
    if args.report:
        saved = pickle.loads(args.report.read_bytes())
        text = report(saved["results"], saved["args"], SECTION, saved["pg"])
        print(text)
        if args.write:
            write_section(SECTION, text)
        return
    results, started = [], time.perf_counter()
    args.commit, args.date = commit(), time.strftime("%Y-%m-%d")   # the code measured, whenever the report is written
    if args.no_postgres:
        args.db = "sqlite"
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        print(f"== {kind} ==", flush=True)
        results.append(run_one(kind, args))
    args.whole_minutes = (time.perf_counter() - started) / 60
    print(f"whole run {args.whole_minutes:.1f} min", flush=True)
    for r in results:
        r["seed"] = {"seconds": r["seed"].seconds, "pledges": r["seed"].pledges, "postal": r["seed"].postal}
    pg = pg_version(args.db == "sqlite")
    if args.save:
        args.save.write_bytes(pickle.dumps({"results": results, "args": args, "pg": pg}))
    text = report(results, args, SECTION, pg)
    print(text)
    if args.write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
