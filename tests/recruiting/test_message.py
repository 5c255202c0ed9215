"""The organiser's share message: placeholders checked (an unknown one is a clear error that
changes nothing), then every volunteer's share buttons carry it."""
from __future__ import annotations

import pytest
from sqlmodel import select

from app.errors import ValidationError
from app.models import RecruitMessage
from app.recruiting import message
from tests.support.recruiting import make_volunteer


@pytest.mark.parametrize("body, error", [
    ("Join me {nmae}: {link}", "Unknown placeholder {nmae}"),
    ("Join me {0} {link}", "Unknown placeholder {0}"),
    ("Join me {name!r} {link}", "Unknown placeholder {name}"),
    ("Join me {link:>20}", "Unknown placeholder {link}"),
    ("Join me {link", "has no partner"),
    ("Join me }", "has no partner"),
    ("Join me, no link", "Put {link}"),
    ("   ", "Write the message"),
    ("x" * 1001 + "{link}", "under 1000 characters"),
])
def test_bad_messages_say_what_to_fix(body, error):
    with pytest.raises(ValidationError, match=error.replace("{", r"\{").replace("}", r"\}")):
        message.check(body)


def test_an_organiser_edits_the_message_and_volunteers_share_it(app, client, db, auth, make_user):
    auth.login_as(roles="organiser")
    token = auth.csrf_token("/recruiting/message")
    bad = client.post("/recruiting/message", data={"body": "Hi {frend} {link}", "csrf_token": token})
    assert bad.status_code == 422 and "Unknown placeholder {frend}" in bad.get_data(as_text=True)
    assert db.exec(select(RecruitMessage)).all() == []
    db.rollback()  # no read snapshot held while the app writes
    good = client.post("/recruiting/message", data={"body": "{name} asks: come canvass! {link} {{braces}}",
                                                    "csrf_token": token}, follow_redirects=True)
    assert "The share message is saved" in good.get_data(as_text=True)
    auth.logout()
    vol = make_volunteer(db, make_user, name="Vic Volunteer")
    auth.login(vol.email)
    page = client.get("/me/recruit").get_data(as_text=True)
    assert "Vic asks: come canvass! http://localhost/get-involved?r=" in page and "{braces}" in page


def test_only_organisers_edit_the_message(client, db, auth):
    auth.login_as(roles="volunteer")
    token = auth.csrf_token("/me")
    assert client.post("/recruiting/message", data={"body": "{link}", "csrf_token": token}).status_code == 403
    assert db.exec(select(RecruitMessage)).all() == []
