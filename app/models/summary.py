from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class HouseholdSummary(SQLModel, table=True):
    """Each household's contact history folded into one row, so the coverage maps and the
    dashboard read one row per door instead of aggregating every event on every request.

    Derived data only: app.contacts.summary.fold_events keeps it up to date in the same
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
    relational_events: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # people they know
    relational_contacts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    dnc_events: int = 0                           # events with a do-not-contact code
    support_level: Optional[str] = Field(default=None, max_length=20)  # the latest anyone here gave
    support_at: Optional[datetime] = None
    supporters: int = 0                           # survey responses per class (settings.supporter_values ...)
    undecided: int = 0
    against: int = 0


class PersonSupport(SQLModel, table=True):
    """Each person's latest support answer, at the door or on the phone: "latest" by the phone's
    recorded_at, ties broken by the event id (as app.pollingday.pledges ranks answers). Derived,
    like HouseholdSummary: app.contacts.summary folds every stored answer into it in the same
    transaction, and ``flask rebuild-summary`` recomputes it. Universes select on it
    (app/universes/filters.py) instead of ranking every answer on every count. No row: the person
    has given no support level."""

    __tablename__ = "person_supports"

    person_id: int = Field(primary_key=True, foreign_key="people.id", sa_column_kwargs={"autoincrement": False})
    support_level: str = Field(max_length=20)
    support_at: datetime
    event_id: str = Field(max_length=36)


# In the activity rollups' keys, 0 stands for "none" (no list, no signed-in user, no PIN, no
# area): primary-key columns cannot be NULL, and ON CONFLICT needs them to compare equal.
class ActivityDay(SQLModel, table=True):
    """Event counts per campaign-local day, area, list, volunteer and channel: the dashboard's
    period, area, list, volunteer and day-by-day figures read a few thousand of these rows
    instead of every event. Derived, like HouseholdSummary: folded by
    app.contacts.rollup in the same transaction as record_contacts and rebuilt by
    ``flask rebuild-summary`` (also needed after changing the campaign timezone or which codes
    count as contacts). The area is the household's when the event was stored."""

    __tablename__ = "activity_days"
    # A team lead's or a ward's dashboard reads its areas' rows (scope_area_clause: neighbourhoods,
    # or no neighbourhood and whole wards), not every day's rows of the state.
    # A volunteer's streak, a team's shifts (app/recognition/shifts.py): their rows, not the state's.
    __table_args__ = (sa.Index("ix_activity_days_area", "neighbourhood_id", "ward_id"),
                      sa.Index("ix_activity_days_actor", "actor_user_id", "day"))

    day: date = Field(primary_key=True)                      # by recorded_at, in settings.timezone
    ward_id: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    neighbourhood_id: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    walk_list_id: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    actor_user_id: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    actor_pin_id: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    channel: str = Field(primary_key=True, max_length=10)
    events: int = 0
    contacts: int = 0         # events whose code is flagged contact for the channel
    dncs: int = 0             # events with a do-not-contact code
    supporters: int = 0       # survey responses per support class
    undecided: int = 0
    against: int = 0


class ActivityHour(SQLModel, table=True):
    """Event counts per campaign-local hour and channel (the dashboard's chart of the day).

    ``shard`` spreads concurrent writers over several rows (the recording actor's id modulo
    app.contacts.rollup.SHARDS): on PostgreSQL a single row per hour would make every
    transaction recording an outcome wait for the previous one's row lock until it commits."""

    __tablename__ = "activity_hours"

    hour_start: datetime = Field(primary_key=True)           # UTC instant a local hour begins
    channel: str = Field(primary_key=True, max_length=10)
    shard: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    events: int = 0
    contacts: int = 0
    dncs: int = 0


class AreaCoverage(SQLModel, table=True):
    """Coverage per area: its households, and how many of them were ever knocked, reached at the
    door, called, reached by phone, reached by someone they know (the household summaries'
    counts > 0). The state's dashboard and map read these rows (a few thousand), never a row per
    door. Derived: ``households`` (and the counts, when a household moves area) are kept by
    triggers on ``households`` (app/contacts/coverage_rollup.py), the counts by the fold of each
    household's first such event, and ``flask rebuild-summary`` recounts them."""

    __tablename__ = "area_coverage"

    ward_id: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    neighbourhood_id: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    households: int = 0
    door_attempted: int = 0
    door_contacted: int = 0
    phone_attempted: int = 0
    phone_contacted: int = 0
    relational_contacted: int = 0


class ActivityArea(SQLModel, table=True):
    """All-time event counts per area and channel: ActivityDay without the day, list or volunteer,
    so the dashboard's all-time area figures read a row per area, not one per day and list.
    Folded with ActivityDay and recomputed from it (app.contacts.coverage_rollup)."""

    __tablename__ = "activity_areas"

    ward_id: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    neighbourhood_id: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    channel: str = Field(primary_key=True, max_length=10)
    events: int = 0
    contacts: int = 0
    dncs: int = 0
    supporters: int = 0
    undecided: int = 0
    against: int = 0


class ActivityTotal(SQLModel, table=True):
    """All-time activity per walk list (kind "list", first_id the list) and per volunteer (kind
    "volunteer": first_id the user, second_id the PIN, 0 for none), as the dashboard's Tally counts
    them, with ``activity`` (knocks and calls) indexed: the all-time busiest lists and volunteers
    are the top of an index, not a sum over every day's rows. Folded with ActivityDay and
    recomputed from it (app.contacts.coverage_rollup)."""

    __tablename__ = "activity_totals"
    __table_args__ = (sa.Index("ix_activity_totals_busiest", "kind", "activity"),)

    kind: str = Field(primary_key=True, max_length=10)
    first_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    second_id: int = Field(default=0, primary_key=True, sa_column_kwargs={"autoincrement": False})
    activity: int = 0
    knocks: int = 0
    door_contacts: int = 0
    calls: int = 0
    connected: int = 0
    talks: int = 0
    talked: int = 0
    dnc: int = 0
    supporters: int = 0
    undecided: int = 0
    against: int = 0
