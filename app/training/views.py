"""The volunteer's side: the list of modules, reading one and taking its quiz."""
from __future__ import annotations

from functools import wraps

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth import access
from ..auth.views import safe_next
from ..db import get_session, write_transaction
from ..errors import ValidationError
from ..extensions import login_manager
from . import operations as ops
from . import queries
from . import quiz as quizlib
from .blueprint import bp
from .render import to_html


def trainee_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        access.require_training(current_user)
        return view(*args, **kwargs)

    return wrapper


def stored_quiz(module) -> tuple[list[quizlib.Question], bool]:
    """The module's questions and whether the stored quiz is broken (then it cannot be taken)."""
    try:
        return quizlib.load(module.quiz), False
    except ValidationError:
        return [], True


@bp.get("")
@trainee_required
def index():
    session = get_session()
    modules = queries.modules(session)
    organiser = access.may_edit_training(current_user)
    return render_template("training/index.html", modules=modules,
                           done=queries.completed_ids(session, user_id=current_user.id),
                           needed={m.id: queries.required_labels(m) for m in modules}, organiser=organiser,
                           counts=queries.completion_counts(session) if organiser else {})


def _page(module, *, wrong=(), answers=None, next_url=None, status=200):
    session = get_session()
    questions, broken = stored_quiz(module)
    organiser = access.may_edit_training(current_user)
    return render_template(
        "training/module.html", module=module, body=to_html(module.body), questions=questions, broken=broken,
        wrong=set(wrong), answers=answers or {}, next_url=next_url,
        needed=queries.required_labels(module),
        completed=module.id in queries.completed_ids(session, user_id=current_user.id),
        organiser=organiser, people=queries.completed_by(session, module_id=module.id) if organiser else None,
    ), status


@bp.route("/<slug>", methods=["GET", "POST"])
@trainee_required
def module(slug: str):
    """Read the module; POST: its quiz answers (or "I've read this"), and if all are right the
    completion is recorded (once) and the volunteer goes back to ``next`` (say, a check-in)."""
    session = get_session()
    module = queries.module_by_slug(session, slug=slug)
    if request.method == "GET":
        return _page(module, next_url=safe_next(request.args.get("next")))
    next_url = safe_next(request.form.get("next") or request.args.get("next"))
    questions, broken = stored_quiz(module)
    if broken:
        raise ValidationError("This module's quiz cannot be read, so it cannot be completed yet: tell your organiser.")
    wrong = quizlib.grade(questions, request.form)
    if wrong:
        answers = {k: request.form.get(k) for k in request.form if k.startswith("answer-")}
        return _page(module, wrong=wrong, answers=answers, next_url=next_url, status=422)
    module_id, user_id, title = module.id, current_user.id, module.title
    new = write_transaction(session, lambda s: ops.complete_module(s, module_id=module_id, user_id=user_id))
    if new:
        flash(f"Well done: “{title}” is completed." if questions else f"Thank you: “{title}” is marked as read.", "success")
    else:
        flash(f"You had already completed “{title}”.", "success")
    return redirect(next_url or url_for("training.index"))
