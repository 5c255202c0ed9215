"""Check-in at the meeting point hands out work in the same step: the nearest unworked walk list,
once, or the phone bank. Refusals: wrong code, too early or late, full, training missing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import (Assignment, AuditEntry, CallSheet, Rsvp, TrainingCompletion, TrainingModule, User,
                        WalkListDoor, utcnow)
from tests.support.web import csrf_token_from


@pytest.fixture
def lists(make_ward, make_household, make_walk_list):
    """Three one-street lists, further and further east of the meeting point (-71.119, 42.37)."""
    ward = make_ward()

    def make(count: int = 3, doors: int = 2):
        made = []
        for i in range(count):
            homes = [make_household(ward, lon=-71.119 + 0.001 * (count - i), lat=42.37) for _ in range(doors)]
            made.append(make_walk_list(homes, ward=ward, name=f"List {count - i}"))
        return sorted(made, key=lambda w: w.name)  # List 1 (nearest) first

    return make


def _url(event) -> str:
    return f"/events/{event.id}/check-in/{event.checkin_code}"


def test_a_stranger_is_sent_to_sign_up_and_back_here(client, make_event):
    event = make_event()
    response = client.get(_url(event))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/get-involved/sign-up?next=%2Fevents%2F")


@pytest.mark.parametrize("code", ["wrong", "x" * 22, "code-0001-abcdefghijklm"])
def test_a_wrong_code_or_event_is_404(client, make_event, make_user, signed_in, code):
    event = make_event()
    me = signed_in(make_user(roles="volunteer"))
    assert me.get(f"/events/{event.id}/check-in/{code}").status_code == 404
    assert me.post(f"/events/{event.id}/check-in/{code}").status_code == 404
    assert me.get(f"/events/{event.id + 7}/check-in/{event.checkin_code}").status_code == 404
    assert client.get(f"/events/{event.id}/check-in/{code}").status_code == 404


@pytest.mark.parametrize("starts_in, hours, message", [
    (timedelta(hours=3), 2, "Check-in opens at"),
    (timedelta(hours=-5), 2, "Check-in closed"),
])
def test_too_early_or_too_late(db, make_event, make_user, signed_in, starts_in, hours, message):
    event = make_event(starts_in=starts_in, hours=hours)
    response = signed_in(make_user(roles="volunteer")).post(_url(event))
    assert response.status_code == 409 and message in response.get_data(as_text=True)
    assert db.exec(select(Rsvp)).all() == []


def test_check_in_gives_the_nearest_unworked_list_once(db, make_event, make_user, signed_in, lists):
    first, second, third = lists()
    # The nearest list has a recorded door: the next nearest, unworked, goes first.
    door = db.exec(select(WalkListDoor).where(WalkListDoor.walk_list_id == first.id)).first()
    door.last_door_at = utcnow()
    db.add(door)
    db.commit()
    event = make_event(lists=[third, first, second], lon=-71.119, lat=42.37)
    me = signed_in(make_user(roles="volunteer"))
    page = me.get(_url(event))
    assert page.status_code == 200 and "Check me in" in page.get_data(as_text=True)
    response = me.post(_url(event))
    assert response.status_code == 302 and response.headers["Location"] == f"/canvass/lists/{second.id}"
    assert me.get(f"/canvass/lists/{second.id}").status_code == 200  # the list opens on their phone
    db.rollback(), db.expire_all()
    user = db.get(User, me.user.id)
    assert user.has_role("canvasser") and user.has_role("volunteer")
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "role.change")).first() is not None
    row = db.exec(select(Rsvp)).one()
    assert (row.walk_list_id, row.status) == (second.id, "going") and row.checked_in_at is not None
    again = me.post(_url(event))  # and a GET of the scanned code does the same
    assert again.headers["Location"] == f"/canvass/lists/{second.id}"
    assert me.get(_url(event)).headers["Location"] == f"/canvass/lists/{second.id}"
    db.rollback()
    assert len(db.exec(select(Assignment).where(Assignment.user_id == me.user.id)).all()) == 1
    db.rollback()
    # Unworked before near: the far, unworked list goes before the near one with a door recorded.
    other = signed_in(make_user(roles="volunteer"))
    assert other.post(_url(event)).headers["Location"] == f"/canvass/lists/{third.id}"
    db.rollback()
    last = signed_in(make_user(roles="volunteer"))
    assert last.post(_url(event)).headers["Location"] == f"/canvass/lists/{first.id}"


def test_a_second_check_in_says_so(make_event, make_user, signed_in, lists):
    (only,) = lists(1)
    event = make_event(lists=[only])
    me = signed_in(make_user(roles="volunteer"))
    me.post(_url(event))
    response = me.post(_url(event), follow_redirects=True)
    assert f"You are already checked in; your list is {only.name}" in response.get_data(as_text=True)


def test_no_list_left_is_a_plain_answer(db, make_event, make_user, signed_in, lists):
    (only,) = lists(1)
    event = make_event(lists=[only])
    signed_in(make_user(roles="volunteer")).post(_url(event))
    late = signed_in(make_user(roles="volunteer"))
    response = late.post(_url(event))
    assert response.status_code == 200 and "no walk list left" in response.get_data(as_text=True)
    db.rollback()
    assert db.exec(select(Rsvp).where(Rsvp.user_id == late.user.id)).one().checked_in_at is not None


def test_a_full_event_refuses_a_new_face_but_not_someone_who_rsvped(db, make_event, make_user, signed_in):
    event = make_event(capacity=1)
    booked = signed_in(make_user(roles="volunteer"))
    assert booked.post(f"/events/{event.id}/rsvp").status_code == 302
    assert signed_in(make_user(roles="volunteer")).post(_url(event)).status_code == 409
    assert booked.post(_url(event)).status_code == 200


def test_a_phone_bank_event_makes_a_caller_and_sends_them_to_the_phone_bank(db, make_event, make_user, signed_in):
    sheet = CallSheet(name="Sheet A")
    db.add(sheet)
    db.commit()
    event = make_event(kind="phone_bank", sheets=[sheet])
    me = signed_in(make_user(roles="volunteer"))
    response = me.post(_url(event))
    assert response.status_code == 302 and response.headers["Location"] == "/phonebank/"
    db.rollback(), db.expire_all()
    assert db.get(User, me.user.id).has_role("caller")


def test_training_is_required_first(db, make_event, make_user, signed_in):
    module = TrainingModule(slug="knocking-on-a-door", title="Knocking on a door", required_for="canvass phone_bank")
    db.add(module)
    db.commit()
    event = make_event()
    me = signed_in(make_user(roles="volunteer"))
    response = me.post(_url(event))
    assert response.status_code == 403 and 'href="/training/knocking-on-a-door"' in response.get_data(as_text=True)
    db.add(TrainingCompletion(module_id=module.id, user_id=me.user.id))
    db.commit()
    assert me.post(_url(event)).status_code == 200


def test_the_host_ticks_a_name_and_the_volunteer_finds_the_list_under_my_lists(
        db, make_event, make_user, make_team, signed_in, lists):
    (only,) = lists(1)
    host = make_user(roles="volunteer")
    event = make_event(lists=[only], host=host)
    volunteer = signed_in(make_user(roles="volunteer"))
    assert volunteer.post(f"/events/{event.id}/rsvp").status_code == 302
    hosting = signed_in(host)
    admin = hosting.get(f"/events/{event.id}/admin").get_data(as_text=True)
    assert "<svg" in admin and event.checkin_code in admin and "Check in " in admin
    assert signed_in(make_user(roles="volunteer")).post(
        f"/events/{event.id}/admin/check-in/{volunteer.user.id}").status_code == 403
    assert hosting.post(f"/events/{event.id}/admin/check-in/{volunteer.user.id}").status_code == 302
    assert only.name in volunteer.get("/canvass/").get_data(as_text=True)
    assert hosting.post(f"/events/{event.id}/admin/check-in/999999").status_code == 404


def test_the_check_in_page_is_a_form_with_a_csrf_token(make_event, make_user, signed_in):
    event = make_event()
    me = signed_in(make_user(roles="volunteer"))
    assert csrf_token_from(me.get(_url(event)).get_data(as_text=True))
    assert me.client.post(_url(event)).status_code == 400  # no token: nothing happens
