"""Organiser pages: make call sheets, print one, put it into the live queue, watch progress."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlmodel import select

from ..auth.access import area_scope, require_sheet_in_scope, scope_list_clause, team_member_ids
from ..auth.decorators import lead_or_organiser_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import LegworkError
from ..models import CallSheetEntry, Household, ListStatus, Neighbourhood, Person, utcnow, WalkList, Ward
from ..sorting import by_name
from ..universes.queries import choices as universe_choices
from . import operations, progress, queue
from .forms import ActionForm, SheetForm, choice, grouped
from .blueprint import bp
from .selection import LABELS, PRIORITIES


def _scope_choices(session) -> dict:
    """What the sheet form offers: every area for an organiser, a team lead's areas (whole wards,
    their neighbourhoods, their lists) for a lead: a forged choice outside them fails the form."""
    scope = area_scope(session, principal=current_user)
    lists = select(WalkList).where(WalkList.status == ListStatus.ACTIVE)
    if scope is not None:
        lists = lists.where(scope_list_clause(scope))
    choices = {
        "Wards": [(f"ward:{w.id}", w.name) for w in by_name(session.exec(select(Ward)))
                  if scope is None or w.id in scope.ward_ids],
        "Neighbourhoods": [(f"neighbourhood:{n.id}", n.name) for n in by_name(session.exec(select(Neighbourhood)))
                           if scope is None or n.id in scope.neighbourhood_ids],
        "Walk lists": [(f"list:{w.id}", w.name) for w in by_name(session.exec(lists))],
    }
    return grouped({group: items for group, items in choices.items() if items})


def _universe_choices(session) -> list:
    return [choice(value, label) for value, label in universe_choices(session)]


def _page(form: SheetForm, status: int = 200):
    session = get_session()
    scope = area_scope(session, principal=current_user)
    return render_template(
        "phonebank/sheets.html", form=form, action_form=ActionForm(),
        sheets=progress.sheet_progress(session, settings=settings(), scope=scope),
        callers=progress.caller_progress(session, settings=settings(),
                                         caller_ids=team_member_ids(session, principal=current_user)),
        waiting=queue.waiting(session, now=utcnow(), settings=settings()),
        criteria=LABELS, priorities=PRIORITIES,
    ), status


@bp.get("/sheets")
@lead_or_organiser_required
def sheets():
    form = SheetForm(sheet_size=settings().phonebank.sheet_size)
    form.scope.choices = _scope_choices(get_session())
    form.universe.choices = _universe_choices(get_session())
    return _page(form)


@bp.post("/sheets")
@lead_or_organiser_required
def make_sheets():
    session = get_session()
    form = SheetForm()
    form.scope.choices = _scope_choices(session)
    form.universe.choices = _universe_choices(session)
    if not form.validate_on_submit():
        return _page(form, 422)
    user_id, scope = current_user.id, area_scope(session, principal=current_user)
    try:
        made = write_transaction(session, lambda s: len(operations.make_call_sheets(
            s, scope=form.scope.data, criteria=form.criteria.data, priority=form.priority.data,
            sheet_size=form.sheet_size.data, name=form.name.data or "", actor_user_id=user_id,
            settings=settings(), area_scope=scope, universe_id=int(form.universe.data) if form.universe.data else None,
        )))
    except LegworkError as err:
        session.rollback()
        form.scope.errors = list(form.scope.errors) + [err.message]
        return _page(form, err.status)
    flash(f"Made {made} call sheet{'s' if made != 1 else ''}.", "success")
    return redirect(url_for(".sheets"))


@bp.get("/sheets/<int:sheet_id>")
@lead_or_organiser_required
def sheet(sheet_id: int):
    """One sheet laid out for printing (phonebank.css has the print rules)."""
    session = get_session()
    row = require_sheet_in_scope(session, principal=current_user, sheet_id=sheet_id)
    entries = session.exec(
        select(CallSheetEntry, Person, Household)
        .join(Person, Person.id == CallSheetEntry.person_id).join(Household, Household.id == Person.household_id)
        .where(CallSheetEntry.sheet_id == sheet_id).order_by(CallSheetEntry.position, CallSheetEntry.priority)
    ).all()
    numbers: list[dict] = []
    for entry, person, household in entries:
        if not numbers or numbers[-1]["position"] != entry.position:
            numbers.append({"position": entry.position, "phone": entry.phone, "people": []})
        numbers[-1]["people"].append((person, household))
    return render_template("phonebank/sheet.html", sheet=row, numbers=numbers, action_form=ActionForm(),
                           codes=settings().phone_dispositions, criteria=LABELS)


@bp.post("/sheets/<int:sheet_id>/queue")
@lead_or_organiser_required
def enqueue(sheet_id: int):
    session = get_session()
    # Refused outside the lead's areas before the form is looked at: an answer (403), not a flash.
    require_sheet_in_scope(session, principal=current_user, sheet_id=sheet_id)
    if not ActionForm().validate_on_submit():
        flash("That button had expired. Try again.", "error")
        return redirect(url_for(".sheets"))
    user_id, scope = current_user.id, area_scope(session, principal=current_user)
    try:
        added = write_transaction(session, lambda s: operations.enqueue_sheet(
            s, sheet_id=sheet_id, actor_user_id=user_id, settings=settings(), area_scope=scope))
    except LegworkError as err:
        session.rollback()
        flash(err.message, "error")
        return redirect(url_for(".sheets"))
    flash(f"Put {added} number{'s' if added != 1 else ''} into the live queue.", "success")
    return redirect(url_for(".sheets"))
