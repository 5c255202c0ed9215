"""A module's quiz: stored as JSON ``[{"question": ..., "choices": [...], "answer": index}]``
(``answer`` counts from 0); edited as one block per question (its text, its choices one per line,
the number of the right one counting from 1); graded all or nothing."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Mapping, Sequence

from ..errors import ValidationError

MAX_QUESTIONS = 10
MAX_CHOICES = 8
MAX_QUESTION_CHARS = 500
MAX_CHOICE_CHARS = 200


@dataclass(frozen=True)
class Question:
    question: str
    choices: tuple[str, ...]
    answer: int  # index into choices

    def as_json(self) -> dict:
        return {"question": self.question, "choices": list(self.choices), "answer": self.answer}


def question_problems(question: str, choices: Sequence[str], answer) -> list[str]:
    """What is wrong with one question (empty: nothing). ``answer`` is 1-based text or int as typed."""
    problems = []
    if not question:
        problems.append("Write the question.")
    elif len(question) > MAX_QUESTION_CHARS:
        problems.append(f"Keep the question under {MAX_QUESTION_CHARS} characters.")
    if len(choices) < 2:
        problems.append("Give at least two choices, one per line.")
    elif len(choices) > MAX_CHOICES:
        problems.append(f"Give at most {MAX_CHOICES} choices.")
    if any(len(c) > MAX_CHOICE_CHARS for c in choices):
        problems.append(f"Keep each choice under {MAX_CHOICE_CHARS} characters.")
    if len({c.casefold() for c in choices}) != len(choices):
        problems.append("Two choices are the same: make each one different.")
    number = _whole_number(answer)
    if number is None or not 1 <= number <= max(len(choices), 1):
        span = f"from 1 to {len(choices)}" if len(choices) >= 2 else "of one of the choices"
        problems.append(f"The right answer must be the number {span}.")
    return problems


def _whole_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def from_blocks(blocks: Sequence[tuple[str, str, str]]) -> tuple[list[Question], dict[int, list[str]]]:
    """The editor's blocks (question, choices one per line, right choice's number from 1) as
    questions, and the problems of each block by its index. Blocks left wholly empty are skipped."""
    questions, problems = [], {}
    for index, (text, choices_text, answer) in enumerate(blocks):
        text = (text or "").strip()
        choices = [line.strip() for line in (choices_text or "").splitlines() if line.strip()]
        if not text and not choices and not str(answer or "").strip():
            continue
        found = question_problems(text, choices, answer)
        if found:
            problems[index] = found
        else:
            questions.append(Question(text, tuple(choices), _whole_number(answer) - 1))
    if len(questions) > MAX_QUESTIONS:
        problems.setdefault(len(blocks) - 1, []).append(f"A quiz has at most {MAX_QUESTIONS} questions.")
    return questions, problems


def check(items) -> list[Question]:
    """Stored-form items (``answer`` from 0) as questions, or ValidationError naming each bad one."""
    if not isinstance(items, list):
        raise ValidationError("A quiz is a list of questions.")
    if len(items) > MAX_QUESTIONS:
        raise ValidationError(f"A quiz has at most {MAX_QUESTIONS} questions.")
    questions, details = [], []
    for number, item in enumerate(items, 1):
        if not isinstance(item, Mapping):
            details.append(f"Question {number}: not a question.")
            continue
        text, choices, answer = item.get("question"), item.get("choices"), item.get("answer")
        if not isinstance(text, str) or not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            details.append(f"Question {number}: needs a question and a list of choices.")
            continue
        shown = answer + 1 if isinstance(answer, int) and not isinstance(answer, bool) else None
        found = question_problems(text.strip(), [c.strip() for c in choices], shown)
        if found:
            details.extend(f"Question {number}: {p}" for p in found)
        else:
            questions.append(Question(text.strip(), tuple(c.strip() for c in choices), answer))
    if details:
        raise ValidationError("The quiz has mistakes: " + " ".join(details), details=details)
    return questions


def load(text: str) -> list[Question]:
    """The stored quiz; a quiz that is not valid JSON or not a valid quiz is a ValidationError."""
    try:
        items = json.loads(text or "[]")
    except ValueError:
        raise ValidationError("The stored quiz is not valid JSON.") from None
    return check(items)


def dump(questions: Sequence[Question]) -> str:
    return json.dumps([q.as_json() for q in questions], ensure_ascii=False)


def grade(questions: Sequence[Question], answers: Mapping[str, str]) -> list[int]:
    """The numbers (from 1) of the questions answered wrongly or not at all. ``answers`` maps
    ``answer-<index>`` to the chosen choice's index, as the quiz form sends them."""
    wrong = []
    for index, question in enumerate(questions):
        chosen = _whole_number(answers.get(f"answer-{index}"))
        if chosen != question.answer:
            wrong.append(index + 1)
    return wrong
