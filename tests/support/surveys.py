"""Survey set-up for tests: the campaign seeded from config.toml and one question of each kind in
the default survey, made through app.surveys.operations as the organiser's pages make them."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.config import settings as app_settings
from app.db import write_transaction
from app.surveys import operations, queries
from app.surveys.operations_surveys import save_survey

QUESTIONS = {
    "yes_no": dict(prompt="Are you registered to vote?"),
    "single": dict(prompt="Biggest local issue", choices=["Housing", "Roads", "Parks"]),
    "multiple": dict(prompt="Which services do you use?", choices=["Library", "Pool", "Buses"]),
    "number": dict(prompt="How many voters live here?", min_value=0, max_value=10),
    "text": dict(prompt="Anything else?", max_length=50),
}


@dataclass
class Asked:
    survey_id: int
    versions: dict   # kind -> version id
    questions: dict  # kind -> question id


@pytest.fixture
def settings(app):
    with app.app_context():
        yield app_settings()


def add_all(db, settings) -> Asked:
    versions, questions = {}, {}
    for kind, fields in QUESTIONS.items():
        question = write_transaction(db, lambda s, kind=kind, fields=fields: operations.add_question(
            s, kind=kind, settings=settings, survey_ids=[], **fields))
        questions[kind] = question.id
    survey = queries.default_survey(db)
    write_transaction(db, lambda s: save_survey(s, survey_id=survey.id, name=survey.name, door_script=survey.door_script,
                                                phone_script=survey.phone_script, question_ids=list(questions.values()),
                                                settings=settings))
    for kind, question_id in questions.items():
        versions[kind] = queries.versions_of(db, question_id=question_id)[0].id
    db.commit()
    return Asked(survey.id, versions, questions)


@pytest.fixture
def asked(db, settings) -> Asked:
    """One question of each kind, asked in the campaign's default survey."""
    return add_all(db, settings)
