"""Questions, versions, the scale and scripts (app.surveys.operations*): each change audited, and
an answer keeps the wording it answered."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.errors import ValidationError
from app.models import AuditEntry, Question, QuestionVersion, SupportValue, Survey, SurveyAnswer
from app.surveys import operations, queries
from app.surveys.operations_surveys import choose_for_list, save_survey
from app.surveys.seed import seed_from_config
from tests.support.canvass import done, outcome, post


def _actions(db) -> list[str]:
    return list(db.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars())


def test_the_first_edit_seeds_the_campaign_from_config_once(db, settings):
    assert write_transaction(db, lambda s: seed_from_config(s, settings=settings)) is True
    assert write_transaction(db, lambda s: seed_from_config(s, settings=settings)) is False
    scale = db.execute(sa.select(SupportValue.value, SupportValue.label, SupportValue.leaning)
                       .order_by(SupportValue.position)).all()
    assert [(v, label) for v, label, _ in scale] == list(settings.support_scale)
    assert {v for v, _, lean in scale if lean == "supporter"} == set(settings.supporter_values)
    [survey] = db.execute(sa.select(Survey)).scalars()
    assert survey.is_default and survey.phone_script == settings.phonebank.script
    assert _actions(db) == ["survey.seed"]


def test_editing_wording_makes_a_version_and_an_old_answer_keeps_its_meaning(client, token, field, db, asked):
    door = field.my_doors[0]
    person = db.execute(sa.text("SELECT id FROM people WHERE household_id = :h ORDER BY id"), {"h": door.id}).scalar()
    old = asked.versions["single"]
    item = outcome(door, field.mine, "spoke", responses=[{"person_id": person, "answers": {str(old): "Roads"}}])
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"

    from app.config import settings as current
    new = write_transaction(db, lambda s: operations.edit_question(
        s, question_id=asked.questions["single"], prompt="Biggest problem on your street",
        choices=["Housing", "Potholes", "Parks"], settings=current()))
    assert (new.version, new.prompt) == (2, "Biggest problem on your street")
    assert write_transaction(db, lambda s: operations.edit_question(
        s, question_id=asked.questions["single"], prompt="Biggest problem on your street",
        choices=["Housing", "Potholes", "Parks"], settings=current())) is None  # unchanged: no version
    done(db)
    answer = db.execute(sa.select(SurveyAnswer)).scalar_one()
    answered = db.get(QuestionVersion, answer.question_version_id)
    assert (answered.id, answered.prompt, answer.value) == (old, "Biggest local issue", "Roads")
    # The phone now gets the new wording; a phone still showing the old one may still answer it.
    specs = {s.question_id: s for s in queries.current_specs(db, survey_id=asked.survey_id)}
    assert specs[asked.questions["single"]].version_id == new.id
    again = outcome(field.my_doors[1], field.mine, "spoke", responses=[{
        "person_id": db.execute(sa.text("SELECT id FROM people WHERE household_id = :h"), {"h": field.my_doors[1].id}).scalar(),
        "answers": {str(old): "Parks"}}])
    assert post(client, token, [again]).get_json()["results"][0]["status"] == "stored"
    assert "question.edit" in _actions(db)


def test_bad_wording_is_refused_and_changes_nothing(db, settings, asked):
    before = db.execute(sa.select(sa.func.count()).select_from(QuestionVersion)).scalar()
    for kind, fields, message in [
        ("single", dict(prompt="Pick", choices=["Only one"]), "2 to"),
        ("single", dict(prompt="Pick", choices=["A", "A"]), "twice"),
        ("number", dict(prompt="How many", min_value=5, max_value=1), "larger"),
        ("number", dict(prompt="How many", min_value=10**13), "whole number"),
        ("text", dict(prompt="Say", max_length=0), "longest"),
        ("text", dict(prompt=" "), "1 to"),
        ("colour", dict(prompt="Favourite colour"), "kind"),
    ]:
        with pytest.raises(ValidationError, match=message):
            write_transaction(db, lambda s: operations.add_question(s, kind=kind, settings=settings, **fields))
    assert db.execute(sa.select(sa.func.count()).select_from(QuestionVersion)).scalar() == before


def test_retire_and_reorder(db, settings, asked):
    first, second = asked.questions["yes_no"], asked.questions["single"]
    write_transaction(db, lambda s: operations.move_question(s, question_id=second, step=-1, settings=settings))
    assert [r.question.id for r in queries.questions(db)][:2] == [second, first]
    write_transaction(db, lambda s: operations.set_retired(s, question_id=first, retired=True, settings=settings))
    assert first not in {s.question_id for s in queries.current_specs(db, survey_id=asked.survey_id)}
    assert db.get(Question, first).retired_at is not None
    assert _actions(db)[-2:] == ["question.move", "question.retire"]


def test_the_scale_relabels_and_grows_but_a_used_value_stays(client, token, field, db, settings):
    rows = [(v, label, "supporter" if v in settings.supporter_values else "against" if v in settings.against_values
             else "undecided") for v, label in settings.support_scale]
    item = outcome(field.my_doors[0], field.mine, "spoke", responses=[{
        "person_id": db.execute(sa.text("SELECT id FROM people WHERE household_id = :h"), {"h": field.my_doors[0].id}).scalar(),
        "support_level": "5"}])
    assert post(client, token, [item]).get_json()["results"][0]["status"] == "stored"
    done(db)
    with pytest.raises(ValidationError, match="value 5 .* cannot be removed: 1 answers"):
        write_transaction(db, lambda s: operations.save_scale(s, rows=rows[:4], settings=settings))
    with pytest.raises(ValidationError, match="its leaning cannot change"):
        write_transaction(db, lambda s: operations.save_scale(s, rows=rows[:4] + [("5", "Strong against", "undecided")],
                                                              settings=settings))
    grown = [("1", "Definitely us", "supporter")] + rows[1:3] + [rows[4], ("6", "Other party", "against")]  # 4 unused: gone
    write_transaction(db, lambda s: operations.save_scale(s, rows=grown, settings=settings))
    from app.config import settings as current
    campaign = current()
    assert campaign.support_scale == tuple((v, label) for v, label, _ in grown)
    assert campaign.against_values == {"5", "6"}
    # The phone may now answer 6; 4 is off the scale.
    ids = db.execute(sa.text("SELECT id FROM people WHERE household_id = :h"), {"h": field.my_doors[1].id}).scalar()
    results = post(client, token, [outcome(field.my_doors[1], field.mine, "spoke", responses=[{"person_id": ids, "support_level": "6"}]),
                                   outcome(field.my_doors[2], field.mine, "spoke", responses=[{
                                       "person_id": db.execute(sa.text("SELECT id FROM people WHERE household_id = :h"),
                                                               {"h": field.my_doors[2].id}).scalar(),
                                       "support_level": "4"}])]).get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "rejected"]


@pytest.mark.parametrize("field_name, text, message", [
    ("door_script", "Hello {voter}", r"\{voter\}"), ("phone_script", "Hi {canvasser_name}", r"\{canvasser_name\}"),
    ("phone_script", "Hi {first_name", "stray brace")])
def test_a_script_with_a_placeholder_it_cannot_fill_is_refused(db, settings, asked, field_name, text, message):
    survey = db.get(Survey, asked.survey_id)
    fields = {"door_script": survey.door_script, "phone_script": survey.phone_script, field_name: text}
    with pytest.raises(ValidationError, match=message):
        write_transaction(db, lambda s: save_survey(s, survey_id=survey.id, name=survey.name, question_ids=[],
                                                    settings=settings, **fields))
    db.expire_all()
    assert getattr(db.get(Survey, asked.survey_id), field_name) != text


def test_a_list_s_own_survey_asks_its_own_questions(client, token, field, db, settings, asked):
    other = write_transaction(db, lambda s: save_survey(s, survey_id=None, name="Short", door_script="Hi {street}",
                                                        phone_script="", question_ids=[asked.questions["yes_no"]],
                                                        settings=settings))
    write_transaction(db, lambda s: choose_for_list(s, walk_list_id=field.mine.id, survey_id=other.id, settings=settings))
    payload = client.get(f"/api/lists/{field.mine.id}").get_json()
    assert [q["prompt"] for q in payload["questions"]] == ["Are you registered to vote?"]
    assert payload["door_script"] == "Hi {street}"  # the phone fills the street per door
    person = db.execute(sa.text("SELECT id FROM people WHERE household_id = :h"), {"h": field.my_doors[0].id}).scalar()
    item = outcome(field.my_doors[0], field.mine, "spoke",
                   responses=[{"person_id": person, "answers": {str(asked.versions["single"]): "Roads"}}])
    [result] = post(client, token, [item]).get_json()["results"]
    assert result["status"] == "rejected" and f"walk list {field.mine.id}" in result["reason"]
    done(db)
    assert "survey.choose" in _actions(db)
