"""The public event page, RSVP and cancel, capacity under concurrency, and the calendar file."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from app import db as dbmod
from app.db import write_transaction
from app.errors import Conflict
from app.events import rsvps
from app.models import EventShift, Rsvp
from tests.support.web import csrf_token_from
from tests.support.world import row_counts


def test_anyone_reads_an_approved_event_with_its_spaces_left(client, db, make_event, make_user, make_team):
    team = make_team(name="Elm Street team")
    event = make_event(capacity=3, team=team, description="Knock on doors together")
    db.add(Rsvp(event_id=event.id, user_id=make_user().id))
    db.commit()
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    for text in (event.title, "Knock on doors together", "The library", "Elm Street team", "openstreetmap.org",
                 "<strong>2</strong> places left", "I’m coming"):
        assert text in page


@pytest.mark.parametrize("status", ["proposed"])
def test_a_proposal_or_an_unknown_event_is_not_public(client, make_event, status):
    event = make_event(status=status)
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/events/{event.id + 1}").status_code == 404
    assert client.get(f"/events/{event.id}.ics").status_code == 404


def test_a_stranger_is_sent_to_sign_up_and_back(client, db, make_event):
    event = make_event()
    token = csrf_token_from(client.get(f"/events/{event.id}").get_data(as_text=True))
    response = client.post(f"/events/{event.id}/rsvp", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/get-involved/sign-up?next=%2Fevents%2F{event.id}"
    assert db.exec(select(Rsvp)).all() == []


def test_rsvp_is_idempotent_and_cancel_counts_as_a_cancellation(db, make_event, make_user, signed_in):
    event = make_event(capacity=5)
    me = signed_in(make_user(roles="volunteer"))
    assert me.post(f"/events/{event.id}/rsvp").status_code == 302
    assert me.post(f"/events/{event.id}/rsvp").status_code == 302
    assert "You are going" in me.get(f"/events/{event.id}").get_data(as_text=True)
    rows = db.exec(select(Rsvp)).all()
    assert [(r.user_id, r.status) for r in rows] == [(me.user.id, "going")]
    assert me.post(f"/events/{event.id}/cancel").status_code == 302
    db.rollback(), db.expire_all()
    row = db.exec(select(Rsvp)).one()
    assert row.status == "cancelled" and row.cancelled_at is not None


def test_a_full_event_or_shift_answers_409_and_writes_nothing(db, make_event, make_user, signed_in):
    event = make_event(capacity=1, shifts=[1, None])
    first, second = signed_in(make_user(roles="volunteer")), signed_in(make_user(roles="caller"))
    shift_ids = [s.id for s in db.exec(select(EventShift).where(EventShift.event_id == event.id)).all()]
    assert first.post(f"/events/{event.id}/rsvp", data={"shift_id": str(shift_ids[0])}).status_code == 302
    db.rollback()
    before = row_counts(db)
    response = second.post(f"/events/{event.id}/rsvp", data={"shift_id": str(shift_ids[1])})
    assert response.status_code == 409 and "full" in response.get_data(as_text=True)
    assert row_counts(db) == before
    roomy = make_event(shifts=[1])
    shifts = db.exec(select(EventShift).where(EventShift.event_id == roomy.id)).all()
    assert first.post(f"/events/{roomy.id}/rsvp", data={"shift_id": str(shifts[0].id)}).status_code == 302
    response = second.post(f"/events/{roomy.id}/rsvp", data={"shift_id": str(shifts[0].id)})
    assert response.status_code == 409 and "shift is full" in response.get_data(as_text=True)
    assert second.post(f"/events/{roomy.id}/rsvp", data={"shift_id": "99999999"}).status_code == 422
    assert second.post(f"/events/{roomy.id}/rsvp", data={"shift_id": "x"}).status_code == 422


def test_a_pin_joiner_may_not_rsvp(app, db, make_event, make_walk_list, make_household, make_user):
    from app.walk_lists import create_pin

    event = make_event()
    walk_list = make_walk_list([make_household()])
    _, pin = create_pin(db, walk_list_id=walk_list.id, created_by_id=None)
    db.commit()
    client = app.test_client()
    token = csrf_token_from(client.get("/canvass/join").get_data(as_text=True))
    assert client.post("/canvass/join", data={"code": walk_list.code, "pin": pin, "csrf_token": token}).status_code == 302
    token = csrf_token_from(client.get(f"/events/{event.id}").get_data(as_text=True))
    assert client.post(f"/events/{event.id}/rsvp", data={"csrf_token": token}).status_code == 403


def test_two_rsvps_for_the_last_place_never_both_succeed(app, db, make_event, make_user):
    """Threads with their own sessions, through write_transaction (the view's path); on PostgreSQL
    the event row lock is what keeps the count and insert together."""
    event = make_event(capacity=3)
    users = [make_user(roles="volunteer") for _ in range(12)]
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []

    def go(user_id):
        with app.app_context():
            session = Session(dbmod.engine_for(app), expire_on_commit=False)
            try:
                barrier.wait()
                write_transaction(session, lambda s: rsvps.rsvp(s, event_id=event.id, user_id=user_id))
                outcomes.append("ok")
            except Conflict:
                outcomes.append("full")
            finally:
                session.close()

    threads = [threading.Thread(target=go, args=(u.id,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full"] * 9 + ["ok"] * 3
    db.rollback()
    assert len(db.exec(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.status == "going")).all()) == 3


def test_the_calendar_file(client, make_event):
    event = make_event(starts_in=timedelta(days=3))
    response = client.get(f"/events/{event.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    item = next(c for c in Calendar.from_ical(response.data).walk("VEVENT"))
    assert str(item["summary"]).startswith(event.title)
    assert str(item["location"]) == "The library"
    assert str(item["url"]).endswith(f"/events/{event.id}")
    assert item["uid"] and item.decoded("dtstart").utcoffset() == timedelta(0)
    assert item.decoded("dtend") - item.decoded("dtstart") == timedelta(hours=3)
    assert b"DTSTART:" in response.data and b"Z\r\n" in response.data  # UTC, not a floating time
