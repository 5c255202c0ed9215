"""Guessing limits that cannot lock a volunteer out: per address, per (account, address), and a
per-account slow-down that spares devices which signed in before (app/auth/throttle.py)."""
from __future__ import annotations

import re

import pytest
from werkzeug.security import generate_password_hash

from app.models import ListPin
from tests.support.web import PASSWORD, TEST_HASH_METHOD, csrf_token_from

# The shipped limits (config.toml): 10/min per address, 5/min per (account, address),
# 10 wrong passwords a minute on one account from unknown devices.
SHIPPED = [{"RATELIMIT_ENABLED": True}]


def _login(app, email, password, addr, client=None):
    client = client or app.test_client()
    client.environ_base["REMOTE_ADDR"] = addr
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.mark.parametrize("app", SHIPPED, indirect=True)
def test_wrong_passwords_from_one_address_do_not_lock_out_another(app, make_user):
    make_user(email="ada@example.org")
    statuses = [_login(app, "ada@example.org", f"guess number {i}", "10.0.0.1").status_code for i in range(17)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    # That address is cut off from this account, even with the right password...
    assert _login(app, "ada@example.org", PASSWORD, "10.0.0.1").status_code == 429
    # ...but Ada, from her own phone on a new device, signs in at once.
    assert _login(app, "ada@example.org", PASSWORD, "10.0.0.2").status_code == 302


@pytest.mark.parametrize("app", SHIPPED, indirect=True)
def test_an_attack_from_many_addresses_slows_new_devices_but_not_a_known_one(app, make_user):
    make_user(email="ada@example.org")
    phone = app.test_client()
    assert _login(app, "ada@example.org", PASSWORD, "10.0.9.9", client=phone).status_code == 302
    phone.post("/logout", data={"csrf_token": csrf_token_from(phone.get("/account").get_data(as_text=True))})
    statuses = [_login(app, "ada@example.org", "guess guess guess", f"10.0.1.{i}").status_code for i in range(12)]
    assert statuses == [401] * 10 + [429] * 2
    slowed = _login(app, "ada@example.org", PASSWORD, "10.0.2.1")  # a new device waits, not checked
    text = slowed.get_data(as_text=True)
    assert slowed.status_code == 429 and "Too many attempts" in text
    assert 1 <= int(re.search(r"Try again in (\d+) s", text).group(1)) <= 60
    # Ada's phone, which signed in here before, is not held up, from any address.
    assert _login(app, "ada@example.org", PASSWORD, "10.0.3.3", client=phone).status_code == 302


@pytest.mark.parametrize("app", SHIPPED, indirect=True)
def test_a_device_cookie_for_another_account_or_forged_does_not_help(app, make_user):
    make_user(email="ada@example.org")
    make_user(email="bob@example.org")
    bobs = app.test_client()
    assert _login(app, "bob@example.org", PASSWORD, "10.0.9.9", client=bobs).status_code == 302
    for i in range(10):
        assert _login(app, "ada@example.org", "guess guess guess", f"10.0.1.{i}").status_code == 401
    assert _login(app, "ada@example.org", "guess guess guess", "10.0.9.9", client=bobs).status_code == 429
    forged = app.test_client()
    forged.set_cookie("legwork_device", bobs.get_cookie("legwork_device").value[:-2] + "xx")
    assert _login(app, "ada@example.org", PASSWORD, "10.0.9.8", client=forged).status_code == 429


@pytest.mark.parametrize("app", SHIPPED, indirect=True)
def test_unknown_emails_are_limited_like_accounts(app):
    # The same answers whether or not the account exists: the limits do not reveal who has one.
    statuses = [_login(app, "nobody@example.org", "guess guess guess", "10.0.0.1").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def _list_with_pin(db, make_walk_list, make_household, pin="24681357"):
    walk_list = make_walk_list([make_household()])
    db.add(ListPin(walk_list_id=walk_list.id, pin_hash=generate_password_hash(pin, method=TEST_HASH_METHOD)))
    db.commit()
    return walk_list


def _join(app, code, pin, addr, client=None):
    client = client or app.test_client()
    client.environ_base["REMOTE_ADDR"] = addr
    token = csrf_token_from(client.get("/canvass/join").get_data(as_text=True))
    return client.post("/canvass/join", data={"code": code, "pin": pin, "csrf_token": token})


@pytest.mark.parametrize("app", SHIPPED, indirect=True)
def test_wrong_pins_from_one_address_do_not_lock_the_list_for_its_volunteer(app, db, make_walk_list, make_household):
    walk_list = _list_with_pin(db, make_walk_list, make_household)
    statuses = [_join(app, walk_list.code, f"{11111111 + i}", "10.0.0.1").status_code for i in range(25)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    assert _join(app, walk_list.code.lower(), "24681357", "10.0.0.2").status_code == 302


@pytest.mark.parametrize("app", SHIPPED, indirect=True)
def test_wrong_pins_from_many_addresses_slow_new_devices_only(app, db, make_walk_list, make_household):
    walk_list = _list_with_pin(db, make_walk_list, make_household)
    holder = app.test_client()
    assert _join(app, walk_list.code, "24681357", "10.0.9.9", client=holder).status_code == 302
    statuses = [_join(app, walk_list.code, f"{11111111 + i}", f"10.0.1.{i}").status_code for i in range(21)]
    assert statuses == [401] * 20 + [429]
    assert _join(app, walk_list.code, "24681357", "10.0.2.2").status_code == 429
    assert _join(app, walk_list.code, "24681357", "10.0.3.3", client=holder).status_code == 302


@pytest.mark.parametrize("auth, message", [
    ({"login_rate_limit": "ten a minute"}, "login_rate_limit must be limits"),
    ({"pin_code_rate_limit": 5}, "pin_code_rate_limit must be limits"),
    ({"login_account_failures": "10 per hour"}, "a minute at most"),
    ({"pin_code_failures": "20 per minute;100 per day"}, "a minute at most"),
])
def test_bad_limits_stop_start_up_not_a_sign_in(auth, message, tmp_path):
    from app import create_app
    from app.config import ConfigError

    with pytest.raises(ConfigError, match=message):
        create_app({"TESTING": True, "AUTH": auth, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
