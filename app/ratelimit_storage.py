"""Where scripts/run keeps rate-limit counts: a storage every gunicorn worker shares.

With ``memory://`` each worker counts alone, so "10 per minute" let 17-20 tries through with two
workers. In order: a Redis that answers (LEGWORK_REDIS_URL, default the machine's own on
127.0.0.1:6379); else a private redis-server started on a unix socket in the instance folder;
else ``memory://``, with a warning. Prints the storage URI; notes go to stderr.

    python -m app.ratelimit_storage INSTANCE_DIR
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_URL = "redis://127.0.0.1:6379/0"


def _answers(url: str) -> bool:
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # no redis package, refused, timed out, wrong protocol: not usable
        return False


def _private_redis(instance: Path) -> str | None:
    server = shutil.which("redis-server")
    sock = instance / "redis.sock"
    url = f"unix://{sock}"
    if _answers(url):
        return f"redis+unix://{sock}"
    if server is None or len(str(sock)) > 100:  # unix socket paths are limited to ~108 bytes
        return None
    subprocess.run([server, "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
                    "--daemonize", "yes", "--pidfile", str(instance / "redis.pid"), "--dir", str(instance),
                    "--save", "", "--appendonly", "no", "--logfile", str(instance / "redis.log")],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
    for _ in range(50):  # bounded: 5 s at most for the daemon to open its socket
        if _answers(url):
            return f"redis+unix://{sock}"
        time.sleep(0.1)
    return None


def choose(instance: Path, *, redis_url: str | None = None) -> tuple[str, str]:
    """(storage URI, a note for the operator)."""
    url = redis_url or os.environ.get("LEGWORK_REDIS_URL") or DEFAULT_URL
    if _answers(url):
        return url, f"rate limits: counted in Redis at {url}"
    instance.mkdir(parents=True, exist_ok=True)
    private = _private_redis(instance)
    if private:
        return private, f"rate limits: counted in a private redis-server ({private})"
    return "memory://", ("rate limits: WARNING no Redis (apt-get install redis-server): each worker counts "
                         "alone, so a limit lets up to workers x its number through")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    uri, note = choose(Path(argv[0]).resolve())
    print(note, file=sys.stderr)
    print(uri)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
