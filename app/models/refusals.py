from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class RefusedOutcome(SQLModel, table=True):
    """An outcome a phone sent that the server refused for good (``POST /api/outcomes`` answered
    ``rejected``): what the organiser sees on the list's page. One row per event id, however often
    the phone resends it. No notes, answers or location: only who, which door, when and why.

    walk_list_id is set only when the sender held that list (so a stranger's made-up ids attach
    to no list); household_id is the id the phone sent, which may name no household at all.
    """

    __tablename__ = "refused_outcomes"

    event_id: str = Field(primary_key=True, max_length=36)
    walk_list_id: Optional[int] = Field(default=None, foreign_key="walk_lists.id", index=True)
    household_id: Optional[int] = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    actor_user_id: Optional[int] = Field(default=None, foreign_key="users.id")
    actor_pin_id: Optional[int] = Field(default=None, foreign_key="list_pins.id")
    actor_label: str = Field(default="", max_length=254)
    reason: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    recorded_at: Optional[datetime] = None  # by the phone's clock, when it sent a readable one
    refused_at: datetime = Field(default_factory=utcnow, index=True)
