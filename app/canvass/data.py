"""What a canvasser's phone reads: their lists, and one list with its doors, people and history.

Read-only. Both the pages (``routes.py``) and the JSON API (``app/api``) use these, after the
caller has checked access with ``app.auth.access``.
"""
from __future__ import annotations

import re
from collections import defaultdict

from sqlmodel import Session, select

from ..auth.access import is_organiser, visible_list_ids
from ..clock import as_utc
from ..config import Settings
from ..models import (Assignment, Channel, ContactEvent, DoNotContact, Household, ListStatus, Person, SurveyResponse, WalkList,
                      WalkListDoor)
from ..surveys.payload import list_survey
from ..walk_lists import progress_by_id
from ..sorting import by_name
from ..streets.paths import path_through

HISTORY_PER_DOOR = 5
_LEADING_INT = re.compile(r"\s*(\d+)")


def iso(when) -> str | None:
    """ISO 8601 in UTC with a Z, whether the column handed back a naive or an aware datetime."""
    if when is None:
        return None
    return as_utc(when).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def side_of(house_number: str) -> str:
    match = _LEADING_INT.match(house_number or "")
    if not match:
        return ""
    return "odds" if int(match.group(1)) % 2 else "evens"


def my_lists(session: Session, *, principal) -> list[dict]:
    """Active lists the principal works: assigned ones (for an organiser too: only their own)."""
    if is_organiser(principal):
        ids = (select(Assignment.walk_list_id).where(Assignment.user_id == principal.id,
                                                     Assignment.unassigned_at.is_(None)))
    else:
        ids = visible_list_ids(principal)
    rows = by_name(session.exec(select(WalkList).where(WalkList.id.in_(ids), WalkList.status == ListStatus.ACTIVE)))
    progress = progress_by_id(session, lists=rows)
    out = []
    for w in rows:
        p = progress[w.id]
        out.append({"id": w.id, "name": w.name, "code": w.code, "door_count": w.door_count, "visited": p.done,
                    "est_minutes": round(w.est_minutes), "status": p.state})
    return out


def _history(session: Session, household_ids: list[int], settings: Settings) -> dict[int, list[dict]]:
    labels = {**{c.code: c.label for c in settings.phone_dispositions}, **{c.code: c.label for c in settings.door_outcomes}}
    rows = session.exec(select(ContactEvent.id, ContactEvent.household_id, ContactEvent.code, ContactEvent.channel,
                               ContactEvent.recorded_at, ContactEvent.walk_list_id)
                        # a talk with someone a volunteer knows is not another volunteer's to see (app/relational)
                        .where(ContactEvent.household_id.in_(household_ids), ContactEvent.channel != Channel.RELATIONAL)
                        .order_by(ContactEvent.household_id, ContactEvent.recorded_at.desc())).all()
    support = defaultdict(list)
    event_ids = [r[0] for r in rows]
    if event_ids:
        for event_id, person_id, level in session.exec(
                select(SurveyResponse.event_id, SurveyResponse.person_id, SurveyResponse.support_level)
                .where(SurveyResponse.event_id.in_(event_ids), SurveyResponse.support_level.is_not(None))).all():
            support[event_id].append({"person_id": person_id, "support_level": level})
    out: dict[int, list[dict]] = defaultdict(list)
    for event_id, hid, code, channel, at, wid in rows:
        if len(out[hid]) < HISTORY_PER_DOOR:
            out[hid].append({"id": event_id, "code": code, "label": labels.get(code, code), "channel": channel,
                             "recorded_at": iso(at), "walk_list_id": wid, "support": support[event_id]})
    return out


def list_payload(session: Session, *, walk_list: WalkList, settings: Settings) -> dict:
    """One list for the phone, doors in walking order; also what the offline cache keeps."""
    doors = session.exec(select(WalkListDoor.household_id, WalkListDoor.position)
                         .where(WalkListDoor.walk_list_id == walk_list.id).order_by(WalkListDoor.position)).all()
    ids = [hid for hid, _ in doors]
    households = {h.id: h for h in session.exec(select(Household).where(Household.id.in_(ids))).all()}
    people = defaultdict(list)
    for person in session.exec(select(Person).where(Person.household_id.in_(ids), Person.gone == "").order_by(Person.id)).all():
        people[person.household_id].append(person)
    dnc = session.exec(select(DoNotContact.household_id, DoNotContact.person_id)
                       .where(DoNotContact.household_id.in_(ids))).all()
    dnc_people = {pid for _, pid in dnc if pid is not None}
    dnc_doors = {hid for hid, pid in dnc if pid is None}
    history = _history(session, ids, settings)
    out_doors = []
    for hid, position in doors:
        h = households[hid]
        out_doors.append({
            "household_id": hid, "position": position, "address": h.address, "street": h.street,
            "house_number": f"{h.house_number}{h.suffix}", "unit": h.unit, "side": side_of(h.house_number),
            "lat": h.lat, "lon": h.lon, "do_not_contact": hid in dnc_doors,
            "people": [{"id": p.id, "name": p.full_name or "(no name)", "do_not_contact": p.id in dnc_people}
                       for p in people[hid]],
            "history": history.get(hid, []),
        })
    payload = {
        # the line the map draws: along the streets stored near the doors, else door to door
        "path": path_through(session, [households[hid] for hid, _ in doors]),
        "id": walk_list.id, "name": walk_list.name, "code": walk_list.code, "status": walk_list.status, "kind": "canvass",
        "door_count": walk_list.door_count, "est_minutes": round(walk_list.est_minutes),
        "length_m": round(walk_list.length_m), "doors": out_doors,
        "outcomes": [{"code": c.code, "label": c.label, "contact": c.contact, "final": c.final, "dnc": c.dnc}
                     for c in settings.door_outcomes],
        "support_scale": [{"value": v, "label": label} for v, label in settings.support_scale],
        "issues": list(settings.issues),
        "max_batch": settings.canvass.max_batch,
        "consent_text": settings.canvass.contact_consent_text,  # read out before a number or email is taken
    }
    if walk_list.knockup_round_id is None:  # the list's survey: questions and door script (app.surveys)
        payload.update(list_survey(session, walk_list=walk_list, settings=settings))
    else:
        from ..pollingday.knockup_lists import adapt_payload  # polling day builds on the canvass pages

        adapt_payload(session, walk_list=walk_list, payload=payload, settings=settings)
    return payload


__all__ = ["my_lists", "list_payload", "side_of"]
