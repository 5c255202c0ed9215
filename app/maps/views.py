"""Coverage maps for organisers: a ward's neighbourhoods and walk lists, a neighbourhood's doors,
one walk list's doors, and the whole city. Read-only pages; a canvasser's own list map lives in
the canvass blueprint.

Each map page is the folium figure itself (no iframe, so frame-ancestors stays 'none'); its
generated inline script is allowed by hash for that response only. folium (through render.py)
is imported inside the views: at module level it would add about a second to every CLI command
and worker start.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from ..auth.access import area_scope, require_list_in_scope, require_neighbourhood_in_scope, scope_wards
from ..auth.decorators import lead_or_organiser_required, roles_required
from ..config import settings
from ..db import get_session
from ..models import AreaCoverage, Neighbourhood, Ward
from ..params import int_arg
from ..streets.paths import list_path
from ..walk_lists import list_progress
from . import coverage
from . import doors as door_state
from . import wards
from .blueprint import bp



def _scope(session):
    return area_scope(session, principal=current_user)


def _nav(session, *, ward_id=None, extra=()):
    """The map bar: the wards one may pick (a team lead: those with their areas) and links (the
    city map is the organiser's). Past the pickers' threshold (a state's 1,000 wards: 43 KB of
    <option>s on every map page) the ward is searched instead, and resolved by overview."""
    from ..organiser import pickers  # not at import time: a cycle (organiser -> imports -> ... -> maps)

    scope = _scope(session)
    links = [("Whole city", url_for("maps.city"))] if scope is None else [("Walk lists", url_for("organiser.lists"))]
    links.append(("Dashboard", url_for("organiser.dashboard")))
    count = len(scope.touched_ward_ids) if scope is not None else session.exec(
        select(sa.func.count()).select_from(Ward)).one()
    if count >= pickers.threshold():
        ward = session.get(Ward, ward_id) if ward_id is not None else None
        picked = (f"ward:{ward.id}", f"{ward.name}{pickers.WHOLE}") if ward else None
        return {"wards": [], "picker": {"url": url_for("organiser.picker_areas"), "picked": picked},
                "ward_id": ward_id, "links": [*links, *extra]}
    return {"wards": scope_wards(session, scope), "ward_id": ward_id, "links": [*links, *extra]}


def _picked_ward(session, scope):
    """The ward the map bar asked for: an id (the select, a link), or past the threshold what its
    search sent (a key, a code, a name); a neighbourhood goes to its own map. (ward id, redirect)."""
    from ..organiser import pickers

    raw = request.args.get("ward", "").strip()
    if not raw or raw.isdigit():
        return int_arg(request.args, "ward", "Ward"), None
    key, _ = pickers.resolve_area(session, value=raw, scope=scope)  # a ValidationError (422) names it
    kind, _, number = key.partition(":")
    if kind == "hood":
        return None, redirect(url_for("maps.neighbourhood", neighbourhood_id=int(number)))
    return int(number), None


@bp.get("/")
@lead_or_organiser_required
def overview():
    """One ward: neighbourhoods shaded by coverage (a base layer per measure) and its walk lists.
    A team lead picks among the wards of their areas and sees only their neighbourhoods and lists."""
    from . import render

    session, conf = get_session(), settings()
    scope = _scope(session)
    wards = scope_wards(session, scope)
    if not wards:
        return render_template("maps/empty.html")
    ward_id, elsewhere = _picked_ward(session, scope)
    if elsewhere is not None:
        return elsewhere
    ward = next((w for w in wards if w.id == ward_id), wards[0])
    hoods = [h for h in session.exec(select(Neighbourhood).where(Neighbourhood.ward_id == ward.id)
                                     .order_by(Neighbourhood.code)).all()
             if scope is None or h.id in scope.neighbourhood_ids]
    cov = coverage.by_neighbourhood(coverage.coverage_by_area(session, ward_id=ward.id))
    areas = render.area_features(hoods, cov)
    lists = list_progress(session, ward_id=ward.id, scope=scope)
    outline = render.geometry(ward.boundary)
    fmap = render.new_map(conf, title=ward.name, bounds=render.bounds_of(render.geometry_points(outline)),
                          legend=render.legend(coverage=True, turfs=bool(lists)), nav=_nav(session, ward_id=ward.id))
    render.add_coverage_layers(fmap, areas)
    render.add_turfs(fmap, render.turf_features(lists, conf.timezone))
    return render.page_response(fmap)


@bp.get("/city")
@roles_required("organiser")  # every door of the city: a team lead uses the ward overview instead
def city():
    """Every neighbourhood and every door in one map (canvas markers keep 20,000+ doors usable)."""
    from . import render

    session, conf = get_session(), settings()
    # About 100 ms of this page was cyclic collections set off by its allocations (21,504 rows,
    # their columns and JSON); folium's element tree is collected once the collector resumes.
    with door_state.gc_paused():
        return render.page_response(build_city_map(session, conf))


# Above this many doors the whole-area map shows areas only: a state's 2.5 million door markers
# would be hundreds of megabytes of page. The doors are a click away (each area drills down).
CITY_MAP_DOORS = 50_000


def _more_doors_than(session, limit: int) -> bool:
    """From the per-area rollup's household counts (a row per area): a state is not counted door by door."""
    return (session.exec(select(sa.func.coalesce(sa.func.sum(AreaCoverage.households), 0))).one() or 0) > limit


def build_city_map(session, conf):
    from . import render

    if _more_doors_than(session, CITY_MAP_DOORS):
        return _areas_map(session, conf)
    hoods = session.exec(select(Neighbourhood).order_by(Neighbourhood.code)).all()
    doors = door_state.door_states(session, settings=conf)
    cov = door_state.coverage_of_doors(doors)  # the same numbers as coverage_by_area, without a second pass
    lists = list_progress(session)
    fmap = render.new_map(conf, title="Whole city", bounds=render.bounds_of((d.lon, d.lat) for d in doors),
                          legend=render.legend(coverage=True, turfs=bool(lists), doors=True), nav=_nav(session))
    render.add_coverage_layers(fmap, render.area_features(hoods, cov))
    render.add_turfs(fmap, render.turf_features(lists, conf.timezone), show=False)
    render.add_doors(fmap, doors, conf, radius=3)
    return fmap


def _areas_map(session, conf):
    """Every ward shaded by its coverage, read from the per-area rollup: a row per ward, never
    one per door; a ward drills down to its neighbourhoods (the ward overview), then its doors.
    The page carries the figures; the shapes come from city_wards, which the browser keeps."""
    from . import render

    shapes = wards.ward_shapes(session)
    figures = coverage.coverage_by_ward(session)
    data = {"shapes": url_for("maps.city_wards", v=shapes.etag), "fields": list(coverage.FIELDS),
            "figures": {ward_id: [getattr(cov, f) for f in coverage.FIELDS]
                        for ward_id, cov in figures.items() if ward_id is not None}}
    fmap = render.new_map(conf, title="All wards", bounds=shapes.bounds,
                          legend=render.legend(coverage=True), nav=_nav(session))
    render.add_coverage_layers(fmap, data)
    return fmap


@bp.get("/city/wards.json")
@roles_required("organiser")  # as the map it belongs to
def city_wards():
    """The wards' shapes, names and drill-down links for the statewide map (wards.py), with an
    ETag from their content: asking again with it is a 304 after two small queries (no shape parsed)."""
    shapes = wards.ward_shapes(get_session())
    # Compressed once per version (shapes only: no secret and nothing the request sent, so none
    # of BREACH's conditions); each coding its own strong ETag, as HTTP asks.
    zipped = "gzip" in request.accept_encodings
    etag = f"{shapes.etag}-gz" if zipped else shapes.etag
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        response = make_response(shapes.gzipped if zipped else shapes.body)
        response.headers["Content-Type"] = "application/json"
        if zipped:
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    response.vary.add("Accept-Encoding")
    # private: only a signed-in organiser may read it, so no shared cache (nginx) keeps it. The
    # page links ?v=<etag>: that address holds these shapes only, so the browser reuses them for a
    # day without asking; any other address (an old page's) is asked about on every use and an
    # unchanged answer is a body-less 304.
    current = request.args.get("v") == shapes.etag
    response.headers["Cache-Control"] = "private, max-age=86400" if current else "private, no-cache"
    return response


@bp.get("/neighbourhoods/<int:neighbourhood_id>")
@lead_or_organiser_required
def neighbourhood(neighbourhood_id: int):
    """Drill-down: a neighbourhood's doors coloured by their latest outcome."""
    from . import render

    session, conf = get_session(), settings()
    hood = require_neighbourhood_in_scope(session, principal=current_user, neighbourhood_id=neighbourhood_id)
    doors = door_state.door_states(session, settings=conf, neighbourhood_id=hood.id)
    lists = list_progress(session, neighbourhood_id=hood.id)
    outline = render.geometry(hood.boundary)
    back = [("Ward overview", url_for("maps.overview", ward=hood.ward_id))] if hood.ward_id else []
    fmap = render.new_map(conf, title=hood.name, bounds=render.bounds_of(render.geometry_points(outline)),
                          legend=render.legend(turfs=bool(lists), doors=True),
                          nav=_nav(session, ward_id=hood.ward_id, extra=back))
    render.LegworkLayer("coverageLayer", render.area_features([hood], coverage.by_neighbourhood(
        coverage.coverage_by_area(session, ward_id=hood.ward_id)), drill=False),
        "door_attempted", render.coverage_options(), name="Neighbourhood", control=False).add_to(fmap)
    render.add_turfs(fmap, render.turf_features(lists, conf.timezone))
    render.add_doors(fmap, doors, conf, radius=5)
    return render.page_response(fmap)


@bp.get("/lists/<int:list_id>")
@lead_or_organiser_required
def walk_list(list_id: int):
    """One walk list: its doors in route order, the route line and the turf outline."""
    from . import render

    session, conf = get_session(), settings()
    walk = require_list_in_scope(session, principal=current_user, walk_list_id=list_id)
    return render.page_response(build_list_map(session, conf, walk))


def build_list_map(session, conf, walk):
    import folium

    from . import render

    doors = door_state.door_states(session, settings=conf, walk_list_id=walk.id)
    progress = list_progress(session, list_ids=[walk.id])
    extra = [("List page", url_for("organiser.list_detail", walk_list_id=walk.id)),  # assign, PINs, release
             ("Walk sheet", url_for("organiser.walk_sheet", list_id=walk.id))]
    fmap = render.new_map(conf, title=walk.name, bounds=render.bounds_of((d.lon, d.lat) for d in doors),
                          legend=render.legend(doors=True), nav=_nav(session, ward_id=walk.ward_id, extra=extra))
    render.add_turfs(fmap, render.turf_features(progress, conf.timezone))
    path = list_path(session, walk_list_id=walk.id)  # along the streets when they are stored here
    if len(path) > 1:
        folium.PolyLine([[lat, lon] for lon, lat in path], color=render.ROUTE, weight=2,
                        opacity=0.8, dash_array="4 6").add_to(fmap)
    render.add_doors(fmap, doors, conf, radius=7)
    return fmap
