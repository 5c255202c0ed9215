"""The volunteer's "People you know" and "Talk to your people" pages, and the organisers' counts.
Thin: every change is an ``operations`` call in one write transaction."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth.access import is_organiser, lead_team_ids, require_knows_people, require_own_entry
from ..auth.decorators import lead_or_organiser_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import ValidationError
from ..models import Channel, RelationalEntry
from ..params import MAX_ID, int_arg
from . import bp
from . import operations as ops
from .queries import PAGE_SIZE, my_people, report, script_for, talk_list

FIELDS = ("name", "postcode", "street", "phone")


def _form_values() -> dict:
    return {f: request.form.get(f, "") for f in FIELDS}


def _people_page(*, form=None, errors=None, message="", editing=None, status=200):
    rows = my_people(get_session(), owner_id=current_user.id)
    return render_template("relational/people.html", rows=rows, form=form or {}, errors=errors or {},
                           message=message, editing=editing, limit=settings().relational.max_entries), status


@bp.get("/me/people")
@login_required
def people():
    require_knows_people(current_user)
    return _people_page()


@bp.post("/me/people")
@login_required
def add():
    require_knows_people(current_user)
    values, conf = _form_values(), settings()
    try:
        entry = write_transaction(get_session(), lambda s: ops.add_entry(s, principal=current_user, settings=conf, **values))
    except ValidationError as err:
        return _people_page(form=values, errors=err.details[0] if err.details else {}, message=err.message, status=422)
    flash(f"Added {entry.name}.", "success")
    return redirect(url_for("relational.people") + f"#entry-{entry.id}")


@bp.route("/me/people/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit(entry_id: int):
    session, conf = get_session(), settings()
    entry = require_own_entry(current_user, session.get(RelationalEntry, entry_id))
    values = {f: getattr(entry, f) or "" for f in FIELDS}
    errors, message, status = {}, "", 200
    if request.method == "POST":
        values = _form_values()
        try:
            write_transaction(session, lambda s: ops.update_entry(s, principal=current_user, entry_id=entry_id,
                                                                    settings=conf, **values))
        except ValidationError as err:
            errors, message, status = (err.details[0] if err.details else {}), err.message, 422
        else:
            flash("Saved.", "success")
            return redirect(url_for("relational.people") + f"#entry-{entry_id}")
    return render_template("relational/edit.html", entry_id=entry_id, form=values, errors=errors,
                           message=message), status


@bp.post("/me/people/<int:entry_id>/delete")
@login_required
def delete(entry_id: int):
    write_transaction(get_session(), lambda s: ops.delete_entry(s, principal=current_user, entry_id=entry_id))
    flash("Removed from your list.", "success")
    return redirect(url_for("relational.people"))


@bp.post("/me/people/<int:entry_id>/match")
@login_required
def answer(entry_id: int):
    conf, said = settings(), request.form.get("answer", "")
    entry = write_transaction(get_session(), lambda s: ops.answer_match(
        s, principal=current_user, entry_id=entry_id, answer=said, settings=conf))
    if entry.person_id:
        flash(f"Thank you: {entry.name} is on your talk list.", "success")
    elif entry.suggested_person_id:
        flash("Thanks. Is this them instead?", "success")
    else:
        flash(f"Thanks. We found nobody else who could be {entry.name}.", "success")
    return redirect(url_for("relational.people") + f"#entry-{entry_id}")


def _talk_page(*, errors=None, status=200):
    conf = settings()
    rows = talk_list(get_session(), owner_id=current_user.id, settings=conf)
    scripts = {r.id: script_for(conf, name=r.name, volunteer_name=(current_user.name or "").split(" ")[0]) for r in rows}
    return render_template("relational/talk.html", rows=rows, scripts=scripts, errors=errors or {},
                           outcomes=list(conf.codes(Channel.RELATIONAL).values()), scale=conf.support_scale,
                           new_id=lambda: str(uuid.uuid4())), status


@bp.get("/me/people/talk")
@login_required
def talk():
    require_knows_people(current_user)
    return _talk_page()


@bp.post("/me/people/<int:entry_id>/talk")
@login_required
def record(entry_id: int):
    conf, form = settings(), request.form
    status = write_transaction(get_session(), lambda s: ops.record_talk(
        s, principal=current_user, entry_id=entry_id, event_id=form.get("event_id", ""), code=form.get("code", ""),
        support_level=form.get("support_level", ""), notes=form.get("notes", ""), settings=conf))
    if status.status == "rejected":
        return _talk_page(errors={entry_id: status.reason}, status=422)
    flash("Recorded. Thank you!" if status.status == "stored" else "Already recorded: nothing changed.", "success")
    return redirect(url_for("relational.talk") + f"#talk-{entry_id}")


@bp.get("/organiser/people-you-know")
@lead_or_organiser_required
def team_report():
    session = get_session()
    team_ids = None if is_organiser(current_user) else lead_team_ids(session, principal=current_user)
    page = int_arg(request.args, "page", "Page", default=1, maximum=MAX_ID // PAGE_SIZE)
    shown = report(session, settings=settings(), team_ids=team_ids, page=page)
    session.rollback()  # a read: end it, so a SQLite writer is not kept waiting on this snapshot
    return render_template("relational/report.html", teams=shown.teams, total=shown.total, shown=shown)
