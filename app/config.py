"""Settings: built-in defaults, then config.toml, then LEGWORK_* environment variables.

Top-level TOML keys become upper-case Flask config keys (``secret_key`` -> ``SECRET_KEY``);
tables become upper-case dicts (``[canvass]`` -> ``app.config["CANVASS"]``). Feature code reads
only the typed view, ``settings().canvass.max_batch``: one frozen dataclass per table whose field
default is the key's one default, built at start-up, so an unknown key or a wrong type stops the
app there (ConfigError naming table and key) rather than mid-shift. The raw dicts stay in
app.config only for code that needs raw Flask config (tests that read ``app.config["MAPS"]``).
"""
from __future__ import annotations

import json
import os
import tomllib
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path

from flask import Flask, current_app, g, has_app_context

from .models.states import Channel
from .settings_tables import (DEFAULT_RELATIONAL_OUTCOMES, AuthSettings, CanvassSettings, Code, ConfigError,  # noqa: F401
                             EventsSettings, MailSettings, MapsSettings, PhonebankSettings, PollingDaySettings,
                             RecruitingSettings, RelationalSettings, SelfServeSettings, ServerSettings,
                             TwilioSettings, VolunteersSettings)

DEFAULT_SECRET_KEY = "dev-only-change-me"
ENV_PREFIX = "LEGWORK_"
CONFIG_FILE = Path(__file__).resolve().parent.parent / "config.toml"


def _upper_keys(data: dict) -> dict:
    return {key.upper(): value for key, value in data.items()}


def _parse_env_value(raw: str, kind=None):
    # JSON lets an env var carry numbers, booleans and lists; anything else stays a string.
    # A key typed as text keeps the raw string: an all-digit auth token must not become a number.
    if kind is str:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _table_key_type(table: str, key: str):
    cls = TABLES.get(table.lower())
    return field_types(cls).get(key) if cls else None


def apply_env_overrides(config: dict, environ=os.environ) -> None:
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name.startswith(ENV_PREFIX + "TEST_"):
            continue
        key = name[len(ENV_PREFIX):]
        if "__" in key:
            table, _, sub = key.partition("__")
            section = dict(config.get(table) or {})
            section[sub.lower()] = _parse_env_value(raw, _table_key_type(table, sub.lower()))
            config[table] = section
        elif key in ("SECRET_KEY", "DATABASE_URL"):
            config[key] = raw
        else:
            config[key] = _parse_env_value(raw)


def is_production(app: Flask) -> bool:
    return not app.config.get("TESTING") and os.environ.get("LEGWORK_ENV", "production") == "production"


def _load_toml(file) -> dict:
    data = tomllib.load(file)
    for name, value in data.items():
        if isinstance(value, dict) and name not in TABLES and name != "survey":
            raise ConfigError(f"unknown table [{name}] in config.toml (known: {', '.join(sorted(TABLES))}, survey)")
    return _upper_keys(data)


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
        app.config.from_file(str(config_file), load=_load_toml, text=False)
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


# config.toml table -> its typed settings; arrays of codes are read apart (Code.from_dict).
TABLES = {"server": ServerSettings, "auth": AuthSettings, "canvass": CanvassSettings,
          "phonebank": PhonebankSettings, "twilio": TwilioSettings, "maps": MapsSettings,
          "mail": MailSettings, "volunteers": VolunteersSettings, "events": EventsSettings,
          "pollingday": PollingDaySettings, "recruiting": RecruitingSettings, "relational": RelationalSettings,
          "selfserve": SelfServeSettings}
CODE_ARRAYS = {"canvass": "outcomes", "phonebank": "dispositions", "pollingday": "knockup_outcomes",
               "relational": "outcomes"}
SURVEY_KEYS = frozenset({"support_scale", "supporter_values", "against_values", "issues"})
_EXPECT = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}


def field_types(cls) -> dict[str, type]:
    return typing.get_type_hints(cls)


def _convert(table: str, key: str, raw, kind, expect: str | None):
    """``raw`` as ``kind``, or ConfigError naming table and key (never a silent int(2.5))."""
    origin = typing.get_origin(kind)
    if origin is tuple:
        items = typing.get_args(kind)
        size_ok = items[-1] is Ellipsis or len(raw or ()) == len(items)
        if isinstance(raw, (list, tuple)) and size_ok and all(isinstance(v, str) for v in raw):
            return tuple(raw)
    elif kind is float and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    elif kind is int and isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    elif kind in (str, bool) and isinstance(raw, kind):
        return raw
    raise ConfigError(f"[{table}] {key} must be {expect or _EXPECT.get(kind, kind)}, not {raw!r}")


def typed_table(table: str, raw: dict | None):
    """One config.toml table as its frozen dataclass: unknown keys and wrong types stop start-up."""
    cls = TABLES[table]
    raw = {k: v for k, v in (raw or {}).items() if k != CODE_ARRAYS.get(table)}
    types = field_types(cls)
    unknown = sorted(set(raw) - set(types))
    if unknown:
        raise ConfigError(f"[{table}] unknown key {unknown[0]!r} (known: {', '.join(sorted(types))})")
    expects = {f.name: f.metadata.get("expect") for f in fields(cls)}
    return cls(**{key: _convert(table, key, value, types[key], expects[key]) for key, value in raw.items()})


def _check_survey(survey: dict) -> None:
    unknown = sorted(set(survey) - SURVEY_KEYS)
    if unknown:
        raise ConfigError(f"[survey] unknown key {unknown[0]!r} (known: {', '.join(sorted(SURVEY_KEYS))})")


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
    canvass: CanvassSettings = field(default_factory=CanvassSettings)
    phonebank: PhonebankSettings = field(default_factory=PhonebankSettings)
    twilio: TwilioSettings = field(default_factory=TwilioSettings)
    maps: MapsSettings = field(default_factory=MapsSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    volunteers: VolunteersSettings = field(default_factory=VolunteersSettings)
    events: EventsSettings = field(default_factory=EventsSettings)
    pollingday: PollingDaySettings = field(default_factory=PollingDaySettings)
    recruiting: RecruitingSettings = field(default_factory=RecruitingSettings)
    selfserve: SelfServeSettings = field(default_factory=SelfServeSettings)
    knockup_outcomes: tuple[Code, ...] = ()
    relational: RelationalSettings = field(default_factory=RelationalSettings)
    relational_outcomes: tuple[Code, ...] = DEFAULT_RELATIONAL_OUTCOMES

    @classmethod
    def from_config(cls, config) -> Settings:
        raw = {table: dict(config.get(table.upper()) or {}) for table in TABLES}
        survey = dict(config.get("SURVEY") or {})
        _check_survey(survey)
        return cls(
            campaign_name=config.get("CAMPAIGN_NAME", "Legwork"),
            default_region=config.get("DEFAULT_REGION", "US"),
            timezone=config.get("TIMEZONE", "UTC"),
            door_outcomes=tuple(Code.from_dict(c) for c in raw["canvass"].get("outcomes", [])),
            phone_dispositions=tuple(Code.from_dict(c) for c in raw["phonebank"].get("dispositions", [])),
            knockup_outcomes=tuple(Code.from_dict(c) for c in raw["pollingday"].get("knockup_outcomes", [])),
            relational_outcomes=tuple(Code.from_dict(c) for c in raw["relational"].get("outcomes", []))
            or DEFAULT_RELATIONAL_OUTCOMES,
            support_scale=tuple((str(s["value"]), s["label"]) for s in survey.get("support_scale", [])),
            supporter_values=frozenset(map(str, survey.get("supporter_values", []))),
            against_values=frozenset(map(str, survey.get("against_values", []))),
            issues=tuple(survey.get("issues", [])),
            **{table: typed_table(table, values) for table, values in raw.items()},
        )

    def codes(self, channel: str) -> dict[str, Code]:
        # A knock-up list's outcomes are door outcomes too (their codes are the kinds' own).
        if channel == Channel.RELATIONAL:
            return {c.code: c for c in self.relational_outcomes}
        codes = self.door_outcomes + self.knockup_outcomes if channel == Channel.DOOR else self.phone_dispositions
        return {c.code: c for c in codes}

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio.account_sid and self.twilio.auth_token)


def settings(app: Flask | None = None) -> Settings:
    """The campaign's settings. Inside a request or command, with the support scale organisers
    edit in the app laid over config.toml's (app.surveys.scale), read once and kept in ``g``."""
    if app is not None or not has_app_context():
        return (app or current_app).extensions["legwork_settings"]
    base = current_app.extensions["legwork_settings"]
    cached = g.get("legwork_settings")
    if cached is None or cached[0] is not base:
        overlay = current_app.extensions.get("legwork_settings_overlay")
        cached = g.legwork_settings = (base, overlay(base) if overlay else base)
    return cached[1]


def forget_settings() -> None:
    """After the support scale changed: the next settings() reads it again."""
    if has_app_context():
        g.pop("legwork_settings", None)
