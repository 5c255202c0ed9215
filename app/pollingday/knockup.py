"""Knock-up rounds: a committee room starts round N, and Legwork cuts its pledges who have not
voted (and are not postal voters) into walk lists by road group with ``walklists``. Knockers work
them on the canvass pages (the same outbox and exactly-once path as door knocks), with the
knock-up answers of ``[pollingday] knockup_outcomes`` instead of the canvass ones.

Who is knocked in round N: the room's pledges, less everyone struck off (the tellers' ``voted``),
less everyone whose latest knock-up answer this election was final ("voted already", "needs a
lift", "won't vote"). "Not in" and "will vote" come back. An answer given for one person
(``person_id``) counts for them; one given for the door counts for every pledge behind it.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from walklists import cut_turf

from ..audit import audit
from ..config import Settings
from ..errors import Conflict, NotFound
from ..models import (Assignment, CommitteeRoom, CommitteeRoomDistrict, ContactEvent, Election, Household, KnockupRound, ListStatus,
                      Neighbourhood, Person, User, Voted, WalkList, WalkListDoor, utcnow)
from ..sql import chunks
from ..streets.routes import crossing_m, door_of, doors_network, street_lines, turf_route
from ..walk_lists.operations import campaign_pace, new_list_code, turf_hull
from .elections import current_election
from .pledges import pledges

TOLERANCE = 0.25  # road groups need not be as even as canvass turfs


def room_districts(session: Session, *, room_id: int) -> list[int]:
    return list(session.execute(sa.select(CommitteeRoomDistrict.neighbourhood_id)
                                .where(CommitteeRoomDistrict.committee_room_id == room_id)).scalars())


def voted_among(session: Session, person_ids) -> set[int]:
    out: set[int] = set()
    for part in chunks(sorted(person_ids), 900):
        out.update(session.execute(sa.select(Voted.person_id).where(Voted.person_id.in_(part))).scalars())
    return out


def round_list_ids(*, election_id: int, room_id: int):
    """A SELECT of the walk-list ids of every round of this room in this election."""
    return (sa.select(WalkList.id).join(KnockupRound, KnockupRound.id == WalkList.knockup_round_id)
            .where(KnockupRound.election_id == election_id, KnockupRound.committee_room_id == room_id))


def finished(session: Session, *, election_id: int, room_id: int, settings: Settings,
             people: dict[int, int]) -> set[int]:
    """Of ``people`` (person -> household), those whose latest knock-up answer was final."""
    final = {c.code for c in settings.knockup_outcomes if c.final}
    latest: dict[int, tuple] = {}
    households = sorted(set(people.values()))
    by_household = defaultdict(list)
    for pid, hid in people.items():
        by_household[hid].append(pid)
    for part in chunks(households, 900):
        for hid, pid, code, at, eid in session.execute(
                sa.select(ContactEvent.household_id, ContactEvent.person_id, ContactEvent.code,
                          ContactEvent.recorded_at, ContactEvent.id)
                .where(ContactEvent.household_id.in_(part),
                       ContactEvent.walk_list_id.in_(round_list_ids(election_id=election_id, room_id=room_id)))):
            for person in ([pid] if pid is not None else by_household[hid]):
                if person in people and (person not in latest or (at, eid) > latest[person][:2]):
                    latest[person] = (at, eid, code)
    return {pid for pid, (_, _, code) in latest.items() if code in final}


def doors_to_knock(session: Session, *, room_id: int, election_id: int, settings: Settings) -> dict[int, list[int]]:
    """Household id -> the pledges behind that door still to knock up, for the room's next round."""
    got = pledges(session, settings=settings, neighbourhood_ids=room_districts(session, room_id=room_id)).pledged
    if not got:
        return {}
    remaining = set(got) - voted_among(session, got)
    home: dict[int, int] = {}
    for part in chunks(sorted(remaining), 900):
        home.update(session.execute(sa.select(Person.id, Person.household_id).where(Person.id.in_(part))).all())
    done = finished(session, election_id=election_id, room_id=room_id, settings=settings, people=home)
    doors: dict[int, list[int]] = defaultdict(list)
    for pid in sorted(remaining - done):
        if home.get(pid) is not None:
            doors[home[pid]].append(pid)
    return dict(doors)


def _close(session: Session, previous: KnockupRound, now: datetime) -> None:
    """End a round: its lists are released (knockers keep the late grace for what they recorded)."""
    previous.closed_at = now
    session.add(previous)
    session.execute(sa.update(WalkList).where(WalkList.knockup_round_id == previous.id,
                                              WalkList.status == ListStatus.ACTIVE)
                    .values(status=ListStatus.RELEASED, released_at=now))


def _road_groups(session: Session, households: list[Household], *, target: int) -> list[list[Household]]:
    """Households cut into walkable groups, never across a polling district; those with no map
    location go on a list of their own per district, by street and number."""
    located = [h for h in households if h.lat is not None and h.lon is not None]
    by_id = {h.id: h for h in located}
    groups: list[list[Household]] = []
    if located:
        doors = [door_of(h) for h in located]
        within = {str(h.id): h.neighbourhood_id or 0 for h in located}
        pace, network = campaign_pace(), doors_network(session, doors)
        for turf in cut_turf(doors, target, tolerance=TOLERANCE, within=within, pace=pace,
                             streets=street_lines(network), crossing_m=crossing_m()):
            groups.append([by_id[int(d.id)] for d in turf_route(turf, pace=pace, network=network).doors])
    unlocated: dict[int, list[Household]] = defaultdict(list)
    for h in households:
        if h.id not in by_id:
            unlocated[h.neighbourhood_id or 0].append(h)
    for _, rest in sorted(unlocated.items()):
        groups.append(sorted(rest, key=lambda h: (h.street, h.house_number, h.suffix, h.unit)))
    return groups


def start_round(session: Session, *, room_id: int, settings: Settings, started_by_id: int | None,
                election_id: int | None = None, now: datetime | None = None) -> KnockupRound:
    """Close the room's current round and cut the next one. Runs in the caller's write transaction."""
    room = session.get(CommitteeRoom, room_id)
    if room is None:
        raise NotFound("No such committee room.")
    election = session.get(Election, election_id) if election_id is not None else current_election(session)
    if election is None or election.wiped_at is not None:
        raise Conflict("Set up the election first: knock-up rounds belong to a polling day.")
    now = now or utcnow()
    previous = session.execute(sa.select(KnockupRound).where(
        KnockupRound.election_id == election.id, KnockupRound.committee_room_id == room_id)
        .order_by(KnockupRound.number.desc()).limit(1).with_for_update()).scalar_one_or_none()
    if previous is not None and previous.closed_at is None:
        _close(session, previous, now)
    number = previous.number + 1 if previous else 1
    knock = doors_to_knock(session, room_id=room_id, election_id=election.id, settings=settings)
    households = []
    for part in chunks(sorted(knock), 900):
        households.extend(session.execute(sa.select(Household).where(Household.id.in_(part))).scalars())
    wards = dict(session.execute(sa.select(Neighbourhood.id, Neighbourhood.ward_id)).all())
    row = KnockupRound(election_id=election.id, committee_room_id=room_id, number=number, started_at=now,
                       started_by_id=started_by_id, door_count=len(knock),
                       pledge_count=sum(len(p) for p in knock.values()))
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except sa.exc.IntegrityError:
        raise Conflict(f"Round {number} of {room.name} was started by someone else a moment ago.") from None
    pace = campaign_pace()
    for i, group in enumerate(_road_groups(session, households, target=settings.pollingday.knockup_list_size), start=1):
        hood = group[0].neighbourhood_id
        points = [(h.lon, h.lat) for h in group if h.lat is not None and h.lon is not None]
        walk_list = WalkList(name=f"{room.name} · round {number} · {i}"[:120], code=new_list_code(session),
                             ward_id=wards.get(hood), neighbourhood_id=hood, door_count=len(group),
                             est_minutes=len(group) * pace.seconds_per_door / 60,
                             hull=json.dumps(turf_hull(points)) if points else None, created_by_id=started_by_id,
                             created_at=now, knockup_round_id=row.id)
        session.add(walk_list)
        session.flush()
        session.add_all([WalkListDoor(walk_list_id=walk_list.id, household_id=h.id, position=pos)
                         for pos, h in enumerate(group)])
    session.flush()
    audit(session, action="pollingday.knockup_round", actor_user_id=started_by_id, target=f"committee_room:{room_id}",
          detail={"round": number, "doors": row.door_count, "pledges": row.pledge_count})
    return row


def join_list(session: Session, *, walk_list_id: int, user) -> WalkList:
    """A volunteer who scanned a knock-up sheet's QR code takes the list (several knockers may share
    one, a side of the street each). Anyone signed up may knock up: they become a knocker by it."""
    walk_list = session.get(WalkList, walk_list_id)
    if walk_list is None or walk_list.knockup_round_id is None:
        raise NotFound("That knock-up list does not exist.")
    if walk_list.status != ListStatus.ACTIVE:
        raise Conflict(f"{walk_list.name} belongs to a round that has ended: ask the committee room for the "
                       "current round's sheet.")
    held = session.execute(sa.select(Assignment.id).where(
        Assignment.walk_list_id == walk_list_id, Assignment.user_id == user.id,
        Assignment.unassigned_at.is_(None))).first()
    if held is None:
        session.add(Assignment(walk_list_id=walk_list_id, user_id=user.id, assigned_by_id=user.id))
        audit(session, action="lists.assign", actor_user_id=user.id, target=f"walk_list:{walk_list_id}",
              detail={"users": [user.id], "how": "knock-up sheet"})
    if not user.has_role("canvasser", "knocker", "organiser"):
        row = session.get(User, user.id)
        before, row.roles = row.roles, " ".join([*row.roles.split(), "knocker"])
        session.add(row)
        audit(session, action="role.change", actor_user_id=user.id, target=f"user:{user.id}",
              detail={"from": before, "to": row.roles, "why": "took a knock-up list"})
    session.flush()
    return walk_list
