"""Organiser pages: a survey (name, door and phone scripts, its questions, the default) and which
survey a walk list or a call sheet asks. Organisers only."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.decorators import roles_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import LegworkError, ValidationError
from ..params import MAX_ID
from ..phonebank.forms import choice
from . import operations_surveys as ops
from . import queries
from .blueprint import bp
from .forms import ChooseForm, SurveyForm
from .kinds import DOOR_PLACEHOLDERS, PHONE_PLACEHOLDERS


def _survey_page(form: SurveyForm, *, survey=None, status: int = 200, error: str = ""):
    session = get_session()
    form.questions.choices = [choice(r.question.id, r.current.prompt + (" (retired)" if r.question.retired_at else ""))
                              for r in queries.questions(session)]
    return render_template("surveys/survey.html", form=form, survey=survey, error=error,
                           door_placeholders=DOOR_PLACEHOLDERS, phone_placeholders=PHONE_PLACEHOLDERS), status


@bp.route("/surveys/new", methods=["GET", "POST"], endpoint="new_survey")
@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"], endpoint="edit_survey")
@roles_required("organiser")
def survey_page(survey_id: int | None = None):
    session = get_session()
    survey = ops.get_survey(session, survey_id=survey_id) if survey_id is not None else None
    if request.method == "GET":
        if survey is not None:
            form = SurveyForm(formdata=None, name=survey.name, door_script=survey.door_script,
                              phone_script=survey.phone_script, make_default=survey.is_default)
            form.questions.data = sorted(queries.survey_question_ids(session, survey_id=survey.id))
        else:
            form = SurveyForm(formdata=None, phone_script=settings().phonebank.script)
            form.questions.data = []
        return _survey_page(form, survey=survey)
    form = SurveyForm()
    form.questions.choices = [choice(r.question.id, "") for r in queries.questions(session)]
    if not form.validate_on_submit():
        return _survey_page(form, survey=survey, status=422)
    actor, conf = current_user, settings()
    try:
        saved = write_transaction(session, lambda s: ops.save_survey(
            s, survey_id=survey_id, name=form.name.data, door_script=form.door_script.data,
            phone_script=form.phone_script.data, question_ids=form.questions.data or [],
            make_default=form.make_default.data, settings=conf, actor=actor))
    except LegworkError as err:
        session.rollback()
        return _survey_page(form, survey=survey, status=err.status, error=err.message)
    flash(f"Saved the survey {saved.name}.", "success")
    return redirect(url_for("surveys.index", _anchor="surveys"))


def choose_form(session, *, current_id: int | None) -> ChooseForm:
    """The "which survey" select for a list or sheet page, its current choice selected."""
    form = ChooseForm(formdata=None, survey=str(current_id) if current_id else "")
    form.survey.choices = [choice("", "The default survey")] + [choice(str(s.id), s.name) for s in queries.surveys(session)]
    return form


def _chosen() -> int | None:
    if not ChooseForm().validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")
    raw = (request.form.get("survey") or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or not 0 < int(raw) <= MAX_ID:
        raise ValidationError(f"Survey must be chosen from the list (got {raw[:20]!r}).")
    return int(raw)


@bp.post("/lists/<int:walk_list_id>")
@roles_required("organiser")
def choose_for_list(walk_list_id: int):
    survey_id, actor, conf = _chosen(), current_user, settings()
    write_transaction(get_session(), lambda s: ops.choose_for_list(s, walk_list_id=walk_list_id, survey_id=survey_id,
                                                                   settings=conf, actor=actor))
    flash("Survey chosen: phones pick it up when they next load the list.", "success")
    return redirect(url_for("organiser.list_detail", walk_list_id=walk_list_id))


@bp.post("/sheets/<int:sheet_id>")
@roles_required("organiser")
def choose_for_sheet(sheet_id: int):
    survey_id, actor, conf = _chosen(), current_user, settings()
    write_transaction(get_session(), lambda s: ops.choose_for_sheet(s, sheet_id=sheet_id, survey_id=survey_id,
                                                                    settings=conf, actor=actor))
    flash("Survey chosen for the call sheet.", "success")
    return redirect(url_for("phonebank.sheet", sheet_id=sheet_id))
