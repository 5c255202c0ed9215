"""Survey changes: a survey's name, scripts and questions, the default, and which survey a walk
list or call sheet asks. Audited (a script's audit entry holds the old and the new text, so every
wording a volunteer read stays on record); callers run them in ``write_transaction``."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..config import Settings
from ..errors import Conflict, NotFound, ValidationError
from ..models import CallSheet, ListSurvey, Question, SheetSurvey, Survey, SurveyItem, WalkList, utcnow
from .kinds import DOOR_PLACEHOLDERS, PHONE_PLACEHOLDERS, check_script
from .operations import _audit, _label
from .seed import seed_from_config

MAX_NAME = 80
MAX_SCRIPT = 4000


def get_survey(session: Session, *, survey_id: int) -> Survey:
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(f"There is no survey {survey_id}.")
    return survey


def _script(text, allowed, which: str) -> str:
    text = str(text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_SCRIPT:
        raise ValidationError(f"The {which} script is longer than {MAX_SCRIPT} characters.")
    try:
        return check_script(text, allowed, which=which)
    except ValueError as err:
        raise ValidationError(str(err)) from None


def save_survey(session: Session, *, survey_id: int | None, name, door_script, phone_script, question_ids,
                make_default: bool = False, settings: Settings, actor=None) -> Survey:
    seed_from_config(session, settings=settings, actor_label=_label(actor))
    name = " ".join(str(name or "").split())
    if not name or len(name) > MAX_NAME:
        raise ValidationError(f"A survey's name is 1 to {MAX_NAME} characters.")
    clash = session.exec(select(Survey.id).where(sa.func.lower(Survey.name) == name.lower(),
                                                 Survey.id != (survey_id or 0))).first()
    if clash is not None:
        raise Conflict(f"There is already a survey called {name}.")
    door = _script(door_script, DOOR_PLACEHOLDERS, "door")
    phone = _script(phone_script, PHONE_PLACEHOLDERS, "phone")
    wanted = set(question_ids or [])
    known = set(session.exec(select(Question.id).where(Question.id.in_(sorted(wanted))))) if wanted else set()
    if wanted - known:
        raise ValidationError(f"There is no question {min(wanted - known)}.")
    survey = get_survey(session, survey_id=survey_id) if survey_id is not None else Survey(name=name)
    before = {"name": survey.name, "door_script": survey.door_script, "phone_script": survey.phone_script,
              "questions": sorted(_items(session, survey.id)) if survey.id else []}
    survey.name, survey.door_script, survey.phone_script, survey.updated_at = name, door, phone, utcnow()
    session.add(survey)
    session.flush()
    have = _items(session, survey.id)
    for question_id in have - wanted:
        session.delete(session.get(SurveyItem, (survey.id, question_id)))
    for question_id in sorted(wanted - have):
        session.add(SurveyItem(survey_id=survey.id, question_id=question_id))
    if make_default and not survey.is_default:
        session.execute(sa.update(Survey).where(Survey.id != survey.id).values(is_default=False))
        survey.is_default = True
        session.add(survey)
    session.flush()
    after = {"name": name, "door_script": door, "phone_script": phone, "questions": sorted(wanted)}
    _audit(session, "survey.save" if survey_id else "survey.add", actor, f"survey:{survey.id}",
           before=before if survey_id else None, after=after, default=survey.is_default)
    return survey


def _items(session: Session, survey_id: int | None) -> set[int]:
    if survey_id is None:
        return set()
    return set(session.exec(select(SurveyItem.question_id).where(SurveyItem.survey_id == survey_id)))


def choose_for_list(session: Session, *, walk_list_id: int, survey_id: int | None, settings: Settings,
                    actor=None) -> None:
    """The survey a walk list asks; None: the campaign's default. Phones pick it up with the list."""
    seed_from_config(session, settings=settings, actor_label=_label(actor))
    if session.get(WalkList, walk_list_id) is None:
        raise NotFound(f"There is no walk list {walk_list_id}.")
    _choose(session, ListSurvey, ListSurvey.walk_list_id, walk_list_id, survey_id, actor, f"walk_list:{walk_list_id}")


def choose_for_sheet(session: Session, *, sheet_id: int, survey_id: int | None, settings: Settings,
                     actor=None) -> None:
    seed_from_config(session, settings=settings, actor_label=_label(actor))
    if session.get(CallSheet, sheet_id) is None:
        raise NotFound(f"There is no call sheet {sheet_id}.")
    _choose(session, SheetSurvey, SheetSurvey.sheet_id, sheet_id, survey_id, actor, f"call_sheet:{sheet_id}")


def _choose(session, model, key_column, key: int, survey_id: int | None, actor, target: str) -> None:
    if survey_id is not None:
        get_survey(session, survey_id=survey_id)
    row = session.get(model, key)
    before = row.survey_id if row else None
    if before == survey_id:
        return
    if survey_id is None:
        session.delete(row)
    else:
        row = row or model(**{key_column.key: key}, survey_id=survey_id)
        row.survey_id = survey_id
        session.add(row)
    session.flush()
    _audit(session, "survey.choose", actor, target, before=before, after=survey_id)
