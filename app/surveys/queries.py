"""Reads: the questions and their versions, the surveys, which survey a list or sheet asks, and the
specs the contact path checks answers against. Read-only."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from ..config import Settings
from ..models import (CallAttempt, CallQueueEntry, ListSurvey, Question, QuestionVersion, SheetSurvey, SupportValue,
                      Survey, SurveyAnswer, SurveyItem)
from .kinds import Spec, shown


def spec_of(question: Question, version: QuestionVersion) -> Spec:
    return Spec(version_id=version.id, question_id=question.id, kind=question.kind, prompt=version.prompt,
                choices=tuple(json.loads(version.choices or "[]")), min_value=version.min_value,
                max_value=version.max_value, max_length=version.max_length)


def scale_rows(session: Session) -> list[SupportValue]:
    return list(session.exec(select(SupportValue).order_by(SupportValue.position, SupportValue.id)))


@dataclass
class QuestionRow:
    question: Question
    current: QuestionVersion
    versions: int
    answers: int = 0
    surveys: list[str] = field(default_factory=list)


def questions(session: Session, *, include_retired: bool = True) -> list[QuestionRow]:
    """Every question with its current (highest) version, in the campaign's order."""
    query = select(Question).order_by(Question.position, Question.id)
    if not include_retired:
        query = query.where(Question.retired_at.is_(None))
    qs = list(session.exec(query))
    if not qs:
        return []
    versions: dict[int, list[QuestionVersion]] = {}
    for v in session.exec(select(QuestionVersion).where(QuestionVersion.question_id.in_([q.id for q in qs]))
                          .order_by(QuestionVersion.version)):
        versions.setdefault(v.question_id, []).append(v)
    names: dict[int, list[str]] = {}
    for question_id, name in session.exec(select(SurveyItem.question_id, Survey.name)
                                          .join(Survey, Survey.id == SurveyItem.survey_id).order_by(Survey.name)):
        names.setdefault(question_id, []).append(name)
    return [QuestionRow(q, versions[q.id][-1], len(versions[q.id]), surveys=names.get(q.id, []))
            for q in qs if q.id in versions]


def versions_of(session: Session, *, question_id: int) -> list[QuestionVersion]:
    return list(session.exec(select(QuestionVersion).where(QuestionVersion.question_id == question_id)
                             .order_by(QuestionVersion.version.desc())))


def surveys(session: Session) -> list[Survey]:
    return list(session.exec(select(Survey).order_by(Survey.is_default.desc(), Survey.name)))


def default_survey(session: Session) -> Survey | None:
    return session.exec(select(Survey).where(Survey.is_default.is_(True)).order_by(Survey.id)).first()


def survey_question_ids(session: Session, *, survey_id: int) -> set[int]:
    return set(session.exec(select(SurveyItem.question_id).where(SurveyItem.survey_id == survey_id)))


def survey_for_list(session: Session, *, walk_list_id: int) -> Survey | None:
    chosen = session.get(ListSurvey, walk_list_id)
    return session.get(Survey, chosen.survey_id) if chosen else default_survey(session)


def survey_for_sheet(session: Session, *, sheet_id: int | None) -> Survey | None:
    chosen = session.get(SheetSurvey, sheet_id) if sheet_id is not None else None
    return session.get(Survey, chosen.survey_id) if chosen else default_survey(session)


def current_specs(session: Session, *, survey_id: int) -> list[Spec]:
    """The survey's live questions, current wording, in order: what the phone and the caller ask."""
    rows = session.exec(
        select(Question, QuestionVersion)
        .join(SurveyItem, SurveyItem.question_id == Question.id)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .where(SurveyItem.survey_id == survey_id, Question.retired_at.is_(None))
        .order_by(Question.position, Question.id, QuestionVersion.version.desc())).all()
    out, seen = [], set()
    for q, v in rows:
        if q.id not in seen:
            seen.add(q.id)
            out.append(spec_of(q, v))
    return out


def answerable(session: Session, *, survey_ids: set[int]) -> dict[int, dict[int, Spec]]:
    """survey id -> {version id: spec} for every version (old ones too: a phone that went offline
    before an edit still answers the wording it showed) of the surveys' live questions."""
    out: dict[int, dict[int, Spec]] = {sid: {} for sid in survey_ids}
    if not survey_ids:
        return out
    rows = session.exec(
        select(SurveyItem.survey_id, Question, QuestionVersion)
        .join(Question, Question.id == SurveyItem.question_id)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .where(SurveyItem.survey_id.in_(sorted(survey_ids)), Question.retired_at.is_(None))).all()
    for survey_id, q, v in rows:
        out[survey_id][v.id] = spec_of(q, v)
    return out


def event_surveys(session: Session, *, list_ids: set[int], attempt_ids: set[int]) -> tuple[dict, dict, int | None]:
    """Which survey each list and each call attempt asks (the default where none was chosen)."""
    default = default_survey(session)
    default_id = default.id if default else None
    lists = {lid: default_id for lid in list_ids}
    if list_ids:
        lists.update(dict(session.exec(select(ListSurvey.walk_list_id, ListSurvey.survey_id)
                                       .where(ListSurvey.walk_list_id.in_(sorted(list_ids)))).all()))
    attempts = {aid: default_id for aid in attempt_ids}
    if attempt_ids:
        rows = session.exec(select(CallAttempt.id, SheetSurvey.survey_id)
                            .join(CallQueueEntry, CallQueueEntry.id == CallAttempt.queue_entry_id)
                            .join(SheetSurvey, SheetSurvey.sheet_id == CallQueueEntry.sheet_id)
                            .where(CallAttempt.id.in_(sorted(attempt_ids)))).all()
        attempts.update(dict(rows))
    return lists, attempts, default_id


def version_labels(session: Session) -> dict[int, tuple[int, int, str, str]]:
    """version id -> (question id, version, kind, prompt), for exports and history."""
    rows = session.execute(sa.select(QuestionVersion.id, Question.id, QuestionVersion.version, Question.kind,
                                     QuestionVersion.prompt).join(Question, Question.id == QuestionVersion.question_id))
    return {vid: (qid, n, kind, prompt) for vid, qid, n, kind, prompt in rows}


def phone_script(survey: Survey | None, *, settings: Settings) -> str:
    return survey.phone_script if survey else settings.phonebank.script


def survey_answers_of(session: Session, *, person_id: int) -> dict[str, list[dict]]:
    """event id -> the person's answers in it, each with the wording it answered (subject access)."""
    out: dict[str, list[dict]] = {}
    for event_id, kind, prompt, version, value in session.execute(
            sa.select(SurveyAnswer.event_id, Question.kind, QuestionVersion.prompt, QuestionVersion.version,
                      SurveyAnswer.value)
            .join(QuestionVersion, QuestionVersion.id == SurveyAnswer.question_version_id)
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(SurveyAnswer.person_id == person_id).order_by(SurveyAnswer.id)):
        out.setdefault(event_id, []).append({"question": prompt, "version": version, "answer": shown(kind, value)})
    return out


def answer_counts(session: Session) -> dict[int, int]:
    """question id -> answers given to any of its versions."""
    rows = session.exec(select(QuestionVersion.question_id, sa.func.count(SurveyAnswer.id))
                        .join(SurveyAnswer, SurveyAnswer.question_version_id == QuestionVersion.id)
                        .group_by(QuestionVersion.question_id)).all()
    return dict(rows)


def answers_by_event(session: Session, *, event_ids: list[str]) -> dict[str, list[str]]:
    """event id -> "Question: answer" lines, in the wording answered (the call screen's history)."""
    out: dict[str, list[str]] = {}
    if event_ids:
        for event_id, kind, prompt, value in session.execute(
                sa.select(SurveyAnswer.event_id, Question.kind, QuestionVersion.prompt, SurveyAnswer.value)
                .join(QuestionVersion, QuestionVersion.id == SurveyAnswer.question_version_id)
                .join(Question, Question.id == QuestionVersion.question_id)
                .where(SurveyAnswer.event_id.in_(event_ids)).order_by(Question.position, SurveyAnswer.id)):
            out.setdefault(event_id, []).append(f"{prompt}: {shown(kind, value)}")
    return out
