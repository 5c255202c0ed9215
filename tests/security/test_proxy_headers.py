"""X-Forwarded-For names the client only behind the number of proxies `[server] proxies` gives:
otherwise anyone could pick their own rate-limit bucket or session-protection address."""
from __future__ import annotations

import pytest

from app.config import ConfigError
from tests.support.web import PASSWORD, csrf_token_from

LIMITED = {"RATELIMIT_ENABLED": True, "AUTH": {"login_rate_limit": "3 per minute"}}
BEHIND_ONE_PROXY = {**LIMITED, "SERVER": {"proxies": 1}}


def _login(app, email, password, *, forwarded_for=None, client=None):
    client = client or app.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"  # nginx on the same machine
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    token = csrf_token_from(client.get("/login", headers=headers).get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token}, headers=headers)


@pytest.mark.parametrize("app", [BEHIND_ONE_PROXY], indirect=True)
def test_behind_a_proxy_each_client_has_its_own_bucket(app, make_user):
    make_user(email="ada@example.org")
    for i in range(3):
        assert _login(app, f"guess{i}@example.org", "guess guess guess", forwarded_for="203.0.113.7").status_code == 401
    assert _login(app, "x@example.org", "guess guess guess", forwarded_for="203.0.113.7").status_code == 429
    assert _login(app, "ada@example.org", PASSWORD, forwarded_for="198.51.100.4").status_code == 302


@pytest.mark.parametrize("app", [BEHIND_ONE_PROXY], indirect=True)
def test_behind_a_proxy_only_the_entry_it_wrote_counts(app):
    # The client sends its own X-Forwarded-For; nginx appends the address it really saw.
    for i in range(3):
        assert _login(app, f"g{i}@example.org", "guess guess guess",
                      forwarded_for=f"10.9.9.{i}, 203.0.113.7").status_code == 401
    assert _login(app, "g@example.org", "guess guess guess", forwarded_for="10.9.9.99, 203.0.113.7").status_code == 429


@pytest.mark.parametrize("app", [LIMITED], indirect=True)
def test_without_proxies_x_forwarded_for_is_ignored(app):
    for i in range(3):
        assert _login(app, f"g{i}@example.org", "guess guess guess", forwarded_for=f"10.9.9.{i}").status_code == 401
    assert _login(app, "g@example.org", "guess guess guess", forwarded_for="10.9.9.99").status_code == 429


def test_x_forwarded_for_cannot_make_a_copied_cookie_look_like_its_owner(app, client, make_user):
    """Session protection compares the real address: a cookie used from elsewhere is no longer
    "fresh" whatever X-Forwarded-For claims (it used to read the header)."""
    user = make_user()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    thief.environ_base["REMOTE_ADDR"] = "10.6.6.6"
    thief.get("/account", headers={"X-Forwarded-For": "10.0.0.1"})
    with thief.session_transaction() as session:
        assert session.get("_fresh") is False


@pytest.mark.parametrize("proxies", [-1, "1", 6, True, 1.5])
def test_a_bad_proxy_count_stops_start_up(proxies, tmp_path):
    from app import create_app

    with pytest.raises(ConfigError, match=r"\[server\] proxies"):
        create_app({"TESTING": True, "SERVER": {"proxies": proxies},
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})


@pytest.mark.parametrize("days", [0, -1, "three", 40])
def test_a_bad_session_length_stops_start_up(days, tmp_path):
    from app import create_app

    with pytest.raises(ConfigError, match=r"\[auth\] session_days"):
        create_app({"TESTING": True, "AUTH": {"session_days": days},
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
