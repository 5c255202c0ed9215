"""The organiser's dashboard and printable walk sheets (read-only); its CSV exports: views_exports."""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request, url_for
from flask_login import current_user
from ..auth.access import area_scope, require_list_in_scope, ward_scope
from ..auth.decorators import lead_or_organiser_required
from ..config import settings
from ..db import get_session
from ..universes.queries import choices as universe_choices
from ..errors import Forbidden, NotFound, ValidationError
from ..maps.localtime import local_time
from ..params import int_arg
from ..models import Channel, Neighbourhood, utcnow, Ward
from ..sorting import by_name
from . import dashboard as dash
from . import dashboard_sheets as sheets
from . import pickers
from .blueprint import bp


@bp.get("/dashboard")
@lead_or_organiser_required
def dashboard():
    """The campaign's figures; a team lead's count only households in their areas. ``ward``: one
    ward's own view (its figures and its neighbourhoods), how a state's precincts are reached."""
    period = request.args.get("period", "today")
    if period not in dash.PERIODS:
        raise ValidationError(f"Unknown period {period[:20]!r}: choose today, 7d or all.")
    session, conf = get_session(), settings()
    scope = area_scope(session, principal=current_user)
    ward_ids = scope and scope.touched_ward_ids
    ward_picker = (len(ward_ids) if scope else _ward_count(session)) >= pickers.threshold()
    typed, error, status = request.args.get("ward", ""), "", 200
    if ward_picker and not (typed.strip().isascii() and typed.strip().isdigit()):  # a name typed, not an id
        try:
            ward_id = pickers.resolve_ward(session, value=typed, ward_ids=ward_ids)
        except ValidationError as err:  # the whole view, the typed name left in the box with why
            ward_id, error, status = None, err.message, 422
    else:
        ward_id = int_arg(request.args, "ward", "Ward")
    ward = _ward(session, scope, ward_id)
    view = scope if ward is None else ward_scope(session, scope, ward.id)
    data = dash.build_dashboard(session, settings=conf, period=period, scope=view)
    peak = max([k + c for _, k, c in data.hours] + [1])
    hoods = sa.select(Neighbourhood.id, Neighbourhood.name)
    # Past the pickers' threshold (a state's 1,000 wards) the ward menu is a search, and the
    # export's ward is the one shown: the two menus' 2,000 <option>s were half a state's page
    # (100 of 195 KB).
    wards = [] if ward_picker else by_name(session.execute(sa.select(Ward.id, Ward.name).where(
        Ward.id.in_(sorted(ward_ids))) if scope else sa.select(Ward.id, Ward.name)).all())
    return render_template(
        "organiser/dashboard.html", d=data, periods=dash.PERIODS, peak=peak, top=15, scoped=scope is not None,
        ward=ward, wards=wards, ward_picker=ward_picker, ward_typed=typed if error else "", ward_error=error,
        neighbourhoods=by_name(session.execute(hoods.where(Neighbourhood.id.in_(sorted(view.neighbourhood_ids))))
                               .all()) if view else [] if data.neighbourhood_count > dash.AREA_DETAIL
        else by_name(session.execute(hoods).all()),
        codes={ch: list(conf.codes(ch).values()) for ch in Channel}, universes=universe_choices(session)[1:],
        when=lambda dt: local_time(dt, conf.timezone), timezone=conf.timezone,
    ), status


def _ward_count(session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(Ward)).scalar()


def _ward(session, scope, ward_id: int | None) -> Ward | None:
    if ward_id is None:
        return None
    ward = session.get(Ward, ward_id)
    if ward is None:
        raise NotFound("There is no such ward.")
    if scope is not None and ward.id not in scope.touched_ward_ids:
        raise Forbidden("That ward is outside your team's areas.")
    return ward


@bp.get("/walk-sheets/<int:list_id>")
@lead_or_organiser_required
def walk_sheet(list_id: int):
    session, conf = get_session(), settings()
    walk_list = require_list_in_scope(session, principal=current_user, walk_list_id=list_id)
    doors = sheets.sheet_doors(session, walk_list=walk_list)
    phone_url = url_for("canvass.list_page", walk_list_id=walk_list.id, _external=True)
    return render_template(
        "organiser/walk_sheet.html", walk_list=walk_list, sections=sheets.group_sections(doors),
        door_count=len(doors), codes=sheets.door_codes(conf), support_scale=conf.support_scale,
        qr=sheets.qr_svg(phone_url), phone_url=phone_url, printed=local_time(utcnow(), conf.timezone),
        when=lambda dt: local_time(dt, conf.timezone, "%-d %b"),
        code_labels={c.code: c.label for c in sheets.door_codes(conf)},
    )
