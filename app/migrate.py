"""Alembic, driven from the app: the app's own engine, so SQLite pragmas and schemas apply."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

from .db import engine_for

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(app: Flask) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine_for(app)
    return cfg


def upgrade(app: Flask, revision: str = "head") -> None:
    command.upgrade(alembic_config(app), revision)


def revision(app: Flask, message: str) -> None:
    command.revision(alembic_config(app), message=message, autogenerate=True)
