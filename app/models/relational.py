"""People you know (relational organising): the friends and neighbours a volunteer lists, and
which register entry each turned out to be. Private to the volunteer who typed them: nobody else's
page reads these rows (app/auth/access/relational.py); organisers see counts only."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class RelationalEntry(SQLModel, table=True):
    """One person a volunteer knows, as they typed them. ``suggested_person_id`` is the register
    entry Legwork offers ("your neighbour on Mill Road: yes / no"); ``person_id`` is set only
    when the volunteer says yes. ``checked_at``: when matching last ran (None: not yet)."""

    __tablename__ = "relational_entries"

    id: Optional[int] = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", index=True)
    name: str = Field(max_length=100)
    postcode: str = Field(default="", max_length=20)
    street: str = Field(default="", max_length=200)
    phone: Optional[str] = Field(default=None, max_length=20)  # E.164
    suggested_person_id: Optional[int] = Field(default=None, foreign_key="people.id", index=True)
    person_id: Optional[int] = Field(default=None, foreign_key="people.id", index=True)
    checked_at: Optional[datetime] = None
    confirmed_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class RelationalRejection(SQLModel, table=True):
    """A register entry the volunteer said "no" to for this entry: never offered for it again."""

    __tablename__ = "relational_rejections"
    __table_args__ = (sa.Index("ix_relational_rejections_person_id", "person_id"),)

    entry_id: int = Field(foreign_key="relational_entries.id", primary_key=True,
                          sa_column_kwargs={"autoincrement": False})
    person_id: int = Field(foreign_key="people.id", primary_key=True, sa_column_kwargs={"autoincrement": False})
