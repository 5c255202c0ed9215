"""Fifty volunteers scan the host's QR code at the same moment: each list goes to one of them,
nobody gets two, and no door ends up on two active lists (SQLite and PostgreSQL alike)."""
from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlmodel import select

from app.models import Assignment, ListStatus, Rsvp, WalkList, WalkListDoor

VOLUNTEERS = 50
LISTS = 30


def test_fifty_check_ins_at_once_never_share_a_list(app, db, make_ward, make_household, make_walk_list, make_event,
                                                    make_user, signed_in):
    ward = make_ward()
    lists = [make_walk_list([make_household(ward, lon=-71.119 + 0.0001 * i)], ward=ward, name=f"L{i}")
             for i in range(LISTS)]
    event = make_event(lists=lists, capacity=VOLUNTEERS)
    people = [signed_in(make_user(roles="volunteer")) for _ in range(VOLUNTEERS)]
    url = f"/events/{event.id}/check-in/{event.checkin_code}"
    barrier = threading.Barrier(VOLUNTEERS)
    answers: dict[int, tuple[int, str]] = {}

    def scan(person):
        barrier.wait()
        response = person.post(url)
        answers[person.user.id] = (response.status_code, response.headers.get("Location", ""))

    threads = [threading.Thread(target=scan, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(code for code, _ in answers.values()) == [200] * (VOLUNTEERS - LISTS) + [302] * LISTS
    given = [where for code, where in answers.values() if code == 302]
    assert len(set(given)) == LISTS  # thirty different lists, one each
    db.rollback()
    rows = db.exec(select(Rsvp).where(Rsvp.event_id == event.id)).all()
    assert len(rows) == VOLUNTEERS and all(r.checked_in_at is not None for r in rows)
    assert len({r.walk_list_id for r in rows if r.walk_list_id}) == LISTS
    holders = db.exec(select(Assignment.walk_list_id, sa.func.count(Assignment.id))
                      .where(Assignment.unassigned_at.is_(None)).group_by(Assignment.walk_list_id)).all()
    assert len(holders) == LISTS and all(n == 1 for _, n in holders)
    doubled = db.exec(select(WalkListDoor.household_id).join(WalkList, WalkList.id == WalkListDoor.walk_list_id)
                      .where(WalkList.status == ListStatus.ACTIVE).group_by(WalkListDoor.household_id)
                      .having(sa.func.count(WalkListDoor.id) > 1)).all()
    assert doubled == []
    # Each answer is the volunteer's own list, and a second scan gives the same one.
    for person in people[:5]:
        code, where = answers[person.user.id]
        again = person.post(url)
        assert (again.status_code, again.headers.get("Location", "")) == (code, where)
