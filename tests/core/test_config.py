import pytest

from app import create_app
from app.config import ConfigError, DEFAULT_SECRET_KEY, apply_env_overrides


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
