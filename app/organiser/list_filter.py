"""Which walk lists the organiser's list page shows: by area (a ward, or one neighbourhood) and
by state, a page at a time. A city cut into 60-door lists has hundreds of them, a state tens of
thousands; the usual question on the day is "which lists in Ward 9 has nobody got yet?".

The filters are SQL (EXISTS on the lists' doors and assignments, by their indexes), and so is the
order (the lists' stored sort keys, by ix_walk_lists_order), so a page reads its own lists and
their progress, never every list's name or doors."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ..auth.access import Scope, scope_list_clause
from ..models import Assignment, ListStatus, WalkList, WalkListDoor
from ..walk_lists import ListProgress

PAGE_SIZE = 100
STATES = [
    ("", "Every list"),
    ("unassigned", "Active, nobody assigned"),
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("released", "Released"),
]


def list_state(walk_list: WalkList, progress: ListProgress | None) -> str:
    """released, not_started, in_progress or done (doors with an outcome against doors)."""
    if walk_list.status == ListStatus.RELEASED:
        return "released"
    return (progress.state if progress else "not started").replace(" ", "_")


def _doors(*conds) -> sa.Exists:
    return sa.exists().where(WalkListDoor.walk_list_id == WalkList.id, *conds)


def _state_clause(state: str):
    active = WalkList.status == ListStatus.ACTIVE
    knocked, left = _doors(WalkListDoor.last_door_at.is_not(None)), _doors(WalkListDoor.last_door_at.is_(None))
    held = sa.exists().where(Assignment.walk_list_id == WalkList.id, Assignment.unassigned_at.is_(None))
    return {
        "released": WalkList.status == ListStatus.RELEASED,
        "unassigned": sa.and_(active, ~held),
        "not_started": sa.and_(active, ~knocked),
        "in_progress": sa.and_(active, knocked, left),
        "done": sa.and_(active, knocked, ~left),
    }.get(state)


def _area_clause(area: str):
    kind, _, raw_id = area.partition(":")
    column = {"ward": WalkList.ward_id, "hood": WalkList.neighbourhood_id}.get(kind)
    return column == int(raw_id) if column is not None and raw_id.isdigit() else None


@dataclass
class ListPage:
    lists: list[WalkList]     # this page's, active ones first, then by name ("· 2" before "· 10")
    matching: int             # lists the filter matches
    total: int                # every list (in scope)
    page: int
    pages: int


def page_of_lists(session: Session, *, scope: Scope | None, area: str = "", state: str = "", page: int = 1,
                  page_size: int | None = None) -> ListPage:
    """One page of the lists in ``area`` ("ward:<id>", "hood:<id>" or "") in ``state`` (a STATES key),
    active ones first, then in natural order of name (app.sorting.natural_key's, as sort_key stores
    it), equal names by id."""
    page_size = page_size or PAGE_SIZE
    base = [scope_list_clause(scope)] if scope is not None else []
    conds = [c for c in (_area_clause(area), _state_clause(state)) if c is not None]
    total = session.exec(select(sa.func.count()).select_from(WalkList).where(*base)).one()
    matching = session.exec(select(sa.func.count()).select_from(WalkList).where(*base, *conds)).one() if conds else total
    pages = max(1, -(-matching // page_size))
    page = min(max(page, 1), pages)
    # The page's ids first: a deep page skips its predecessors in ix_walk_lists_order alone
    # (index-only), not by reading each skipped list's row.
    ids = session.execute(sa.select(WalkList.id).where(*base, *conds)
                          .order_by(WalkList.status, WalkList.sort_key, WalkList.id)
                          .offset((page - 1) * page_size).limit(page_size)).scalars().all()
    rows = {w.id: w for w in session.exec(select(WalkList).where(WalkList.id.in_(ids)))} if ids else {}
    return ListPage([rows[i] for i in ids], matching, total, page, pages)
