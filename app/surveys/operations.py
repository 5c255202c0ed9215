"""Question and scale changes, each audited; callers run them in ``write_transaction``. A question's
versions are never changed: new wording or choices add a version, and the answers already given
keep pointing at the one they answered. Every change first seeds the campaign from config.toml."""
from __future__ import annotations

import json

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..config import Settings, forget_settings
from ..errors import NotFound, ValidationError
from ..models import Question, QuestionVersion, SupportValue, Survey, SurveyItem, SurveyResponse, utcnow
from .kinds import CHOICE_KINDS, KINDS, MAX_CHOICE, MAX_CHOICES, MAX_TEXT, NUMBER_LIMIT
from .scale import LEANINGS
from .seed import seed_from_config

MAX_PROMPT = 300
MAX_SCALE = 20


def _label(actor) -> str:
    return getattr(actor, "email", None) or "cli"


def _audit(session: Session, action: str, actor, target: str, **detail) -> None:
    audit(session, action=action, actor_user_id=getattr(actor, "id", None), actor_label=_label(actor),
          target=target, detail=detail)


def _wording(kind: str, *, prompt, choices, min_value, max_value, max_length) -> dict:
    """The checked fields of a version, or ValidationError saying which one is wrong."""
    prompt = " ".join(str(prompt or "").split())
    if not prompt or len(prompt) > MAX_PROMPT:
        raise ValidationError(f"A question is 1 to {MAX_PROMPT} characters.")
    out = {"prompt": prompt, "choices": "[]", "min_value": None, "max_value": None, "max_length": None}
    if kind in CHOICE_KINDS:
        cleaned = [" ".join(str(c).split()) for c in (choices or [])]
        cleaned = [c for c in cleaned if c]
        if len(cleaned) < 2 or len(cleaned) > MAX_CHOICES:
            raise ValidationError(f"A choice question needs 2 to {MAX_CHOICES} choices, one per line.")
        long = next((c for c in cleaned if len(c) > MAX_CHOICE), None)
        if long:
            raise ValidationError(f"The choice “{long[:40]}…” is longer than {MAX_CHOICE} characters.")
        twice = next((c for c in cleaned if cleaned.count(c) > 1), None)
        if twice:
            raise ValidationError(f"The choice “{twice}” is listed twice.")
        out["choices"] = json.dumps(cleaned, ensure_ascii=False)
    elif kind == "number":
        for name, value in (("smallest", min_value), ("largest", max_value)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or abs(value) > NUMBER_LIMIT):
                raise ValidationError(f"The {name} answer must be a whole number within ±{NUMBER_LIMIT:,}.")
        if min_value is not None and max_value is not None and min_value > max_value:
            raise ValidationError("The smallest answer is larger than the largest.")
        out["min_value"], out["max_value"] = min_value, max_value
    elif kind == "text":
        if max_length is not None and not (isinstance(max_length, int) and 1 <= max_length <= MAX_TEXT):
            raise ValidationError(f"The longest answer is 1 to {MAX_TEXT} characters.")
        out["max_length"] = max_length
    return out


def get_question(session: Session, *, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(f"There is no question {question_id}.")
    return question


def add_question(session: Session, *, kind: str, prompt, choices=None, min_value=None, max_value=None,
                 max_length=None, survey_ids=(), settings: Settings, actor=None) -> Question:
    """A new question, asked in ``survey_ids`` (on a campaign not seeded yet, none: the new default survey)."""
    if seed_from_config(session, settings=settings, actor_label=_label(actor)) and not survey_ids:
        survey_ids = list(session.exec(select(Survey.id).where(Survey.is_default.is_(True))))
    known = set(session.exec(select(Survey.id).where(Survey.id.in_(sorted(set(survey_ids)))))) if survey_ids else set()
    if set(survey_ids) - known:
        raise ValidationError(f"There is no survey {min(set(survey_ids) - known)}.")
    if kind not in KINDS:
        raise ValidationError(f"Choose what kind of question it is ({', '.join(KINDS.values())}).")
    fields = _wording(kind, prompt=prompt, choices=choices, min_value=min_value, max_value=max_value,
                      max_length=max_length)
    last = session.exec(select(sa.func.max(Question.position))).one()
    question = Question(kind=kind, position=(last or 0) + 1)
    session.add(question)
    session.flush()
    version = QuestionVersion(question_id=question.id, version=1, created_by_id=getattr(actor, "id", None), **fields)
    session.add(version)
    for survey_id in sorted(set(survey_ids)):
        session.add(SurveyItem(survey_id=survey_id, question_id=question.id))
    session.flush()
    _audit(session, "question.add", actor, f"question:{question.id}", kind=kind, version_id=version.id, **fields)
    return question


def edit_question(session: Session, *, question_id: int, prompt, choices=None, min_value=None, max_value=None,
                  max_length=None, settings: Settings, actor=None) -> QuestionVersion | None:
    """A new version when the wording, choices or limits changed; None when nothing did."""
    seed_from_config(session, settings=settings, actor_label=_label(actor))
    question = get_question(session, question_id=question_id)
    current = session.exec(select(QuestionVersion).where(QuestionVersion.question_id == question_id)
                           .order_by(QuestionVersion.version.desc())).first()
    fields = _wording(question.kind, prompt=prompt, choices=choices, min_value=min_value, max_value=max_value,
                      max_length=max_length)
    if all(getattr(current, k) == v for k, v in fields.items()):
        return None
    version = QuestionVersion(question_id=question_id, version=current.version + 1,
                              created_by_id=getattr(actor, "id", None), **fields)
    session.add(version)
    session.flush()
    _audit(session, "question.edit", actor, f"question:{question_id}", version=version.version,
           before={"prompt": current.prompt, "choices": current.choices}, after=fields)
    return version


def set_retired(session: Session, *, question_id: int, retired: bool, settings: Settings, actor=None) -> Question:
    """A retired question is asked nowhere and no new answer to it is accepted; its answers stay."""
    seed_from_config(session, settings=settings, actor_label=_label(actor))
    question = get_question(session, question_id=question_id)
    if bool(question.retired_at) != retired:
        question.retired_at = utcnow() if retired else None
        session.add(question)
        session.flush()
        _audit(session, "question.retire" if retired else "question.restore", actor, f"question:{question_id}")
    return question


def move_question(session: Session, *, question_id: int, step: int, settings: Settings, actor=None) -> None:
    """Swap with the neighbour above (step -1) or below (+1) in the campaign's order."""
    seed_from_config(session, settings=settings, actor_label=_label(actor))
    question = get_question(session, question_id=question_id)
    ordered = list(session.exec(select(Question).order_by(Question.position, Question.id)))
    at = [q.id for q in ordered].index(question.id)
    to = at + (1 if step > 0 else -1)
    if not 0 <= to < len(ordered):
        return
    ordered[at], ordered[to] = ordered[to], ordered[at]
    for position, q in enumerate(ordered, start=1):
        if q.position != position:
            q.position = position
            session.add(q)
    session.flush()
    _audit(session, "question.move", actor, f"question:{question_id}", to=to + 1)


def _used_values(session: Session) -> dict[str, int]:
    rows = session.exec(select(SurveyResponse.support_level, sa.func.count()).where(
        SurveyResponse.support_level.is_not(None)).group_by(SurveyResponse.support_level)).all()
    return dict(rows)


def save_scale(session: Session, *, rows: list[tuple[str, str, str]], settings: Settings, actor=None) -> None:
    """The whole scale, in order: (value, label, leaning). A value answers already use may be
    relabelled and moved, never dropped nor counted differently (the summaries counted it)."""
    seed_from_config(session, settings=settings, actor_label=_label(actor))
    cleaned, seen = [], set()
    for n, (value, label, leaning) in enumerate(rows, start=1):
        value, label = str(value or "").strip(), " ".join(str(label or "").split())
        if not value or len(value) > 20 or not label or len(label) > 80:
            raise ValidationError(f"Scale row {n}: a value (1–20 characters) and a label (1–80) are needed.")
        if value in seen:
            raise ValidationError(f"Scale row {n}: the value {value} is on the scale twice.")
        if leaning not in LEANINGS:
            raise ValidationError(f"Scale row {n}: count it as supporter, undecided or against.")
        seen.add(value)
        cleaned.append((value, label, leaning))
    if not cleaned or len(cleaned) > MAX_SCALE:
        raise ValidationError(f"The scale has 1 to {MAX_SCALE} values.")
    existing = {v.value: v for v in session.exec(select(SupportValue))}
    used = _used_values(session)
    for value, row in existing.items():
        if value not in seen and used.get(value):
            raise ValidationError(f"The value {value} ({row.label}) cannot be removed: {used[value]} answers use it. "
                                  "Relabel it instead.")
    for value, _, leaning in cleaned:
        if value in existing and used.get(value) and existing[value].leaning != leaning:
            raise ValidationError(f"The value {value} is already counted as {existing[value].leaning} in "
                                  f"{used[value]} answers: its leaning cannot change.")
    before = [(v.value, v.label, v.leaning) for v in sorted(existing.values(), key=lambda v: v.position)]
    for value, row in existing.items():
        if value not in seen:
            session.delete(row)
    for position, (value, label, leaning) in enumerate(cleaned):
        row = existing.get(value) or SupportValue(value=value)
        row.label, row.leaning, row.position = label, leaning, position
        session.add(row)
    session.flush()
    forget_settings()
    _audit(session, "survey.scale", actor, "support_scale", before=before, after=cleaned)

