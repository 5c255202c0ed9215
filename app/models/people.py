from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class Household(SQLModel, table=True):
    """One door: an address, with a building key so flats in one block stay in one list."""

    __tablename__ = "households"
    # "Never reached at the door" over a state: the households whose bit is clear, by index.
    __table_args__ = (sa.Index("ix_households_reached", "reached", "id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    external_id: Optional[str] = Field(default=None, index=True, unique=True, max_length=64)
    house_number: str = Field(default="", max_length=20)
    suffix: str = Field(default="", max_length=20)
    street: str = Field(default="", max_length=200, index=True)
    unit: str = Field(default="", max_length=40)  # flat / apartment
    postcode: str = Field(default="", max_length=20, index=True)  # relational matching blocks by it
    city: str = Field(default="", max_length=100)
    building_key: str = Field(default="", max_length=120, index=True)
    lon: Optional[float] = None  # degrees, EPSG:4326
    lat: Optional[float] = None
    ward_id: Optional[int] = Field(default=None, foreign_key="wards.id", index=True)
    neighbourhood_id: Optional[int] = Field(default=None, foreign_key="neighbourhoods.id", index=True)
    # Derived: the channels it was ever reached on (1 door, 2 phone, 4 relational), as its summary's
    # {channel}_contacts > 0 (app/contacts/reach.py keeps it; universes select on it).
    reached: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def address(self) -> str:
        number = f"{self.house_number}{self.suffix}".strip()
        line = f"{number} {self.street}".strip()
        return f"{line}, {self.unit}" if self.unit else line


class Person(SQLModel, table=True):
    """A made-up or imported resident. Phone numbers are E.164 or absent, never raw text."""

    __tablename__ = "people"

    id: Optional[int] = Field(default=None, primary_key=True)
    external_id: Optional[str] = Field(default=None, index=True, unique=True, max_length=64)  # voter id
    household_id: int = Field(foreign_key="households.id", index=True)
    first_name: str = Field(default="", max_length=100)
    last_name: str = Field(default="", max_length=100, index=True)  # relational matching's surname ranges
    phone: Optional[str] = Field(default=None, index=True, max_length=20)  # E.164
    phone_type: str = Field(default="", max_length=20)  # mobile, landline, voip, unknown
    phone_retired_at: Optional[datetime] = None  # wrong number / disconnected: never dialled again
    email: Optional[str] = Field(default=None, max_length=254)  # given at the door, with consent (person_fixes)
    # "moved", "deceased" (reported at the door) or "removed" (an added resident an organiser
    # reverted): left off walk lists and call queues; the row stays until an organiser reviews it.
    # A server default too: the PostgreSQL importers COPY only the columns they fill.
    gone: str = Field(default="", sa_column=sa.Column(sa.String(20), nullable=False, server_default=""))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
