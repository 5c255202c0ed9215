"""How POST /api/outcomes treats each item of a batch, once ``door_access`` has said what the
caller may touch: stored now, stored late (a door recorded while the caller still held its
list), or refused for good with a reason. The rules themselves are in ``app.auth.access``."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from ..auth.access import DoorAccess, Hold, door_access, late_verdict, lapsed_holds
from ..canvass.late import Refusal, record_refusals, store_late, stored_by
from ..config import Settings
from ..contacts import Actor, Status, parse_id, record_contacts_grouped
from ..contacts.fix_rules import is_fix
from ..contacts.fixes import record_fixes
from ..contacts.validate import Reject, parse_event_id, parse_timestamp
from ..db import write_transaction
from ..models import Channel, WalkList, utcnow
from ..pollingday.door_lifts import ensure_door_lifts, lift_items


@dataclass
class Planned:
    kind: str                      # "now", "late", "refused" or (until judged) "lapsed"
    item: object
    status: Status | None = None   # for "refused"
    hold: Hold | None = None       # for "late"
    list_id: int | None = None     # the list a refusal is shown on: one the sender holds or held
    hold_refusal: bool = False     # refused because the door is not (or no longer) the sender's


def _event_id(item) -> str:
    raw = item.get("id") if isinstance(item, dict) else None
    try:
        return parse_event_id(raw)
    except Reject:
        return str(raw)


def _refused(item, reason: str, *, list_id: int | None = None, hold: bool = False) -> Planned:
    return Planned("refused", item, Status(_event_id(item), "rejected", reason), list_id=list_id, hold_refusal=hold)


def _first_look(item, access: DoorAccess) -> Planned:
    if not isinstance(item, dict):
        return Planned("now", item)  # record_contacts gives the reason
    raw_list = item.get("walk_list_id")
    walk_list_id, household_id = parse_id(raw_list), parse_id(item.get("household_id"))
    if raw_list is not None and walk_list_id is None:
        return _refused(item, "walk_list_id must be an integer")
    if not access.visible(household_id, walk_list_id):
        if household_id is None:
            return _refused(item, f"walk list {walk_list_id} is not assigned to you", hold=True)
        return Planned("lapsed", item)
    if household_id is not None and walk_list_id is not None and (walk_list_id, household_id) not in access.on_list:
        # Refused, unless the door was taken off that list (a redrawn turf) after it was recorded.
        refused = _refused(item, f"household {household_id} is not on walk list {walk_list_id}", list_id=walk_list_id)
        return Planned("lapsed", item, status=refused.status, list_id=walk_list_id)
    return Planned("now", item, list_id=walk_list_id)


def judge(session: Session, *, principal, outcomes: list, access: DoorAccess) -> list[Planned]:
    """One plan per item, in order. The lapsed-hold lookup runs only for items the batch's
    access check did not already allow."""
    plan = [_first_look(item, access) for item in outcomes]
    lapsed = [p for p in plan if p.kind == "lapsed"]
    if not lapsed:
        return plan
    holds = lapsed_holds(session, principal=principal,
                         household_ids={parse_id(p.item.get("household_id")) for p in lapsed})
    now = utcnow()
    for p in lapsed:
        household_id, walk_list_id = parse_id(p.item.get("household_id")), parse_id(p.item.get("walk_list_id"))
        mine = [h for h in holds.get(household_id, []) if walk_list_id is None or h.walk_list_id == walk_list_id]
        if not mine and p.status is not None:  # a visible list, not (and never lately) this door's
            p.kind = "refused"
            continue
        try:
            recorded_at = parse_timestamp(p.item.get("recorded_at"), now=now) if mine else now
        except Reject as err:
            p.kind, p.status, p.list_id = "refused", Status(_event_id(p.item), "rejected", str(err)), mine[0].walk_list_id
            continue
        hold, reason = late_verdict(mine, household_id=household_id, walk_list_id=walk_list_id,
                                    recorded_at=recorded_at, now=now)
        if not reason:
            p.kind, p.hold = "late", hold
        else:
            refused = _refused(p.item, reason, list_id=hold.walk_list_id if hold else None, hold=True)
            p.kind, p.status, p.list_id, p.hold_refusal = "refused", refused.status, refused.list_id, True
    return plan


def _recorded_at(item) -> datetime | None:
    try:
        return parse_timestamp(item.get("recorded_at"), now=utcnow())
    except Reject:
        return None


def refusals_of(plan: list[Planned], results: list[Status]) -> list[Refusal]:
    """The rejected items worth keeping for the organiser: those with a usable event id."""
    out = []
    for p, result in zip(plan, results):
        if result.status != "rejected" or not isinstance(p.item, dict):
            continue
        try:
            event_id = parse_event_id(p.item.get("id"))
        except Reject:
            continue  # nothing to key it on, and no phone can resend it as the same item
        list_id = p.hold.walk_list_id if p.kind == "late" and p.hold else p.list_id
        out.append(Refusal(event_id, parse_id(p.item.get("household_id")), list_id, result.reason,
                           _recorded_at(p.item)))
    return out


__all__ = ["Planned", "judge", "refusals_of"]


def receive(session: Session, *, principal, outcomes: list, actor: Actor, label: str,
            settings: Settings) -> list[Status]:
    """The statuses of one POST's outcomes, in order, everything stored committed: the access check
    on every household and list in the batch, then each item stored now (group commit), stored late
    or refused; refusals are kept for the organiser."""
    households, lists, pairs = _targets(outcomes)
    access = door_access(session, principal=principal, household_ids=households, list_ids=lists, pairs=pairs)
    plan = judge(session, principal=principal, outcomes=outcomes, access=access)
    _answers_fit_lists(session, plan, lists, settings)
    now_items = [p.item for p in plan if p.kind == "now" and not is_fix(p.item)]
    # Committed before answering, in a write transaction shared with this process's other
    # concurrent posts (retried on contention; safe because ids are idempotent).
    recorded = iter(record_contacts_grouped(session, events=now_items, actor=actor, settings=settings, channel=Channel.DOOR)
                    if now_items else [])
    late_items = [(p.item, p.hold) for p in plan if p.kind == "late" and not is_fix(p.item)]
    late = iter(store_late(session, items=late_items, actor=actor, settings=settings) if late_items else [])
    # Corrections at the door (a fix made while the list was the sender's is stored late too).
    fix_items = [p.item for p in plan if p.kind in ("now", "late") and is_fix(p.item)]
    fixed = iter(record_fixes(session, items=fix_items, actor=replace(actor, label=label), settings=settings)
                 if fix_items else [])  # labelled as the organiser's pages name senders ("PIN Tuesday team")
    results = [p.status if p.kind == "refused" else next(fixed) if is_fix(p.item)
               else next(recorded if p.kind == "now" else late) for p in plan]
    if any(r.status == "rejected" for r in results):
        results = _settle_refusals(session, plan, results, actor, label)
    lifts = lift_items(outcomes, results, settings=settings)
    if lifts:  # polling day: a knocker's "needs a lift" reaches the drivers
        write_transaction(session, lambda s: ensure_door_lifts(s, event_ids=lifts, settings=settings,
                                                               created_by_id=actor.user_id))
    return results


def _answers_fit_lists(session: Session, plan: list[Planned], lists: set[int], settings: Settings) -> None:
    """A knock-up list takes the knock-up answers and a canvass list (or none) the canvass ones:
    anything else is refused, saying which answers the list takes."""
    knockup = {c.code for c in settings.knockup_outcomes}
    if not knockup:
        return
    rounds = set(session.execute(sa.select(WalkList.id).where(WalkList.id.in_(sorted(lists)),
                                                              WalkList.knockup_round_id.is_not(None))).scalars()) \
        if lists else set()
    for p in plan:
        if p.kind not in ("now", "late") or not isinstance(p.item, dict) or not isinstance(p.item.get("code"), str):
            continue
        code, list_id = p.item["code"], parse_id(p.item.get("walk_list_id"))
        if list_id in rounds and code not in knockup:
            reason = f"walk list {list_id} is a knock-up list: answer with one of {', '.join(sorted(knockup))}"
        elif list_id not in rounds and code in knockup:
            reason = f"{code} is a knock-up answer: record it on a knock-up list"
        else:
            continue
        refused = _refused(p.item, reason, list_id=list_id)
        p.kind, p.status, p.list_id = "refused", refused.status, refused.list_id


def _targets(outcomes: list) -> tuple[set[int], set[int], set[tuple[int, int]]]:
    """The households, lists and (list, household) pairs a batch names, for one access check."""
    households, lists, pairs = set(), set(), set()
    for item in outcomes:
        if isinstance(item, dict):
            household_id, walk_list_id = parse_id(item.get("household_id")), parse_id(item.get("walk_list_id"))
            households.update([household_id] if household_id is not None else [])
            lists.update([walk_list_id] if walk_list_id is not None else [])
            if household_id is not None and walk_list_id is not None:
                pairs.add((walk_list_id, household_id))
    return households, lists, pairs


def _settle_refusals(session, plan, results: list[Status], actor: Actor, label: str) -> list[Status]:
    """A door refused for its hold that this sender already stored (the answer was lost) is a
    duplicate; every other refusal is kept for the organiser, once per event id."""
    again = stored_by(session, event_ids={r.id for p, r in zip(plan, results) if p.kind == "refused" and p.hold_refusal},
                      actor=actor)
    results = [Status(r.id, "duplicate") if r.status == "rejected" and r.id in again else r for r in results]
    record_refusals(session, refusals=refusals_of(plan, results), actor=actor, label=label)
    return results
