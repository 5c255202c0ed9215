"""Polling day: the election, the register's elector numbers, polling stations and committee
rooms, and the tellers' record of who has voted.

A polling district is a ``Neighbourhood`` (its ``code`` is the elector-number prefix). Tellings
are append-only events keyed by the phone's UUID, like contact events; ``voted`` is derived
from them (the strike-off) and rebuilt for a person whenever one of their tellings or undos
arrives (``app.pollingday.tellings``).
"""
from datetime import date, datetime, time
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class Election(SQLModel, table=True):
    """One polling day. Times of day are on the campaign's clock (``[app] timezone``)."""

    __tablename__ = "elections"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    polling_date: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    polls_open: time = Field(sa_column=sa.Column(sa.Time, nullable=False))
    polls_close: time = Field(sa_column=sa.Column(sa.Time, nullable=False))
    rehearsal: bool = Field(default=False)  # a practice day: its tellings are wiped afterwards
    # Polling-day data (tellings, strike-off, knock-up rounds, lifts) is removed after this date
    # (``flask purge-polling-day``); None: the campaign's [pollingday] purge_after_days.
    purge_after: Optional[date] = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    wiped_at: Optional[datetime] = None  # a rehearsal's data wiped, or an election's purged
    created_at: datetime = Field(default_factory=utcnow)


class Elector(SQLModel, table=True):
    """A person's elector number on the register: ``prefix-number/suffix`` (suffix 0: none).

    ``postal`` and ``proxy`` are derived from ``markers`` (A: postal voter, P: proxy) whenever
    the markers are written, so the knock-up can filter on them without parsing text."""

    __tablename__ = "electors"
    __table_args__ = (sa.UniqueConstraint("prefix", "number", "suffix", name="uq_electors_number"),)

    person_id: int = Field(primary_key=True, foreign_key="people.id")
    prefix: str = Field(max_length=10)  # the polling district's code (a Neighbourhood.code)
    number: int
    suffix: int = Field(default=0)
    markers: str = Field(default="", max_length=20)
    postal: bool = Field(default=False)
    proxy: bool = Field(default=False)
    updated_at: datetime = Field(default_factory=utcnow)


class PollingStation(SQLModel, table=True):
    __tablename__ = "polling_stations"

    id: Optional[int] = Field(default=None, primary_key=True)
    # What re-imports match on: the name and address, normalised (see app.pollingday.stations).
    key: str = Field(max_length=300, unique=True)
    name: str = Field(max_length=200)
    address: str = Field(default="", max_length=300)
    note: str = Field(default="", max_length=300)  # "Rear entrance"
    lat: Optional[float] = None
    lon: Optional[float] = None
    # None: the election's polls_open / polls_close.
    opens: Optional[time] = Field(default=None, sa_column=sa.Column(sa.Time, nullable=True))
    closes: Optional[time] = Field(default=None, sa_column=sa.Column(sa.Time, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)


class StationDistrict(SQLModel, table=True):
    """A polling district whose electors vote at the station."""

    __tablename__ = "station_districts"

    station_id: int = Field(primary_key=True, foreign_key="polling_stations.id")
    neighbourhood_id: int = Field(primary_key=True, foreign_key="neighbourhoods.id", index=True)


class CommitteeRoom(SQLModel, table=True):
    __tablename__ = "committee_rooms"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    address: str = Field(default="", max_length=300)
    lat: Optional[float] = None
    lon: Optional[float] = None
    created_at: datetime = Field(default_factory=utcnow)


class CommitteeRoomDistrict(SQLModel, table=True):
    __tablename__ = "committee_room_districts"

    committee_room_id: int = Field(primary_key=True, foreign_key="committee_rooms.id")
    neighbourhood_id: int = Field(primary_key=True, foreign_key="neighbourhoods.id", index=True)


class Telling(SQLModel, table=True):
    """One voter told as voted at a station, or (``undoes`` set) the undo of an earlier telling.
    Append-only; ``id`` is the phone's UUID, so a replayed post stores nothing twice."""

    __tablename__ = "tellings"

    id: str = Field(primary_key=True, max_length=36)
    station_id: int = Field(foreign_key="polling_stations.id", index=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    elector_number: str = Field(default="", max_length=40)  # as the teller typed it
    recorded_at: datetime
    received_at: datetime = Field(default_factory=utcnow)
    actor_user_id: Optional[int] = Field(default=None, foreign_key="users.id")
    undoes: Optional[str] = Field(default=None, max_length=36, index=True)
    # The election running when it arrived (``current_election``), so a rehearsal can be wiped.
    election_id: Optional[int] = Field(default=None, foreign_key="elections.id", index=True)


class Voted(SQLModel, table=True):
    """The strike-off: a person told as voted, by their earliest telling that is not undone."""

    __tablename__ = "voted"

    person_id: int = Field(primary_key=True, foreign_key="people.id")
    telling_id: str = Field(max_length=36)
    voted_at: datetime


class LiftRequest(SQLModel, table=True):
    """A voter who needs a lift to the polls. Drivers claim them one at a time (the partial
    unique index: a driver holds at most one claimed lift; the claim itself makes sure no lift
    has two drivers). ``person_id`` / ``household_id`` when the voter is on the register."""

    __tablename__ = "lift_requests"
    __table_args__ = (
        sa.Index("uq_lift_requests_one_per_driver", "driver_id", unique=True,
                 sqlite_where=sa.text("status = 'claimed'"), postgresql_where=sa.text("status = 'claimed'")),
        sa.Index("ix_lift_requests_queue", "status", "wanted_at", "id"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    person_id: Optional[int] = Field(default=None, foreign_key="people.id", index=True)
    household_id: Optional[int] = Field(default=None, foreign_key="households.id")
    committee_room_id: Optional[int] = Field(default=None, foreign_key="committee_rooms.id", index=True)
    name: str = Field(max_length=200)
    address: str = Field(max_length=300)
    phone: str = Field(default="", max_length=40)
    access_needs: str = Field(default="", max_length=500)  # "wheelchair", "guide dog": what the driver needs to know
    wanted_at: datetime              # when the voter wants collecting (UTC)
    status: str = Field(default="requested", max_length=10)
    driver_id: Optional[int] = Field(default=None, foreign_key="users.id")
    claimed_at: Optional[datetime] = None
    done_at: Optional[datetime] = None
    cancelled_at: Optional[datetime] = None
    created_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    source: str = Field(default="form", max_length=20)  # "form" (committee room), "door" (a knocker)
    election_id: Optional[int] = Field(default=None, foreign_key="elections.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class KnockupRound(SQLModel, table=True):
    """Round ``number`` of a committee room's knock-up: walk lists (``WalkList.knockup_round_id``)
    of its pledges not yet voted, cut by road group. Starting the next round closes this one
    (its lists are released: their knockers keep the late-grace to hand in what they recorded)."""

    __tablename__ = "knockup_rounds"
    __table_args__ = (sa.UniqueConstraint("election_id", "committee_room_id", "number", name="uq_knockup_rounds_number"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    election_id: int = Field(foreign_key="elections.id", index=True)
    committee_room_id: int = Field(foreign_key="committee_rooms.id", index=True)
    number: int
    started_at: datetime = Field(default_factory=utcnow)
    started_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    closed_at: Optional[datetime] = None
    door_count: int = 0
    pledge_count: int = 0


class BallotStatus(SQLModel, table=True):
    """US early vote / vote by mail: a person's ballot as the election office's daily file says.
    ``status``: requested, sent, returned, voted_early (or rejected); the chase list is
    supporters whose ballot is out (requested or sent) and not returned."""

    __tablename__ = "ballot_statuses"

    person_id: int = Field(primary_key=True, foreign_key="people.id")
    status: str = Field(max_length=20, index=True)
    status_date: Optional[date] = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    updated_at: datetime = Field(default_factory=utcnow)


class BallotTally(SQLModel, table=True):
    """The state's "ballots by status" table as last counted, shared by every app server: at a
    state's size one count is a pass over every ballot joined to the supporters (about 2 s at 1.5
    million ballots), too slow for each opening of the chase page. Counts only, no person. One row
    ("state"); the ballot import and purge delete it, so a new file is never shown with old counts
    (app/pollingday/ballot_tally.py)."""

    __tablename__ = "ballot_tallies"

    key: str = Field(primary_key=True, max_length=20)
    counts: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))  # JSON
    supporter_values: str = Field(default="", max_length=400)   # what counted as a supporter, sorted
    counted_at: Optional[datetime] = None      # when the count began: it shows every ballot stored by then
    counting_since: Optional[datetime] = None  # a request counting now (the others show the last count)


class VotingHistory(SQLModel, table=True):
    """Who voted in a past election, from the marked register (or the election office's file):
    what universes select on next time. Kept by person; purged with the person."""

    __tablename__ = "voting_history"

    person_id: int = Field(primary_key=True, foreign_key="people.id")
    election_id: int = Field(primary_key=True, foreign_key="elections.id", index=True)
    method: str = Field(default="in_person", max_length=20)  # in_person, postal, early
    imported_at: datetime = Field(default_factory=utcnow)
