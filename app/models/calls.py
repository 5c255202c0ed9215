from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow
from .states import QueueStatus


class CallSheet(SQLModel, table=True):
    """A batch of numbers made by walklists.split_call_sheets: printed, or put into the live queue."""

    __tablename__ = "call_sheets"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    timezone: str = Field(default="unknown", max_length=64)  # IANA name; a sheet never mixes zones
    ward_id: Optional[int] = Field(default=None, foreign_key="wards.id")
    neighbourhood_id: Optional[int] = Field(default=None, foreign_key="neighbourhoods.id")
    walk_list_id: Optional[int] = Field(default=None, foreign_key="walk_lists.id")
    criteria: str = Field(default="", max_length=200)
    in_queue: bool = False
    created_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class CallSheetEntry(SQLModel, table=True):
    """One person on a sheet; people sharing a number share the entry's position."""

    __tablename__ = "call_sheet_entries"

    id: Optional[int] = Field(default=None, primary_key=True)
    sheet_id: int = Field(foreign_key="call_sheets.id", index=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    phone: str = Field(max_length=20)
    position: int
    priority: float = 0.0  # lower is called first (walklists.Callee.priority)


class CallQueueEntry(SQLModel, table=True):
    """A phone number waiting in the live queue.

    status: queued (callable from next_call_at), claimed (a caller has it until claim_expires_at;
    an expired claim is claimable again), done, retired (the number is wrong or dead).
    person_id is the best-priority person on the number; others on it show on the call screen.
    """

    __tablename__ = "call_queue"
    # ix_call_queue_serve is the serving order itself, so a claim walks the live entries from the
    # head and stops at the first it may serve, whatever the queue's length.
    __table_args__ = (
        sa.Index("ix_call_queue_ready", "status", "next_call_at", "priority"),
        sa.Index("ix_call_queue_serve", "priority", sa.func.coalesce(sa.text("next_call_at"), sa.text("created_at")), "id",
                 sqlite_where=sa.text("status IN ('queued', 'claimed')"),
                 postgresql_where=sa.text("status IN ('queued', 'claimed')")),
        sa.Index("ix_call_queue_zones", "timezone", sqlite_where=sa.text("status IN ('queued', 'claimed')"),
                 postgresql_where=sa.text("status IN ('queued', 'claimed')")),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    sheet_id: Optional[int] = Field(default=None, foreign_key="call_sheets.id", index=True)
    phone: str = Field(max_length=20, index=True)
    timezone: str = Field(default="unknown", max_length=64)
    priority: float = 0.0
    status: str = Field(default=QueueStatus.QUEUED, max_length=20)
    passes: int = 0  # dispositions recorded so far
    last_disposition: Optional[str] = Field(default=None, max_length=40)
    next_call_at: Optional[datetime] = None
    claimed_by_id: Optional[int] = Field(default=None, foreign_key="users.id", index=True)
    claimed_at: Optional[datetime] = None
    claim_expires_at: Optional[datetime] = None
    # Who last skipped it, and when: it goes to the back of the queue and is not served to that
    # caller again for phonebank.skip_minutes (no FK: only ever compared with the caller's id).
    skipped_by_id: Optional[int] = None
    skipped_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)


class CallAttempt(SQLModel, table=True):
    """One claim of a queue entry by a caller, and what came of it (disposition, Twilio status)."""

    __tablename__ = "call_attempts"

    id: Optional[int] = Field(default=None, primary_key=True)
    queue_entry_id: Optional[int] = Field(default=None, foreign_key="call_queue.id", index=True)
    person_id: Optional[int] = Field(default=None, foreign_key="people.id", index=True)  # None once purged
    caller_id: int = Field(foreign_key="users.id", index=True)
    phone: str = Field(max_length=20)
    started_at: datetime = Field(default_factory=utcnow)
    ended_at: Optional[datetime] = None
    disposition: Optional[str] = Field(default=None, max_length=40)
    event_id: Optional[str] = Field(default=None, max_length=36)  # the ContactEvent it produced
    twilio_call_sid: Optional[str] = Field(default=None, index=True, unique=True, max_length=64)
    twilio_status: Optional[str] = Field(default=None, max_length=20)
    duration_s: Optional[int] = None
    status_updated_at: Optional[datetime] = None
