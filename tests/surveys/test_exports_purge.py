"""The new answers in the contacts export (one column per question version, headed by its own
wording), in a subject-access export, and gone after a purge."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.db import write_transaction
from app.models import ContactEvent, SurveyAnswer, utcnow
from app.ops import export_person
from app.purge import purge_personal_data
from app.surveys import operations
from tests.support.canvass import done, outcome, post
from tests.support.exports import download


def _person(db, door) -> int:
    return db.execute(sa.text("SELECT id FROM people WHERE household_id = :h ORDER BY id"), {"h": door.id}).scalar()


def _answer(client, token, db, field, door, answers: dict) -> str:
    item = outcome(door, field.mine, "spoke", responses=[{"person_id": _person(db, door), "answers": answers}])
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    done(db)
    return item["id"]


def test_each_version_has_its_own_column_headed_by_its_wording(client, token, auth, field, db, settings, asked):
    v = asked.versions
    _answer(client, token, db, field, field.my_doors[0], {str(v["single"]): "Roads", str(v["multiple"]): ["Pool", "Buses"]})
    write_transaction(db, lambda s: operations.edit_question(s, question_id=asked.questions["single"],
                                                             prompt="Biggest problem", choices=["Roads", "Bins"],
                                                             settings=settings))
    new = db.execute(sa.text("SELECT max(id) FROM survey_question_versions")).scalar()
    _answer(client, token, db, field, field.my_doors[1], {str(new): "Bins"})
    done(db)
    auth.login_as("organiser")
    response, rows = download(client, "contacts")
    assert response.status_code == 200
    header = response.get_data().decode("utf-8-sig").splitlines()[0].split(",")
    assert header[-6:] == ["Are you registered to vote?", "Biggest local issue (v1)", "Biggest problem (v2)",
                           "Which services do you use?", "How many voters live here?", "Anything else?"]
    answered = {r["Household ID"]: r for r in rows if r["Biggest local issue (v1)"] or r["Biggest problem (v2)"]}
    first, second = answered[str(field.my_doors[0].id)], answered[str(field.my_doors[1].id)]
    assert (first["Biggest local issue (v1)"], first["Biggest problem (v2)"]) == ("Roads", "")
    assert first["Which services do you use?"] == "Pool; Buses"
    assert (second["Biggest local issue (v1)"], second["Biggest problem (v2)"]) == ("", "Bins")
    # The people export: each person's latest answer to each version, in the same columns.
    response, people = download(client, "people")
    by_id = {r["Person ID"]: r for r in people}
    ada = by_id[str(_person(db, field.my_doors[0]))]
    assert (ada["Biggest local issue (v1)"], ada["Which services do you use?"]) == ("Roads", "Pool; Buses")
    assert by_id[str(_person(db, field.my_doors[1]))]["Biggest problem (v2)"] == "Bins"
    done(db)


def test_subject_access_shows_the_wording_answered_and_a_purge_removes_the_answers(client, token, field, db, settings,
                                                                                      asked):
    door = field.my_doors[2]
    event_id = _answer(client, token, db, field, door, {str(asked.versions["yes_no"]): False,
                                                        str(asked.versions["text"]): "Bins are late"})
    person = _person(db, door)
    done(db)
    data = export_person(db, person_id=person)
    [contact] = [c for c in data["contacts"] if c["id"] == event_id]
    assert contact["answers"] == [{"question": "Are you registered to vote?", "version": 1, "answer": "no"},
                                  {"question": "Anything else?", "version": 1, "answer": "Bins are late"}]
    done(db)
    counts = write_transaction(db, lambda s: purge_personal_data(s, before=utcnow() + timedelta(days=1),
                                                                 settings=settings))
    assert counts["question_answers_removed"] == 2
    assert db.execute(sa.select(sa.func.count()).select_from(SurveyAnswer)).scalar() == 0
    assert db.get(ContactEvent, event_id) is not None  # the event stays, scrubbed, for the counts
