"""Find 10 more: each volunteer's recruiting code, the organiser's share message, and the
welcome nudges a recruiter sent (kept to rate-limit them). Who recruited whom is
VolunteerProfile.recruited_by_id."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class RecruitCode(SQLModel, table=True):
    """A volunteer's recruiting code (the ?r= of their link): stable until they regenerate it."""

    __tablename__ = "recruit_codes"

    user_id: int = Field(primary_key=True, foreign_key="users.id", sa_column_kwargs={"autoincrement": False})
    code: str = Field(max_length=12, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class RecruitMessage(SQLModel, table=True):
    """The organiser's words behind the share buttons ({name}, {link}, {code}, {campaign}): at
    most one row; with none, ``[recruiting] message`` from config.toml."""

    __tablename__ = "recruit_messages"

    id: Optional[int] = Field(default=None, primary_key=True)
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    updated_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    updated_at: datetime = Field(default_factory=utcnow)


class WelcomeNudge(SQLModel, table=True):
    """A welcome email a recruiter sent one of their recruits through Legwork."""

    __tablename__ = "welcome_nudges"

    id: Optional[int] = Field(default=None, primary_key=True)
    recruiter_id: int = Field(foreign_key="users.id", index=True)
    recruit_id: int = Field(foreign_key="users.id", index=True)
    sent_at: datetime = Field(default_factory=utcnow)
