"""The list pages' forms when a picker stands in for a select (app.organiser.pickers): what was
typed is resolved to the key or id the form validates, and a value that names nothing, or more than
one thing, comes back as the field's error naming it."""
from __future__ import annotations

from flask import request
from werkzeug.datastructures import MultiDict

from ..auth.access import Scope
from ..errors import ValidationError
from ..walk_lists.city import CITY
from . import pickers
from .forms import AssignForm, CutForm, ListFilterForm
from .list_filter import STATES

CITY_WORDS = {"city", "whole city", "all your team's areas"}


def _area(session, raw: str, scope: Scope | None) -> tuple[tuple[str, str] | None, str]:
    """((key, label) or None, error)."""
    words = " ".join(raw.split()).casefold()
    if raw == CITY or words in CITY_WORDS or words.startswith(("whole city (", "all your team's areas (")):
        return (CITY, city_label(scope)), ""
    try:
        return pickers.resolve_area(session, value=raw, scope=scope), ""
    except ValidationError as error:
        return None, error.message


def city_label(scope: Scope | None) -> str:
    return "Whole city (from a universe)" if scope is None else "All your team's areas (from a universe)"


def _with(formdata, field: str, picked) -> MultiDict:
    data = MultiDict(formdata)
    if picked:
        data[field] = picked[0]
    return data


def cut_form(session, scope: Scope | None, submitted: bool) -> CutForm:
    """A cut form whose area is a picker: ``picked`` is the (key, label) chosen, ``typed`` the text sent."""
    typed = request.form.get("area", "") if submitted else ""
    picked, error = _area(session, typed, scope) if typed.strip() else (None, "")
    form = CutForm(formdata=_with(request.form, "area", picked) if submitted else None)
    form.area.choices = [picked] if picked else []
    form.picked, form.typed, form.picker_error = picked, typed, error
    return form


def picker_errors(form) -> None:
    """After a failed validate: the resolver's message replaces WTForms' "Not a valid choice"."""
    if form.picker_error:
        form.area.errors = [form.picker_error]


def filter_form(session, scope: Scope | None) -> ListFilterForm:
    typed = request.args.get("area", "")
    picked, error = _area(session, typed, scope) if typed.strip() else (None, "")
    if picked and picked[0] == CITY:  # the filter has "Every area" for that
        picked, error = None, f"“{typed}” is not one area: leave the area empty to see every list."
    form = ListFilterForm(_with(request.args, "area", picked))
    form.area.choices = [("", "Every area")] + ([picked] if picked else [])
    form.state.choices = STATES
    form.picked, form.typed, form.picker_error = picked, typed, error
    return form


def draw_area(session, typed: str, scope: Scope | None) -> tuple[list[tuple[str, str]], tuple[str, str] | None, str]:
    """The draw page's area when searched: ([the (key, label) to show], what the box shows as
    picked (None after an error, when it shows what was typed), error).
    Nothing typed, or a value naming nothing: the first ward (in name order) in scope is shown."""
    picked, error = _area(session, typed, scope) if typed.strip() else (None, "")
    if picked and picked[0] == CITY:  # the map shows one area's doors
        picked, error = None, f"“{typed}” is not one area: choose a ward or a neighbourhood."
    shown = picked or pickers.first_area(session, scope=scope)
    return ([shown] if shown else []), (None if error else shown), error


def assign_formdata(session, *, taken: set[int], member_ids: set[int] | None) -> tuple[MultiDict, str]:
    """The assign form's data with typed names or emails turned into ids (ids pass as they are:
    walk_lists.assign checks them), and the first value that names nobody ("" when all resolve)."""
    data, ids = MultiDict(request.form), []
    for value in request.form.getlist("user_ids"):
        if value.strip().isascii() and value.strip().isdigit():
            ids.append(value.strip())  # from the search or the select: walk_lists.assign checks it
            continue
        if not value.strip():
            continue
        try:
            ids.append(str(pickers.resolve_volunteer(session, value=value, taken=taken, member_ids=member_ids)))
        except ValidationError as error:
            return data, error.message
    data.setlist("user_ids", ids)
    return data, ""


def assign_form(formdata) -> AssignForm:
    form = AssignForm(formdata=formdata)
    form.user_ids.choices = [(u, u) for u in form.user_ids.data or []]  # real checks are in ops.assign
    return form
