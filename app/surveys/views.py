"""Organiser pages: the questions (add, edit = a new version, retire, reorder) and the support scale.
Surveys and the per-list and per-sheet choice are in views_surveys.py. Organisers only."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.decorators import roles_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import LegworkError, ValidationError
from ..phonebank.forms import choice
from . import operations, queries
from .blueprint import bp
from .forms import ActionForm, QuestionForm
from .kinds import KINDS, shown
from .scale import LEANINGS


def _expired() -> None:
    raise ValidationError("This form has expired; reload the page and try again.")


@bp.get("/")
@roles_required("organiser")
def index():
    session = get_session()
    counts = queries.answer_counts(session)
    rows = queries.questions(session)
    for row in rows:
        row.answers = counts.get(row.question.id, 0)
    return render_template("surveys/index.html", rows=rows, kinds=KINDS, surveys=queries.surveys(session),
                           scale=settings().support_scale, seeded=bool(queries.scale_rows(session)),
                           action_form=ActionForm())


def _question_page(form: QuestionForm, *, question=None, status: int = 200, error: str = ""):
    session = get_session()
    form.surveys.choices = [choice(s.id, s.name + (" (default)" if s.is_default else "")) for s in queries.surveys(session)]
    versions = queries.versions_of(session, question_id=question.id) if question else []
    return render_template("surveys/question.html", form=form, question=question, versions=versions, kinds=KINDS,
                           error=error, shown=shown), status


def _fields(form: QuestionForm) -> dict:
    return dict(prompt=form.prompt.data, choices=form.lines(), min_value=form.min_value.data,
                max_value=form.max_value.data, max_length=form.max_length.data)


@bp.route("/questions/new", methods=["GET", "POST"])
@roles_required("organiser")
def new_question():
    form = QuestionForm()
    if request.method == "GET":
        default = queries.default_survey(get_session())
        form.surveys.data = [default.id] if default else []
        return _question_page(form)
    form.surveys.choices = [choice(s.id, s.name) for s in queries.surveys(get_session())]
    if not form.validate_on_submit():
        return _question_page(form, status=422)
    actor, conf, session = current_user, settings(), get_session()
    surveys = form.surveys.data or []
    try:
        question = write_transaction(session, lambda s: operations.add_question(
            s, kind=form.kind.data, survey_ids=surveys, settings=conf, actor=actor, **_fields(form)))
    except LegworkError as err:
        session.rollback()
        return _question_page(form, status=err.status, error=err.message)
    flash(f"Added the question “{form.prompt.data}”.", "success")
    return redirect(url_for("surveys.index", _anchor=f"question-{question.id}"))


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@roles_required("organiser")
def edit_question(question_id: int):
    session = get_session()
    question = operations.get_question(session, question_id=question_id)
    current = queries.versions_of(session, question_id=question_id)[0]
    if request.method == "GET":
        form = QuestionForm(formdata=None, kind=question.kind, prompt=current.prompt, min_value=current.min_value,
                            max_value=current.max_value, max_length=current.max_length,
                            choices="\n".join(queries.spec_of(question, current).choices))
        form.surveys.data = []
        return _question_page(form, question=question)
    form = QuestionForm()
    form.kind.data = question.kind  # a question's kind never changes: its answers are of that kind
    form.surveys.choices = []
    if not form.validate_on_submit():
        return _question_page(form, question=question, status=422)
    actor, conf = current_user, settings()
    try:
        version = write_transaction(session, lambda s: operations.edit_question(
            s, question_id=question_id, settings=conf, actor=actor, **_fields(form)))
    except LegworkError as err:
        session.rollback()
        return _question_page(form, question=question, status=err.status, error=err.message)
    flash(f"Saved as version {version.version}: answers already given keep the wording they answered."
          if version else "Nothing changed.", "success" if version else "info")
    return redirect(url_for("surveys.index", _anchor=f"question-{question_id}"))


@bp.post("/questions/<int:question_id>/retire")
@roles_required("organiser")
def retire_question(question_id: int):
    if not ActionForm().validate_on_submit():
        _expired()
    retired = request.form.get("retired", "yes") != "no"
    actor, conf = current_user, settings()
    write_transaction(get_session(), lambda s: operations.set_retired(s, question_id=question_id, retired=retired,
                                                                      settings=conf, actor=actor))
    flash("Retired: no longer asked; its answers stay." if retired else "Restored: asked again.", "success")
    return redirect(url_for("surveys.index", _anchor=f"question-{question_id}"))


@bp.post("/questions/<int:question_id>/move")
@roles_required("organiser")
def move_question(question_id: int):
    if not ActionForm().validate_on_submit():
        _expired()
    step = -1 if request.form.get("step") == "up" else 1
    actor, conf = current_user, settings()
    write_transaction(get_session(), lambda s: operations.move_question(s, question_id=question_id, step=step,
                                                                        settings=conf, actor=actor))
    return redirect(url_for("surveys.index", _anchor=f"question-{question_id}"))


def _scale_page(rows, *, status: int = 200, error: str = ""):
    return render_template("surveys/scale.html", rows=rows, leanings=LEANINGS, form=ActionForm(), error=error), status


@bp.get("/scale")
@roles_required("organiser")
def scale():
    conf = settings()
    rows = [(value, label, "supporter" if value in conf.supporter_values else
             "against" if value in conf.against_values else "undecided") for value, label in conf.support_scale]
    return _scale_page(rows)


@bp.post("/scale")
@roles_required("organiser")
def save_scale():
    if not ActionForm().validate_on_submit():
        _expired()
    values, labels, leanings = (request.form.getlist(k) for k in ("value", "label", "leaning"))
    if not (len(values) == len(labels) == len(leanings)) or len(values) > 100:
        raise ValidationError("Send one value, label and leaning per scale row.")
    # A row left blank (the spare one for adding a value) is not a row.
    rows = [(v, label, lean) for v, label, lean in zip(values, labels, leanings) if v.strip() or label.strip()]
    actor, conf, session = current_user, settings(), get_session()
    try:
        write_transaction(session, lambda s: operations.save_scale(s, rows=rows, settings=conf, actor=actor))
    except LegworkError as err:
        session.rollback()
        return _scale_page(rows, status=err.status, error=err.message)
    flash("Saved the support scale.", "success")
    return redirect(url_for("surveys.index"))
