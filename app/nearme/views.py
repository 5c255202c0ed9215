"""The volunteer's "Canvass near me" pages: ask, see the offer, take it; hand it back; share the walk."""
from __future__ import annotations

from datetime import datetime, time
from functools import wraps
from zoneinfo import ZoneInfo

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import is_user, selfserve_access
from ..auth.views import safe_next
from ..clock import campaign_today
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import Conflict, Forbidden, LegworkError, ValidationError
from ..extensions import login_manager
from .blueprint import bp
from .forms import ButtonForm, TakeForm
from .offer import NoOffer, find_offer
from .operations import (NothingNear, check_out, give_back, pools_for, record_position, return_idle, returns_due,
                         set_sharing)
from .geo import sketch
from .queries import my_list
from .request import read_request


def account_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not is_user(current_user):
            raise Forbidden("Canvass near me needs a volunteer account, not a list PIN.")
        return view(*args, **kwargs)

    return wrapper


def _access(session):
    config = settings().selfserve
    return selfserve_access(session, principal=current_user, required_training=config.training,
                            team_names=config.teams), config


def _page(session, *, status=200, error="", values=None):
    access, config = _access(session)
    mine = my_list(session, user_id=current_user.id, default_return=config.return_minutes)
    values = values or {}
    return render_template("nearme/index.html", access=access, mine=mine, config=config, error=error,
                           minutes=values.get("minutes") or config.default_minutes,
                           km=values.get("km") or f"{config.default_km:g}", postcode=values.get("postcode", ""),
                           button=ButtonForm(formdata=None)), status


def _return_due(session, config) -> None:
    """Lazily, before offering: lists nobody has touched in time go back to the pool. A write only
    when some list has been out longer than the shortest return time a lead can set."""
    if returns_due(session):
        write_transaction(session, lambda s: return_idle(s, default_return=config.return_minutes))


@bp.get("")
@account_required
def index():
    session = get_session()
    _return_due(session, settings().selfserve)  # their own list may have gone back: say so, not a dead link
    return _page(session)


@bp.get("/offer")
@account_required
def offer():
    session = get_session()
    access, config = _access(session)
    if not request.args or not access.allowed:
        return redirect(url_for("nearme.index"))
    try:
        minutes, km, lat, lon = read_request(session, request.args, limit_km=config.max_km)
    except ValidationError as err:
        return _page(session, status=422, error=err.message, values=request.args)
    _return_due(session, config)
    found = find_offer(session, pools=pools_for(session, team_ids=access.team_ids, config=config),
                       lat=lat, lon=lon, minutes=minutes, max_km=km, line=True)
    form = TakeForm(formdata=None, minutes=minutes, km=f"{km:g}", lat=f"{lat:.6f}", lon=f"{lon:.6f}",
                    key="" if isinstance(found, NoOffer) else found.key)
    picture = None if isinstance(found, NoOffer) else sketch(found.points, size=160, marks=[(lon, lat)],
                                                                  line=found.line)
    return render_template("nearme/offer.html", offer=found, nothing=isinstance(found, NoOffer), form=form,
                           picture=picture, minutes=minutes, km=km, config=config,
                           pace=settings().canvass.metres_per_minute)


@bp.post("/take")
@account_required
def take():
    session = get_session()
    access, config = _access(session)
    form = TakeForm()
    if not form.validate_on_submit():
        return _page(session, status=400, error="The form had expired: ask again.")
    try:
        minutes, km, lat, lon = read_request(session, request.form, limit_km=config.max_km)
        if not access.allowed:
            raise Forbidden(access.why_not)
        user = current_user._get_current_object()
        walk_list, changed = write_transaction(session, lambda s: check_out(
            s, user=user, team_ids=access.team_ids, lat=lat, lon=lon, minutes=minutes, max_km=km, config=config,
            shown_key=(form.key.data or "")[:80]))
    except NothingNear as err:
        return _page(session, status=409, error=err.message, values=request.form)
    except LegworkError as err:
        return _page(session, status=err.status, error=err.message,
                     values=request.form)
    note = " Someone took the one you saw a moment ago, so this is the next nearest." if changed else ""
    flash(f"{walk_list.name} is yours: {walk_list.door_count} doors, about {round(walk_list.est_minutes)} min.{note} "
          "Open it once here while you have signal: it then works with none.", "success")
    return redirect(url_for("canvass.list_page", walk_list_id=walk_list.id))


@bp.post("/return")
@account_required
def hand_back():
    session = get_session()
    if not ButtonForm().validate_on_submit():
        return _page(session, status=400, error="The form had expired: try again.")
    user_id = current_user.id
    try:
        write_transaction(session, lambda s: give_back(s, user_id=user_id))
    except Conflict as err:
        return _page(session, status=409, error=err.message)
    flash("Thank you! The list is back in the pool; the doors you recorded are kept.", "success")
    return redirect(url_for("nearme.index"))


@bp.post("/share")
@account_required
def share():
    session = get_session()
    back = safe_next(request.form.get("next")) or url_for("nearme.index")
    if not ButtonForm().validate_on_submit():
        flash("The form had expired: try again.", "error")
        return redirect(back)
    on, user_id = request.form.get("on") == "1", current_user.id
    try:
        write_transaction(session, lambda s: set_sharing(s, user_id=user_id, on=on))
    except Conflict as err:
        flash(err.message, "error")
        return redirect(back), 409
    flash("Your team lead can now see where you are while this list is open." if on else
          "Stopped sharing; the trail you shared is deleted.", "success")
    return redirect(back)


def _start_of_today() -> datetime:
    zone = ZoneInfo(settings().timezone)
    return datetime.combine(campaign_today(), time(0), tzinfo=zone)


@bp.post("/position")
@account_required
def position():
    """A sharing phone's position (JSON {"lat", "lon"}, CSRF token in X-CSRFToken)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(error="Send {\"lat\": …, \"lon\": …} as JSON."), 422
    user_id = current_user.id
    try:
        write_transaction(get_session(), lambda s: record_position(s, user_id=user_id, lat=body.get("lat"),
                                                                   lon=body.get("lon"), today_from=_start_of_today()))
    except ValidationError as err:
        return jsonify(error=err.message), 422
    except Conflict as err:
        return jsonify(error=err.message, sharing=False), 409
    return jsonify(ok=True, sharing=True)
