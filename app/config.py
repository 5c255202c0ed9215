"""Settings: built-in defaults, then config.toml, then LEGWORK_* environment variables.

Top-level TOML keys become upper-case Flask config keys (``secret_key`` -> ``SECRET_KEY``);
tables become upper-case dicts (``[canvass]`` -> ``app.config["CANVASS"]``). The typed views
below are what feature code reads, so a typo in a key fails at start-up rather than mid-shift.
"""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

DEFAULT_SECRET_KEY = "dev-only-change-me"
ENV_PREFIX = "LEGWORK_"
CONFIG_FILE = Path(__file__).resolve().parent.parent / "config.toml"


class ConfigError(RuntimeError):
    """The configuration cannot run the app (e.g. default secret key in production)."""


def _upper_keys(data: dict) -> dict:
    return {key.upper(): value for key, value in data.items()}


def _parse_env_value(raw: str):
    # JSON lets an env var carry numbers, booleans and lists; anything else stays a string.
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def apply_env_overrides(config: dict, environ=os.environ) -> None:
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name.startswith(ENV_PREFIX + "TEST_"):
            continue
        key = name[len(ENV_PREFIX):]
        if "__" in key:
            table, _, sub = key.partition("__")
            section = dict(config.get(table) or {})
            section[sub.lower()] = _parse_env_value(raw)
            config[table] = section
        elif key in ("SECRET_KEY", "DATABASE_URL"):
            config[key] = raw
        else:
            config[key] = _parse_env_value(raw)


def is_production(app: Flask) -> bool:
    return not app.config.get("TESTING") and os.environ.get("LEGWORK_ENV", "production") == "production"


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.update(
        SECRET_KEY=DEFAULT_SECRET_KEY,
        DATABASE_URL="",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # Every other request: the largest upload is an address CSV (Cambridge's 20,000+ doors
        # are 1.8 MB), so 16 MB leaves room for a city's voter file and bounds a worker's memory.
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # a volunteer's page may stay open all day offline
    )
    config_file = Path(os.environ.get("LEGWORK_CONFIG_FILE", CONFIG_FILE))
    if config_file.exists():
        app.config.from_file(str(config_file), load=lambda f: _upper_keys(tomllib.load(f)), text=False)
    apply_env_overrides(app.config)
    if test_config:
        for key, value in test_config.items():
            if isinstance(value, dict) and isinstance(app.config.get(key), dict):
                app.config[key] = {**app.config[key], **value}
            else:
                app.config[key] = value
    production = is_production(app)
    app.config["LEGWORK_PRODUCTION"] = production
    # Production cookies only travel over HTTPS; tests and the local demo run over plain HTTP.
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if key not in (test_config or {}) and ENV_PREFIX + key not in os.environ:
            app.config[key] = production
    if production and app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise ConfigError(
            "Refusing to start in production with the default secret key: "
            "set LEGWORK_SECRET_KEY (or LEGWORK_ENV=development for local use)."
        )
    app.extensions["legwork_settings"] = Settings.from_config(app.config)


@dataclass(frozen=True)
class Code:
    """An outcome (door) or disposition (phone) code and what it does."""

    code: str
    label: str
    contact: bool = False       # a person was reached
    dnc: bool = False           # writes the do-not-contact ledger
    final: bool = False         # no revisit / no more calls
    retry: bool = False         # phone: comes back after retry_after_minutes
    retire_number: bool = False  # phone: the number is wrong or dead
    schedule: bool = False      # phone: "call back at" a chosen time

    @classmethod
    def from_dict(cls, data: dict) -> Code:
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown keys {sorted(unknown)} in code {data.get('code')!r}")
        return cls(**data)


@dataclass(frozen=True)
class Settings:
    """Typed view of the campaign settings (see config.toml for meanings and units)."""

    campaign_name: str
    default_region: str
    timezone: str
    door_outcomes: tuple[Code, ...]
    phone_dispositions: tuple[Code, ...]
    support_scale: tuple[tuple[str, str], ...]
    supporter_values: frozenset[str]
    against_values: frozenset[str]
    issues: tuple[str, ...]
    canvass: dict = field(default_factory=dict)
    phonebank: dict = field(default_factory=dict)
    twilio: dict = field(default_factory=dict)
    maps: dict = field(default_factory=dict)
    auth: dict = field(default_factory=dict)

    @classmethod
    def from_config(cls, config) -> Settings:
        canvass = dict(config.get("CANVASS") or {})
        phonebank = dict(config.get("PHONEBANK") or {})
        survey = dict(config.get("SURVEY") or {})
        return cls(
            campaign_name=config.get("CAMPAIGN_NAME", "Legwork"),
            default_region=config.get("DEFAULT_REGION", "US"),
            timezone=config.get("TIMEZONE", "UTC"),
            door_outcomes=tuple(Code.from_dict(c) for c in canvass.pop("outcomes", [])),
            phone_dispositions=tuple(Code.from_dict(c) for c in phonebank.pop("dispositions", [])),
            support_scale=tuple((str(s["value"]), s["label"]) for s in survey.get("support_scale", [])),
            supporter_values=frozenset(map(str, survey.get("supporter_values", []))),
            against_values=frozenset(map(str, survey.get("against_values", []))),
            issues=tuple(survey.get("issues", [])),
            canvass=canvass,
            phonebank=phonebank,
            twilio=dict(config.get("TWILIO") or {}),
            maps=dict(config.get("MAPS") or {}),
            auth=dict(config.get("AUTH") or {}),
        )

    def codes(self, channel: str) -> dict[str, Code]:
        codes = self.door_outcomes if channel == "door" else self.phone_dispositions
        return {c.code: c for c in codes}

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio.get("account_sid") and self.twilio.get("auth_token"))


def settings() -> Settings:
    return current_app.extensions["legwork_settings"]
