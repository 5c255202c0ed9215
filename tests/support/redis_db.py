"""A Redis database of a test module's own on the machine's server (127.0.0.1:6379), emptied
before and after; skipped without Redis, except in CI, which must run one."""
from __future__ import annotations

import os
import socket
from typing import Iterator

import pytest


def fresh_redis(url: str) -> Iterator:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("CI must run Redis on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()
