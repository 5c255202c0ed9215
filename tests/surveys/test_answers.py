"""Answers on the one contact path (POST /api/outcomes, the caller's form): checked against the
version's kind, stored once with their event, or the whole outcome rejected with the reason."""
from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from app.db import write_transaction
from app.models import ContactEvent, SurveyAnswer, SurveyResponse
from app.surveys import operations
from tests.support.canvass import done, outcome, post


def _person(db, door) -> int:
    return db.execute(sa.text("SELECT id FROM people WHERE household_id = :h ORDER BY id"), {"h": door.id}).scalar()


def _count(db, model) -> int:
    done(db)
    return db.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def test_every_kind_is_stored_once_however_often_the_phone_resends(client, token, field, db, asked):
    door = field.my_doors[0]
    v = asked.versions
    answers = {str(v["yes_no"]): True, str(v["single"]): "Parks", str(v["multiple"]): ["Buses", "Library"],
               str(v["number"]): 3, str(v["text"]): "  Fix the lights  "}
    item = outcome(door, field.mine, "spoke", responses=[{"person_id": _person(db, door), "answers": answers}])
    statuses = [post(client, token, [item]).get_json()["results"][0]["status"] for _ in range(3)]
    assert statuses == ["stored", "duplicate", "duplicate"]
    done(db)
    stored = dict(db.execute(sa.select(SurveyAnswer.question_version_id, SurveyAnswer.value)
                             .where(SurveyAnswer.event_id == item["id"])).all())
    assert stored == {v["yes_no"]: "yes", v["single"]: "Parks", v["multiple"]: json.dumps(["Library", "Buses"]),
                      v["number"]: "3", v["text"]: "Fix the lights"}
    assert _count(db, SurveyAnswer) == 5


@pytest.mark.parametrize("kind, value, reason", [
    ("single", "Bins", "not one of the choices"), ("single", ["Roads"], "not one of the choices"),
    ("multiple", "Pool", "list of its choices"), ("multiple", ["Pool", "Sauna"], "'Sauna' is not one of"),
    ("yes_no", "yes", "yes or no"), ("yes_no", 1, "yes or no"),
    ("number", 11, "at most 10"), ("number", -1, "at least 0"), ("number", 2.5, "whole number"), ("number", "lots", "whole number"),
    ("text", "x" * 51, "longer than 50"), ("text", "a\x00b", "control character"), ("text", 7, "must be text"),
])
def test_an_answer_that_does_not_fit_rejects_the_outcome_and_stores_nothing(client, token, field, db, asked, kind, value,
                                                                              reason):
    door = field.my_doors[1]
    item = outcome(door, field.mine, "spoke", responses=[{"person_id": _person(db, door), "support_level": "1",
                                                         "answers": {str(asked.versions[kind]): value}}])
    [result] = post(client, token, [item]).get_json()["results"]
    assert result["status"] == "rejected" and reason in result["reason"], result
    assert (_count(db, ContactEvent), _count(db, SurveyResponse), _count(db, SurveyAnswer)) == (0, 0, 0)


@pytest.mark.parametrize("key", ["999999", "abc", "-1", str(2**70)])
def test_an_unknown_version_is_refused_with_a_reason(client, token, field, db, asked, key):
    door = field.my_doors[2]
    item = outcome(door, field.mine, "spoke", responses=[{"person_id": _person(db, door), "answers": {key: True}}])
    [result] = post(client, token, [item]).get_json()["results"]
    assert result["status"] == "rejected" and "is not asked on walk list" in result["reason"]
    assert _count(db, ContactEvent) == 0


def test_a_retired_question_takes_no_new_answers(client, token, field, db, settings, asked):
    write_transaction(db, lambda s: operations.set_retired(s, question_id=asked.questions["yes_no"], retired=True,
                                                           settings=settings))
    door = field.my_doors[3]
    item = outcome(door, field.mine, "spoke",
                   responses=[{"person_id": _person(db, door), "answers": {str(asked.versions["yes_no"]): True}}])
    [result] = post(client, token, [item]).get_json()["results"]
    assert result["status"] == "rejected" and "retired" in result["reason"]
    assert _count(db, SurveyAnswer) == 0


def test_answers_must_be_an_object(client, token, field, db, asked):
    door = field.my_doors[4]
    for junk in (["1"], "yes", 5):
        item = outcome(door, field.mine, "spoke", responses=[{"person_id": _person(db, door), "answers": junk}])
        [result] = post(client, token, [item]).get_json()["results"]
        assert result["status"] == "rejected" and "answers must be an object" in result["reason"]


@given(value=st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                       st.lists(st.sampled_from(["Library", "Pool", "Sauna"]), max_size=3)),
       kind=st.sampled_from(["yes_no", "single", "multiple", "number", "text"]))
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_whatever_the_value_the_answer_is_stored_as_checked_or_nothing_is(client, token, field, db, asked, kind, value):
    from app.surveys.kinds import BadAnswer, answer_value
    from app.surveys.queries import answerable

    spec = answerable(db, survey_ids={asked.survey_id})[asked.survey_id][asked.versions[kind]]
    done(db)
    try:
        expected = answer_value(spec, value)
    except BadAnswer:
        expected = BadAnswer
    door = field.my_doors[5]
    item = outcome(door, field.mine, "spoke", id=str(uuid.uuid4()),
                   responses=[{"person_id": _person(db, door), "answers": {str(spec.version_id): value}}])
    [result] = post(client, token, [item]).get_json()["results"]
    done(db)
    stored = db.execute(sa.select(SurveyAnswer.value).where(SurveyAnswer.event_id == item["id"])).scalars().all()
    if expected is BadAnswer:
        assert result["status"] == "rejected" and db.get(ContactEvent, item["id"]) is None
    else:
        assert result["status"] == "stored" and stored == ([] if expected is None else [expected])
