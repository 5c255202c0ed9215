"""Coverage by area, read from the per-household contact summary (app/models/summary.py): the
numbers the maps and the dashboard share.

Read-only by design (the house rule: maps and dashboards never write). Coverage counts
households, not events: a door knocked five times is one attempted door. "Contacted" means a
contact event whose code is flagged ``contact`` in config.toml for its channel (the same code
name can mean different things at the door and on the phone).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from ..models import AreaCoverage as AreaCoverage_

# Door-level categories, in the order the legend lists them. Precedence when several apply:
# do-not-contact, then the latest known support level, then "ever reached", then "attempted".
STATUSES = ("not_attempted", "not_home", "spoke", "supporter", "against", "dnc")
STATUS_LABELS = {
    "not_attempted": "Not attempted",
    "not_home": "Not home / not reached",
    "spoke": "Spoke",
    "supporter": "Supporter",
    "against": "Against",
    "dnc": "Do not contact",
}
MEASURES = (
    ("door_attempted", "Doors knocked"),
    ("door_contacted", "Reached at the door"),
    ("phone_attempted", "Called"),
    ("phone_contacted", "Reached by phone"),
    ("relational_contacted", "Reached by someone they know"),
)


FIELDS = ("households", *(m for m, _ in MEASURES))


@dataclass
class AreaCoverage:
    """Household counts for one area (a ward or a neighbourhood)."""

    households: int = 0
    door_attempted: int = 0
    door_contacted: int = 0
    phone_attempted: int = 0
    phone_contacted: int = 0
    relational_contacted: int = 0

    def share(self, measure: str) -> float:
        """0..1 share of the area's households counted by ``measure``."""
        return getattr(self, measure) / self.households if self.households else 0.0

    def add(self, other: AreaCoverage) -> None:
        for name in ("households",) + tuple(m for m, _ in MEASURES):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in ("households",) + tuple(m for m, _ in MEASURES)}


def coverage_by_area(session: Session, *, ward_id: int | None = None, where=None
                     ) -> dict[tuple[int | None, int | None], AreaCoverage]:
    """Coverage keyed by (ward_id, neighbourhood_id); roll up with ``by_ward``/``by_neighbourhood``.

    Read from the per-area rollup (app.contacts.coverage_rollup: a row per area, however many
    doors), so the maps and the dashboard agree. ``where``: a clause on AreaCoverage (a team
    lead's areas). Which codes count as contacts was applied when the summaries were folded.
    """
    c = AreaCoverage_.__table__.c
    stmt = sa.select(c.ward_id, c.neighbourhood_id, *(c[name] for name in FIELDS))
    if ward_id is not None:
        stmt = stmt.where(c.ward_id == ward_id)
    if where is not None:
        stmt = stmt.where(where)
    return {(ward or None, hood or None): AreaCoverage(*(int(v or 0) for v in values))
            for ward, hood, *values in session.connection().execute(stmt) if any(values)}


def coverage_by_ward(session: Session, *, where=None) -> dict[int | None, AreaCoverage]:
    """``by_ward(coverage_by_area(...))`` summed by the database: a state's 1,000 rows, not its
    5,000 precincts' folded in Python."""
    c = AreaCoverage_.__table__.c
    stmt = sa.select(c.ward_id, *(sa.func.sum(c[name]) for name in FIELDS)).group_by(c.ward_id)
    if where is not None:
        stmt = stmt.where(where)
    return {ward or None: AreaCoverage(*(int(v or 0) for v in values))
            for ward, *values in session.connection().execute(stmt) if any(values)}


def by_neighbourhood(cov: dict[tuple, AreaCoverage]) -> dict[int | None, AreaCoverage]:
    out: dict[int | None, AreaCoverage] = {}
    for (_ward, hood), item in cov.items():
        out.setdefault(hood, AreaCoverage()).add(item)
    return out


def by_ward(cov: dict[tuple, AreaCoverage]) -> dict[int | None, AreaCoverage]:
    out: dict[int | None, AreaCoverage] = {}
    for (ward, _hood), item in cov.items():
        out.setdefault(ward, AreaCoverage()).add(item)
    return out


