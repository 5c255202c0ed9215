"""Many app servers behind nginx on one PostgreSQL (README "Many app servers (PostgreSQL)", issue 22):
scripts/serve --servers N started against a database of its own, driven through nginx.

    .venv/bin/python -m scripts.bench.cluster posts [--servers 1,2] [--workers 1] [--phones 10000] [--seconds 10]
        [--cpu-per-server 0.5]
    .venv/bin/python -m scripts.bench.cluster pages --db URL [--servers 2] [--organisers 50] [--callers 500]
        [--export-rows 1000000]

posts: door-knock POSTs (one outcome each, closed loop over keep-alive connections to nginx) with
1 and then 2 app servers, then the reconnect storm (PHONES phones x 20 outcomes, half of them
already stored) through 2 servers, counted in the database afterwards. pages
(scripts/bench/_cluster_pages.py): the call queue, organiser pages and the contacts export on an
existing campaign database (the city demo or the statewide generator's). Each phase reports
where the CPU went: the app servers, nginx, the database's backends and this load generator.
PostgreSQL databases made here are named ss_*; only 127.0.0.1; every loop is bounded.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import orjson
import sqlalchemy as sa

from app.db import database_url_from
from scripts.bench._clustermeter import Meter, cpu_text

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get("LEGWORK_CLUSTER_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("LEGWORK_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/7")


# ---- the cluster: scripts/serve --servers N in a process group of its own ----------------------------
def _free_run(count: int) -> int:
    """A port with the next ``count`` ports free too (nginx's, then one per app server)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count < 65000 and all(_free(base + i) for i in range(1, count + 1)):
            return base
    raise SystemExit("no run of free ports")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Cluster:
    """N gunicorn app servers and nginx, started by scripts/serve; ``base`` is nginx's URL."""

    def __init__(self, env: dict, *, servers: int, workers: int, threads: int, run_dir: Path):
        self.port = _free_run(servers)
        self.env = {**os.environ, **env, "PORT": str(self.port), "LEGWORK_RUN_DIR": str(run_dir),
                    "LEGWORK_WORKERS": str(workers), "LEGWORK_THREADS": str(threads),
                    "LEGWORK_DATABASE_POOL_SIZE": str(threads), "LEGWORK_NGINX_ACCESS_LOG": "off",
                    "LEGWORK_VENV": str(Path(sys.executable).parent.parent)}
        self.servers, self.run_dir, self.proc = servers, run_dir, None
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Cluster":
        self.run_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.run_dir / "serve.log", "wb")
        self.proc = subprocess.Popen([str(ROOT / "scripts/serve"), "--servers", str(self.servers)], env=self.env,
                                     cwd=ROOT, start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.__exit__()
        raise SystemExit("scripts/serve did not start: " + (self.run_dir / "serve.log").read_text()[-1500:])

    def __exit__(self, *_exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # scripts/serve stops nginx and every gunicorn itself
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def pids(self, kind: str) -> list[int]:
        """Processes of the group: "app" (every gunicorn) or "nginx"."""
        from scripts.bench._cpucap import processes

        return [pid for pid, comm, fields in processes()
                if int(fields[2]) == self.proc.pid and (comm == "nginx") == (kind == "nginx") and comm != "bash"]


# ---- a database of our own ------------------------------------------------------------------------
def create_database(prefix: str) -> str:
    name = f"ss_{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(database_url_from(ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return str(sa.engine.make_url(ADMIN_URL).set(database=name))


def drop_database(url: str) -> None:
    admin = sa.create_engine(database_url_from(ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" WITH (FORCE)')
    admin.dispose()


def server_env(db_url: str) -> dict:
    """Production settings but for sign-in limits raised for the run: every client is on one machine."""
    return {"LEGWORK_DATABASE_URL": db_url, "LEGWORK_SECRET_KEY": "cluster-" + uuid.uuid4().hex,
            "LEGWORK_ENV": "development", "LEGWORK_RATELIMIT_STORAGE_URI": REDIS_URL,
            "LEGWORK_AUTH__LOGIN_RATE_LIMIT": "100000 per minute",
            "LEGWORK_AUTH__LOGIN_ACCOUNT_RATE_LIMIT": "100000 per minute"}


# ---- posts: door knocks with 1 and 2 app servers, and the reconnect storm ---------------------------------
async def closed_loop(base: str, phones, seconds: float, connections: int) -> dict:
    from scripts.bench._loadclient import DOORS_PER_PHONE, RawConnection, outcome, pct, raw_request

    stop, latencies = time.perf_counter() + seconds, []

    async def client(c: int):
        conn, i = RawConnection(base), 0
        while time.perf_counter() < stop:
            p = phones[(c + i * connections) % len(phones)]
            request = raw_request(base, "/api/outcomes", p, orjson.dumps({"outcomes": [outcome(p, i % DOORS_PER_PHONE, "refused")]}))
            t = time.perf_counter()
            answer = await conn.send(request)
            latencies.append(time.perf_counter() - t)
            if b'"stored"' not in answer:
                raise RuntimeError(f"a door knock was not stored: {answer[:200]!r}")
            i += 1
        conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(connections)))
    elapsed = time.perf_counter() - t0
    return {"rate": len(latencies) / elapsed, "n": len(latencies), "p50": pct(latencies, .5), "p99": pct(latencies, .99)}


async def sign_in(base: str, specs: list[dict], sessions: int):
    import aiohttp

    from scripts.bench._loadclient import USER_AGENT, Phone, sign_in_all

    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(), headers={"User-Agent": USER_AGENT}) as http:
        phones = [Phone(s) for s in specs]
        await sign_in_all(http, base, phones[:sessions], concurrency=8)
    for i, p in enumerate(phones):  # phone p belongs to volunteer p % sessions
        p.cookie, p.token = phones[i % sessions].cookie, phones[i % sessions].token
    return phones


def posts(args) -> None:
    from scripts.bench import loadtest
    from scripts.bench._cpucap import CpuCaps, capped
    from scripts.bench._loadphases import storm

    why = args.cpu_per_server and CpuCaps.available()
    if why:  # before the seed's minutes, not after
        raise SystemExit(f"--cpu-per-server: cannot hold the app servers to a CPU quota here: {why}")
    db_url = create_database("posts")
    env = server_env(db_url)
    tmp = Path(tempfile.mkdtemp(prefix="ss-cluster-"))
    try:
        specs = loadtest.seed(env, args.phones, args.sessions)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {args.phones} phones, "
              f"{args.workers} worker(s) x {args.threads} threads per app server", flush=True)
        rates = {}
        for n in args.servers:
            with Cluster(env, servers=n, workers=args.workers, threads=args.threads, run_dir=tmp / f"run{n}") as cluster, \
                    capped(cluster.proc.pid, n, args.cpu_per_server) as caps:
                phones = asyncio.run(sign_in(cluster.base, specs, args.sessions))
                asyncio.run(closed_loop(cluster.base, phones[:64], 1.0, args.connections))  # warm-up
                meter = Meter(cluster, db_url)
                throttled = caps.throttled_s() if caps else 0.0
                r = asyncio.run(closed_loop(cluster.base, phones[:64], args.seconds, args.connections))
                r["cpu"] = meter.stop(r["n"])
                rates[n] = r["rate"]
                held = (f"; capped at {args.cpu_per_server:g} core each, held back {caps.throttled_s() - throttled:.1f} s"
                        if caps else "")
                print(f"  {n} app server(s): {r['rate']:.0f} posts/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms; "
                      f"{cpu_text(r['cpu'])}{held}", flush=True)
                if n == max(args.servers) and args.storm:
                    store, app = loadtest.direct_store(env)
                    meter = Meter(cluster, db_url)
                    st = asyncio.run(storm(cluster.base, phones, store, args.connections, cluster.proc.pid))
                    st["cpu"] = meter.stop(sum(st["statuses"].values()))
                    _count_storm(app, st)
                    print(f"  storm through {n} servers: {len(phones)} phones x 20 in {st['seconds']:.1f} s; {st['statuses']}; "
                          f"lost {st['lost']}; duplicated {st['duplicated']}; {cpu_text(st['cpu'])}", flush=True)
        if len(rates) > 1:
            low, high = min(rates), max(rates)
            print(f"  ratio {high} servers / {low}: {rates[high] / rates[low]:.2f}x", flush=True)
    finally:
        drop_database(db_url)


def _count_storm(app, st: dict) -> None:
    from app import db as dbmod
    from app.models import ContactEvent
    from scripts.bench._loadstore import ids_chunked

    with dbmod.session_scope(app) as session:
        stored = ids_chunked(session, st["ids"])
        rows = session.execute(sa.select(sa.func.count()).select_from(ContactEvent)
                               .where(ContactEvent.code == "come_back")).scalar_one()
    dbmod.engine_for(app).dispose()
    st["lost"], st["duplicated"] = len(st["ids"] - stored), rows - len(stored)


def _cores(text: str) -> float:
    """A CPU quota for --cpu-per-server: more than 0, at most the machine's cores."""
    try:
        cores = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of cores: {text!r}") from None
    if not 0 < cores <= (os.cpu_count() or 1):
        raise argparse.ArgumentTypeError(f"{text} cores: give more than 0 and at most {os.cpu_count()}")
    return cores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="phase", required=True)
    p = sub.add_parser("posts", help="door-knock posts with 1 and 2 app servers, and the reconnect storm")
    p.add_argument("--servers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    p.add_argument("--workers", type=int, default=1, help="gunicorn workers per app server")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--phones", type=int, default=10000)
    p.add_argument("--sessions", type=int, default=100)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--no-storm", dest="storm", action="store_false", help="posts only, no reconnect storm")
    p.add_argument("--cpu-per-server", type=_cores, default=None, metavar="CORES",
                   help="hold each app server to this much CPU (cgroups; root): the database then is not the limit")
    g = sub.add_parser("pages", help="the call queue, organiser pages and the export on an existing campaign")
    from scripts.bench._cluster_pages import add_arguments
    add_arguments(g)
    args = parser.parse_args()
    if args.phase == "posts":
        posts(args)
    else:
        from scripts.bench._cluster_pages import pages
        pages(args)


if __name__ == "__main__":
    main()
