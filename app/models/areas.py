from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class Ward(SQLModel, table=True):
    __tablename__ = "wards"

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(max_length=200)
    boundary: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # GeoJSON geometry, EPSG:4326
    created_at: datetime = Field(default_factory=utcnow)


class Neighbourhood(SQLModel, table=True):
    """A polling district (UK) or precinct (US): the unit coverage is reported by."""

    __tablename__ = "neighbourhoods"

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(max_length=200)
    ward_id: Optional[int] = Field(default=None, foreign_key="wards.id", index=True)
    boundary: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
