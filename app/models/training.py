"""Training modules (Markdown the organiser edits, an optional quiz) and who has completed them."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class TrainingModule(SQLModel, table=True):
    __tablename__ = "training_modules"

    id: Optional[int] = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)          # "knocking-on-a-door"
    title: str = Field(max_length=120)
    body: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))  # Markdown
    # JSON: [{"question": ..., "choices": [...], "answer": index}]; "[]" for no quiz.
    quiz: str = Field(default="[]", sa_column=sa.Column(sa.Text, nullable=False, server_default="[]"))
    # Space-separated event kinds that require this module before check-in.
    required_for: str = Field(default="", max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)


class TrainingCompletion(SQLModel, table=True):
    __tablename__ = "training_completions"
    __table_args__ = (sa.UniqueConstraint("module_id", "user_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="training_modules.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    completed_at: datetime = Field(default_factory=utcnow)
