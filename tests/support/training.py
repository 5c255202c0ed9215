"""Training modules for tests: a factory fixture (through the operations) and the editor's form data."""
from __future__ import annotations

import json

import pytest

from app.db import write_transaction
from app.training import operations as ops
from app.training import quiz as quizlib

QUIZ = [{"question": "Where do tellers stand?", "choices": ["Inside", "Outside"], "answer": 1},
        {"question": "May you demand an elector number?", "choices": ["Yes", "No", "Only politely"], "answer": 1}]


@pytest.fixture
def make_module(db):
    """A module written through the operations (as the organiser's form does)."""
    counter = iter(range(1, 10**6))

    def make(*, slug: str | None = None, title: str | None = None, body: str = "Some **text**.",
             quiz: list | None = None, required_for=()):
        n = next(counter)
        fields = ops.ModuleFields(slug=slug or f"module-{n}", title=title or f"Module {n}", body=body,
                                  quiz=quizlib.check(json.loads(json.dumps(QUIZ if quiz is None else quiz))),
                                  required_for=list(required_for))
        return write_transaction(db, lambda s: ops.create_module(s, fields=fields))

    return make


def form_for(module_title="Telling rules", slug="telling-rules", body="Stand **outside**.", kinds=(),
             questions=()) -> dict:
    """The editor's POST: ``questions`` as (question, choices text, answer number) blocks."""
    data = {"title": module_title, "slug": slug, "body": body, "required_for": list(kinds), "action": "save"}
    for i, (q, choices, answer) in enumerate(questions):
        data.update({f"questions-{i}-question": q, f"questions-{i}-choices": choices, f"questions-{i}-answer": answer})
    return data
