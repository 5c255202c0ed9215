"""People who help: where a postcode is, a volunteer's sign-up, and one-time email links."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow

# What a volunteer says they would do, in the order the sign-up form shows them.
INTERESTS = ("knock_doors", "phone", "drive", "tell", "host", "data_entry")


class PostcodeCentroid(SQLModel, table=True):
    """A UK postcode or US ZIP and its centroid, for "what is near me" (imported by the organiser,
    the same CSV as ``import-addresses --postcodes``). ``postcode`` is normalised: upper case, one
    space before a UK inward code, ZIPs as their five digits."""

    __tablename__ = "postcode_centroids"

    postcode: str = Field(primary_key=True, max_length=10)
    lat: float
    lon: float


class VolunteerProfile(SQLModel, table=True):
    """What a volunteer told us when they signed up (the account itself is a User)."""

    __tablename__ = "volunteer_profiles"

    user_id: int = Field(primary_key=True, foreign_key="users.id")
    postcode: str = Field(default="", max_length=10)
    lat: Optional[float] = None
    lon: Optional[float] = None
    availability: str = Field(default="", max_length=500)      # "weekday evenings, Saturdays"
    interests: str = Field(default="", max_length=200)        # space-separated subset of INTERESTS
    consent_text: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    consented_at: Optional[datetime] = None
    email_confirmed_at: Optional[datetime] = None
    recruited_by_id: Optional[int] = Field(default=None, foreign_key="users.id", index=True)
    trusted_host: bool = Field(default=False)  # their proposed events need no team lead's approval
    created_at: datetime = Field(default_factory=utcnow)


class EmailToken(SQLModel, table=True):
    """A one-time link sent by email ("confirm your email", "sign in"): only its hash is kept."""

    __tablename__ = "email_tokens"

    id: Optional[int] = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)  # sha256 of the token
    user_id: int = Field(foreign_key="users.id", index=True)
    purpose: str = Field(max_length=20)          # "confirm" or "sign_in"
    next_url: str = Field(default="", max_length=500)  # a local path to land on afterwards
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: Optional[datetime] = None
