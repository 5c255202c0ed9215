"""A list its holder no longer holds: reopening it says so plainly (410 list_closed), and the
organiser sees the outcomes that could not be stored on the list's pages."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.models import Assignment, WalkList, utcnow
from tests.support.canvass import outcome, post
from tests.support.web import AuthActions


def _end_hold(db, field, how: str) -> None:
    if how == "released":
        walk_list = db.get(WalkList, field.mine.id)
        walk_list.status, walk_list.released_at = "released", utcnow() - timedelta(minutes=5)
    else:
        for row in db.exec(sa.select(Assignment).where(Assignment.walk_list_id == field.mine.id)).scalars():
            row.unassigned_at = utcnow() - timedelta(minutes=5)
    db.commit()


@pytest.mark.parametrize("how, words", [("released", "was released at"), ("unassigned", "was unassigned from you at")])
def test_reopening_a_closed_list_says_what_happened(client, field, db, how, words):
    _end_hold(db, field, how)
    for path in (f"/canvass/lists/{field.mine.id}", f"/canvass/lists/{field.mine.id}/map"):
        page = client.get(path)
        assert page.status_code == 410
        html = page.get_data(as_text=True)
        assert "This list is closed" in html and f"Walk list {field.mine.name} {words}" in html
        assert "will still be sent" in html and 'href="/canvass/"' in html
    response = client.get(f"/api/lists/{field.mine.id}")
    assert response.status_code == 410
    body = response.get_json()
    assert body["error"] == "list_closed" and f"{field.mine.name} {words}" in body["message"]
    assert "72 hours" in body["message"]


def test_someone_elses_list_is_still_a_plain_403(client, field, db):
    walk_list = db.get(WalkList, field.theirs.id)
    walk_list.status, walk_list.released_at = "released", utcnow()
    db.commit()
    assert client.get(f"/canvass/lists/{field.theirs.id}").status_code == 403
    response = client.get(f"/api/lists/{field.theirs.id}")
    assert (response.status_code, response.get_json()["error"]) == (403, "forbidden")


def test_the_organiser_sees_what_could_not_be_stored(app, client, token, field, db, make_user):
    late = outcome(field.my_doors[1], field.mine, recorded_at=(utcnow() - timedelta(minutes=1)).isoformat())
    _end_hold(db, field, "released")
    stranger = {**outcome(field.my_doors[0]), "household_id": 987654}
    results = post(client, token, [late, stranger]).get_json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    organiser = app.test_client()
    AuthActions(organiser, make_user).login_as("organiser")
    lists = organiser.get("/organiser/lists").get_data(as_text=True)
    assert "2 outcomes sent from" in lists and "1 for doors\n  not on any list their sender held" in lists
    assert "1 not stored" in lists
    detail = organiser.get(f"/organiser/lists/{field.mine.id}").get_data(as_text=True)
    assert f"1 outcome from {field.me.email} could not be stored" in detail
    assert field.my_doors[1].address in detail and "this door was recorded after that." in detail
    assert "987654" not in detail  # a door on no list of the sender's is not this list's
    audit = organiser.get("/organiser/audit?action=outcome.refused").get_data(as_text=True)
    assert late["id"] in audit and stranger["id"] in audit
