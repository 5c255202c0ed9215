"""The survey's answers as labelled columns. Today's questions are the support scale, the issues
and three flags (``[survey]`` in config.toml); when questions become editable, their columns come
from here too.

Issues are one column per configured issue ("Issue: Housing" = yes or blank), not one joined
cell: a spreadsheet user filters a column or COUNTIFs it, where "Housing; Transport" in one cell
needs a text search and miscounts "Housing" inside "Social housing". An issue recorded under an
older config (no longer listed) goes to "Other issues", so nothing said at a door is dropped.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..config import Settings
from ..models import Question, QuestionVersion, SurveyAnswer
from ..surveys.kinds import shown
from .cells import yes

FLAGS = (("volunteer_interest", "Would volunteer"), ("poster", "Poster"), ("postal_vote", "Postal vote"))


def support_label(settings: Settings, value: str | None) -> str:
    """The scale's label for a stored value ("2" -> "Lean support"); blank for a value no longer on it."""
    return dict(settings.support_scale).get(value, "") if value is not None else ""


def issue_headers(settings: Settings) -> list[str]:
    return [f"Issue: {issue}" for issue in settings.issues] + ["Other issues"]


def issue_cells(settings: Settings, raised: set[str] | list[str]) -> list[str]:
    known = set(settings.issues)
    other = [i for i in raised if i not in known]
    return [yes(issue in raised) for issue in settings.issues] + ["; ".join(sorted(other))]


def split_issues(stored: str | None) -> list[str]:
    """survey_responses.issues is "|"-joined labels."""
    return [i for i in (stored or "").split("|") if i]


FLAG_HEADERS = [label for _, label in FLAGS]


# ---- the survey's own questions (app.surveys) ----------------------------------------------------
# One column per question *version*, headed by that version's wording ("Registered to vote? (v2)"),
# after every other column: an answer means what it answered, so an answer to v1 never sits under
# v2's wording (a reworded question may ask something else). Columns come after the fixed ones so
# that a spreadsheet or script reading the export by position keeps working when questions are added.
def question_columns(session, *, as_of) -> list[tuple[int, str, str]]:
    """(version id, kind, header) of every version written up to ``as_of``, in the campaign's order."""
    rows = session.execute(sa.select(QuestionVersion.id, Question.kind, QuestionVersion.prompt, QuestionVersion.version,
                                     sa.func.count().over(partition_by=QuestionVersion.question_id))
                           .join(Question, Question.id == QuestionVersion.question_id)
                           .where(QuestionVersion.created_at <= as_of)
                           .order_by(Question.position, Question.id, QuestionVersion.version)).all()
    return [(vid, kind, f"{prompt} (v{n})" if versions > 1 else prompt) for vid, kind, prompt, n, versions in rows]


def page_answers(session, *, event_ids: list[str]) -> dict[tuple[str, int | None], dict[int, str]]:
    """(event id, person id) -> {version id: stored answer} for a page of events."""
    out: dict[tuple[str, int | None], dict[int, str]] = {}
    if event_ids:
        for event_id, person_id, version_id, value in session.execute(
                sa.select(SurveyAnswer.event_id, SurveyAnswer.person_id, SurveyAnswer.question_version_id,
                          SurveyAnswer.value).where(SurveyAnswer.event_id.in_(event_ids))):
            out.setdefault((event_id, person_id), {})[version_id] = value
    return out


def answer_cells(columns: list[tuple[int, str, str]], answers: dict[int, str]) -> list[str]:
    return [shown(kind, answers.get(vid)) for vid, kind, _ in columns]
