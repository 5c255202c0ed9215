"""Quizzes: the editor's blocks are checked question by question, stored JSON is checked, and
grading is all or nothing."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.training import quiz as quizlib
from app.training.quiz import Question

Q = [Question("Where?", ("Inside", "Outside"), 1), Question("May you demand it?", ("Yes", "No", "Sometimes"), 1)]


@pytest.mark.parametrize("answers, wrong", [
    ({"answer-0": "1", "answer-1": "1"}, []),
    ({"answer-0": "0", "answer-1": "1"}, [1]),
    ({"answer-0": "1", "answer-1": "2"}, [2]),
    ({}, [1, 2]),                                       # unanswered is wrong
    ({"answer-0": "1"}, [2]),
    ({"answer-0": " 1 ", "answer-1": "01"}, []),        # what a browser could send for the same choice
    ({"answer-0": "-1", "answer-1": "1.0"}, [1, 2]),
    ({"answer-0": "x", "answer-1": ""}, [1, 2]),
    ({"answer-0": "1" * 5000, "answer-1": "١"}, [1, 2]),  # long and non-ASCII digits
    ({"answer-1": "1", "answer-0": "1", "answer-2": "0"}, []),  # extra keys ignored
])
def test_grade(answers, wrong):
    assert quizlib.grade(Q, answers) == wrong


@given(answers=st.dictionaries(st.sampled_from(["answer-0", "answer-1", "answer-2", "x"]), st.text(max_size=8)))
def test_grade_never_fails_and_only_all_right_passes(answers):
    wrong = quizlib.grade(Q, answers)
    assert set(wrong) <= {1, 2}
    right = all(answers.get(f"answer-{i}", "").strip().isascii() and answers.get(f"answer-{i}", "").strip().isdigit()
                and int(answers[f"answer-{i}"]) == q.answer for i, q in enumerate(Q))
    assert (wrong == []) == right


def test_no_quiz_is_passed_by_anything():
    assert quizlib.grade([], {"answer-0": "9"}) == []


def test_blocks_become_questions_and_empty_blocks_are_skipped():
    questions, problems = quizlib.from_blocks([
        ("  Where do tellers stand? ", "Inside\n\n  Outside  \r\n", "2"), ("", "", ""), ("Second?", "a\nb\nc", " 1 ")])
    assert problems == {}
    assert questions == [Question("Where do tellers stand?", ("Inside", "Outside"), 1), Question("Second?", ("a", "b", "c"), 0)]


@pytest.mark.parametrize("block, message", [
    (("", "a\nb", "1"), "Write the question."),
    (("Q?", "only one", "1"), "Give at least two choices, one per line."),
    (("Q?", "", "1"), "Give at least two choices, one per line."),
    (("Q?", "a\nb", ""), "The right answer must be the number from 1 to 2."),
    (("Q?", "a\nb", "3"), "The right answer must be the number from 1 to 2."),
    (("Q?", "a\nb", "0"), "The right answer must be the number from 1 to 2."),
    (("Q?", "a\nb", "-1"), "The right answer must be the number from 1 to 2."),
    (("Q?", "a\nb", "one"), "The right answer must be the number from 1 to 2."),
    (("Q?", "a\nb", "9" * 40), "The right answer must be the number from 1 to 2."),
    (("Q?", "a\nA", "1"), "Two choices are the same: make each one different."),
    (("Q?", "\n".join("abcdefghi"), "1"), "Give at most 8 choices."),
    (("Q" * 501, "a\nb", "1"), "Keep the question under 500 characters."),
    (("Q?", "a\n" + "b" * 201, "1"), "Keep each choice under 200 characters."),
])
def test_each_bad_block_says_what_to_fix(block, message):
    questions, problems = quizlib.from_blocks([("Fine?", "yes\nno", "1"), block])
    assert questions == [Question("Fine?", ("yes", "no"), 0)]
    assert message in problems[1], problems


def test_too_many_questions():
    blocks = [(f"Q{i}?", "a\nb", "1") for i in range(quizlib.MAX_QUESTIONS + 1)]
    _, problems = quizlib.from_blocks(blocks)
    assert any("at most" in p for ps in problems.values() for p in ps)


@pytest.mark.parametrize("text, message", [
    ("not json", "not valid JSON"),
    ('{"question": "x"}', "A quiz is a list of questions."),
    ('[1]', "Question 1: not a question."),
    ('[{"question": "Q", "choices": "a,b", "answer": 0}]', "Question 1: needs a question and a list of choices."),
    ('[{"question": "Q", "choices": ["a", "b"], "answer": 2}]', "Question 1: The right answer must be the number from 1 to 2."),
    ('[{"question": "Q", "choices": ["a", "b"], "answer": true}]', "Question 1: The right answer"),
    ('[{"question": "Q", "choices": ["a", "b"], "answer": 0}, {"question": "", "choices": ["a", "b"], "answer": 0}]',
     "Question 2: Write the question."),
])
def test_stored_quiz_is_checked(text, message):
    with pytest.raises(ValidationError) as err:
        quizlib.load(text)
    assert message in err.value.message


def test_stored_quiz_round_trips():
    assert quizlib.load(quizlib.dump(Q)) == Q
    assert quizlib.load("") == [] and quizlib.load("[]") == []
