"""Local teams: the areas each covers, and who belongs (a lead is a member with is_lead)."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class Team(SQLModel, table=True):
    __tablename__ = "teams"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    created_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class TeamArea(SQLModel, table=True):
    """One area a team covers: a whole ward, or one neighbourhood (exactly one of the two)."""

    __tablename__ = "team_areas"
    __table_args__ = (sa.UniqueConstraint("team_id", "ward_id", "neighbourhood_id"),
                      sa.CheckConstraint("(ward_id IS NULL) <> (neighbourhood_id IS NULL)", name="one_area"))

    id: Optional[int] = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    ward_id: Optional[int] = Field(default=None, foreign_key="wards.id", index=True)
    neighbourhood_id: Optional[int] = Field(default=None, foreign_key="neighbourhoods.id", index=True)


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_members"
    __table_args__ = (sa.UniqueConstraint("team_id", "user_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    is_lead: bool = Field(default=False)
    joined_at: datetime = Field(default_factory=utcnow)
