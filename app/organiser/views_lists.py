"""Walk lists for organisers: cut an area (preview on a map and as a table, re-cut, save), assign
and unassign volunteers, rename and release a list, hand out and revoke PINs."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup

from ..auth.access import area_scope, team_member_ids
from ..auth.decorators import lead_or_organiser_required
from ..canvass.late import refused_counts, refused_on_list
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import ValidationError
from ..models import ListPin
from ..params import MAX_ID, int_arg
from .. import walk_lists as ops
from ..universes.queries import choices as universe_choices
from ..walk_lists import queries
from ..walk_lists.city import CITY, cut_city, save_any
from ..walk_lists.names import rename_list
from . import picker_forms, pickers
from .forms import AssignForm, ButtonForm, CutForm, ListFilterForm, PinForm, ReleaseForm, RenameForm, SaveForm
from .list_filter import PAGE_SIZE, STATES, page_of_lists
from .blueprint import bp

PROPOSAL_MAX_AGE_S = 24 * 3600


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="legwork-turf-proposal")


def _scope(session):
    """None for an organiser; a team lead's areas otherwise (every query and operation below takes it)."""
    return area_scope(session, principal=current_user)


def _area_picker(session, scope) -> bool:
    """A state's 6,000 areas are searched, not listed (app.organiser.pickers)."""
    return pickers.area_count(session, scope=scope) >= pickers.threshold()


def _cut_form(session, formdata=None, areas: list[tuple[str, str]] | None = None, *,
              submitted: bool = False) -> CutForm:
    scope = _scope(session)
    if areas is None and _area_picker(session, scope):
        form = picker_forms.cut_form(session, scope, submitted)
        form.universe.choices = universe_choices(session)
        if form.target_size.data is None:
            form.target_size.data = settings().canvass.target_list_size
        return form
    form = CutForm(formdata=formdata) if formdata is not None or not submitted else CutForm()
    # A lead is offered only their areas, so a forged out-of-scope area fails validation (422).
    form.area.choices = areas if areas is not None else queries.area_choices(session, scope=scope)[0]
    if form.area.choices:  # a lead's "whole city" is their team's areas
        form.area.choices = [*form.area.choices, (CITY, picker_forms.city_label(scope))]
    form.universe.choices = universe_choices(session)
    if form.target_size.data is None:
        form.target_size.data = settings().canvass.target_list_size
    return form


def _lists_page(cut_form: CutForm | None = None, status: int = 200):
    session = get_session()
    scope = _scope(session)
    areas = None if _area_picker(session, scope) else queries.area_choices(session, scope=scope)[0]
    if areas is None:
        filters = picker_forms.filter_form(session, scope)
    else:
        filters = ListFilterForm(request.args)
        filters.area.choices = [("", "Every area")] + areas
        filters.state.choices = STATES
    if request.args and not filters.validate():
        status = 422  # an unknown area or state (an old bookmark): say so, and show every list
        if areas is None:
            picker_forms.picker_errors(filters)
    valid = not filters.errors
    shown = page_of_lists(session, scope=scope, area=(filters.area.data or "") if valid else "",
                          state=(filters.state.data or "") if valid else "",
                          page=int_arg(request.args, "page", "Page", default=1, maximum=MAX_ID // PAGE_SIZE))
    lists = shown.lists
    progress = ops.progress_by_id(session, lists=lists)
    assignees = {walk_list_id: p.assigned for walk_list_id, p in progress.items()}
    return render_template("organiser/lists.html", lists=lists, shown=shown, total=shown.total, progress=progress,
                           assignees=assignees, area_picker=areas is None,
                           where=pickers.list_places(session, lists=lists), filters=filters,
                           refused=_refused(session, scope, progress),
                           cut_form=cut_form or _cut_form(session, formdata=None, areas=areas)), status


def _refused(session, scope, shown: dict) -> dict:
    """Refused outcomes per list; a lead sees only their lists' (``shown``: the lists in scope)."""
    counts = refused_counts(session)
    return counts if scope is None else {k: v for k, v in counts.items() if k in shown}


@bp.get("/lists")
@lead_or_organiser_required
def lists():
    return _lists_page()


@bp.post("/lists/preview")
@lead_or_organiser_required
def lists_preview():
    session = get_session()
    form = _cut_form(session, submitted=True)
    if not form.validate_on_submit():
        if hasattr(form, "picker_error"):
            picker_forms.picker_errors(form)
        return _lists_page(form, 422)
    kind, _, raw_id = form.area.data.partition(":")
    universe_id = int(form.universe.data) if form.universe.data else None
    if kind == CITY:
        try:
            proposal = cut_city(session, universe_id=universe_id, target_size=form.target_size.data,
                                tolerance=settings().canvass.tolerance, scope=_scope(session))
        except ValidationError as error:
            form.universe.errors = [error.message]
            return _lists_page(form, 422)
    else:
        proposal = ops.cut_area(
            session, ward_id=int(raw_id) if kind == "ward" else None,
            neighbourhood_id=int(raw_id) if kind == "hood" else None, target_size=form.target_size.data,
            tolerance=settings().canvass.tolerance, created_by_id=current_user.id, scope=_scope(session),
            universe_id=universe_id)
    signed = proposal.as_dict()
    signed.pop("far_away")  # shown on this page only; saving does not need it
    for turf in signed["turfs"]:
        turf.pop("points")  # only the preview map needs them; keeps the signed form field small
    save_form = SaveForm(formdata=None, proposal=_signer().dumps(signed))
    features = [{"type": "Feature", "geometry": t.hull,
                 "properties": {"n": i + 1, "doors": len(t.household_ids), "minutes": round(t.minutes),
                                "points": [[round(x, 6), round(y, 6)] for x, y in t.points]}}
                for i, t in enumerate(proposal.turfs)]
    return render_template("organiser/lists_preview.html", proposal=proposal, cut_form=form, save_form=save_form,
                           geojson={"type": "FeatureCollection", "features": features}, maps=settings().maps,
                           doors_total=sum(len(t.household_ids) for t in proposal.turfs))


@bp.post("/lists/save")
@lead_or_organiser_required
def lists_save():
    form = SaveForm()
    if not form.validate_on_submit():
        raise ValidationError("The preview was not sent back; cut again.")
    try:
        data = _signer().loads(form.proposal.data, max_age=PROPOSAL_MAX_AGE_S)
    except BadSignature:
        raise ValidationError("This preview is too old or was changed; cut again.") from None
    session = get_session()
    proposal, by, scope = ops.Proposal.from_dict(data), current_user.id, _scope(session)
    saved = write_transaction(session, lambda s: save_any(s, proposal=proposal, created_by_id=by, scope=scope))
    flash(f"Saved {len(saved)} walk lists ({sum(w.door_count for w in saved)} doors).", "success")
    return redirect(url_for("organiser.lists"))


def _detail_page(walk_list_id: int, assign_form: AssignForm | None = None, status: int = 200,
                 release_form: ReleaseForm | None = None, rename_form: RenameForm | None = None):
    session = get_session()
    members = team_member_ids(session, principal=current_user)
    taken = pickers.holders(session, walk_list_id)
    picker = pickers.assignable_count(session, taken=taken, member_ids=members) >= pickers.threshold()
    page = queries.list_detail(session, walk_list_id=walk_list_id, scope=_scope(session), member_ids=members,
                               with_assignable=not picker)
    form = assign_form or AssignForm(formdata=None)
    if not picker:
        form.user_ids.choices = [(u.id, pickers.volunteer_label(u)) for u in page.assignable]
    return render_template("organiser/list_detail.html", walk_list=page.walk_list, doors=page.doors,
                           assigned=page.assigned, assign_form=form, pins=page.pins, progress=page.progress,
                           volunteer_picker=picker, pin_form=PinForm(formdata=None), button=ButtonForm(formdata=None),
                           refused=refused_on_list(session, walk_list_id=walk_list_id),
                           addresses={h.id: h.address for h in page.doors},
                           release_form=release_form or ReleaseForm(formdata=None),
                           rename_form=rename_form or RenameForm(formdata=None, name=page.walk_list.name)), status


@bp.get("/lists/<int:walk_list_id>")
@lead_or_organiser_required
def list_detail(walk_list_id: int):
    return _detail_page(walk_list_id)


@bp.post("/lists/<int:walk_list_id>/assign")
@lead_or_organiser_required
def list_assign(walk_list_id: int):
    session = get_session()
    scope, members = _scope(session), team_member_ids(session, principal=current_user)
    ops.get_list(session, walk_list_id, scope=scope)  # 404 / 403 before reading any name typed
    formdata, unknown = picker_forms.assign_formdata(session, taken=pickers.holders(session, walk_list_id), member_ids=members)
    form = picker_forms.assign_form(formdata)
    if not form.validate_on_submit() or unknown:
        if unknown and "csrf_token" not in form.errors:
            form.user_ids.errors = [unknown]
        return _detail_page(walk_list_id, form, 422)
    user_ids, by = form.user_ids.data, current_user.id
    added = write_transaction(session, lambda s: ops.assign(s, walk_list_id=walk_list_id, user_ids=user_ids,
                                                            assigned_by_id=by, scope=scope, member_ids=members))
    flash(f"Assigned {len(added)} volunteer(s).", "success")
    return redirect(url_for("organiser.list_detail", walk_list_id=walk_list_id))


@bp.post("/lists/<int:walk_list_id>/unassign/<int:user_id>")
@lead_or_organiser_required
def list_unassign(walk_list_id: int, user_id: int):
    ButtonForm().validate_on_submit() or _bad_form()
    session = get_session()
    by, scope = current_user.id, _scope(session)
    write_transaction(session, lambda s: ops.unassign(s, walk_list_id=walk_list_id, user_id=user_id, by_id=by,
                                                      scope=scope))
    flash("Unassigned.", "success")
    return redirect(url_for("organiser.list_detail", walk_list_id=walk_list_id))


@bp.post("/lists/<int:walk_list_id>/release")
@lead_or_organiser_required
def list_release(walk_list_id: int):
    form = ReleaseForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            _bad_form()
        return _detail_page(walk_list_id, status=422, release_form=form)
    session = get_session()
    by, scope = current_user.id, _scope(session)
    walk_list = write_transaction(session, lambda s: ops.release_list(s, walk_list_id=walk_list_id, by_id=by,
                                                                      scope=scope))
    flash(f"Released {walk_list.name}: its doors can be cut into new lists.", "success")
    return redirect(url_for("organiser.list_detail", walk_list_id=walk_list_id))


@bp.post("/lists/<int:walk_list_id>/rename")
@lead_or_organiser_required
def list_rename(walk_list_id: int):
    form = RenameForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            _bad_form()
        return _detail_page(walk_list_id, status=422, rename_form=form)
    session = get_session()
    name, by, scope = form.name.data, current_user.id, _scope(session)
    try:
        walk_list = write_transaction(session, lambda s: rename_list(s, walk_list_id=walk_list_id, name=name,
                                                                     by_id=by, scope=scope))
    except ValidationError as error:
        form.name.errors = [error.message]
        return _detail_page(walk_list_id, status=422, rename_form=form)
    flash(f"Renamed: this list is now {walk_list.name}.", "success")
    return redirect(url_for("organiser.list_detail", walk_list_id=walk_list_id))


@bp.post("/lists/<int:walk_list_id>/pins")
@lead_or_organiser_required
def list_pin_create(walk_list_id: int):
    form = PinForm()
    if not form.validate_on_submit():
        raise ValidationError("; ".join(e for errs in form.errors.values() for e in errs) or "Check the form.")
    session = get_session()
    label, by, length, scope = form.label.data or "", current_user.id, settings().auth.pin_length, _scope(session)
    row, pin = write_transaction(session, lambda s: ops.create_pin(s, walk_list_id=walk_list_id, label=label,
                                                                   created_by_id=by, length=length, scope=scope))
    walk_list = ops.get_list(session, walk_list_id)
    # The PIN travels in the fragment: browsers never send it to the server or its logs.
    join_url = url_for("canvass.join", code=walk_list.code, _external=True) + f"#pin={pin}"
    svg = io.BytesIO()
    qrcode.make(join_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12).save(svg)
    response = make_response(render_template("organiser/list_pin.html", walk_list=walk_list, pin=pin, row=row,
                                             join_url=join_url, qr_svg=Markup("<svg" + svg.getvalue().decode().split("<svg", 1)[1])))
    response.headers["Cache-Control"] = "no-store"  # shown once: never from the back button or a cache
    return response


@bp.post("/lists/<int:walk_list_id>/pins/<int:pin_id>/revoke")
@lead_or_organiser_required
def list_pin_revoke(walk_list_id: int, pin_id: int):
    ButtonForm().validate_on_submit() or _bad_form()
    session = get_session()
    row = session.get(ListPin, pin_id)
    if row is None or row.walk_list_id != walk_list_id:
        raise ValidationError("That PIN does not belong to this list.")
    by, scope = current_user.id, _scope(session)
    write_transaction(session, lambda s: ops.revoke_pin(s, pin_id=pin_id, by_id=by, scope=scope))
    flash("PIN revoked: anyone who joined with it is signed out of the list.", "success")
    return redirect(url_for("organiser.list_detail", walk_list_id=walk_list_id))


def _bad_form():
    raise ValidationError("This form has expired; reload the page and try again.")
