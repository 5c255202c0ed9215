"""Universes: named, saved selections of people (whom to contact), built by organisers."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class Universe(SQLModel, table=True):
    """A saved filter tree (app/universes/filters.py documents the JSON): compiled to SQL on every
    count, cut and call sheet, so it always means today's data, never a frozen list of people."""

    __tablename__ = "universes"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    definition: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # canonical JSON (sorted keys)
    created_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    updated_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
