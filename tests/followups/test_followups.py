"""The follow-up queue: made once per (event, person, kind) with the answer, worked, ticked off,
exported safely."""
from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from app.models import AuditEntry, FollowUp, Person
from tests.support.canvass import done, outcome, post


def _first_person(db, household):
    done(db)
    person = db.exec(sa.select(Person.id).where(Person.household_id == household.id).order_by(Person.id)).scalars().first()
    done(db)
    return person


def _follow_ups(db):
    done(db)
    rows = db.exec(sa.select(FollowUp.kind, FollowUp.person_id, FollowUp.note, FollowUp.status)
                   .order_by(FollowUp.kind)).all()
    done(db)
    return rows


def _ask(field, db, door=0):
    household = field.my_doors[door]
    person = _first_person(db, household)
    return outcome(household, field.mine, "spoke", follow_up="=HYPERLINK(\"x\") when is the count?",
                   responses=[{"person_id": person, "poster": True, "postal_vote": True, "volunteer_interest": True}]), person


def test_answers_that_ask_for_action_make_follow_ups_once(client, token, field, db):
    item, person = _ask(field, db)
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    first = _follow_ups(db)
    assert post(client, token, [item, dict(item)]).get_json()["results"][0]["status"] == "duplicate"
    assert _follow_ups(db) == first
    assert [(k, p) for k, p, _, _ in first] == [("postal_vote", person), ("poster", person), ("question", None),
                                                ("volunteer", person)]
    assert first[2][2].endswith("when is the count?") and {s for *_, s in first} == {"open"}


def test_a_plain_door_makes_no_follow_up(client, token, field, db):
    assert post(client, token, [outcome(field.my_doors[0], field.mine, "not_home")]).get_json()["results"][0]["status"] == "stored"
    assert _follow_ups(db) == []


def test_an_organiser_claims_and_ticks_off(client, token, field, db, auth):
    item, _ = _ask(field, db)
    post(client, token, [item])
    organiser = auth.login_as("organiser")
    page = client.get("/organiser/follow-ups?kind=poster")
    assert page.status_code == 200 and "Wants a poster" in page.get_data(as_text=True)
    poster = db.exec(sa.select(FollowUp).where(FollowUp.kind == "poster")).scalar_one()
    done(db)
    csrf = auth.csrf_token("/organiser/follow-ups")
    assert client.post(f"/organiser/follow-ups/{poster.id}/claim", data={"csrf_token": csrf}).status_code == 302
    assert client.post(f"/organiser/follow-ups/{poster.id}/done",
                       data={"csrf_token": csrf, "note": "Dropped one off"}).status_code == 302
    done(db)
    db.refresh(poster)
    assert (poster.status, poster.claimed_by_id, poster.done_by_id, poster.done_note) == (
        "done", organiser.id, organiser.id, "Dropped one off")
    actions = db.exec(sa.select(AuditEntry.action).where(AuditEntry.action.startswith("followup."))).scalars().all()
    assert sorted(actions) == ["followup.claim", "followup.done"]
    assert "Dropped one off" not in client.get("/organiser/follow-ups").get_data(as_text=True)  # done: off the queue
    assert "Dropped one off" in client.get("/organiser/follow-ups?status=done").get_data(as_text=True)


def test_the_export_is_formula_safe_and_audited(client, token, field, db, auth):
    item, _ = _ask(field, db)
    post(client, token, [item])
    auth.login_as("organiser")
    response = client.get("/organiser/follow-ups/export.csv?kind=question")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["id", "kind", "status"] and len(rows) == 2
    question = rows[1][rows[0].index("question")]
    assert question.startswith("'=HYPERLINK")
    done(db)
    entry = db.exec(sa.select(AuditEntry).where(AuditEntry.action == "export.follow_ups")).scalar_one()
    assert '"rows": 1' in entry.detail


def test_bad_filters_and_ids_are_clear_errors(client, auth):
    auth.login_as("organiser")
    assert client.get("/organiser/follow-ups?kind=pizza").status_code == 422
    assert client.get("/organiser/follow-ups?status=maybe").status_code == 422
    assert client.get("/organiser/follow-ups?ward=99999999999999999999").status_code == 422
    csrf = auth.csrf_token("/organiser/follow-ups")
    assert client.post("/organiser/follow-ups/2147483647/claim", data={"csrf_token": csrf}).status_code == 404
    assert client.post("/organiser/follow-ups/99999999999/done", data={"csrf_token": csrf}).status_code == 404


def test_a_canvasser_cannot_see_or_work_the_queue(client, token, field, db, auth):
    item, _ = _ask(field, db)
    post(client, token, [item])
    poster = db.exec(sa.select(FollowUp.id).where(FollowUp.kind == "poster")).scalar_one()
    done(db)
    assert client.get("/organiser/follow-ups").status_code == 403
    assert client.post(f"/organiser/follow-ups/{poster}/claim", data={"csrf_token": token}).status_code == 403
    assert _follow_ups(db)[1][3] == "open"
