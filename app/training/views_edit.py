"""The organiser's side: write, preview, change and delete modules."""
from __future__ import annotations

from functools import wraps

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth import access
from ..db import get_session, write_transaction
from ..errors import Conflict, Forbidden, LegworkError
from . import operations as ops
from . import queries
from .blueprint import bp
from .forms import ModuleForm, blank_form_data, module_form_data
from .render import to_html
from .views import trainee_required


def editor_required(view):
    """Signed in with an account (else sign in, or 403), and allowed to write modules (else 403)."""
    @trainee_required
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not access.may_edit_training(current_user):
            raise Forbidden("Only organisers write training modules.")
        return view(*args, **kwargs)

    return wrapper


def _editor(form: ModuleForm, *, module=None, status: int = 200, preview: bool = False, error: str = ""):
    return render_template("training/edit.html", form=form, module=module, status=status, error=error,
                           preview=to_html(form.body.data or "") if preview else None), status


def _save(form: ModuleForm, module=None):
    """Validate, then create or update; the form again (422/409) with what to fix, or a redirect."""
    if request.form.get("action") == "preview":
        form.validate()  # show the quiz's problems too, but write nothing
        return _editor(form, module=module, preview=True)
    if not form.validate_on_submit():
        return _editor(form, module=module, status=422)
    fields, actor = form.fields_value(), current_user.id
    module_id = module.id if module is not None else None
    try:
        if module_id is None:
            saved = write_transaction(get_session(), lambda s: ops.create_module(s, fields=fields, actor_user_id=actor))
        else:
            saved = write_transaction(get_session(), lambda s: ops.update_module(
                s, module_id=module_id, fields=fields, actor_user_id=actor))
    except Conflict as err:  # the slug is taken
        form.slug.errors.append(err.message)
        return _editor(form, module=module, status=err.status)
    except LegworkError as err:
        return _editor(form, module=module, status=err.status, error=err.message)
    flash(f"“{saved.title}” is saved.", "success")
    return redirect(url_for("training.module", slug=saved.slug))


@bp.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    form = ModuleForm(data=blank_form_data())
    if request.method == "GET":
        return _editor(form)
    return _save(form)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@editor_required
def edit(slug: str):
    module = queries.module_by_slug(get_session(), slug=slug)
    if request.method == "GET":
        data, quiz_ok = module_form_data(module)
        if not quiz_ok:  # stored broken, not through this form: its questions are written again
            flash("The stored quiz could not be read: write its questions again.", "error")
        return _editor(ModuleForm(data=data), module=module)
    return _save(ModuleForm(), module)


@bp.post("/<slug>/delete")
@editor_required
def delete(slug: str):
    session = get_session()
    module_id = queries.module_by_slug(session, slug=slug).id
    actor = current_user.id
    title = write_transaction(session, lambda s: ops.delete_module(s, module_id=module_id, actor_user_id=actor))
    flash(f"“{title}” is deleted, with the record of who completed it.", "success")
    return redirect(url_for("training.index"))
