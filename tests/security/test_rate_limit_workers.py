"""Two real gunicorn workers share their counts through the storage scripts/run picks
(app.ratelimit_storage): "10 per minute" lets exactly 10 through, not 10 per worker."""
from __future__ import annotations

import os
import shutil
import signal

import pytest
import requests

from app.ratelimit_storage import choose
from tests.support.gunicorn import TOKEN_RE, Server, seed, server_env
from tests.support.redis_db import fresh_redis

REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own, emptied first


@pytest.fixture
def redis_db():
    yield from fresh_redis(REDIS_URL)


def _wrong_sign_in(base: str, n: int) -> int:
    with requests.Session() as http:  # a new browser, and a new connection, each time
        http.headers["Connection"] = "close"
        token = TOKEN_RE.search(http.get(base + "/login", timeout=10).text).group(1)
        return http.post(base + "/login", data={"email": f"guess{n}@example.org", "password": "guess guess guess",
                                                "csrf_token": token}, timeout=10, allow_redirects=False).status_code


@pytest.mark.slow
def test_two_workers_let_exactly_the_limit_through(tmp_path, redis_db):
    uri, _ = choose(tmp_path / "instance", redis_url=REDIS_URL)
    assert uri == REDIS_URL
    env = server_env(f"sqlite:///{tmp_path / 'limits.db'}")
    env.update(LEGWORK_RATELIMIT_ENABLED="true", LEGWORK_RATELIMIT_STORAGE_URI=uri,
               LEGWORK_AUTH__LOGIN_RATE_LIMIT="10 per minute")
    seed(env, phones=0, doors=0)
    server = Server(env, workers=2, threads=2)
    server.start()
    try:
        statuses = [_wrong_sign_in(server.url, n) for n in range(20)]
    finally:
        server.stop()
    assert statuses == [401] * 10 + [429] * 10, statuses
    assert redis_db.dbsize() > 0


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server not installed")
def test_without_a_reachable_redis_a_private_one_is_started(tmp_path):
    import redis

    instance = tmp_path / "instance"
    uri, note = choose(instance, redis_url="redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        assert uri == f"redis+unix://{instance / 'redis.sock'}" and "private" in note
        assert redis.Redis(unix_socket_path=str(instance / "redis.sock")).ping()
        assert choose(instance, redis_url="redis://127.0.0.1:1/0")[0] == uri  # a second run reuses it
    finally:
        pid_file = instance / "redis.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)
