#!/usr/bin/env python3
"""The slowloris trial behind RELIABILITY.md's "Slow clients" section.

    .venv/bin/python -m scripts.bench.slowtest [--rounds 5] [--counts 8,12,40] [--hold 30]

Three served shapes on SQLite, each on 127.0.0.1: gunicorn 2 x 8 alone (scripts/run before),
gunicorn 2 x 16 alone (scripts/run without nginx), Debian's nginx from deploy/nginx in front of
gunicorn 2 x 8 (scripts/run with nginx). For each count of slow clients (a request line, then one
header byte a second, reconnecting when dropped), each round waits until the server holds them
all, then sends one normal GET /login with a 10 s timeout. Then, behind nginx only, 400 slow
clients for --hold seconds with one normal request a second. Prints Markdown tables.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

import requests

from tests.reliability.slowloris import (Slowloris, find_nginx, group_pids, held_connections,
                                 start_nginx, wait_until)
from tests.support.gunicorn import Server, free_port, server_env

TIMEOUT = 10


def get(url: str) -> tuple[str, float]:
    started = time.monotonic()
    try:
        status = str(requests.get(url + "/login", timeout=TIMEOUT).status_code)
    except requests.Timeout:
        status = "timeout"
    except requests.RequestException as e:
        status = type(e).__name__
    return status, time.monotonic() - started


def held(pgid: int, port: int) -> int:
    return sum(held_connections(group_pids(pgid), port).values())


def rounds(front_pgid: int, port: int, count: int, n: int) -> list[tuple[str, float]]:
    results = []
    for _ in range(n):
        slow = Slowloris(port, count)
        wait_until(lambda: held(front_pgid, port) >= count, f"the server to hold {count}")
        results.append(get(f"http://127.0.0.1:{port}"))
        slow.stop()
        wait_until(lambda: held(front_pgid, port) == 0, "the slow clients to go")
    return results


def hold(front_pgid: int, port: int, count: int, seconds: float) -> str:
    slow = Slowloris(port, count)
    wait_until(lambda: held(front_pgid, port) >= count, f"the server to hold {count}")
    answers, worst, deadline = [], 0.0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, took = get(f"http://127.0.0.1:{port}")
        answers.append(status)
        worst = max(worst, took)
        time.sleep(1)
    slow.stop()
    ok = answers.count("200")
    return (f"{count} slow clients for {seconds:.0f} s: {ok}/{len(answers)} normal requests answered 200, "
            f"slowest {worst:.2f} s; nginx dropped and the attacker reopened {slow.reopened} slow connections")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--counts", default="8,12,40")
    parser.add_argument("--hold", type=float, default=30)
    parser.add_argument("--shapes", default="alone-8,alone-16,nginx-8")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    nginx = find_nginx()
    tmp = Path(tempfile.mkdtemp(prefix="legwork-slow-"))
    env = server_env(f"sqlite:///{tmp / 'slow.db'}")
    from app import create_app, db as dbmod

    dbmod.create_all(create_app({"TESTING": True, "DATABASE_URL": env["LEGWORK_DATABASE_URL"]}))
    print("| shape | slow clients | answered (of rounds) | answer times (s) |\n| --- | --- | --- | --- |")
    for shape_name in args.shapes.split(","):
        front, threads = shape_name.split("-")
        threads, proxied = int(threads), front == "nginx"
        if proxied and not nginx:
            print("| nginx | - | nginx not installed | |")
            continue
        server = Server(env, workers=2, threads=threads)
        server.start()
        proxy, pgid, port = None, server.proc.pid, server.port
        shape = f"nginx + gunicorn 2 x {threads}" if proxied else f"gunicorn 2 x {threads} alone"
        try:
            if proxied:
                port = free_port()
                proxy = start_nginx(nginx, tmp / "nginx", listen_port=port, upstream=f"127.0.0.1:{server.port}")
                wait_until(lambda: get(f"http://127.0.0.1:{port}")[0] == "200", "nginx")
                pgid = proxy.pid
            for count in counts:
                results = rounds(pgid, port, count, args.rounds)
                ok = sum(s == "200" for s, _ in results)
                times = ", ".join(f"{t:.2f}" if s == "200" else f"timeout {t:.0f}" for s, t in results)
                print(f"| {shape} | {count} | {ok}/{len(results)} | {times} |", flush=True)
            if proxied and args.hold:
                print("\n" + hold(pgid, port, 400, args.hold))
        finally:
            if proxy:
                proxy.terminate()
                proxy.wait(timeout=10)
            server.stop()


if __name__ == "__main__":
    main()
