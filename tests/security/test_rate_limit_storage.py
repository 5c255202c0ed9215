"""Several gunicorn workers must share sign-in counts: the limiter's storage is configurable
(RATELIMIT_STORAGE_URI), and Redis, which this machine runs, works as that storage."""
import socket

import pytest

from tests.support.web import PASSWORD, csrf_token_from


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
                                  "AUTH": {"login_rate_limit": "3 per minute"}}], indirect=True)
def test_login_limit_counts_are_shared_through_redis(app, make_user):
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()
    user = make_user()
    statuses = []
    for _ in range(5):
        client = app.test_client()  # a fresh client each time, like a fresh worker: counts live in Redis
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        statuses.append(client.post("/login", data={"email": user.email, "password": "wrong password!",
                                                    "csrf_token": token}).status_code)
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]
    assert redis.Redis(host="127.0.0.1", port=6379, db=15).dbsize() > 0


@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}],
                         indirect=True)
def test_sign_in_still_works_when_the_limit_storage_is_unreachable(app, make_user):
    """Redis gone mid-shift: each worker counts in memory instead, and sign-in carries on."""
    user = make_user()
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"email": user.email, "password": "wrong password!",
                                       "csrf_token": token}).status_code == 401
    assert client.post("/login", data={"email": user.email, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
