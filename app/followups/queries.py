"""What the follow-up queue shows and exports: who, where (address, list), what, when, by whom,
filtered by kind, status and area, inside a team lead's areas."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..auth.access import Scope
from ..errors import ValidationError
from ..exports.filters import area_conditions, parse_area
from ..organiser import pickers
from ..models import ContactEvent, FollowUp, Household, ListPin, Person, User, WalkList
from .create import KINDS

STATUSES = {"open": "Open", "claimed": "Someone is on it", "done": "Done"}
ACTIVE = ("open", "claimed")


@dataclass(frozen=True)
class QueueFilters:
    kind: str | None = None
    status: str | None = None        # None: open and claimed (what still needs doing); "all": every one
    ward_id: int | None = None
    neighbourhood_id: int | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def _choice(args, name: str, allowed, label: str) -> str | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if raw not in allowed:
        raise ValidationError(f"{label} must be one of {', '.join(allowed)} (got {raw[:30]!r}).")
    return raw


def typed_area(args, *, session: Session, scope: Scope | None) -> tuple[str, str] | None:
    """The area picker's ``area`` (past the pickers' threshold the page sends one text field, not
    a select of every ward and one of every neighbourhood): a key the search gave ("ward:12"), a
    code or a name, resolved inside a lead's areas; a ValidationError (422) naming a value that
    names no area, or several. None when nothing was typed."""
    typed = args.get("area", "")
    return pickers.resolve_area(session, value=typed, scope=scope) if typed.strip() else None


def _key_ids(key: str) -> tuple[int | None, int | None]:
    kind, _, raw = key.partition(":")
    return (int(raw), None) if kind == "ward" else (None, int(raw))


def parse_queue_filters(args, *, session: Session, scope: Scope | None, area: tuple[str, str] | None = None
                        ) -> QueueFilters:
    """The page's and the export's filters; a clear 422 for a bad one, 403 outside a lead's areas.
    ``area``: typed_area's answer, which stands for ``ward`` and ``neighbourhood`` (their ids:
    the selects below the threshold, an old bookmark)."""
    if area is None and (args.get("area") or "").strip():
        area = typed_area(args, session=session, scope=scope)
    ward_id, hood_id = _key_ids(area[0]) if area else parse_area(args, session=session, scope=scope)
    return QueueFilters(kind=_choice(args, "kind", tuple(KINDS), "Kind"),
                        status=_choice(args, "status", (*STATUSES, "all"), "Status"),
                        ward_id=ward_id, neighbourhood_id=hood_id)


def _conditions(filters: QueueFilters, scope: Scope | None) -> list:
    conds = area_conditions(filters, scope)
    if filters.kind:
        conds.append(FollowUp.kind == filters.kind)
    if filters.status is None:
        conds.append(FollowUp.status.in_(ACTIVE))
    elif filters.status != "all":
        conds.append(FollowUp.status == filters.status)
    return conds


def queue_count(session: Session, *, filters: QueueFilters, scope: Scope | None) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(FollowUp)
                           .join(Household, Household.id == FollowUp.household_id)
                           .where(*_conditions(filters, scope))).scalar_one()


def queue_rows(session: Session, *, filters: QueueFilters, scope: Scope | None, offset: int = 0,
               limit: int | None = 100) -> list:
    """(FollowUp, Household, Person, list name, recorded by, recorded at, claimed by, done by), oldest first."""
    claimer, doer, recorder = aliased(User), aliased(User), aliased(User)
    query = (sa.select(FollowUp, Household, Person, WalkList.name,
                       sa.func.coalesce(recorder.email, ListPin.label, ""), ContactEvent.recorded_at,
                       claimer.email, doer.email)
             .join(Household, Household.id == FollowUp.household_id)
             .join(ContactEvent, ContactEvent.id == FollowUp.event_id)
             .outerjoin(Person, Person.id == FollowUp.person_id)
             .outerjoin(WalkList, WalkList.id == FollowUp.walk_list_id)
             .outerjoin(recorder, recorder.id == ContactEvent.actor_user_id)
             .outerjoin(ListPin, ListPin.id == ContactEvent.actor_pin_id)
             .outerjoin(claimer, claimer.id == FollowUp.claimed_by_id)
             .outerjoin(doer, doer.id == FollowUp.done_by_id)
             .where(*_conditions(filters, scope))
             .order_by(FollowUp.created_at, FollowUp.id).offset(offset))
    if limit is not None:
        query = query.limit(limit)
    return session.execute(query).all()


def follow_up_in_scope(session: Session, *, follow_up_id: int, scope: Scope | None) -> FollowUp | None:
    """The follow-up, if it exists and its household is inside the principal's areas."""
    return session.execute(sa.select(FollowUp).join(Household, Household.id == FollowUp.household_id)
                           .where(FollowUp.id == follow_up_id, *area_conditions(QueueFilters(), scope))).scalar()


EXPORT_COLUMNS = ["id", "kind", "status", "first_name", "last_name", "address", "postcode", "walk_list", "channel",
                  "question", "recorded_by", "recorded_at_utc", "claimed_by", "done_by", "done_at_utc", "done_note"]


def export_rows(session: Session, *, filters: QueueFilters, scope: Scope | None):
    """Pages of CSV rows (``spreadsheet_safe`` is applied by the stream)."""
    from ..exports.cells import utc_text

    offset = 0
    while True:
        page = queue_rows(session, filters=filters, scope=scope, offset=offset, limit=500)
        if not page:
            return
        yield [[f.id, KINDS.get(f.kind, f.kind), f.status, person.first_name if person else "",
                person.last_name if person else "", household.address, household.postcode, list_name or "", f.channel,
                f.note, recorder or "", utc_text(recorded_at), claimer or "", doer or "",
                utc_text(f.done_at) if f.done_at else "", f.done_note]
               for f, household, person, list_name, recorder, recorded_at, claimer, doer in page]
        offset += len(page)
