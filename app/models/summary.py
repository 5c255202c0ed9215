from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel


class HouseholdSummary(SQLModel, table=True):
    """Each household's contact history folded into one row, so the coverage maps and the
    dashboard read one row per door instead of aggregating every event on every request.

    Derived data only: app.contacts_summary.fold_events keeps it up to date in the same
    transaction as record_contacts, and ``flask rebuild-summary`` recomputes it from
    contact_events (after a bulk load, or a change to which codes count as contacts in
    config.toml). "Latest" is by the phone's recorded_at, ties broken by channel then code, so
    events that arrive out of order fold to the same row as a rebuild. No row: never attempted.
    """

    __tablename__ = "household_summaries"

    household_id: int = Field(primary_key=True, foreign_key="households.id",
                              sa_column_kwargs={"autoincrement": False})
    last_at: Optional[datetime] = None            # the latest event on either channel
    last_channel: Optional[str] = Field(default=None, max_length=10)
    last_code: Optional[str] = Field(default=None, max_length=40)
    door_at: Optional[datetime] = None            # the latest door event (walk sheets)
    door_code: Optional[str] = Field(default=None, max_length=40)
    door_events: int = 0                          # all-time event counts; "attempted" is events > 0
    door_contacts: int = 0                        # events with a code flagged contact in config.toml
    phone_events: int = 0
    phone_contacts: int = 0
    dnc_events: int = 0                           # events with a do-not-contact code
    support_level: Optional[str] = Field(default=None, max_length=20)  # the latest anyone here gave
    support_at: Optional[datetime] = None
    supporters: int = 0                           # survey responses per class (settings.supporter_values ...)
    undecided: int = 0
    against: int = 0
