"""Who walks a list: hand it to volunteers, take it back. A team lead may give lists only to
their teams' members and only within their areas; every change is audited."""
from __future__ import annotations

from sqlmodel import Session, select

from ..audit import audit
from ..auth.access import Scope
from ..errors import Conflict, Forbidden, ValidationError
from ..models import Assignment, ListStatus, User, utcnow
from .locks import lock_doors
from .operations import get_list

# Who may be handed a list: a "volunteer" (signed up) becomes a canvasser by being given one.
ASSIGNABLE_ROLES = ("canvasser", "organiser", "volunteer")


def _make_canvassers(session: Session, users: list[User], *, by_id: int | None) -> None:
    """Being handed a list is what lets a signed-up volunteer open the canvass pages."""
    for user in users:
        if not user.has_role("canvasser", "organiser"):
            before, user.roles = user.roles, " ".join([*user.roles.split(), "canvasser"])
            session.add(user)
            audit(session, action="role.change", actor_user_id=by_id, target=f"user:{user.id}",
                  detail={"email": user.email, "from": before, "to": user.roles, "why": "given a walk list"})


def assign(session: Session, *, walk_list_id: int, user_ids: list[int], assigned_by_id: int | None,
           scope: Scope | None = None, member_ids: set[int] | None = None) -> list[Assignment]:
    """Hand a list to volunteers. A volunteer (signed up, no work yet) becomes a canvasser by it.
    A team lead passes their ``scope`` and ``member_ids`` (their teams' members: whom they may
    give work to); None: no restriction."""
    lock_doors(session)  # "canvass near me" hands out only lists nobody holds
    walk_list = get_list(session, walk_list_id, scope=scope)
    if walk_list.status != ListStatus.ACTIVE:
        raise Conflict(f"{walk_list.name} has been released; it cannot be assigned.")
    if not user_ids:
        raise ValidationError("Choose at least one volunteer.")
    users = session.exec(select(User).where(User.id.in_(user_ids))).all()
    if len(users) != len(set(user_ids)) or not all(u.is_active for u in users):
        raise ValidationError("Some of those volunteers do not exist or have been deactivated.")
    if member_ids is not None and any(u.id not in member_ids for u in users):
        raise Forbidden("You can give lists only to members of your team.")
    # The same people the list page offers: a caller-only account could not open the list anyway.
    cannot_walk = sorted(u.name or u.email for u in users if not u.has_role(*ASSIGNABLE_ROLES))
    if cannot_walk:
        raise ValidationError(f"{', '.join(cannot_walk)} cannot canvass: give them the canvasser role on the "
                              "Volunteers page first.")
    current = set(session.exec(select(Assignment.user_id).where(
        Assignment.walk_list_id == walk_list_id, Assignment.unassigned_at.is_(None))).all())
    added = [Assignment(walk_list_id=walk_list_id, user_id=u.id, assigned_by_id=assigned_by_id)
             for u in users if u.id not in current]
    session.add_all(added)
    _make_canvassers(session, users, by_id=assigned_by_id)
    session.flush()
    if added:
        audit(session, action="lists.assign", actor_user_id=assigned_by_id, target=f"walk_list:{walk_list_id}",
              detail={"users": [a.user_id for a in added]})
    return added


def unassign(session: Session, *, walk_list_id: int, user_id: int, by_id: int | None,
             scope: Scope | None = None) -> int:
    get_list(session, walk_list_id, scope=scope)
    rows = session.exec(select(Assignment).where(Assignment.walk_list_id == walk_list_id, Assignment.user_id == user_id,
                                                 Assignment.unassigned_at.is_(None))).all()
    if not rows:  # a state, not a missing thing: someone else may have just unassigned them
        raise Conflict("That volunteer is not assigned to this list (any more).")
    for row in rows:
        row.unassigned_at = utcnow()
        session.add(row)
    audit(session, action="lists.unassign", actor_user_id=by_id, target=f"walk_list:{walk_list_id}",
          detail={"user": user_id})
    session.flush()
    return len(rows)
