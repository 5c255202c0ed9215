"""The review page's rows: each fix with its person, household, list and who made it."""
from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from ..errors import ValidationError
from ..models import Household, Person, PersonFix, WalkList
from ..params import int_arg

KIND_LABELS = {"add": "Added a resident", "moved": "Moved away", "deceased": "Deceased", "name": "Name corrected",
               "phone": "Phone number (with consent)", "email": "Email (with consent)"}
STATUS_LABELS = {"applied": "To review", "accepted": "Accepted", "reverted": "Reverted"}
FIELD_LABELS = {"first_name": "first name", "last_name": "last name", "phone": "phone", "phone_type": "phone type",
                "email": "email", "gone": "left", "phone_retired_at": "calls stopped"}


@dataclass(frozen=True)
class FixFilters:
    kind: str | None = None
    status: str | None = "applied"
    walk_list_id: int | None = None


def parse_fix_filters(args) -> FixFilters:
    kind = (args.get("kind") or "").strip() or None
    if kind is not None and kind not in KIND_LABELS:
        raise ValidationError(f"Kind must be one of {', '.join(KIND_LABELS)} (got {kind[:30]!r}).")
    status = (args.get("status") or "applied").strip()
    if status not in (*STATUS_LABELS, "all"):
        raise ValidationError(f"Status must be one of {', '.join(STATUS_LABELS)}, all (got {status[:30]!r}).")
    return FixFilters(kind=kind, status=None if status == "all" else status,
                      walk_list_id=int_arg(args, "list", "List", hint="must be chosen from the list"))


def _conditions(filters: FixFilters) -> list:
    conds = []
    if filters.kind:
        conds.append(PersonFix.kind == filters.kind)
    if filters.status:
        conds.append(PersonFix.status == filters.status)
    if filters.walk_list_id is not None:
        conds.append(PersonFix.walk_list_id == filters.walk_list_id)
    return conds


def fix_count(session: Session, *, filters: FixFilters) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(PersonFix).where(*_conditions(filters))).scalar_one()


def changes(fix: PersonFix) -> list[tuple[str, object, object]]:
    """(field label, before, after) for what the fix changed."""
    before, after = json.loads(fix.before or "{}"), json.loads(fix.after or "{}")
    return [(FIELD_LABELS.get(f, f), before.get(f), after.get(f)) for f in after
            if f != "phone_type" and before.get(f) != after.get(f)]


def fix_rows(session: Session, *, filters: FixFilters, offset: int, limit: int) -> list:
    """(PersonFix, Person, Household, list name), newest first."""
    return session.execute(
        sa.select(PersonFix, Person, Household, WalkList.name)
        .join(Household, Household.id == PersonFix.household_id)
        .outerjoin(Person, Person.id == PersonFix.person_id)
        .outerjoin(WalkList, WalkList.id == PersonFix.walk_list_id)
        .where(*_conditions(filters)).order_by(PersonFix.received_at.desc(), PersonFix.id)
        .offset(offset).limit(limit)).all()


def lists_with_fixes(session: Session) -> list[tuple[int, str]]:
    return session.execute(sa.select(WalkList.id, WalkList.name).where(
        WalkList.id.in_(sa.select(PersonFix.walk_list_id).distinct())).order_by(WalkList.name)).all()
