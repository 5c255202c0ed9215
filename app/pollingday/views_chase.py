"""The ballot chase list (US early vote / vote by mail): supporters with a ballot out and not back,
on a page and as CSV. Committee-room staff and organisers see everywhere; a team lead sees the
areas of the teams they lead (``area_scope``), as on the organiser's pages."""
from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user, login_required
from sqlmodel import select

from ..audit import audit
from ..auth.access import Scope, area_scope, lead_team_ids, may_run_polling_day
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import Forbidden
from ..maps.localtime import local_time
from ..models import Neighbourhood, Ward, utcnow
from ..phonebank.filters import format_phone
from ..sorting import by_name
from . import chase as queries
from .blueprint import bp

SHOWN = 500  # rows on the page; the CSV has them all


def _scope(session) -> Scope | None:
    if may_run_polling_day(current_user):
        return None
    if lead_team_ids(session, principal=current_user):
        return area_scope(session, principal=current_user)
    raise Forbidden("The chase list is for committee-room staff, team leads and organisers.")


def _filters(area: queries.Area) -> dict:
    return {k: v for k, v in (("ward", area.ward_id), ("neighbourhood", area.neighbourhood_id)) if v is not None}


@bp.get("/chase")
@login_required
def chase():
    session, conf = get_session(), settings()
    scope = _scope(session)
    area = queries.parse_area(request.args, session=session, scope=scope)
    wards = session.exec(select(Ward).where(Ward.id.in_(sorted(scope.touched_ward_ids))) if scope else select(Ward))
    hoods = session.exec(select(Neighbourhood).where(Neighbourhood.id.in_(sorted(scope.neighbourhood_ids)))
                         if scope else select(Neighbourhood))
    page = dict(area=area, filters=_filters(area), wards=by_name(wards), neighbourhoods=by_name(hoods),
                scoped=scope is not None,
                counts=queries.status_counts(session, settings=conf, area=area, scope=scope),
                total=queries.chase_count(session, settings=conf, area=area, scope=scope),
                rows=queries.chase_list(session, settings=conf, area=area, scope=scope, limit=SHOWN),
                no_supporter_values=not conf.supporter_values)
    session.rollback()  # a read: end it, so a SQLite writer is not kept waiting on this snapshot
    return render_template("pollingday/chase.html", shown=SHOWN, **page)


@bp.get("/chase.csv")
@login_required
def chase_csv():
    """The whole chase list as CSV. The audit entry (filters, row count) is committed before any
    row is sent."""
    session, conf = get_session(), settings()
    scope = _scope(session)
    area = queries.parse_area(request.args, session=session, scope=scope)
    rows = queries.chase_list(session, settings=conf, area=area, scope=scope)
    user_id, email = current_user.id, current_user.email
    filters = _filters(area)
    write_transaction(session, lambda s: audit(s, action="export.chase_list", actor_user_id=user_id, actor_label=email,
                                               target="ballot_statuses", detail={**filters, "rows": len(rows)}))
    stamp = local_time(utcnow(), conf.timezone, "%Y%m%d-%H%M")
    return Response(queries.as_csv(rows, phone=format_phone), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="chase-{stamp}.csv"',
        "Cache-Control": "private, no-store",
    })
