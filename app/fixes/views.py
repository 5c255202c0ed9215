"""/organiser/field-fixes: the fixes canvassers made at the door, for an organiser to accept
or revert (organisers only: a revert changes the register's people)."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.decorators import roles_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import NotFound, flash_outcome
from ..maps.localtime import local_time
from ..models import PersonFix
from ..params import MAX_ID, int_arg
from . import operations
from .queries import KIND_LABELS, STATUS_LABELS, changes, fix_count, fix_rows, lists_with_fixes, parse_fix_filters

bp = Blueprint("fixes", __name__)
PAGE_SIZE = 100


@bp.get("")
@roles_required("organiser")
def review():
    session, conf = get_session(), settings()
    filters = parse_fix_filters(request.args)
    page = int_arg(request.args, "page", "Page", default=1, maximum=MAX_ID // PAGE_SIZE)
    total = fix_count(session, filters=filters)
    rows = fix_rows(session, filters=filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return render_template("fixes/review.html", rows=rows, total=total, page=page, page_size=PAGE_SIZE,
                           filters=filters, kinds=KIND_LABELS, statuses=STATUS_LABELS, changes=changes,
                           lists=lists_with_fixes(session), when=lambda dt: local_time(dt, conf.timezone),
                           args={k: v for k, v in request.args.items() if k != "page"})


def _act(fix_id: str, work, done: str):
    if len(fix_id) > 36:
        raise NotFound("No such fix.")
    session, user = get_session(), current_user._get_current_object()

    def run(s):
        fix = s.get(PersonFix, fix_id)
        if fix is None:
            raise NotFound("No such fix.")
        work(s, fix, user)

    flash_outcome(lambda: write_transaction(session, run), done=done)
    back = request.form.get("back") or ""
    return redirect(back if back.startswith("/organiser/field-fixes") else url_for("fixes.review"))


@bp.post("/<fix_id>/accept")
@roles_required("organiser")
def accept(fix_id: str):
    return _act(fix_id, lambda s, f, u: operations.accept(s, fix=f, user=u), "Accepted.")


@bp.post("/<fix_id>/revert")
@roles_required("organiser")
def revert(fix_id: str):
    return _act(fix_id, lambda s, f, u: operations.revert(s, fix=f, user=u), "Reverted: the previous value is back.")
