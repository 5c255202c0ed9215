"""'My 10': the volunteer's link, QR code and share buttons, their recruits (first name and
initial only), first shift or not, and the welcome email, rate-limited."""
from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlmodel import select

from app.models import Event, RecruitCode, Rsvp, VolunteerProfile, WelcomeNudge, utcnow
from app.recruiting import codes
from tests.support.recruiting import make_volunteer


@pytest.fixture
def me(auth, db):
    user = auth.login_as(roles="volunteer", name="Asha Recruiter")
    db.add(VolunteerProfile(user_id=user.id, postcode="SW1A 1AA"))
    db.commit()
    return user


def attended(db, user, *, days_ago: int = 3):
    start = utcnow() - timedelta(days=days_ago)
    event = Event(kind="canvass", title="Doors", starts_at=start, ends_at=start + timedelta(hours=2),
                  checkin_code=uuid.uuid4().hex)
    db.add(event)
    db.flush()
    db.add(Rsvp(event_id=event.id, user_id=user.id, checked_in_at=start))
    db.commit()


def test_the_page_gives_a_stable_link_qr_and_share_buttons(client, db, me):
    first = client.get("/me/recruit").get_data(as_text=True)
    code = db.get(RecruitCode, me.id).code
    assert codes.display(code) in first and f"/get-involved?r={code}" in first
    assert "<svg" in first and 'aria-label="QR code of your recruiting link"' in first
    text = quote(f"Sign up here: http://localhost/get-involved?r={code}", safe="")
    assert "https://wa.me/?text=" in first and text in first
    assert "sms:?&amp;body=" in first and "mailto:?subject=" in first
    assert client.get("/me/recruit").get_data(as_text=True).count(codes.display(code)) >= 1
    db.rollback()  # a fresh snapshot
    assert db.get(RecruitCode, me.id).code == code  # stable
    svg = client.get("/me/recruit/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"


def test_recruits_show_first_name_and_initial_and_their_first_shift(client, db, make_user, me):
    robin = make_volunteer(db, make_user, name="Robin Quentin Newcomer", recruited_by=me, email="robin@example.org")
    sam = make_volunteer(db, make_user, name="Sam Second", recruited_by=me)
    make_volunteer(db, make_user, name="Other Person")  # not Asha's
    attended(db, sam)
    html = client.get("/me/recruit").get_data(as_text=True)
    assert "Robin N." in html and "Sam S." in html and "Other" not in html
    assert "Newcomer" not in html and "robin@example.org" not in html and "Quentin" not in html
    assert "2 of 10 joined through you" in html
    assert html.count("first shift done") == 1 and "Send Robin a welcome email" in html
    assert "Send Sam" not in html


def test_a_welcome_email_goes_once_a_week_at_most(client, db, make_user, smtp, me, auth):
    robin = make_volunteer(db, make_user, name="Robin Newcomer", recruited_by=me, email="robin@example.org")
    token = auth.csrf_token("/me/recruit")
    client.post("/me/recruit/welcome", data={"recruit_id": robin.id, "csrf_token": token})
    [message] = smtp.to("robin@example.org")
    assert "Asha says welcome" in message["Subject"] and "/get-involved" in smtp.body(message)
    again = client.post("/me/recruit/welcome", data={"recruit_id": robin.id, "csrf_token": token}, follow_redirects=True)
    assert "one welcome every 7 days" in again.get_data(as_text=True)
    assert len(smtp.to("robin@example.org")) == 1
    assert len(db.exec(select(WelcomeNudge)).all()) == 1


def test_welcoming_someone_else_s_recruit_sends_nothing(client, db, make_user, smtp, me, auth):
    other = make_volunteer(db, make_user, name="Other Recruiter")
    theirs = make_volunteer(db, make_user, name="Not Mine", recruited_by=other, email="notmine@example.org")
    token = auth.csrf_token("/me/recruit")
    for recruit_id in (theirs.id, 2**63, -1, "junk"):
        page = client.post("/me/recruit/welcome", data={"recruit_id": recruit_id, "csrf_token": token},
                           follow_redirects=True)
        assert page.status_code == 200
    assert smtp.to("notmine@example.org") == [] and db.exec(select(WelcomeNudge)).all() == []


def test_a_new_code_retires_the_old_link(client, db, me, auth):
    client.get("/me/recruit")
    old = db.get(RecruitCode, me.id).code
    page = client.post("/me/recruit/new-code", data={"csrf_token": auth.csrf_token("/me/recruit")},
                       follow_redirects=True).get_data(as_text=True)
    db.rollback()  # a fresh snapshot
    new = db.get(RecruitCode, me.id).code
    assert new != old and f"Your new code is {codes.display(new)}" in page


def test_a_pin_joiner_has_no_recruiting_page(client):
    assert client.get("/me/recruit").status_code == 302  # anonymous: sign in first
