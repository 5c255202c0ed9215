"""The organiser's survey pages and the caller's form: add, edit (a new version), retire, the
scale's refusal, choosing a list's survey, and the caller answering the sheet's questions."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, ListSurvey, Question, QuestionVersion, SurveyAnswer
from tests.support.canvass import done
from tests.support.phonebank import make_callee  # noqa: F401  (fixture)
from tests.support.web import csrf_token_from


def _form(client, path: str) -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _count(db, model) -> int:
    done(db)
    return db.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def test_an_organiser_adds_edits_and_retires_a_question(client, auth, db):
    auth.login_as("organiser")
    page = client.get("/organiser/survey/")
    assert page.status_code == 200 and 'id="not-seeded"' in page.get_data(as_text=True)
    token = _form(client, "/organiser/survey/questions/new")
    response = client.post("/organiser/survey/questions/new", data={
        "csrf_token": token, "kind": "single", "prompt": "Biggest local issue", "choices": "Housing\nRoads\n\nParks"})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    done(db)
    question = db.execute(sa.select(Question)).scalar_one()
    from app.surveys.queries import current_specs, default_survey
    assert [s.question_id for s in current_specs(db, survey_id=default_survey(db).id)] == [question.id]
    path = f"/organiser/survey/questions/{question.id}"
    html = client.get(path).get_data(as_text=True)
    assert "Housing\nRoads\nParks" in html and "Saving a change makes version 2" in html
    response = client.post(path, data={"csrf_token": _form(client, path), "prompt": "Biggest issue on your street",
                                       "choices": "Housing\nRoads\nParks"})
    assert response.status_code == 302
    assert "Saved as version 2" in client.get("/organiser/survey/").get_data(as_text=True)
    done(db)
    versions = db.execute(sa.select(QuestionVersion.version, QuestionVersion.prompt).order_by(QuestionVersion.id)).all()
    assert versions == [(1, "Biggest local issue"), (2, "Biggest issue on your street")]
    response = client.post(f"{path}/retire", data={"csrf_token": _form(client, "/organiser/survey/"), "retired": "yes"})
    assert response.status_code == 302
    done(db)
    db.expire_all()
    assert db.get(Question, question.id).retired_at is not None
    actions = db.execute(sa.select(AuditEntry.action).where(AuditEntry.action != "auth.login").order_by(AuditEntry.id)).scalars().all()
    assert actions == ["survey.seed", "question.add", "question.edit", "question.retire"]


@pytest.mark.parametrize("data, message", [
    ({"kind": "single", "prompt": "Pick one", "choices": "Only"}, "2 to 30 choices"),
    ({"kind": "number", "prompt": "How many", "min_value": "5", "max_value": "2"}, "larger than the largest"),
    ({"kind": "number", "prompt": "How many", "min_value": "9" * 30}, "whole number"),
    ({"kind": "text", "prompt": ""}, "Write the question"),
    ({"kind": "nonsense", "prompt": "Hm"}, "Not a valid choice"),
])
def test_a_bad_question_is_a_clear_422_and_saves_nothing(client, auth, db, data, message):
    auth.login_as("organiser")
    response = client.post("/organiser/survey/questions/new",
                           data={"csrf_token": _form(client, "/organiser/survey/questions/new"), **data})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _count(db, Question) == 0


def test_the_scale_page_refuses_to_drop_a_used_value(client, auth, db, field, token):
    from tests.support.canvass import outcome, post

    person = db.execute(sa.text("SELECT id FROM people WHERE household_id = :h"), {"h": field.my_doors[0].id}).scalar()
    post(client, token, [outcome(field.my_doors[0], field.mine, "spoke", responses=[{"person_id": person,
                                                                                       "support_level": "3"}])])
    done(db)
    auth.login_as("organiser")
    token = _form(client, "/organiser/survey/scale")
    rows = {"value": ["1", "2", "4", "5", "6"], "label": ["Strong", "Lean", "Lean against", "Strong against", "Other"],
            "leaning": ["supporter", "supporter", "against", "against", "undecided"]}
    response = client.post("/organiser/survey/scale", data={"csrf_token": token, **rows})
    assert response.status_code == 422
    assert "The value 3 (Undecided) cannot be removed: 1 answers use it" in response.get_data(as_text=True)
    rows = {k: v[:2] + [x] + v[2:] for (k, v), x in zip(rows.items(), ["3", "Not sure", "undecided"])}
    assert client.post("/organiser/survey/scale", data={"csrf_token": token, **rows}).status_code == 302
    assert "<strong>3</strong> Not sure" in client.get("/organiser/survey/").get_data(as_text=True)
    assert client.post("/organiser/survey/scale", data={"csrf_token": token, "value": ["1"], "label": []}).status_code == 422


def test_an_organiser_chooses_a_list_s_survey_on_its_page(client, auth, db, field, settings, asked):
    auth.login_as("organiser")
    html = client.get(f"/organiser/lists/{field.mine.id}").get_data(as_text=True)
    assert "Are you registered to vote?" in html and 'id="survey-choice"' in html
    token = csrf_token_from(html)
    for bad in ("abc", "0", "99999999999"):
        response = client.post(f"/organiser/survey/lists/{field.mine.id}", data={"csrf_token": token, "survey": bad})
        assert response.status_code == 422
    assert client.post(f"/organiser/survey/lists/{field.mine.id}", data={"csrf_token": token, "survey": "999"}).status_code == 404
    assert _count(db, ListSurvey) == 0
    response = client.post(f"/organiser/survey/lists/{field.mine.id}", data={"csrf_token": token,
                                                                             "survey": str(asked.survey_id)})
    assert response.status_code == 302
    done(db)
    assert db.get(ListSurvey, field.mine.id).survey_id == asked.survey_id


@pytest.mark.parametrize("app", [{"PHONEBANK": {"calling_window": ["00:00", "00:00"]}}], indirect=True)
def test_the_caller_reads_the_filled_script_and_answers_the_questions(client, auth, db, settings, asked, make_callee):
    from app.db import write_transaction
    from app.surveys.operations_surveys import save_survey

    write_transaction(db, lambda s: save_survey(
        s, survey_id=asked.survey_id, name="Main survey", door_script="", phone_script="Hello {first_name} on {street}!",
        question_ids=list(asked.questions.values()), settings=settings))
    person = make_callee()
    auth.login_as("caller", name="Casey")
    response = client.post("/phonebank/next", data={"csrf_token": auth.csrf_token("/phonebank/")})
    path = response.headers["Location"]
    html = client.get(path).get_data(as_text=True)
    assert f"Hello {person.first_name} on " in html and "Biggest local issue" in html and "How many voters live here?" in html
    event_id = re.search(r'name="event_id"[^>]*value="([^"]+)"', html).group(1)
    v = asked.versions
    data = {"csrf_token": csrf_token_from(html), "event_id": event_id, "code": "spoke", "then": "stop",
            f"q-{v['yes_no']}": "no", f"q-{v['single']}": "Roads", f"q-{v['multiple']}": ["Pool", "Library"],
            f"q-{v['number']}": "11"}
    refused = client.post(f"{path}/outcome", data=data)
    assert refused.status_code == 422 and "must be at most 10" in refused.get_data(as_text=True)
    assert 'value="Roads"\n        checked' in refused.get_data(as_text=True)  # what was typed is still there
    assert _count(db, SurveyAnswer) == 0
    data[f"q-{v['number']}"] = "2"
    assert client.post(f"{path}/outcome", data=data).status_code == 302
    done(db)
    stored = dict(db.execute(sa.select(SurveyAnswer.question_version_id, SurveyAnswer.value)).all())
    assert stored == {v["yes_no"]: "no", v["single"]: "Roads", v["multiple"]: '["Library", "Pool"]', v["number"]: "2"}
    # The call's page (and the next call to this household) shows them in its history, as answered.
    html = client.get(path).get_data(as_text=True)
    assert "· Are you registered to vote?: no" in html and "· Biggest local issue: Roads" in html
