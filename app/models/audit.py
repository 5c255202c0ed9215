from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class AuditEntry(SQLModel, table=True):
    """Who did what: sign-ins, imports, exports, role changes, deletions. Never updated."""

    __tablename__ = "audit_log"

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_user_id: Optional[int] = Field(default=None, foreign_key="users.id", index=True)
    actor_label: str = Field(default="", max_length=254)  # "cli", "pin:12", an email that failed to sign in
    action: str = Field(max_length=60, index=True)
    target: str = Field(default="", max_length=120)
    detail: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    ip: str = Field(default="", max_length=64)
