"""scripts/serve --servers 2: two gunicorn app servers behind one nginx (README "Many app servers
(PostgreSQL)"), as two separate processes that share only the database and Redis."""
from __future__ import annotations

import http.client
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.slowloris import ROOT, group_pids, serve
from tests.support.gunicorn import TOKEN_RE
from tests.support.redis_db import fresh_redis

pytestmark = pytest.mark.slow
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own, emptied first
PHONES = 1100  # more than 1024, the connections one nginx worker held before


@pytest.fixture
def redis_db():
    yield from fresh_redis(REDIS_URL)


def _wrong_sign_in(port: int, address: str, n: int) -> int:
    """A new browser from ``address`` (loopback: any 127.x.y.z) signing in with a wrong password."""
    def request(method: str, path: str, body: str = "", headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(address, 0))
        conn.request(method, path, body=body, headers=headers or {})
        answer = conn.getresponse()
        text, cookie = answer.read().decode(), answer.getheader("Set-Cookie", "").split(";")[0]
        conn.close()
        return answer.status, text, cookie

    _, page, cookie = request("GET", "/login")
    token = TOKEN_RE.search(page).group(1)
    status, _, _ = request("POST", "/login", f"email=guess{n}%40example.org&password=guess+guess+guess&csrf_token={token}",
                           {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    return status


def _stop(proc) -> list[int]:
    proc.send_signal(signal.SIGTERM)  # only scripts/serve: it must stop nginx and both gunicorns itself
    try:
        proc.wait(timeout=60)
    finally:
        left = group_pids(proc.pid)
        if left:
            os.killpg(proc.pid, signal.SIGKILL)
    return left


def test_two_app_servers_behind_nginx_answer_and_share_sign_in_limits(env, nginx, redis_db, tmp_path):
    # No LEGWORK_RATELIMIT_STORAGE_URI: scripts/serve must choose the shared Redis itself, or each
    # server would count alone and "4 per minute" would let 8 through.
    proc, port = serve(env, tmp_path, "--servers", "2", LEGWORK_REDIS_URL=REDIS_URL, LEGWORK_RATELIMIT_ENABLED="true",
                       LEGWORK_AUTH__LOGIN_RATE_LIMIT="4 per minute")
    try:
        run = tmp_path / "run"
        upstreams = re.findall(r"^\s*server (127\.0\.0\.1:\d+) max_fails=0;", (run / "nginx/legwork.conf").read_text(), re.M)
        assert upstreams == [f"127.0.0.1:{port + 1}", f"127.0.0.1:{port + 2}"]
        # Each server its own gunicorn control socket: the per-user default would be shared.
        assert (run / "gunicorn-1.ctl").is_socket() and (run / "gunicorn-2.ctl").is_socket()
        address = f"127.{random.randint(1, 250)}.{random.randint(1, 250)}.{random.randint(2, 250)}"
        statuses = [_wrong_sign_in(port, address, n) for n in range(8)]
        assert statuses == [401] * 4 + [429] * 4, statuses
        assert redis_db.dbsize() > 0
        for upstream in upstreams:  # both are up (nginx passed the tries to both: least_conn alternates)
            host, upstream_port = upstream.split(":")
            conn = http.client.HTTPConnection(host, int(upstream_port), timeout=10)
            conn.request("GET", "/login")
            assert conn.getresponse().status == 200
            conn.close()
    finally:
        left = _stop(proc)
    assert left == [], "scripts/serve left a server running"


def test_several_servers_without_nginx_are_refused(env, tmp_path):
    done = subprocess.run([str(ROOT / "scripts/serve"), "--servers", "2"], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**env, "LEGWORK_PROXY": "none", "LEGWORK_RUN_DIR": str(tmp_path / "run"),
                               "LEGWORK_VENV": str(Path(sys.executable).parent.parent)})
    assert done.returncode == 2 and "need nginx" in done.stderr


def _get(sock: socket.socket, path: str) -> None:
    """One request on a keep-alive connection, its whole (sized) answer read."""
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536) or b"EOF"
        assert not data.endswith(b"EOF"), "nginx closed the connection"
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"content-length: *(\d+)", head, re.I).group(1))
    while len(body) < length:
        body += sock.recv(65536)


def test_nginx_keeps_over_a_thousand_idle_phones_connected(env, nginx, tmp_path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < PHONES + 200:
        pytest.skip(f"the open-files hard limit ({hard}) is below {PHONES + 200}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, PHONES + 200), hard))
    proc, port = serve(env, tmp_path)
    phones: list[socket.socket] = []
    try:
        for _ in range(PHONES):  # each phone's connection answered once, then idle (keep-alive)
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            phones.append(sock)
            _get(sock, "/static/favicon.svg")
        for sock in phones:  # the first ones too: nginx did not close them to make room
            _get(sock, "/static/favicon.svg")
    finally:
        for sock in phones:
            sock.close()
        _stop(proc)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
