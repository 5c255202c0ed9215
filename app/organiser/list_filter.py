"""Which walk lists the organiser's list page shows: by area (a ward, or one neighbourhood) and
by state. A city cut into 60-door lists has hundreds of them; the usual question on the day is
"which lists in Ward 9 has nobody got yet?"."""
from __future__ import annotations

from typing import Iterable

from ..models import ListStatus, WalkList
from ..walk_lists import ListProgress

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


def filter_lists(lists: Iterable[WalkList], *, area: str, state: str, progress: dict[int, ListProgress],
                 assignees: dict[int, list[str]]) -> list[WalkList]:
    """The lists in ``area`` ("ward:<id>", "hood:<id>" or "" for all) in ``state`` (a STATES key)."""
    kind, _, raw_id = area.partition(":")
    area_id = int(raw_id) if raw_id.isdigit() else None
    out = []
    for w in lists:
        if kind == "ward" and w.ward_id != area_id or kind == "hood" and w.neighbourhood_id != area_id:
            continue
        if state == "unassigned":
            if w.status == ListStatus.RELEASED or assignees.get(w.id):
                continue
        elif state and list_state(w, progress.get(w.id)) != state:
            continue
        out.append(w)
    return out
