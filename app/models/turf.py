from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..sorting import sort_key as natural_sort_key
from .base import utcnow
from .states import ListStatus

# Bytewise on both databases (SQLite's BINARY is already): PostgreSQL's default collation is the
# locale's, which would not keep sort_key's order.
SORT_KEY_TYPE = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def _sort_key_of_name(context) -> str:
    """Every INSERT of a list, ORM or Core, stores its name's sort key (a rename redoes it: below)."""
    return natural_sort_key(context.get_current_parameters()["name"])


class WalkList(SQLModel, table=True):
    """A turf cut by walklists.cut_turf and saved: its doors are WalkListDoor rows in route order.

    status: "active" (its households are reserved), "released" (households free for re-cutting).
    """

    __tablename__ = "walk_lists"
    # The list of lists pages in this order (active first, then natural order of names) from here.
    __table_args__ = (sa.Index("ix_walk_lists_order", "status", "sort_key", "id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)            # "Ward 9 · 14"
    # Derived from name (app.sorting.sort_key): "Ward 9 · 2" before "Ward 9 · 10" in SQL's ORDER BY.
    sort_key: str = Field(default=None, sa_column=sa.Column(SORT_KEY_TYPE, nullable=False, default=_sort_key_of_name))
    code: str = Field(index=True, unique=True, max_length=16)  # handed out with a PIN
    ward_id: Optional[int] = Field(default=None, foreign_key="wards.id", index=True)
    neighbourhood_id: Optional[int] = Field(default=None, foreign_key="neighbourhoods.id", index=True)
    status: str = Field(default=ListStatus.ACTIVE, max_length=20, index=True)
    door_count: int = 0
    length_m: float = 0.0
    est_minutes: float = 0.0
    hull: Optional[str] = Field(default=None, sa_column=sa.Column(sa.Text))  # GeoJSON polygon
    created_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    released_at: Optional[datetime] = None
    # Polling day: a knock-up list of this round (its doors are pledges not yet voted).
    knockup_round_id: Optional[int] = Field(default=None, foreign_key="knockup_rounds.id", index=True)


@sa.event.listens_for(WalkList, "before_update")
def _rekey_renamed(_mapper, _connection, target: WalkList) -> None:
    if sa.inspect(target).attrs["name"].history.has_changes():
        target.sort_key = natural_sort_key(target.name)


class WalkListDoor(SQLModel, table=True):
    __tablename__ = "walk_list_doors"
    __table_args__ = (sa.UniqueConstraint("walk_list_id", "household_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    walk_list_id: int = Field(foreign_key="walk_lists.id", index=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    position: int  # 0-based walking order
    # Derived (app/contacts/summary.py folds it, ``flask rebuild-summary`` recomputes it): the
    # latest door event recorded on this list at this household, so list progress is one read
    # of the list's doors instead of a scan of every door event.
    last_door_at: Optional[datetime] = None


class Assignment(SQLModel, table=True):
    __tablename__ = "assignments"

    id: Optional[int] = Field(default=None, primary_key=True)
    walk_list_id: int = Field(foreign_key="walk_lists.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    assigned_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    assigned_at: datetime = Field(default_factory=utcnow)
    unassigned_at: Optional[datetime] = None


class ListPin(SQLModel, table=True):
    """Account-less access to one list, until revoked: the list code + this PIN."""

    __tablename__ = "list_pins"

    id: Optional[int] = Field(default=None, primary_key=True)
    walk_list_id: int = Field(foreign_key="walk_lists.id", index=True)
    pin_hash: str = Field(max_length=255)
    label: str = Field(default="", max_length=120)  # who it was given to
    created_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: Optional[datetime] = None


class WalkListRemovedDoor(SQLModel, table=True):
    """A door taken off an active list when its turf was redrawn. A phone that recorded it offline
    before then may still hand the outcome in (``app.auth.access.holds``): the removal ends that
    door's hold as unassigning ends a list's. Gone again if the door is drawn back onto the list."""

    __tablename__ = "walk_list_removed_doors"
    __table_args__ = (sa.UniqueConstraint("walk_list_id", "household_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    walk_list_id: int = Field(foreign_key="walk_lists.id", index=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    removed_at: datetime = Field(default_factory=utcnow)
    removed_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
