"""The demo's canvasser knows a few people: one talked to, one confirmed, one to confirm, one not found."""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import select

from app.models import ContactEvent, RelationalEntry, User
from tests.support.web import AuthActions


def test_the_demo_canvasser_has_people_they_know(runner, client, db, make_user):
    result = runner.invoke(args=["demo", "--households", "300", "--seed", "5"])
    assert result.exit_code == 0, result.output
    canvasser = db.exec(select(User).where(User.email == "canvasser@demo.legwork")).one()
    entries = db.exec(select(RelationalEntry).where(RelationalEntry.owner_id == canvasser.id)).all()
    assert len(entries) == 4
    assert sum(e.person_id is not None for e in entries) == 2
    assert sum(e.suggested_person_id is not None for e in entries) == 1
    talks = db.execute(sa.select(ContactEvent.code).where(ContactEvent.channel == "relational")).scalars().all()
    assert talks == ["will_vote"]
    password = dict(re.findall(r"(\S+@demo\.legwork)\s+password: (\S+)", result.output))["canvasser@demo.legwork"]
    assert AuthActions(client, make_user).login("canvasser@demo.legwork", password).status_code == 302
    page = client.get("/me/people").get_data(as_text=True)
    assert "We think this is your neighbour on" in page and "Morgan Quillfeather" in page
    assert "Last time: Talked: will vote" in client.get("/me/people/talk").get_data(as_text=True)
