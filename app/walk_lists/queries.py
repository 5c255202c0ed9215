"""What the organiser's walk-list pages read: the areas to cut or filter by, every list, and one
list in full. Read-only; views, CLI and tests call these."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from ..auth.access import Scope, scope_list_clause
from ..models import Assignment, Household, ListPin, Neighbourhood, User, Ward, WalkList, WalkListDoor
from ..sorting import by_name
from .assignments import ASSIGNABLE_ROLES
from .operations import get_list
from .progress import ListProgress, progress_by_id


def area_choices(session: Session, *, scope: Scope | None = None) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The areas the cut form and the list filter offer ("ward:<id>", "hood:<id>"), and each one's
    short name for the lists table ("Ward 9", "Ward 9 › East"). A team lead's ``scope`` keeps the
    choices to their areas (the names stay complete: they only label lists)."""
    choices, names = [], {}
    hoods = by_name(session.exec(select(Neighbourhood)).all())
    by_ward: dict = {}
    for h in hoods:  # grouped once: a state has 1,000 wards and 5,000 precincts
        by_ward.setdefault(h.ward_id, []).append(h)
    for ward in by_name(session.exec(select(Ward)).all()):
        choices.append((f"ward:{ward.id}", f"{ward.name} (whole ward)"))
        names[f"ward:{ward.id}"] = ward.name
        for h in by_ward.get(ward.id, []):
            choices.append((f"hood:{h.id}", f"{ward.name} › {h.name}"))
    choices += [(f"hood:{h.id}", h.name) for h in hoods if h.ward_id is None]
    names.update((key, label) for key, label in choices if key.startswith("hood:"))
    if scope is not None:
        choices = [(key, label) for key, label in choices if scope.covers_key(key)]
    return choices, names


def all_lists(session: Session, *, scope: Scope | None = None) -> list[WalkList]:
    """Every walk list (inside ``scope``, a team lead's areas), active ones first, then by name
    ("Ward 9 · 2" before "Ward 9 · 10")."""
    query = select(WalkList)
    if scope is not None:
        query = query.where(scope_list_clause(scope))
    return list(session.exec(query.order_by(WalkList.status, WalkList.sort_key, WalkList.id)).all())


@dataclass
class ListDetail:
    walk_list: WalkList
    doors: list[Household]           # in walking order
    assigned: list[User]             # holding it now
    assignable: list[User]           # active volunteers, canvassers and organisers who could be given it
    pins: list[ListPin]              # every PIN made for it, revoked ones too
    progress: ListProgress


def list_detail(session: Session, *, walk_list_id: int, scope: Scope | None = None,
                member_ids: set[int] | None = None, with_assignable: bool = True) -> ListDetail:
    """One list in full; a team lead passes their ``scope`` (Forbidden outside it) and
    ``member_ids`` (the only people they may hand it to). ``with_assignable=False`` leaves
    ``assignable`` empty (a state's 5,000 volunteers: the page searches them instead)."""
    walk_list = get_list(session, walk_list_id, scope=scope)
    doors = session.exec(select(Household).join(WalkListDoor, WalkListDoor.household_id == Household.id)
                         .where(WalkListDoor.walk_list_id == walk_list_id).order_by(WalkListDoor.position)).all()
    assigned = session.exec(select(User).join(Assignment, Assignment.user_id == User.id).where(
        Assignment.walk_list_id == walk_list_id, Assignment.unassigned_at.is_(None)).order_by(User.email)).all()
    taken = {u.id for u in assigned}
    assignable = [u for u in session.exec(select(User).where(User.is_active.is_(True)).order_by(User.email)).all()
                  if u.has_role(*ASSIGNABLE_ROLES) and u.id not in taken
                  and (member_ids is None or u.id in member_ids)] if with_assignable else []
    pins = session.exec(select(ListPin).where(ListPin.walk_list_id == walk_list_id).order_by(ListPin.id)).all()
    return ListDetail(walk_list, list(doors), list(assigned), assignable, list(pins),
                      progress_by_id(session, lists=[walk_list])[walk_list_id])
