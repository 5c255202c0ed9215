"""Hand-drawn turfs: draw a new list's turf on the map, or redraw an active list's (drag its
corners), preview its doors and walking time, save. Organisers anywhere; a team lead inside their
team's areas (the same scope as cutting)."""
from __future__ import annotations

import json

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..auth.decorators import lead_or_organiser_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import ValidationError
from ..universes.queries import choices as universe_choices
from ..walk_lists import get_list
from ..walk_lists import queries
from ..walk_lists.drawn import DrawnTurf, preview_drawn, save_drawn
from ..walk_lists.drawn_map import draw_map
from . import picker_forms, pickers
from .blueprint import bp
from .forms_drawn import DrawAreaForm, DrawForm, DrawSaveForm
from .views_lists import PROPOSAL_MAX_AGE_S, _scope


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="legwork-drawn-turf")


def _draw_form(session, formdata=None) -> DrawForm:
    form = DrawForm(formdata=formdata) if formdata is not None else DrawForm()
    form.universe.choices = universe_choices(session)
    return form


def _draw_page(walk_list_id: int | None = None, form: DrawForm | None = None, status: int = 200):
    session = get_session()
    scope = _scope(session)
    walk_list = get_list(session, walk_list_id, scope=scope) if walk_list_id is not None else None
    area, area_picker = DrawAreaForm(request.args), False
    if walk_list is not None:  # the redraw page shows the list's own area, and no area form
        key = f"hood:{walk_list.neighbourhood_id}" if walk_list.neighbourhood_id else f"ward:{walk_list.ward_id}"
    elif pickers.area_count(session, scope=scope) >= pickers.threshold():  # a state's 6,000: searched
        area_picker = True
        area.area.choices, area.picked, error = picker_forms.draw_area(session, request.args.get("area", ""), scope)
        if error:
            area.area.errors, status = [error], 422
        key = area.area.choices[0][0] if area.area.choices else ""
    else:
        area.area.choices = queries.area_choices(session, scope=scope)[0]
        if area.area.data and area.validate():
            key = area.area.data
        else:
            if request.args.get("area"):
                status = 422  # an unknown area (an old bookmark): say so, and show the first one
            key = area.area.choices[0][0] if area.area.choices else ""
    area.area.data = key
    kind, _, raw = key.partition(":")
    data = draw_map(session, ward_id=int(raw) if kind == "ward" else None,
                    neighbourhood_id=int(raw) if kind == "hood" else None, walk_list=walk_list, scope=scope) \
        if raw.isdigit() or walk_list is not None else {"doors": [], "lists": [], "turf": None}
    return render_template("organiser/list_draw.html", walk_list=walk_list, area_form=area, area_picker=area_picker,
                           form=form or _draw_form(session, formdata=None), map_data=data, maps=settings().maps), status


@bp.get("/lists/draw")
@lead_or_organiser_required
def list_draw():
    return _draw_page()


@bp.get("/lists/<int:walk_list_id>/redraw")
@lead_or_organiser_required
def list_redraw(walk_list_id: int):
    return _draw_page(walk_list_id)


def _preview(walk_list_id: int | None):
    session = get_session()
    form = _draw_form(session)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            raise ValidationError("This form has expired; reload the page and try again.")
        return _draw_page(walk_list_id, form, 422)
    try:
        polygon = json.loads(form.polygon.data)
    except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
        polygon = form.polygon.data
    try:
        drawn = preview_drawn(session, polygon=polygon, walk_list_id=walk_list_id, scope=_scope(session),
                              universe_id=int(form.universe.data) if form.universe.data else None)
    except ValidationError as error:
        form.polygon.errors = [error.message]
        return _draw_page(walk_list_id, form, 422)
    signed = drawn.as_dict()
    signed.pop("points")  # only the preview map needs them
    geojson = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": drawn.polygon, "properties": {
        "n": 1, "doors": len(drawn.household_ids), "minutes": round(drawn.minutes),
        "points": [[round(x, 6), round(y, 6)] for x, y in drawn.points]}}]}
    walk_list = get_list(session, walk_list_id) if walk_list_id is not None else None
    return render_template("organiser/list_draw_preview.html", drawn=drawn, walk_list=walk_list, geojson=geojson,
                           save_form=DrawSaveForm(formdata=None, drawn=_signer().dumps(signed)), maps=settings().maps)


@bp.post("/lists/draw/preview")
@lead_or_organiser_required
def list_draw_preview():
    return _preview(None)


@bp.post("/lists/<int:walk_list_id>/redraw/preview")
@lead_or_organiser_required
def list_redraw_preview(walk_list_id: int):
    return _preview(walk_list_id)


@bp.post("/lists/draw/save")
@lead_or_organiser_required
def list_draw_save():
    form = DrawSaveForm()
    if not form.validate_on_submit():
        raise ValidationError("The preview was not sent back; draw the turf again.")
    try:
        drawn = DrawnTurf.from_dict(_signer().loads(form.drawn.data, max_age=PROPOSAL_MAX_AGE_S))
    except BadSignature:
        raise ValidationError("This preview is too old or was changed; draw the turf again.") from None
    session = get_session()
    by, scope = current_user.id, _scope(session)
    walk_list = write_transaction(session, lambda s: save_drawn(s, drawn=drawn, by_id=by, scope=scope))
    if drawn.walk_list_id is None:
        flash(f"Saved {walk_list.name}: {walk_list.door_count} doors.", "success")
    else:
        kept = f" {len(drawn.kept)} doors outside it stay: they have outcomes on this list." if drawn.kept else ""
        flash(f"Redrew {walk_list.name}: {len(drawn.added)} doors added, {len(drawn.removed)} removed.{kept}",
              "success")
    return redirect(url_for("organiser.list_detail", walk_list_id=walk_list.id))
