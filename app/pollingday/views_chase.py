"""The ballot chase list (US early vote / vote by mail): supporters with a ballot out and not back,
on a page and as CSV. Committee-room staff and organisers see everywhere; a team lead sees the
areas of the teams they lead (``area_scope``), as on the organiser's pages."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Response, jsonify, render_template, request
from flask_login import current_user, login_required

from ..audit import audit
from ..auth.access import Scope, area_scope, lead_team_ids, may_run_polling_day
from ..config import settings
from ..db import engine_for, get_session, write_transaction
from ..errors import Forbidden
from ..exports.stream import csv_stream
from ..maps.localtime import local_time
from ..models import Neighbourhood, Ward, utcnow
from ..phonebank.filters import format_phone
from ..sorting import by_name
from . import ballot_tally as tally_store
from . import chase as queries
from .blueprint import bp

SHOWN = 500         # rows on the page; the CSV has them all
COUNT_CAP = 1_000   # past this the page says "more than": a state's exact count reads every ballot out


def _scope(session) -> Scope | None:
    if may_run_polling_day(current_user):
        return None
    if lead_team_ids(session, principal=current_user):
        return area_scope(session, principal=current_user)
    raise Forbidden("The chase list is for committee-room staff, team leads and organisers.")


def _filters(area: queries.Area) -> dict:
    return {k: v for k, v in (("ward", area.ward_id), ("neighbourhood", area.neighbourhood_id)) if v is not None}


def _menus(session, scope: Scope | None) -> dict:
    """The ward and neighbourhood menus as (id, name) rows, or a searched picker for a state's
    6,000 areas (app.organiser.pickers). Plain rows: the page's rollback would expire ORM objects,
    and the template then loaded each area again, boundary and all (4 s at 6,000 areas)."""
    from ..organiser import pickers  # here: the organiser package imports polling day's modules

    if pickers.area_count(session, scope=scope) >= pickers.threshold():
        return dict(area_picker=True, wards=[], neighbourhoods=[])
    wards = sa.select(Ward.id, Ward.name)
    hoods = sa.select(Neighbourhood.id, Neighbourhood.name)
    if scope is not None:
        wards = wards.where(Ward.id.in_(sorted(scope.touched_ward_ids)))
        hoods = hoods.where(Neighbourhood.id.in_(sorted(scope.neighbourhood_ids)))
    return dict(area_picker=False, wards=by_name(session.execute(wards).all()),
                neighbourhoods=by_name(session.execute(hoods).all()))


def _picked(session, area: queries.Area) -> tuple[str, str] | None:
    """The picker's (key, label) for the chosen area (the labels its search shows; the area is
    already checked against the asker's areas)."""
    from ..organiser import pickers

    key = (f"hood:{area.neighbourhood_id}" if area.neighbourhood_id is not None
           else f"ward:{area.ward_id}" if area.ward_id is not None else None)
    return pickers.resolve_area(session, value=key, scope=None) if key else None


def _state_counts(session, conf) -> dict:
    """The statewide table of a state-size election: the shared last count (ballot_tally), and
    whether the page's script should ask for a newer one."""
    tally = tally_store.read(session, settings=conf, now=utcnow())
    return dict(counts=tally.counts if tally else None, counted_at=tally.counted_at if tally else None,
                recount=tally is None or not tally.fresh, tally_seconds=conf.pollingday.ballot_tally_seconds)


@bp.get("/chase")
@login_required
def chase():
    session, conf = get_session(), settings()
    scope = _scope(session)
    area = queries.parse_area(request.args, session=session, scope=scope)
    menus = _menus(session, scope)
    # A state's whole list, sorted by address, is hundreds of thousands of rows: its page asks for an
    # area instead (the CSV has them all), and its table of counts is the shared last count.
    state = scope is None and area == queries.Area() and tally_store.many_ballots(session, settings=conf)
    total = queries.chase_count(session, settings=conf, area=area, scope=scope, cap=COUNT_CAP)
    page = dict(area=area, filters=_filters(area), scoped=scope is not None, **menus,
                picked=_picked(session, area) if menus["area_picker"] else None,
                total=min(total, COUNT_CAP), more=total > COUNT_CAP, state=state,
                rows=[] if state else queries.chase_list(session, settings=conf, area=area, scope=scope, limit=SHOWN),
                no_supporter_values=not conf.supporter_values,
                **(_state_counts(session, conf) if state else dict(
                    counts=queries.status_counts(session, settings=conf, area=area, scope=scope),
                    counted_at=None, recount=False)))
    session.rollback()  # a read: end it, so a SQLite writer is not kept waiting on this snapshot
    return render_template("pollingday/chase.html", shown=SHOWN, **page)


@bp.get("/chase/counts")
@login_required
def chase_counts():
    """JSON: the statewide ballots by status, counted now if the last count is older than
    ``ballot_tally_seconds`` and nobody else is counting (``counting``: ask again shortly)."""
    session, conf = get_session(), settings()
    if _scope(session) is not None:
        raise Forbidden("The statewide table is for committee-room staff and organisers; "
                        "your chase page counts your teams' areas.")
    now = utcnow()
    tally = tally_store.read(session, settings=conf, now=now)
    if (tally is None or not tally.fresh) and write_transaction(session, lambda s: tally_store.claim(s, now=now)):
        try:
            counts = queries.status_counts(session, settings=conf)
            session.rollback()
        except BaseException:
            session.rollback()  # a failed statement leaves PostgreSQL's transaction unusable
            write_transaction(session, lambda s: tally_store.release(s, claimed=now))
            raise
        write_transaction(session, lambda s: tally_store.store(s, claimed=now, counts=counts, settings=conf))
        tally = tally_store.Tally(counts=counts, counted_at=now, fresh=True)
    session.rollback()
    counting = tally is None or not tally.fresh
    return jsonify(counting=counting, html=render_template(
        "pollingday/_chase_counts.html", counts=tally.counts if tally else None,
        counted_at=tally.counted_at if tally else None, recount=counting,
        tally_seconds=conf.pollingday.ballot_tally_seconds))


@bp.get("/chase/areas")
@login_required
def chase_areas():
    """The area picker's search, inside the asker's areas (committee rooms: everywhere)."""
    from ..organiser import pickers

    session = get_session()
    scope = _scope(session)
    return pickers.answer(pickers.search_areas(session, text=pickers.search_text(request.args), scope=scope))


@bp.get("/chase.csv")
@login_required
def chase_csv():
    """The whole chase list as CSV, streamed a page of rows at a time. The audit entry (filters,
    row count) is committed before any row is sent."""
    session, conf = get_session(), settings()
    scope = _scope(session)
    area = queries.parse_area(request.args, session=session, scope=scope)
    rows = queries.chase_count(session, settings=conf, area=area, scope=scope)
    user_id, email = current_user.id, current_user.email
    filters = _filters(area)
    write_transaction(session, lambda s: audit(s, action="export.chase_list", actor_user_id=user_id, actor_label=email,
                                               target="ballot_statuses", detail={**filters, "rows": rows}))
    stamp = local_time(utcnow(), conf.timezone, "%Y%m%d-%H%M")
    region = conf.default_region  # the rows are written after the request: nothing may read its context
    phone = lambda e164: format_phone(e164, region)  # noqa: E731
    pages = lambda s: ([queries.csv_cells(r, phone=phone) for r in part]  # noqa: E731
                       for part in queries.chase_pages(s, settings=conf, area=area, scope=scope))
    body = csv_stream(engine_for(), list(queries.COLUMNS), pages, bom=False)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="chase-{stamp}.csv"',
        "Cache-Control": "private, no-store",
    })
