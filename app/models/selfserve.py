"""Canvass near me (app/nearme): each team's self-serve settings, the lists checked out to
volunteers, and the live positions a volunteer chose to share with their team lead."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class TeamSelfServe(SQLModel, table=True):
    """A team lead's rules for their patch. ``areas``: space-separated area keys ("ward:3 hood:7"),
    always a subset of the team's own areas; ``universe_id`` None: every door in them."""

    __tablename__ = "team_selfserve"

    team_id: int = Field(foreign_key="teams.id", primary_key=True, sa_column_kwargs={"autoincrement": False})
    enabled: bool = Field(default=False)
    areas: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    universe_id: Optional[int] = Field(default=None, foreign_key="universes.id")
    return_minutes: int = Field(default=45)
    updated_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    updated_at: datetime = Field(default_factory=utcnow)


class SelfServeCheckout(SQLModel, table=True):
    """A list one volunteer took through "canvass near me". One row per list (unique): the row is
    deleted when the list goes back to the pool or the volunteer hands it back."""

    __tablename__ = "selfserve_checkouts"

    id: Optional[int] = Field(default=None, primary_key=True)
    walk_list_id: int = Field(foreign_key="walk_lists.id", unique=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    cut_on_spot: bool = Field(default=False)   # cut for them (released on return) or a ready-cut list (unassigned)
    checked_out_at: datetime = Field(default_factory=utcnow)
    sharing_since: Optional[datetime] = None   # sharing their live walk with the team's leads


class WalkPosition(SQLModel, table=True):
    """Where a sharing volunteer's phone was: personal data, kept only for the day (and deleted
    the moment they stop sharing or the list goes back)."""

    __tablename__ = "walk_positions"

    id: Optional[int] = Field(default=None, primary_key=True)
    checkout_id: int = Field(foreign_key="selfserve_checkouts.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    lat: float
    lon: float
    recorded_at: datetime = Field(default_factory=utcnow, index=True)
