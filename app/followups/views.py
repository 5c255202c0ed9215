"""The follow-up queue's pages (/organiser/follow-ups): organisers see every follow-up, team
leads those of households in their areas; both claim, release and tick off. The CSV export is
the organiser's, audited before its first row is sent."""
from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from ..audit import audit
from ..auth.access import area_scope
from ..auth.decorators import lead_or_organiser_required, roles_required
from ..config import settings
from ..db import engine_for, get_session, write_transaction
from ..errors import NotFound, ValidationError, flash_outcome
from ..exports.stream import csv_stream
from ..maps.localtime import local_time
from ..models import Neighbourhood, Ward, utcnow
from ..params import MAX_ID, int_arg
from ..sorting import by_name
from . import operations
from .create import KINDS
from ..organiser import pickers
from .queries import (EXPORT_COLUMNS, STATUSES, export_rows, follow_up_in_scope, parse_queue_filters, queue_count,
                      queue_rows, typed_area)

bp = Blueprint("followups", __name__)
PAGE_SIZE = 100


@bp.get("")
@lead_or_organiser_required
def queue():
    session, conf = get_session(), settings()
    scope = area_scope(session, principal=current_user)
    args = {k: v for k, v in request.args.items() if k != "page"}
    picker = pickers.area_count(session, scope=scope) >= pickers.threshold()
    typed = picked = None
    query, area_error, status = request.args, "", 200
    if picker:  # a state's 6,000 areas: one searched field, not two selects of every one
        try:
            typed = typed_area(request.args, session=session, scope=scope)
        except ValidationError as error:  # said at the field; the queue shows every area meanwhile
            area_error, status = error.message, 422
            query = {k: v for k, v in request.args.items() if k != "area"}
            args.pop("area", None)
        picked = typed or _shown_area(session, scope)
        if picked:  # the pager's and the export's links carry the key, never the text again
            args.update(area=picked[0])
            args.pop("ward", None), args.pop("neighbourhood", None)
    filters = parse_queue_filters(query, session=session, scope=scope, area=typed)
    page = int_arg(request.args, "page", "Page", default=1, maximum=MAX_ID // PAGE_SIZE)
    total = queue_count(session, filters=filters, scope=scope)
    rows = queue_rows(session, filters=filters, scope=scope, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    wards = hoods = ()
    if not picker:
        wards = session.exec(select(Ward).where(Ward.id.in_(sorted(scope.touched_ward_ids)))) if scope \
            else session.exec(select(Ward))
        hoods = session.exec(select(Neighbourhood).where(Neighbourhood.id.in_(sorted(scope.neighbourhood_ids)))) \
            if scope else session.exec(select(Neighbourhood))
    return render_template("followups/queue.html", rows=rows, total=total, page=page, page_size=PAGE_SIZE,
                           filters=filters, kinds=KINDS, statuses=STATUSES, wards=by_name(wards),
                           neighbourhoods=by_name(hoods), me=current_user.id, area_picker=picker, picked=picked,
                           typed=request.args.get("area", "") if area_error else "", area_error=area_error,
                           when=lambda dt: local_time(dt, conf.timezone), args=args), status


def _shown_area(session, scope) -> tuple[str, str] | None:
    """The picker's text for a ward or neighbourhood chosen by id (an old bookmark, a pager link)."""
    ward, hood = request.args.get("ward", "").strip(), request.args.get("neighbourhood", "").strip()
    key = f"hood:{hood}" if hood else f"ward:{ward}" if ward else ""
    if not key or not key.partition(":")[2].isdigit():
        return None  # parse_queue_filters says what is wrong with it
    try:
        return pickers.resolve_area(session, value=key, scope=scope)
    except ValidationError:
        return None


def _act(follow_up_id: int, work, done: str):
    session = get_session()
    scope = area_scope(session, principal=current_user)
    user = current_user._get_current_object()

    def run(s):
        follow_up = follow_up_in_scope(s, follow_up_id=follow_up_id, scope=scope)
        if follow_up is None:
            raise NotFound(f"No follow-up {follow_up_id} in your areas.")
        work(s, follow_up, user)

    flash_outcome(lambda: write_transaction(session, run), done=done)
    back = request.form.get("back") or ""
    return redirect(back if back.startswith("/organiser/follow-ups") else url_for("followups.queue"))


@bp.post("/<int:follow_up_id>/claim")
@lead_or_organiser_required
def claim(follow_up_id: int):
    return _act(follow_up_id, lambda s, f, u: operations.claim(s, follow_up=f, user=u), "It is yours: tick it off when done.")


@bp.post("/<int:follow_up_id>/release")
@lead_or_organiser_required
def release(follow_up_id: int):
    return _act(follow_up_id, lambda s, f, u: operations.release(s, follow_up=f, user=u), "Back in the queue.")


@bp.post("/<int:follow_up_id>/done")
@lead_or_organiser_required
def done(follow_up_id: int):
    note = request.form.get("note", "")
    return _act(follow_up_id, lambda s, f, u: operations.mark_done(s, follow_up=f, user=u, note=note), "Ticked off.")


@bp.get("/export.csv")
@roles_required("organiser")
def export():
    session, conf = get_session(), settings()
    filters = parse_queue_filters(request.args, session=session, scope=None)
    rows = queue_count(session, filters=filters, scope=None)
    user_id, email = current_user.id, current_user.email
    write_transaction(session, lambda s: audit(s, action="export.follow_ups", actor_user_id=user_id, actor_label=email,
                                               target="follow_ups", detail={"filters": filters.as_dict(), "rows": rows}))
    stamp = local_time(utcnow(), conf.timezone, "%Y%m%d-%H%M")
    body = csv_stream(engine_for(), EXPORT_COLUMNS, lambda s: export_rows(s, filters=filters, scope=None))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="follow-ups-{stamp}.csv"', "Cache-Control": "private, no-store"})
