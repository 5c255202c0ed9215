"""Slow clients cannot starve the server (README "Serving election day", RELIABILITY.md).

gunicorn's gthread worker holds a thread for every connection from its first byte until its
headers are complete, so clients sending a header byte a second take all 2 x 8 threads and a
normal request never gets an answer. nginx in front (deploy/nginx/legwork.conf) holds them itself
and hands gunicorn whole requests; scripts/serve (what scripts/run runs) starts that shape.
"""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
import requests

from tests.reliability.slowloris import Slowloris, answers, group_pids, held_connections, serve, start_nginx, wait_until
from tests.support.gunicorn import Server, free_port

pytestmark = pytest.mark.slow
CLIENT_TIMEOUT = 10  # what a phone waits before it gives up on a request


def held(pgid: int, port: int) -> dict[int, int]:
    return held_connections(group_pids(pgid), port)


def test_behind_nginx_a_request_is_answered_while_40_clients_send_a_byte_a_second(env, nginx, tmp_path):
    gunicorn = Server(env, workers=2, threads=8)
    gunicorn.start()
    proxy_port = free_port()
    proxy = start_nginx(nginx, tmp_path / "nginx", listen_port=proxy_port, upstream=f"127.0.0.1:{gunicorn.port}")
    slow = None
    try:
        proxy_url = f"http://127.0.0.1:{proxy_port}"
        wait_until(lambda: answers(proxy_url), "nginx to answer")
        _nginx_refuses_only_bodies_over_the_apps_caps(proxy_url)
        slow = Slowloris(proxy_port, 40)
        wait_until(lambda: sum(held(proxy.pid, proxy_port).values()) >= 40, "nginx to hold the 40 slow clients")
        assert requests.get(proxy_url + "/login", timeout=CLIENT_TIMEOUT).status_code == 200
        # nginx's own connection for that request closes once it is answered; a slow client's would stay
        wait_until(lambda: sum(held(gunicorn.proc.pid, gunicorn.port).values()) == 0,
                   "gunicorn to hold no connection (a slow client reached it)", timeout=5)
        slow.stop()

        # The same gunicorn without nginx: slow clients until every worker holds one per thread
        # (the kernel shares them out unevenly), then a normal request waits for a free thread
        # that never comes.
        slow = Slowloris(gunicorn.port, 40)
        for _ in range(20):
            per_worker = _per_worker(gunicorn, len(slow))
            if min(per_worker.values()) >= 8:
                break
            slow.add(8)
        assert min(per_worker.values()) >= 8, f"could not fill every worker: {per_worker}"
        with pytest.raises(requests.exceptions.Timeout):
            requests.get(gunicorn.url + "/login", timeout=CLIENT_TIMEOUT)
    finally:
        if slow:
            slow.stop()
        proxy.terminate()
        proxy.wait(timeout=10)
        gunicorn.stop()


def _nginx_refuses_only_bodies_over_the_apps_caps(url: str) -> None:
    """The phone API's bodies stop at nginx a little over the app's own 1 MB cap (so phones get
    the app's JSON 413); uploads pass up to the app's 64 MB, well over the largest address file.
    (Not signed in, the app refuses them itself: any answer but 413 shows nginx let them by.)"""
    def post(path: str, size: int) -> requests.Response:
        return requests.post(url + path, data=b"x" * size, timeout=CLIENT_TIMEOUT,
                             headers={"Content-Type": "application/octet-stream"})

    def from_nginx(answer: requests.Response) -> bool:
        return "<center>nginx" in answer.text

    too_big = post("/api/outcomes", 3 * 1024 * 1024)
    assert too_big.status_code == 413 and from_nginx(too_big)
    assert post("/api/outcomes", 1536 * 1024).status_code != 413
    assert post("/organiser/imports/addresses", 8 * 1024 * 1024).status_code != 413


def _per_worker(server: Server, count: int) -> dict[int, int]:
    """Slow connections held by each worker (the master holds none), once all ``count`` are in."""
    counts = {}

    def settled():
        counts.clear()
        counts.update({pid: n for pid, n in held(server.proc.pid, server.port).items() if pid != server.proc.pid})
        return len(counts) == 2 and sum(counts.values()) >= count
    wait_until(settled, f"the workers to accept {count} slow clients")
    return counts


def _survives_a_handful(proc: subprocess.Popen, port: int, count: int = 12) -> None:
    """More slow clients than one worker has threads: enough to starve 2 x 8 gunicorn alone
    whenever the kernel gives both workers eight (half the time, RELIABILITY.md)."""
    slow = Slowloris(port, count)
    try:
        wait_until(lambda: sum(held(proc.pid, port).values()) >= count, "the server to hold the slow clients")
        assert requests.get(f"http://127.0.0.1:{port}/login", timeout=CLIENT_TIMEOUT).status_code == 200
    finally:
        slow.stop()


def test_scripts_run_serves_behind_nginx_and_stops_both_with_it(env, nginx, tmp_path):
    proc, port = serve(env, tmp_path)
    try:
        names = {Path(f"/proc/{pid}/exe").resolve().name for pid in group_pids(proc.pid)}
        assert "nginx" in names, names
        _survives_a_handful(proc, port)
        assert (tmp_path / "run/gunicorn.sock").is_socket()  # gunicorn is reachable only through nginx
    finally:
        proc.send_signal(signal.SIGTERM)  # only scripts/serve: it must stop nginx and gunicorn itself
        try:
            proc.wait(timeout=60)
        finally:
            left = group_pids(proc.pid)
            if left:
                os.killpg(proc.pid, signal.SIGKILL)
    assert left == [], "scripts/serve left a child running"


def test_scripts_run_without_nginx_survives_a_handful_of_slow_clients(env, tmp_path):
    proc, port = serve(env, tmp_path, LEGWORK_PROXY="none")
    try:
        _survives_a_handful(proc, port)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
