"""scripts.bench.cluster pages: on an existing campaign database (the city demo, or the statewide
generator's), through nginx and N app servers:

1. contacts: top the database up to --export-rows contact events (SQL, then ``flask
   rebuild-summary``, both timed), so the pages below read a campaign with that history;
2. the call queue: --callers callers, each signed in from an address of its own (127.0.x.y: nginx
   limits connections per address, as a phone-bank room's callers mostly do not share one), press
   "Next call" at the same moment (twice), then spread over --spread seconds; latency of each,
   then in the database no person claimed twice;
3. organiser pages: --organisers organisers click the organiser pages for --seconds (closed loop,
   --think seconds between clicks on average); p50/p95 per page;
4. the contacts export: first byte, rows, time, and the app servers' RSS sampled throughout.
"""
from __future__ import annotations

import asyncio
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import aiohttp
import sqlalchemy as sa

from app.db import database_url_from
from scripts.bench._loadclient import pct
from scripts.bench._clustermeter import Meter, cpu_text, rss_mb
from scripts.bench.cluster import ROOT, Cluster, server_env

PASSWORD = "cluster-bench-password"
TOKEN_RE = re.compile(r'name="csrf[_-]token" (?:type="hidden" )?(?:value|content)="([^"]+)"')


def add_arguments(g) -> None:
    g.add_argument("--db", required=True, help="postgresql://... of a campaign (flask demo, or the statewide generator's)")
    g.add_argument("--servers", type=int, default=2)
    g.add_argument("--workers", type=int, default=1, help="gunicorn workers per app server")
    g.add_argument("--threads", type=int, default=8)
    g.add_argument("--callers", type=int, default=500)
    g.add_argument("--spread", type=float, default=10.0, help="the last round: callers press Next within this many seconds")
    g.add_argument("--queue", type=int, default=0, help="people in the call queue (default: twice the callers)")
    g.add_argument("--organisers", type=int, default=50)
    g.add_argument("--seconds", type=float, default=20.0)
    g.add_argument("--think", type=float, default=0.0, help="mean seconds between an organiser's clicks")
    g.add_argument("--export-rows", type=int, default=1_000_000, help="contact events to top the database up to (0: none)")
    g.add_argument("--only", default="contacts,calls,pages,export")


def _users(engine, prefix: str, role: str, count: int) -> None:
    from werkzeug.security import generate_password_hash

    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    with engine.begin() as conn:
        have = set(conn.execute(sa.text("SELECT email FROM users WHERE email LIKE :p"), {"p": f"{prefix}%@cluster.test"}).scalars())
        rows = [{"email": f"{prefix}{i}@cluster.test", "roles": role, "password_hash": hashed, "is_active": True}
                for i in range(count) if f"{prefix}{i}@cluster.test" not in have]
        if rows:
            from app.models import User
            conn.execute(sa.insert(User), rows)


def top_up_contacts(engine, db_url: str, rows: int) -> None:
    with engine.begin() as conn:
        have = conn.execute(sa.text("SELECT count(*) FROM contact_events")).scalar_one()
        if have >= rows:
            print(f"  contacts: {have} already", flush=True)
            return
        people = conn.execute(sa.text("SELECT count(*) FROM people")).scalar_one()
        t0 = time.perf_counter()
        # Spread over six months, one per person per round, as a campaign's history would be.
        conn.execute(sa.text(
            "INSERT INTO contact_events (id, channel, code, household_id, person_id, recorded_at, received_at, notes) "
            "SELECT gen_random_uuid()::text, 'door', (ARRAY['not_home','spoke','refused','come_back'])[1 + (p.id + g) % 4], "
            "p.household_id, p.id, now() - ((p.id * 7 + g * 3) % 4300) * interval '1 hour', "
            "now() - ((p.id * 7 + g * 3) % 4300) * interval '1 hour', '' "
            "FROM people p CROSS JOIN generate_series(1, :rounds) g LIMIT :n"),
            {"rounds": -(-(rows - have) // people), "n": rows - have})
    inserted = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "rebuild-summary"], cwd=ROOT, check=True,
                   env={**server_env(db_url), "PATH": "/usr/bin:/bin"}, stdout=subprocess.DEVNULL)
    print(f"  contacts: {rows - have} inserted in {inserted:.1f} s (SQL); rebuild-summary {time.perf_counter() - t0:.1f} s",
          flush=True)


class Browser:
    """One person's browser from an address of its own: cookies, the CSRF token of the last page."""

    def __init__(self, base: str, email: str, address: str):
        self.base, self.email, self.token = base, email, ""
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          connector=aiohttp.TCPConnector(local_addr=(address, 0), limit=2))

    async def get(self, path: str) -> tuple[int, float]:
        t = time.perf_counter()
        async with self.http.get(self.base + path, allow_redirects=False) as r:
            text = await r.text()
        found = TOKEN_RE.search(text)
        self.token = found.group(1) if found else self.token
        return r.status, time.perf_counter() - t

    async def sign_in(self) -> None:
        await self.get("/login")
        async with self.http.post(self.base + "/login", allow_redirects=False,
                                  data={"email": self.email, "password": PASSWORD, "csrf_token": self.token}) as r:
            if r.status != 302:
                raise RuntimeError(f"sign-in of {self.email} answered {r.status}")

    async def post(self, path: str) -> tuple[int, float, str]:
        t = time.perf_counter()
        async with self.http.post(self.base + path, data={"csrf_token": self.token}, allow_redirects=False) as r:
            await r.read()
            return r.status, time.perf_counter() - t, r.headers.get("Location", "")


def _address(i: int) -> str:
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


async def _browsers(base: str, prefix: str, count: int, offset: int) -> list[Browser]:
    browsers = [Browser(base, f"{prefix}{i}@cluster.test", _address(offset + i)) for i in range(count)]
    sem = asyncio.Semaphore(8)

    async def one(b):
        async with sem:
            await b.sign_in()
    await asyncio.gather(*(one(b) for b in browsers))
    return browsers


async def _close(browsers) -> None:
    await asyncio.gather(*(b.http.close() for b in browsers))


def fill_queue(engine, entries: int) -> None:
    from app.phonebank.queue import timezone_for_number

    from app.models import CallAttempt, CallQueueEntry

    # The queue afresh each round: the claims of a round must not be served again in the next.
    # (A bench database: a phone bank's real queue would be lost here; --only without "calls" keeps it.)
    with engine.begin() as conn:
        conn.execute(sa.update(sa.table("contact_events", sa.column("call_attempt_id"))).values(call_attempt_id=None)
                     .where(sa.column("call_attempt_id").is_not(None)))
        conn.execute(sa.delete(CallAttempt))
        conn.execute(sa.delete(CallQueueEntry))
        rows = conn.execute(sa.text("SELECT id, phone FROM people WHERE phone LIKE '+1%' AND phone_retired_at IS NULL "
                                    "ORDER BY id LIMIT :n"), {"n": entries}).all()
        conn.execute(sa.insert(CallQueueEntry), [{"person_id": pid, "phone": phone, "status": "queued", "priority": 0.0,
                                                  "passes": 0, "timezone": timezone_for_number(phone, "America/New_York")}
                                                 for pid, phone in rows])
    # Each round's delete and insert leave the old entries dead; unvacuumed, every claim reads them
    # (90,000 dead entries made a claim's database time 2.5x).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f"VACUUM ANALYZE {CallQueueEntry.__tablename__}"))


async def call_queue(cluster: Cluster, engine, db_url: str, callers: int, spread_s: float, queued: int) -> None:
    from app.models import CallAttempt

    browsers = await _browsers(cluster.base, "caller", callers, 0)
    try:
        for spread in (0.0, 0.0, spread_s):
            fill_queue(engine, queued or callers * 2)
            await asyncio.gather(*(b.get("/phonebank/") for b in browsers))
            meter = Meter(cluster, db_url)
            rng = random.Random(7)

            async def press(b: Browser):
                await asyncio.sleep(rng.uniform(0, spread))
                return await b.post("/phonebank/next")
            answers = await asyncio.gather(*(press(b) for b in browsers))
            m = meter.stop(len(answers))
            latencies = [t for _, t, _ in answers]
            bad = sum(1 for status, _, where in answers if status != 302 or "/phonebank/call/" not in where)
            with engine.connect() as conn:
                claims = conn.execute(sa.select(CallAttempt.person_id, sa.func.count()).group_by(CallAttempt.person_id)).all()
                per_caller = conn.execute(sa.select(sa.func.count(sa.distinct(CallAttempt.caller_id)))).scalar_one()
            twice = sum(1 for _, n in claims if n > 1)
            when = f"within {spread:g} s" if spread else "at once"
            print(f"  call queue: {callers} callers press Next {when}: p50 {pct(latencies, .5):.0f} ms, "
                  f"p99 {pct(latencies, .99):.0f} ms, max {max(latencies) * 1000:.0f} ms; {bad} not sent to a call; "
                  f"{len(claims)} people claimed by {per_caller} callers, {twice} claimed twice; {cpu_text(m)}", flush=True)
    finally:
        await _close(browsers)


def organiser_paths(engine) -> dict[str, str]:
    with engine.connect() as conn:
        ward = conn.execute(sa.text("SELECT id FROM wards ORDER BY id LIMIT 1")).scalar_one()
        universe = conn.execute(sa.text("SELECT id FROM universes ORDER BY id LIMIT 1")).scalar()
        ballots = conn.execute(sa.text("SELECT EXISTS (SELECT 1 FROM ballot_statuses)")).scalar()
    paths = {"dashboard (all)": "/organiser/dashboard?period=all", "dashboard (today)": "/organiser/dashboard",
             "lists": "/organiser/lists", "lists (ward, unassigned)": f"/organiser/lists?area=ward:{ward}&state=unassigned",
             "ward coverage map": f"/maps/?ward={ward}", "statewide map": "/maps/city",
             "volunteers": "/organiser/volunteers", "audit log": "/organiser/audit", "universes": "/organiser/universes"}
    if universe is not None:
        paths["universe counts"] = f"/organiser/universes/{universe}"
    if ballots:  # an election (python -m scripts.bench.statewide ballots): the chase, and what its page fetches
        paths.update({"chase (state)": "/polling-day/chase", "chase (state's table)": "/polling-day/chase/counts",
                      "chase (a ward)": f"/polling-day/chase?ward={ward}"})
    return paths


async def organiser_pages(cluster: Cluster, engine, db_url: str, organisers: int, seconds: float, think: float) -> None:
    paths = organiser_paths(engine)
    browsers = await _browsers(cluster.base, "organiser", organisers, 1000)
    times: dict[str, list[float]] = {name: [] for name in paths}
    errors: dict[str, int] = {}
    names = list(paths)
    try:
        for name, path in paths.items():  # each page once, alone: a warm cache, and its unloaded time
            status, t = await browsers[0].get(path)
            print(f"    {name}: {status}, {t * 1000:.0f} ms alone", flush=True)
        stop = time.perf_counter() + seconds
        meter = Meter(cluster, db_url)

        async def click(b: Browser, rng: random.Random):
            if think:  # organisers who pause between clicks do not all make their first at the same instant
                await asyncio.sleep(rng.uniform(0, 2 * think))
            while time.perf_counter() < stop:
                name = rng.choice(names)
                status, t = await b.get(paths[name])
                times[name].append(t)
                if status != 200:
                    errors[f"{name} {status}"] = errors.get(f"{name} {status}", 0) + 1
                if think:
                    await asyncio.sleep(rng.uniform(0, 2 * think))
        await asyncio.gather(*(click(b, random.Random(i)) for i, b in enumerate(browsers)))
        every = [t for ts in times.values() for t in ts]
        m = meter.stop(len(every))
        print(f"  organiser pages: {organisers} organisers, think {think:g} s, {len(every) / seconds:.1f} pages/s; "
              f"p50 {pct(every, .5):.0f} ms, p95 {pct(every, .95):.0f} ms; errors {errors or 'none'}; {cpu_text(m)}", flush=True)
        for name, ts in times.items():
            print(f"    {name}: n {len(ts)}, p50 {pct(ts, .5):.0f} ms, p95 {pct(ts, .95):.0f} ms", flush=True)
    finally:
        await _close(browsers)


async def export(cluster: Cluster, engine) -> None:
    browser = (await _browsers(cluster.base, "organiser", 1, 1000))[0]
    samples, done = [], threading.Event()

    def sample():
        while not done.is_set():
            samples.append(rss_mb(cluster.pids("app")))
            time.sleep(0.05)
    before = rss_mb(cluster.pids("app"))
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        t0 = time.perf_counter()
        first = None
        size = lines = 0
        async with browser.http.get(cluster.base + "/organiser/exports/contacts.csv",
                                    timeout=aiohttp.ClientTimeout(total=1800)) as r:
            async for chunk in r.content.iter_any():
                first = first or time.perf_counter() - t0
                size += len(chunk)
                lines += chunk.count(b"\n")
            status = r.status
        total = time.perf_counter() - t0
    finally:
        done.set()
        sampler.join()
        await _close([browser])
    print(f"  export: {status}, first byte {first:.2f} s, {lines - 1} rows ({size / 1e6:.0f} MB) in {total:.1f} s "
          f"({(lines - 1) / total:.0f} rows/s); app servers' RSS {before:.0f} MB before, at most {max(samples):.0f} MB "
          f"during ({len(samples)} samples)", flush=True)


def pages(args) -> None:
    engine = sa.create_engine(database_url_from(args.db))
    only = set(args.only.split(","))
    with engine.connect() as conn:
        sizes = conn.execute(sa.text("SELECT (SELECT count(*) FROM households), (SELECT count(*) FROM people), "
                                     "(SELECT count(*) FROM wards), (SELECT count(*) FROM walk_lists)")).one()
    print(f"campaign: {sizes[0]} households, {sizes[1]} people, {sizes[2]} wards, {sizes[3]} lists; "
          f"{args.servers} app servers x {args.workers} worker(s) x {args.threads} threads", flush=True)
    if "contacts" in only and args.export_rows:
        top_up_contacts(engine, args.db, args.export_rows)
    _users(engine, "caller", "caller", args.callers)
    _users(engine, "organiser", "organiser", args.organisers)
    env = server_env(args.db)
    # Callees are queued on New York's clock: outside its calling hours no Next would be served, and
    # the run would time nothing but refusals. The bench's phone bank calls at any hour.
    env["LEGWORK_PHONEBANK__CALLING_WINDOW"] = '["00:00", "23:59"]'
    # The schema the code expects (an older campaign database lacks the newest indexes).
    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "init-db"], cwd=ROOT, check=True,
                   env={**env, "PATH": "/usr/bin:/bin"}, stdout=subprocess.DEVNULL)
    with Cluster(env, servers=args.servers, workers=args.workers, threads=args.threads,
                 run_dir=Path(tempfile.mkdtemp(prefix="ss-pages-"))) as cluster:  # kept: its logs
        if "calls" in only:
            asyncio.run(call_queue(cluster, engine, args.db, args.callers, args.spread, args.queue))
        if "pages" in only:
            asyncio.run(organiser_pages(cluster, engine, args.db, args.organisers, args.seconds, args.think))
        if "export" in only:
            asyncio.run(export(cluster, engine))
    engine.dispose()
