"""Events (canvass sessions, phone banks, training, socials, community action), their shifts,
the work they will do, and who is coming."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class Event(SQLModel, table=True):
    __tablename__ = "events"
    # "Approved events near here" (the get-involved page): a latitude band of approved events.
    __table_args__ = (sa.Index("ix_events_status_lat", "status", "lat"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)         # EventKind
    title: str = Field(max_length=120)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    meeting_point: str = Field(default="", max_length=200)  # "Outside the library, Main St"
    lat: Optional[float] = None
    lon: Optional[float] = None
    capacity: Optional[int] = None                         # None: no limit
    team_id: Optional[int] = Field(default=None, foreign_key="teams.id", index=True)
    host_id: Optional[int] = Field(default=None, foreign_key="users.id", index=True)
    status: str = Field(default="approved", max_length=20, index=True)  # EventStatus
    # Secret in the host's check-in QR code: whoever scans it at the meeting point may check in.
    checkin_code: str = Field(max_length=32, unique=True)
    created_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    thanked_at: Optional[datetime] = None


class EventShift(SQLModel, table=True):
    __tablename__ = "event_shifts"

    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id", index=True)
    starts_at: datetime
    ends_at: datetime
    capacity: Optional[int] = None


class EventWork(SQLModel, table=True):
    """A walk list or call sheet the event will work (exactly one of the two)."""

    __tablename__ = "event_work"
    __table_args__ = (sa.CheckConstraint("(walk_list_id IS NULL) <> (call_sheet_id IS NULL)", name="one_work"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id", index=True)
    walk_list_id: Optional[int] = Field(default=None, foreign_key="walk_lists.id", index=True)
    call_sheet_id: Optional[int] = Field(default=None, foreign_key="call_sheets.id", index=True)


class Rsvp(SQLModel, table=True):
    """One volunteer coming to one event (and shift). A checked-in volunteer's work is recorded
    here, so a list is handed out once: walk_list_id is unique among check-ins."""

    __tablename__ = "rsvps"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id"),
                      sa.UniqueConstraint("walk_list_id", name="uq_rsvps_walk_list"))

    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id", index=True)
    shift_id: Optional[int] = Field(default=None, foreign_key="event_shifts.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    status: str = Field(default="going", max_length=20)   # RsvpStatus
    created_at: datetime = Field(default_factory=utcnow)
    cancelled_at: Optional[datetime] = None
    checked_in_at: Optional[datetime] = None
    attended: Optional[bool] = None                       # the host's record after the event
    walk_list_id: Optional[int] = Field(default=None, foreign_key="walk_lists.id")
    call_sheet_id: Optional[int] = Field(default=None, foreign_key="call_sheets.id")
    reminded_email_at: Optional[datetime] = None
    reminded_sms_at: Optional[datetime] = None
    thanked_at: Optional[datetime] = None


class ReminderOptOut(SQLModel, table=True):
    """A volunteer who asked for no more reminders on a channel ("email" or "sms")."""

    __tablename__ = "reminder_opt_outs"

    user_id: int = Field(primary_key=True, foreign_key="users.id")
    channel: str = Field(primary_key=True, max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
