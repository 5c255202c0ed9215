"""Slow clients for the tests: connections that send a request line, then one header byte a
second and never finish, the way slowloris does. Plus what the tests need to look at the servers
under attack: which process holds which connection (from /proc), and nginx started from the
repo's template."""
from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
HEADER = b"X-Slow: 1\r\n"


class Slowloris:
    """``count`` slow connections to 127.0.0.1:port. A connection the server drops is opened again
    at once, as the attack tools do; ``reopened`` counts them."""

    def __init__(self, port: int, count: int):
        self.port, self.reopened = port, 0
        self._socks: list[list] = []  # [socket, header bytes sent on it]
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.add(count)
        self._thread = threading.Thread(target=self._drip, daemon=True)
        self._thread.start()

    def _open(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        return sock

    def add(self, count: int) -> None:
        opened = [[self._open(), 0] for _ in range(count)]
        with self._lock:
            self._socks += opened

    def __len__(self) -> int:
        return len(self._socks)

    def _drip(self) -> None:
        while not self._stop.wait(1.0):  # the attack's own pace: a byte a second
            with self._lock:
                for entry in self._socks:
                    sock, sent = entry
                    try:
                        # each connection's own place in the header: never a blank line, which
                        # would finish its request
                        sock.send(HEADER[sent % len(HEADER):][:1])
                        entry[1] += 1
                    except OSError:
                        sock.close()
                        entry[:] = [self._open(), 0]
                        self.reopened += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        with self._lock:
            for sock, _ in self._socks:
                sock.close()
            self._socks = []


def group_pids(pgid: int) -> list[int]:
    """Live processes (not zombies) of a process group."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()  # state, ppid, pgrp, ...
            if fields[0] != "Z" and int(fields[2]) == pgid:
                pids.append(int(entry.name))
    return pids


def held_connections(pids: list[int], port: int) -> dict[int, int]:
    """How many established TCP connections to local ``port`` each process holds."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in list(f)[1:]:
                fields = line.split()
                if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
    held = {}
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        links = []
        for fd in fds:
            try:
                links.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
            except OSError:
                pass
        held[pid] = sum(link in inodes for link in links)
    return held


def wait_until(condition, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.05)


def find_nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)


def render(template: Path, out: Path, **values: str) -> None:
    """deploy/nginx/*.conf with each @KEY@ replaced, as scripts/serve does with sed."""
    text = template.read_text()
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    assert not re.search(r"@[A-Z_]+@", text), "a placeholder was left"
    out.write_text(text)


def start_nginx(nginx: str, prefix: Path, *, listen_port: int, upstream: str) -> subprocess.Popen:
    """Debian's nginx, unprivileged, from deploy/nginx/{standalone,legwork}.conf, in its own
    process group."""
    prefix.mkdir(parents=True, exist_ok=True)
    common = dict(PREFIX=str(prefix), LISTEN=f"127.0.0.1:{listen_port}", UPSTREAM=upstream,
                  USER=_user(), ACCESS_LOG="off")
    render(ROOT / "deploy/nginx/legwork.conf", prefix / "legwork.conf", **common)
    render(ROOT / "deploy/nginx/standalone.conf", prefix / "nginx.conf", **common)
    args = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    subprocess.run(args + ["-t", "-q"], check=True)
    return subprocess.Popen(args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def _user() -> str:
    if os.getuid():
        return ""
    return f"user {pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name};"


def answers(url: str) -> bool:
    try:
        return requests.get(url + "/login", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def serve(env: dict, tmp_path: Path, *args: str, **extra: str) -> tuple[subprocess.Popen, int]:
    """scripts/serve ARGS as scripts/run runs it, in its own process group; (it, nginx's port)."""
    from tests.support.gunicorn import free_port

    port = free_port()
    run_env = {**env, "PORT": str(port), "LEGWORK_RUN_DIR": str(tmp_path / "run"),
               "LEGWORK_VENV": str(Path(sys.executable).parent.parent), "LEGWORK_NGINX_ACCESS_LOG": "off", **extra}
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([str(ROOT / "scripts/serve"), *args], env=run_env, cwd=ROOT, start_new_session=True,
                            stdout=log, stderr=subprocess.STDOUT)
    log.close()
    try:
        wait_until(lambda: answers(f"http://127.0.0.1:{port}"), "scripts/serve to answer", timeout=60)
    except AssertionError:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError((tmp_path / "serve.log").read_text()[-2000:])
    return proc, port
