import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

from app import create_app
from app.config import (CODE_ARRAYS, CONFIG_FILE, DEFAULT_SECRET_KEY, SURVEY_KEYS, TABLES, ConfigError,
                        apply_env_overrides, field_types, typed_table)


def test_defaults_come_from_config_toml(app):
    settings = app.extensions["legwork_settings"]
    assert {c.code for c in settings.door_outcomes} >= {
        "spoke", "not_home", "refused", "moved", "come_back", "inaccessible", "do_not_contact", "wrong_address"}
    assert {c.code for c in settings.phone_dispositions} >= {
        "spoke", "no_answer", "busy", "left_message", "wrong_number", "disconnected", "refused", "call_back",
        "do_not_call", "language_barrier", "deceased"}
    assert settings.codes("door")["do_not_contact"].dnc
    assert settings.codes("phone")["wrong_number"].retire_number


@pytest.mark.parametrize("env, key, expected", [
    ({"LEGWORK_DATABASE_URL": "postgresql://x/y"}, "DATABASE_URL", "postgresql://x/y"),
    ({"LEGWORK_SECRET_KEY": "123"}, "SECRET_KEY", "123"),  # stays a string, not a number
    ({"LEGWORK_SQLITE_BUSY_TIMEOUT_MS": "250"}, "SQLITE_BUSY_TIMEOUT_MS", 250),
])
def test_env_overrides_top_level(env, key, expected):
    config = {"DATABASE_URL": "", "SECRET_KEY": "a"}
    apply_env_overrides(config, env)
    assert config[key] == expected


def test_env_overrides_table_keys_and_ignores_test_vars():
    config = {"TWILIO": {"account_sid": "", "auth_token": ""}}
    apply_env_overrides(config, {"LEGWORK_TWILIO__ACCOUNT_SID": "AC123", "LEGWORK_TEST_DATABASE_URL": "x"})
    assert config["TWILIO"] == {"account_sid": "AC123", "auth_token": ""}
    assert "TEST_DATABASE_URL" not in config


def test_production_refuses_default_secret_key(monkeypatch):
    monkeypatch.delenv("LEGWORK_SECRET_KEY", raising=False)
    monkeypatch.setenv("LEGWORK_ENV", "production")
    with pytest.raises(ConfigError, match="default secret key"):
        create_app({"SECRET_KEY": DEFAULT_SECRET_KEY, "DATABASE_URL": "sqlite://"})


def test_production_with_real_key_has_secure_cookies(monkeypatch):
    monkeypatch.setenv("LEGWORK_ENV", "production")
    app = create_app({"SECRET_KEY": "a-real-secret", "DATABASE_URL": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    hsts = app.test_client().get("/login").headers.get("Strict-Transport-Security")
    assert hsts == "max-age=31536000"  # HTTPS only from now on, where cookies are HTTPS only


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP in tests and the demo


# Typed settings: one frozen dataclass per table, built at start-up.

def _start(tmp_path, **tables):
    return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", **tables})


@pytest.mark.parametrize("table", sorted(TABLES))
def test_an_unknown_key_in_a_table_stops_start_up_naming_it(table, tmp_path):
    with pytest.raises(ConfigError, match=rf"\[{table}\] unknown key 'max_bach'"):
        _start(tmp_path, **{table.upper(): {"max_bach": 5}})


@pytest.mark.parametrize("table, array", sorted(CODE_ARRAYS.items()))
def test_an_unknown_key_in_an_outcome_code_stops_start_up_naming_it(table, array, tmp_path):
    code = {"code": "spoke", "label": "Spoke", "contct": True}
    with pytest.raises(ConfigError, match=r"unknown keys \['contct'\] in code 'spoke'"):
        _start(tmp_path, **{table.upper(): {array: [code]}})


def test_an_unknown_key_in_survey_stops_start_up(tmp_path):
    with pytest.raises(ConfigError, match=r"\[survey\] unknown key 'isues'"):
        _start(tmp_path, SURVEY={"isues": ["Housing"]})


def test_an_unknown_table_in_the_file_stops_start_up(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[canvas]\nmax_batch = 5\n')
    monkeypatch.setenv("LEGWORK_CONFIG_FILE", str(config))
    with pytest.raises(ConfigError, match=r"unknown table \[canvas\]"):
        _start(tmp_path)


@pytest.mark.parametrize("table, key, value, expect", [
    ("canvass", "max_batch", "100", "a whole number"),
    ("canvass", "max_batch", 2.5, "a whole number"),      # never silently int(2.5)
    ("canvass", "target_list_size", True, "a whole number"),
    ("canvass", "tolerance", "0.1", "a number"),
    ("phonebank", "calling_window", ["09:00"], "two times"),
    ("phonebank", "calling_window", "09:00-21:00", "two times"),
    ("phonebank", "script", 5, "text"),
    ("twilio", "account_sid", 123, "text"),
    ("maps", "tile_url", None, "text"),
    ("auth", "pin_length", "8", "a whole number"),
    ("canvass", "crossing_m", "30", "metres from 0 to 1000"),
    ("canvass", "crossing_m", -5, "metres from 0 to 1000"),
    ("canvass", "crossing_m", float("nan"), "metres from 0 to 1000"),
    ("pollingday", "ballot_tally_above", -1, "a whole number of ballots, 0 or more"),
    ("pollingday", "ballot_tally_above", "many", "a whole number of ballots, 0 or more"),
    ("pollingday", "ballot_tally_seconds", 0, "a whole number of seconds, 1 or more"),
    ("pollingday", "ballot_tally_seconds", 1.5, "a whole number of seconds, 1 or more"),
])
def test_a_wrong_type_stops_start_up_naming_table_and_key(table, key, value, expect, tmp_path):
    with pytest.raises(ConfigError, match=rf"\[{table}\] {key} must be {expect}"):
        _start(tmp_path, **{table.upper(): {key: value}})


def test_values_are_converted_to_their_types(tmp_path):
    conf = _start(tmp_path, CANVASS={"late_grace_hours": 2}, PHONEBANK={"calling_window": ["08:00", "20:00"]})
    typed = conf.extensions["legwork_settings"]
    assert typed.canvass.late_grace_hours == 2.0 and isinstance(typed.canvass.late_grace_hours, float)
    assert typed.phonebank.calling_window == ("08:00", "20:00")
    with pytest.raises(dataclasses.FrozenInstanceError):
        typed.canvass.max_batch = 5


def test_env_overrides_typed_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGWORK_CANVASS__MAX_BATCH", "50")
    monkeypatch.setenv("LEGWORK_PHONEBANK__CALLING_WINDOW", '["08:00", "20:00"]')
    monkeypatch.setenv("LEGWORK_TWILIO__AUTH_TOKEN", "12345")  # text stays text, not the number 12345
    typed = _start(tmp_path).extensions["legwork_settings"]
    assert typed.canvass.max_batch == 50
    assert typed.phonebank.calling_window == ("08:00", "20:00")
    assert typed.twilio.auth_token == "12345"


def test_a_bad_env_override_stops_start_up(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGWORK_CANVASS__MAX_BATCH", "lots")
    with pytest.raises(ConfigError, match=r"\[canvass\] max_batch must be a whole number, not 'lots'"):
        _start(tmp_path)


def test_config_toml_keys_are_the_dataclass_fields():
    with CONFIG_FILE.open("rb") as f:
        shipped = tomllib.load(f)
    for table, cls in TABLES.items():
        keys = set(shipped.get(table, {})) - {CODE_ARRAYS.get(table)}
        assert keys == set(field_types(cls)), table
    assert set(shipped["survey"]) == SURVEY_KEYS


def test_every_default_is_written_once():
    """config.toml shows the defaults (the dataclass field defaults); no code repeats one."""
    with CONFIG_FILE.open("rb") as f:
        shipped = tomllib.load(f)
    for table, cls in TABLES.items():
        defaults = typed_table(table, {})
        for key in field_types(cls):
            if (table, key) != ("phonebank", "script"):  # the campaign's own words, no default
                assert getattr(defaults, key) == typed_table(table, shipped[table]).__dict__[key], (table, key)
    tables = "|".join(TABLES)
    pattern = re.compile(rf"\.({tables})\.get\(\"|\.({tables})\[\"|config\.get\(\"({tables.upper()})\"")
    offenders = [f"{path}:{n}" for path in (Path(__file__).resolve().parents[2] / "app").rglob("*.py")
                 for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []
