"""The survey's answers as labelled columns: the support scale, the issues and three flags
(``[survey]`` in config.toml, the scale as organisers edited it), and the survey's own questions
(app.surveys), one column per question version (below).

Issues are one column per configured issue ("Issue: Housing" = yes or blank), not one joined
cell: a spreadsheet user filters a column or COUNTIFs it, where "Housing; Transport" in one cell
needs a text search and miscounts "Housing" inside "Social housing". An issue recorded under an
older config (no longer listed) goes to "Other issues", so nothing said at a door is dropped.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..config import Settings
from ..models import ContactEvent, Question, QuestionVersion, SurveyAnswer
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


def latest_answers(session, *, person_ids: list[int], as_of) -> dict[int, dict[int, str]]:
    """person id -> {version id: their latest answer to it} (by the phone's clock, then the event id)."""
    out: dict[int, dict[int, tuple]] = {}
    if person_ids:
        for person_id, version_id, value, at, event_id in session.execute(
                sa.select(SurveyAnswer.person_id, SurveyAnswer.question_version_id, SurveyAnswer.value,
                          ContactEvent.recorded_at, ContactEvent.id)
                .join(ContactEvent, ContactEvent.id == SurveyAnswer.event_id)
                .where(SurveyAnswer.person_id.in_(person_ids), ContactEvent.received_at <= as_of)):
            known = out.setdefault(person_id, {})
            if version_id not in known or (at, event_id) > known[version_id][:2]:
                known[version_id] = (at, event_id, value)
    return {pid: {vid: v[2] for vid, v in known.items()} for pid, known in out.items()}
