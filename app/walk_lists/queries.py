"""What the organiser's walk-list pages read: the areas to cut or filter by, every list, and one
list in full. Read-only; views, CLI and tests call these."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from ..models import Assignment, Household, ListPin, Neighbourhood, User, Ward, WalkList, WalkListDoor
from ..sorting import by_name, natural_key
from .operations import get_list
from .progress import ListProgress, progress_by_id


def area_choices(session: Session) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The areas the cut form and the list filter offer ("ward:<id>", "hood:<id>"), and each one's
    short name for the lists table ("Ward 9", "Ward 9 › East")."""
    choices, names = [], {}
    hoods = by_name(session.exec(select(Neighbourhood)).all())
    for ward in by_name(session.exec(select(Ward)).all()):
        choices.append((f"ward:{ward.id}", f"{ward.name} (whole ward)"))
        names[f"ward:{ward.id}"] = ward.name
        for h in hoods:
            if h.ward_id == ward.id:
                choices.append((f"hood:{h.id}", f"{ward.name} › {h.name}"))
    choices += [(f"hood:{h.id}", h.name) for h in hoods if h.ward_id is None]
    names.update((key, label) for key, label in choices if key.startswith("hood:"))
    return choices, names


def all_lists(session: Session) -> list[WalkList]:
    """Every walk list, active ones first, then by name ("Ward 9 · 2" before "Ward 9 · 10")."""
    return sorted(session.exec(select(WalkList)).all(), key=lambda w: (w.status, natural_key(w.name)))


@dataclass
class ListDetail:
    walk_list: WalkList
    doors: list[Household]           # in walking order
    assigned: list[User]             # holding it now
    assignable: list[User]           # active canvassers and organisers who could be given it
    pins: list[ListPin]              # every PIN made for it, revoked ones too
    progress: ListProgress


def list_detail(session: Session, *, walk_list_id: int) -> ListDetail:
    walk_list = get_list(session, walk_list_id)
    doors = session.exec(select(Household).join(WalkListDoor, WalkListDoor.household_id == Household.id)
                         .where(WalkListDoor.walk_list_id == walk_list_id).order_by(WalkListDoor.position)).all()
    assigned = session.exec(select(User).join(Assignment, Assignment.user_id == User.id).where(
        Assignment.walk_list_id == walk_list_id, Assignment.unassigned_at.is_(None)).order_by(User.email)).all()
    taken = {u.id for u in assigned}
    assignable = [u for u in session.exec(select(User).where(User.is_active.is_(True)).order_by(User.email)).all()
                  if u.has_role("canvasser", "organiser") and u.id not in taken]
    pins = session.exec(select(ListPin).where(ListPin.walk_list_id == walk_list_id).order_by(ListPin.id)).all()
    return ListDetail(walk_list, list(doors), list(assigned), assignable, list(pins),
                      progress_by_id(session, lists=[walk_list])[walk_list_id])
