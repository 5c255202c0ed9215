"""``flask seed-training``: creates the starter modules that are missing, by slug, and never
touches an existing one; the demo seeds them too."""
from __future__ import annotations

import json

import sqlalchemy as sa

from app.models import TrainingModule
from app.training import quiz as quizlib
from app.training.render import to_html
from app.training.seed import MODULES


def modules(db) -> dict[str, TrainingModule]:
    db.expire_all()
    rows = {m.slug: m for m in db.execute(sa.select(TrainingModule)).scalars()}
    db.rollback()
    return rows


def test_seed_creates_the_four_modules(runner, db):
    result = runner.invoke(args=["seed-training"])
    assert result.exit_code == 0, result.output
    assert "Created training modules" in result.output
    found = modules(db)
    assert set(found) == {"knocking-on-a-door", "data-protection", "phone-banking", "telling-rules"}
    assert found["knocking-on-a-door"].required_for == "canvass"
    assert found["phone-banking"].required_for == "phone_bank"
    assert found["data-protection"].required_for == "" and found["telling-rules"].required_for == ""
    for module in found.values():
        assert 2 <= len(quizlib.load(module.quiz)) <= 3
        assert len(module.body) > 500 and "<h2>" in str(to_html(module.body))


def test_seed_is_idempotent_and_keeps_an_organisers_edits(runner, db):
    assert runner.invoke(args=["seed-training"]).exit_code == 0
    db.execute(sa.update(TrainingModule).where(TrainingModule.slug == "telling-rules")
               .values(title="Telling (our rules)", body="Edited.", quiz="[]", required_for="social"))
    db.execute(sa.delete(TrainingModule).where(TrainingModule.slug == "data-protection"))
    db.commit()
    result = runner.invoke(args=["seed-training"])
    assert result.exit_code == 0 and "data-protection" in result.output
    found = modules(db)
    assert len(found) == 4
    edited = found["telling-rules"]
    assert (edited.title, edited.body, edited.quiz, edited.required_for) == ("Telling (our rules)", "Edited.", "[]", "social")
    again = runner.invoke(args=["seed-training"])
    assert again.exit_code == 0 and "already there" in again.output and len(modules(db)) == 4


def test_the_seed_quizzes_are_valid_and_have_one_right_answer_each():
    for spec in MODULES:
        questions = quizlib.check(json.loads(json.dumps(spec["quiz"])))
        assert questions and all(0 <= q.answer < len(q.choices) for q in questions)


def test_the_demo_seeds_the_training_modules(runner, db):
    result = runner.invoke(args=["demo", "--households", "60", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "4 training modules" in result.output
    assert len(modules(db)) == 4
